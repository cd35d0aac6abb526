// Copyright 2026 The hatmatch Authors.
// Small out-of-line pieces of rules.h.

#include "hatmatch/rules.h"

#include <iterator>
#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "engine/base/enum_name.h"
#include "engine/parse/text.h"

namespace hatmatch {

std::string_view ActionName(Action a) {
  static constexpr std::string_view kNames[] = {"ACCEPT", "REJECT", "TCPREFUSE",
                                                "RELAY", "CONTINUE"};
  static_assert(std::size(kNames) ==
                static_cast<size_t>(Action::kContinue) + 1);
  return EnumName(a, kNames);
}

namespace {

struct DnsSpelling {
  DnsState state;
  std::string_view entry;  // in a rule file
  std::string_view input;  // in a connection's dns= field
};

constexpr DnsSpelling kDnsSpellings[] = {
    {DnsState::kUnknown, "unknown", ""},
    {DnsState::kVerified, "verified", ""},
    {DnsState::kNxDomain, "nx.domain", "nx"},
    {DnsState::kServFail, "serv.fail", "servfail"},
    {DnsState::kMismatch, "not.double.verified", "mismatch"},
};

const DnsSpelling& SpellingOf(DnsState s) {
  for (const DnsSpelling& d : kDnsSpellings) {
    if (d.state == s) return d;
  }
  return kDnsSpellings[0];
}

// Only the states an entry or input can name: those with an input spelling.
bool Find(std::string_view DnsSpelling::*field, std::string_view name,
          DnsState* out) {
  for (const DnsSpelling& d : kDnsSpellings) {
    if (!d.input.empty() && parse_internal::EqualsIgnoreCase(name, d.*field)) {
      *out = d.state;
      return true;
    }
  }
  return false;
}

}  // namespace

std::string_view DnsStateEntryName(DnsState s) { return SpellingOf(s).entry; }
std::string_view DnsStateInputName(DnsState s) { return SpellingOf(s).input; }
bool DnsStateFromEntryName(std::string_view name, DnsState* out) {
  return Find(&DnsSpelling::entry, name, out);
}
bool DnsStateFromInputName(std::string_view name, DnsState* out) {
  return Find(&DnsSpelling::input, name, out);
}

std::string Diagnostic::ToString() const {
  return absl::StrCat(file, ":", loc.line, ":", loc.col, ": ", message);
}

}  // namespace hatmatch
