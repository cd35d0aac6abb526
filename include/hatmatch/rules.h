// Copyright 2026 The hatmatch Authors.
//
// rules.h: the parsed, immutable form of a HAT rule file (a RuleSet).
//
// A RuleSet is what the parser (parse.h) produces and what everything else
// consumes: the reference classifier (reference.h), the compiler (table.h),
// and the analyses (analysis.h).  It holds, in file order:
//
//   policies()  every policy: the named `$NAME` definitions first, then one
//               anonymous policy per inline action (`REJECT (comment)`).
//   rules()     sender groups, anonymous rules and `ALL`, top to bottom.
//   entries()   every sender entry of every rule, in file order.  Rule i owns
//               entries [rule.first_entry, rule.first_entry + entry_count).
//
// Because entries are numbered in file order, "the first rule that matches,
// and its first matching entry" is simply the matching entry with the lowest
// index.  Compiled tables rely on this: each dimension (IPv4, IPv6, hostname,
// criteria) yields its lowest matching entry and the decision is the minimum.
//
// Entry values are normalized at parse time: IPv4 forms become one inclusive
// range, IPv6 forms one inclusive range, hostnames are lowercase A-labels
// without leading or trailing dot, DNS-list zones likewise.

#ifndef HATMATCH_RULES_H_
#define HATMATCH_RULES_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "hatmatch/address.h"
#include "hatmatch/export.h"

namespace hatmatch {

enum class Action : uint8_t {
  kAccept,
  kReject,
  kTcpRefuse,
  kRelay,
  kContinue,
};
HATMATCH_EXPORT std::string_view ActionName(
    Action a);  // "ACCEPT", "REJECT", ...

// Outcome of the gateway's PTR verification, as passed in by the caller.
enum class DnsState : uint8_t {
  kUnknown,   // nothing was said (no ptr=, no dns=)
  kVerified,  // PTR found and forward lookup agrees: the PTR name is usable
  kNxDomain,  // no PTR record                        (entry `nx.domain`)
  kServFail,  // PTR lookup failed temporarily         (entry `serv.fail`)
  kMismatch,  // PTR name does not resolve back        (`not.double.verified`)
};
inline constexpr size_t kDnsStateCount = 5;

// The spellings of the DNS states, each written once (engine/parse/rules.cc):
//   DnsStateEntryName   the rule-file entry: "nx.domain", "serv.fail",
//                       "not.double.verified"; "verified" and "unknown" for
//                       the states no entry names.
//   DnsStateInputName   the connection input field dns=: "nx",
//                       "servfail", "mismatch"; "" for the states it cannot
//                       say (verified comes with ptr=, unknown is silence).
std::string_view DnsStateEntryName(DnsState s);
std::string_view DnsStateInputName(DnsState s);
// The state an entry or input spelling names (case-insensitive), if any.
bool DnsStateFromEntryName(std::string_view name, DnsState* out);
bool DnsStateFromInputName(std::string_view name, DnsState* out);

// Whether a rule with this action can decide a connection.  A CONTINUE
// rule never does: its match is noted and the walk goes on.  Every
// classifier, compiler and analysis asks this one function.
constexpr bool CanDecide(Action a) { return a != Action::kContinue; }

struct SourceLoc {
  uint32_t line = 0;  // 1-based
  uint32_t col = 0;   // 1-based, in bytes
};

// One `key = value` line of a policy block.  Kept verbatim, in order.
struct PolicyParam {
  std::string key;    // lowercase
  std::string value;  // integer text, or the unquoted string
  bool quoted = false;
};

struct Policy {
  std::string name;  // without `$`; empty for an inline (anonymous) action
  Action action = Action::kAccept;
  std::vector<PolicyParam> params;
  SourceLoc loc;
};

// --- Entry values -----------------------------------------------------------

struct Ipv4Range {  // inclusive
  uint32_t lo = 0, hi = 0;
};
struct Ipv6Range {  // inclusive
  Ipv6Addr lo, hi;
};
struct HostPattern {
  std::string name;      // normalized: lowercase A-label, no dots at the ends
  bool partial = false;  // `.example.com`: strictly below example.com
};
struct SbrsRange {  // inclusive, -10 <= lo <= hi <= 10
  double lo = 0, hi = 0;
};
struct SbrsNone {};  // `sbrs[none]`
struct OwnerId {     // `SBO:12345`
  uint64_t id = 0;
};
struct DnsListZone {  // `dnslist[zone]`
  std::string zone;   // normalized like a hostname
};
struct DnsStateIs {  // nx.domain / serv.fail / not.double.verified
  DnsState state = DnsState::kNxDomain;
};

using EntryValue = std::variant<Ipv4Range, Ipv6Range, HostPattern, SbrsRange,
                                SbrsNone, OwnerId, DnsListZone, DnsStateIs>;

struct Entry {
  EntryValue value;
  std::string text;  // as written in the file, blanks trimmed
  SourceLoc loc;
  uint32_t rule = 0;  // index of the owning rule
};

enum class RuleKind : uint8_t { kGroup, kAnonymous, kAll };

struct Rule {
  std::string name;  // group name, or the anonymous rule's line, or "ALL"
  RuleKind kind = RuleKind::kGroup;
  uint32_t policy = 0;  // index into RuleSet::policies()
  uint32_t first_entry = 0;
  uint32_t entry_count = 0;
  std::string comment;  // the `(free comment)` of the policy line, if any
  SourceLoc loc;        // the header line
};

// A non-fatal finding of the parser (for example a CIDR with host bits set).
struct HATMATCH_EXPORT Diagnostic {
  std::string file;
  SourceLoc loc;
  std::string message;
  std::string ToString() const;  // "file:line:col: message"
};

class RuleSet {
 public:
  RuleSet() = default;
  RuleSet(std::string file, std::vector<Policy> policies,
          std::vector<Rule> rules, std::vector<Entry> entries,
          std::vector<Diagnostic> warnings = {})
      : file_(std::move(file)),
        policies_(std::move(policies)),
        rules_(std::move(rules)),
        entries_(std::move(entries)),
        warnings_(std::move(warnings)) {}

  const std::string& file() const { return file_; }
  const std::vector<Policy>& policies() const { return policies_; }
  const std::vector<Rule>& rules() const { return rules_; }
  const std::vector<Entry>& entries() const { return entries_; }
  const std::vector<Diagnostic>& warnings() const { return warnings_; }

  const Policy& policy_of(const Rule& r) const { return policies_[r.policy]; }
  Action action_of(uint32_t rule) const {
    return policies_[rules_[rule].policy].action;
  }
  // CanDecide() of the rule's action.
  bool can_decide(uint32_t rule) const { return CanDecide(action_of(rule)); }

 private:
  std::string file_;
  std::vector<Policy> policies_;
  std::vector<Rule> rules_;
  std::vector<Entry> entries_;
  std::vector<Diagnostic> warnings_;
};

}  // namespace hatmatch

#endif  // HATMATCH_RULES_H_
