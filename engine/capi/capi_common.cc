// Copyright 2026 The hatmatch Authors.
//
// The C API's plumbing: versions, status and action names, error messages.
// Connections are read in place by the classifier (capi_conn.h).

#include <cstdlib>
#include <cstring>
#include <string_view>

#include "engine/capi/capi_internal.h"
#include "hatmatch/hatmatch.h"

namespace hatmatch::capi {
namespace {

// hatmatch_action is hatmatch::Action by value.
static_assert(HATMATCH_ACTION_ACCEPT == static_cast<int>(Action::kAccept));
static_assert(HATMATCH_ACTION_REJECT == static_cast<int>(Action::kReject));
static_assert(HATMATCH_ACTION_TCPREFUSE ==
              static_cast<int>(Action::kTcpRefuse));
static_assert(HATMATCH_ACTION_RELAY == static_cast<int>(Action::kRelay));
static_assert(HATMATCH_ACTION_CONTINUE == static_cast<int>(Action::kContinue));
static_assert(HATMATCH_NO_RULE == kNoRule && HATMATCH_NO_ENTRY == kNoEntry);

}  // namespace

hatmatch_status StatusFrom(const absl::Status& s, Source source) {
  switch (s.code()) {
    case absl::StatusCode::kOk:
      return HATMATCH_OK;
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kPermissionDenied:
    case absl::StatusCode::kUnavailable:
      return HATMATCH_ERROR_IO;
    case absl::StatusCode::kFailedPrecondition:
      // A rule file that cannot be read; a table file that is not one.
      return source == Source::kRules ? HATMATCH_ERROR_IO
                                      : HATMATCH_ERROR_TABLE;
    case absl::StatusCode::kInternal:
    case absl::StatusCode::kUnknown:
      return HATMATCH_ERROR_INTERNAL;
    default:
      return source == Source::kRules ? HATMATCH_ERROR_RULES
                                      : HATMATCH_ERROR_TABLE;
  }
}

void SetError(char** error, std::string_view message) {
  if (error == nullptr) return;
  *error = static_cast<char*>(std::malloc(message.size() + 1));
  if (*error == nullptr) return;
  std::memcpy(*error, message.data(), message.size());
  (*error)[message.size()] = '\0';
}

hatmatch_status Fail(const absl::Status& s, Source source, char** error) {
  SetError(error, Message(s));
  return StatusFrom(s, source);
}

hatmatch_status Fail(hatmatch_status status, std::string_view message,
                     char** error) {
  SetError(error, message);
  return status;
}

}  // namespace hatmatch::capi

extern "C" {

const char* hatmatch_version(void) { return HATMATCH_VERSION_STRING; }

const char* hatmatch_status_string(hatmatch_status status) {
  switch (hatmatch::capi::Raw(status)) {
    case HATMATCH_OK:
      return "ok";
    case HATMATCH_ERROR_INVALID_ARGUMENT:
      return "invalid argument";
    case HATMATCH_ERROR_IO:
      return "cannot read file";
    case HATMATCH_ERROR_RULES:
      return "rule file has errors";
    case HATMATCH_ERROR_TABLE:
      return "not a valid table file";
    case HATMATCH_ERROR_NO_MEMORY:
      return "out of memory";
    case HATMATCH_ERROR_INTERNAL:
      return "internal error";
  }
  return "unknown status";
}

const char* hatmatch_action_name(hatmatch_action action) {
  switch (hatmatch::capi::Raw(action)) {
    case HATMATCH_ACTION_ACCEPT:
    case HATMATCH_ACTION_REJECT:
    case HATMATCH_ACTION_TCPREFUSE:
    case HATMATCH_ACTION_RELAY:
    case HATMATCH_ACTION_CONTINUE:
      // ActionName returns views of string literals: NUL-terminated.
      return hatmatch::ActionName(static_cast<hatmatch::Action>(action)).data();
  }
  return "-";
}

void hatmatch_error_free(char* error) { std::free(error); }

}  // extern "C"
