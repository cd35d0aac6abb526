// Copyright 2026 The hatmatch Authors.
//
// action_map.h: which Postfix `action=` a decision becomes.
//
// Defaults (docs/SERVE.md has the table and the reasons):
//   ACCEPT     DUNNO            other restrictions still apply
//   RELAY      OK
//   REJECT     REJECT 5.7.1 Access denied by sender group {group}
//   TCPREFUSE  421 4.7.0 Connection refused by sender group {group}
//              (Postfix replies 421 and closes the SMTP session)
//   CONTINUE   DUNNO            a CONTINUE rule never decides
//   NOMATCH    DUNNO            no rule matched
//   STARTTLS   530 5.7.0 Must issue a STARTTLS command first
//              a group whose policy says tls = "required", on a session
//              without TLS, once the client could have issued STARTTLS
//              (protocol_state MAIL or later)
//   ERROR      DUNNO            malformed request (the reason is logged)
// `{group}` in a text is replaced by the sender group's name.  Each text can
// be replaced (`--action NAME=TEXT`).  With a prepend header name set, a
// DUNNO for a matched group becomes `PREPEND HEADER: GROUP`, which Postfix
// also treats as "no decision".

#ifndef HATMATCH_ENGINE_SERVE_ACTION_MAP_H_
#define HATMATCH_ENGINE_SERVE_ACTION_MAP_H_

#include <array>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "hatmatch/rules.h"

namespace hatmatch::serve {

enum class ReplyKind : uint8_t {
  kAccept,
  kRelay,
  kReject,
  kTcpRefuse,
  kContinue,
  kNoMatch,
  kStartTls,
  kError,
};
inline constexpr size_t kReplyKinds = 8;
std::string_view ReplyKindName(ReplyKind kind);  // "ACCEPT", ... "ERROR"

// What the decision says about one request, in the terms the map needs.
struct ReplyInput {
  bool matched = false;
  std::string_view group;  // the deciding rule's name when matched
  Action action = Action::kAccept;
  bool tls_required = false;  // the group's policy has tls = "required"
  bool session_has_tls = false;
  std::string_view protocol_state;
};

class ActionMap {
 public:
  ActionMap();

  // Applies "NAME=TEXT" (NAME is one of the ReplyKind names).
  absl::Status Override(std::string_view assignment);
  void set_prepend_header(std::string header) {
    prepend_header_ = std::move(header);
  }

  // Which reply applies, and its text.
  ReplyKind Kind(const ReplyInput& in) const;
  std::string Text(ReplyKind kind, std::string_view group) const;

 private:
  std::array<std::string, kReplyKinds> texts_;
  std::string prepend_header_;
};

// True for the SMTP states after which a client can no longer issue
// STARTTLS for this transaction: MAIL, RCPT, DATA, END-OF-MESSAGE, ...
// (CONNECT, EHLO and HELO come before STARTTLS could have happened.)
bool StateAfterStartTls(std::string_view protocol_state);

}  // namespace hatmatch::serve

#endif  // HATMATCH_ENGINE_SERVE_ACTION_MAP_H_
