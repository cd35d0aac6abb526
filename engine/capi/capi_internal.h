// Copyright 2026 The hatmatch Authors.
//
// capi_internal.h: what the C API's translation units share: the structs
// behind the opaque handles, the translation of absl::Status into
// hatmatch_status, error messages in malloc'd memory, the guard that keeps
// every C++ exception inside the library, and the conversion of decisions
// into C.

#ifndef HATMATCH_ENGINE_CAPI_CAPI_INTERNAL_H_
#define HATMATCH_ENGINE_CAPI_CAPI_INTERNAL_H_

#include <cstring>
#include <exception>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "absl/status/status.h"
#include "hatmatch/decision.h"
#include "hatmatch/hatmatch.h"
#include "hatmatch/matcher.h"
#include "hatmatch/table.h"

// One handle per hatmatch_db_* or hatmatch_matcher_get() result; several
// handles may share one Table.  Rule names are copied into NUL-terminated
// strings the first time one is asked for (the table stores them without
// terminators).
struct hatmatch_db {
  explicit hatmatch_db(std::shared_ptr<const hatmatch::Table> t)
      : table(std::move(t)) {}
  std::shared_ptr<const hatmatch::Table> table;
  mutable std::once_flag names_once;
  mutable std::vector<std::string> names;
};

struct hatmatch_matcher {
  hatmatch_matcher() = default;
  explicit hatmatch_matcher(std::shared_ptr<const hatmatch::Table> initial)
      : matcher(std::move(initial)) {}
  hatmatch::Matcher matcher;
};

namespace hatmatch::capi {

// The integer a C caller stored in an enum field or passed as an enum.  C
// lets any int through; C++ may assume an enum holds only its enumerators'
// range, so the bytes are read as the underlying integer and checked.
template <class E>
std::underlying_type_t<E> Raw(const E& e) {
  std::underlying_type_t<E> v;
  std::memcpy(&v, &e, sizeof v);
  return v;
}

// Where a status came from: the same absl code means different things for a
// table file and for a rule file.
enum class Source { kTable, kRules };

hatmatch_status StatusFrom(const absl::Status& s, Source source);

// The status's message (absl::string_view need not be std::string_view).
inline std::string_view Message(const absl::Status& s) {
  return std::string_view(s.message().data(), s.message().size());
}

// Stores a malloc'd copy of `message` in *error when error is non-NULL.
// Never throws; leaves *error NULL when the copy cannot be allocated.
void SetError(char** error, std::string_view message);
inline void ClearError(char** error) {
  if (error != nullptr) *error = nullptr;
}

// Sets *error from `s` and returns its hatmatch_status.
hatmatch_status Fail(const absl::Status& s, Source source, char** error);
hatmatch_status Fail(hatmatch_status status, std::string_view message,
                     char** error);

// Runs `f` (returning hatmatch_status) with every exception turned into a
// status: std::bad_alloc into HATMATCH_ERROR_NO_MEMORY, anything else into
// HATMATCH_ERROR_INTERNAL.  `error` may be NULL.
template <class F>
hatmatch_status Guarded(char** error, F&& f) noexcept {
  try {
    return f();
  } catch (const std::bad_alloc&) {
    return Fail(HATMATCH_ERROR_NO_MEMORY, "out of memory", error);
  } catch (const std::exception& e) {
    return Fail(HATMATCH_ERROR_INTERNAL, e.what(), error);
  } catch (...) {
    return Fail(HATMATCH_ERROR_INTERNAL, "unknown exception", error);
  }
}

// hatmatch_decision from Decision (hatmatch_action is Action by value,
// checked in capi_common.cc).
inline hatmatch_decision ToC(const Decision& d) {
  return hatmatch_decision{d.rule, d.entry,
                           static_cast<hatmatch_action>(d.action)};
}

}  // namespace hatmatch::capi

#endif  // HATMATCH_ENGINE_CAPI_CAPI_INTERNAL_H_
