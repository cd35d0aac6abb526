// Copyright 2026 The hatmatch Authors.

#include "engine/serve/action_map.h"

#include "fmt/format.h"

namespace hatmatch::serve {
namespace {

constexpr std::array<std::string_view, kReplyKinds> kNames = {
    "ACCEPT",   "RELAY",   "REJECT",   "TCPREFUSE",
    "CONTINUE", "NOMATCH", "STARTTLS", "ERROR"};

ReplyKind KindOfAction(Action a) {
  switch (a) {
    case Action::kAccept:
      return ReplyKind::kAccept;
    case Action::kRelay:
      return ReplyKind::kRelay;
    case Action::kReject:
      return ReplyKind::kReject;
    case Action::kTcpRefuse:
      return ReplyKind::kTcpRefuse;
    case Action::kContinue:
      return ReplyKind::kContinue;
  }
  return ReplyKind::kNoMatch;
}

}  // namespace

std::string_view ReplyKindName(ReplyKind kind) {
  return kNames[static_cast<size_t>(kind)];
}

bool StateAfterStartTls(std::string_view s) {
  return !(s.empty() || s == "CONNECT" || s == "EHLO" || s == "HELO");
}

ActionMap::ActionMap() {
  texts_ = {"DUNNO",
            "OK",
            "REJECT 5.7.1 Access denied by sender group {group}",
            "421 4.7.0 Connection refused by sender group {group}",
            "DUNNO",
            "DUNNO",
            "530 5.7.0 Must issue a STARTTLS command first",
            "DUNNO"};
}

absl::Status ActionMap::Override(std::string_view assignment) {
  size_t eq = assignment.find('=');
  std::string_view name = assignment.substr(0, eq);
  for (size_t i = 0; i < kReplyKinds; ++i) {
    if (eq != std::string_view::npos && kNames[i] == name) {
      std::string_view text = assignment.substr(eq + 1);
      if (text.empty() || text.find_first_of("\r\n") != text.npos) {
        return absl::InvalidArgumentError(
            fmt::format("--action {}: text must be one non-empty line", name));
      }
      texts_[i] = std::string(text);
      return absl::OkStatus();
    }
  }
  return absl::InvalidArgumentError(fmt::format(
      "--action expects NAME=TEXT with NAME one of ACCEPT, RELAY, REJECT, "
      "TCPREFUSE, CONTINUE, NOMATCH, STARTTLS, ERROR; got '{}'",
      assignment));
}

ReplyKind ActionMap::Kind(const ReplyInput& in) const {
  if (!in.matched) return ReplyKind::kNoMatch;
  ReplyKind kind = KindOfAction(in.action);
  bool admits = kind == ReplyKind::kAccept || kind == ReplyKind::kRelay;
  if (admits && in.tls_required && !in.session_has_tls &&
      StateAfterStartTls(in.protocol_state)) {
    return ReplyKind::kStartTls;
  }
  return kind;
}

std::string ActionMap::Text(ReplyKind kind, std::string_view group) const {
  const std::string& text = texts_[static_cast<size_t>(kind)];
  bool decided = kind != ReplyKind::kNoMatch && kind != ReplyKind::kError;
  if (decided && !prepend_header_.empty() && text == "DUNNO") {
    return fmt::format("PREPEND {}: {}", prepend_header_, group);
  }
  std::string out = text;
  constexpr std::string_view kGroup = "{group}";
  for (size_t at = out.find(kGroup); at != std::string::npos;
       at = out.find(kGroup, at + group.size())) {
    out.replace(at, kGroup.size(), group);
  }
  return out;
}

}  // namespace hatmatch::serve
