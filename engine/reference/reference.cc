// Copyright 2026 The hatmatch Authors.
//
// The reference classifier: a literal reading of HAT-RULES.md section 3.
// Keep it plain.  Speed is the compiled table's job; this file's job is to be
// obviously right, so that every fast structure can be judged against it.

#include "hatmatch/reference.h"

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "hatmatch/parse.h"

namespace hatmatch {
namespace {

bool HostMatches(const HostPattern& p, const Connection& c) {
  if (c.dns != DnsState::kVerified) return false;  // only verified names
  std::string name;
  if (!NormalizeHostname(c.ptr, /*allow_idna=*/false, &name)) return false;
  if (!p.partial) return name == p.name;
  return name.size() > p.name.size() + 1 && absl::EndsWith(name, p.name) &&
         name[name.size() - p.name.size() - 1] == '.';
}

bool ZoneListed(const DnsListZone& z, const Connection& c) {
  for (const std::string& listed : c.dnslists) {
    // Zones compare like hostnames: the one normalization of names.
    std::string n;
    if (NormalizeHostname(listed, /*allow_idna=*/false, &n) && n == z.zone) {
      return true;
    }
  }
  return false;
}

}  // namespace

bool EntryMatches(const Entry& entry, const Connection& conn) {
  const IpAddress addr = NormalizeEmbeddedIpv4(conn.address);
  const EntryValue& v = entry.value;
  if (auto* r = std::get_if<Ipv4Range>(&v)) {
    return addr.is_v4() && r->lo <= addr.v4() && addr.v4() <= r->hi;
  }
  if (auto* r = std::get_if<Ipv6Range>(&v)) {
    return !addr.is_v4() && r->lo <= addr.v6() && addr.v6() <= r->hi;
  }
  if (auto* h = std::get_if<HostPattern>(&v)) return HostMatches(*h, conn);
  if (auto* s = std::get_if<SbrsRange>(&v)) {
    return conn.sbrs.has_value() && s->lo <= *conn.sbrs && *conn.sbrs <= s->hi;
  }
  if (std::holds_alternative<SbrsNone>(v)) return !conn.sbrs.has_value();
  if (auto* o = std::get_if<OwnerId>(&v)) {
    return conn.sbo.has_value() && *conn.sbo == o->id;
  }
  if (auto* z = std::get_if<DnsListZone>(&v)) return ZoneListed(*z, conn);
  if (auto* d = std::get_if<DnsStateIs>(&v)) return conn.dns == d->state;
  return false;
}

Decision ReferenceClassifier::Classify(const Connection& conn) const {
  const auto& rules = rules_.rules();
  for (uint32_t r = 0; r < rules.size(); ++r) {
    const Action action = rules_.action_of(r);
    if (!CanDecide(action)) continue;
    if (rules[r].kind == RuleKind::kAll) return Decision{r, kNoEntry, action};
    for (uint32_t i = 0; i < rules[r].entry_count; ++i) {
      const uint32_t e = rules[r].first_entry + i;
      if (EntryMatches(rules_.entries()[e], conn)) {
        return Decision{r, e, action};
      }
    }
  }
  return Decision{};
}

std::vector<uint32_t> ReferenceClassifier::MatchingEntries(
    const Connection& conn) const {
  std::vector<uint32_t> out;
  const auto& entries = rules_.entries();
  for (uint32_t e = 0; e < entries.size(); ++e) {
    if (EntryMatches(entries[e], conn)) out.push_back(e);
  }
  return out;
}

DecisionDetail ReferenceClassifier::Detail(const Decision& d) const {
  return DetailFromRuleSet(rules_, d);
}

DecisionDetail DetailFromRuleSet(const RuleSet& rules, const Decision& d) {
  DecisionDetail out;
  out.file = rules.file();
  if (!d.matched() || d.rule >= rules.rules().size()) {
    out.rule_name = "-";
    return out;
  }
  const Rule& rule = rules.rules()[d.rule];
  const Policy& policy = rules.policy_of(rule);
  out.matched = true;
  out.rule_name = rule.name;
  out.action = policy.action;
  out.policy_name = policy.name;
  for (const PolicyParam& p : policy.params)
    out.params.emplace_back(p.key, p.value);
  out.rule_loc = rule.loc;
  if (d.entry != kNoEntry && d.entry < rules.entries().size()) {
    out.entry_text = rules.entries()[d.entry].text;
    out.entry_loc = rules.entries()[d.entry].loc;
  }
  return out;
}

}  // namespace hatmatch
