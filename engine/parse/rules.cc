// Copyright 2026 The hatmatch Authors.
// Small out-of-line pieces of rules.h.

#include "hatmatch/rules.h"

#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"

namespace hatmatch {

std::string_view ActionName(Action a) {
  switch (a) {
    case Action::kAccept:
      return "ACCEPT";
    case Action::kReject:
      return "REJECT";
    case Action::kTcpRefuse:
      return "TCPREFUSE";
    case Action::kRelay:
      return "RELAY";
    case Action::kContinue:
      return "CONTINUE";
  }
  return "?";
}

std::string Diagnostic::ToString() const {
  return absl::StrCat(file, ":", loc.line, ":", loc.col, ": ", message);
}

}  // namespace hatmatch
