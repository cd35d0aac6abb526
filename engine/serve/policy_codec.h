// Copyright 2026 The hatmatch Authors.
//
// policy_codec.h: the Postfix SMTP access policy delegation protocol
// (https://www.postfix.org/SMTPD_POLICY_README.html), as pure functions over
// bytes.
//
// A request is `name=value` lines ended by an empty line; the answer is
// `action=TEXT`, an empty line.  The connection then carries the next request.
// Only the attributes hatmatch uses are kept; every other attribute is
// ignored, as Postfix requires of a policy server.
//
// Every empty line ends exactly one request, so every request gets exactly
// one answer, whatever it contains.  A request that breaks a limit or has a
// line without '=' is still consumed up to its empty line and comes out with
// `error` set (the caller answers DUNNO and logs the reason), which keeps the
// client and the server in step.  Memory: at most PolicyLimits::max_line
// bytes buffered, plus the kept attributes (each at most max_line bytes).

#ifndef HATMATCH_ENGINE_SERVE_POLICY_CODEC_H_
#define HATMATCH_ENGINE_SERVE_POLICY_CODEC_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "engine/serve/line_splitter.h"

namespace hatmatch::serve {

struct PolicyLimits {
  size_t max_line = 4096;        // bytes per attribute line
  size_t max_attributes = 1000;  // Postfix sends about 40
};

struct PolicyRequest {
  std::string request;         // "smtpd_access_policy"
  std::string protocol_state;  // CONNECT, EHLO, MAIL, RCPT, DATA, ...
  std::optional<std::string> client_address;
  std::optional<std::string> client_name;          // verified, or "unknown"
  std::optional<std::string> reverse_client_name;  // unverified PTR
  std::string encryption_protocol;  // empty: no TLS on the SMTP session
  std::string error;  // non-empty: malformed; answer DUNNO, log this
};

class PolicyParser {
 public:
  explicit PolicyParser(PolicyLimits limits = {})
      : limits_(limits), lines_(limits.max_line) {}

  using OnRequest = absl::FunctionRef<void(const PolicyRequest& request)>;

  // Calls on_request for every request completed by `bytes`, in order, as
  // each completes: nothing is collected, so one read of 4,096 empty lines
  // (4,096 requests) costs no more memory than one request.
  void Feed(std::string_view bytes, OnRequest on_request);

  // Appends to *out every request completed by `bytes`.
  void Feed(std::string_view bytes, std::vector<PolicyRequest>* out);

  // True while a request has begun and not yet ended.
  bool mid_request() const { return attributes_ > 0 || lines_.mid_line(); }

 private:
  void OnLine(std::string_view line, bool too_long, OnRequest on_request);
  void Keep(std::string_view name, std::string_view value);
  void Fail(std::string message);

  PolicyLimits limits_;
  LineSplitter lines_;
  PolicyRequest current_;
  size_t attributes_ = 0;
};

// "action=TEXT\n\n".
void AppendPolicyReply(std::string_view action, std::string* out);

}  // namespace hatmatch::serve

#endif  // HATMATCH_ENGINE_SERVE_POLICY_CODEC_H_
