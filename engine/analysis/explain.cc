// Copyright 2026 The hatmatch Authors.
//
// Explain: the reference classifier's decision, told in full.  Everything
// here is read off the entries that match (ExplainIndex, which finds exactly
// the entries EntryMatches accepts, as ReferenceClassifier::MatchingEntries
// does, without testing the others), and the decision is the reference
// classifier's rule read off that list, so the story cannot drift from what
// the classifier does.

#include <cctype>
#include <cstdint>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "engine/analysis/explain_index.h"
#include "engine/analysis/maps.h"
#include "engine/base/enum_name.h"
#include "engine/base/json.h"
#include "fmt/format.h"
#include "hatmatch/analysis.h"
#include "hatmatch/parse.h"

namespace hatmatch {
namespace {

struct EntryCounts {
  size_t v6 = 0, host = 0, dns_state = 0, sbrs_range = 0;
};

EntryCounts CountEntries(const RuleSet& rules) {
  EntryCounts c;
  for (const Entry& e : rules.entries()) {
    if (std::holds_alternative<Ipv6Range>(e.value)) ++c.v6;
    if (std::holds_alternative<HostPattern>(e.value)) ++c.host;
    if (std::holds_alternative<DnsStateIs>(e.value)) ++c.dns_state;
    if (std::holds_alternative<SbrsRange>(e.value)) ++c.sbrs_range;
  }
  return c;
}

std::string Plural(size_t n, std::string_view what) {
  return fmt::format("{} {}{}", n, what, n == 1 ? "" : "s");
}

// "the 1 IPv6 entry was", "the 3 hostname entries were".
std::string TheEntriesWere(size_t n, std::string_view one,
                           std::string_view many) {
  return n == 1 ? fmt::format("the 1 {} was", one)
                : fmt::format("the {} {} were", n, many);
}

// An IPv6 spelling of an IPv4 host: the IPv6 entries do not apply.
void IgnoreMappedAddress(const Connection& conn, std::string_view address_text,
                         const EntryCounts& n, std::vector<IgnoredInput>* out) {
  uint32_t v4 = conn.address.v4();
  const bool mapped = conn.address.is_v4()
                          ? address_text.find(':') != std::string_view::npos
                          : Ipv6EmbedsIpv4(conn.address.v6(), &v4);
  if (!mapped) return;
  const std::string as_written = address_text.empty()
                                     ? FormatIpAddress(conn.address)
                                     : std::string(address_text);
  out->push_back(
      {IgnoredReason::kMappedIpv4, as_written,
       fmt::format("{} is the IPv4 host {}: only IPv4 entries apply, so {} "
                   "not consulted",
                   as_written, FormatIpv4(v4),
                   TheEntriesWere(n.v6, "IPv6 entry", "IPv6 entries")),
       n.v6});
}

// What the DNS inputs (ptr=, dns=) leave unconsulted.
void IgnoreDnsInputs(const Connection& conn, const EntryCounts& n,
                     std::vector<IgnoredInput>* out) {
  const std::string hosts =
      TheEntriesWere(n.host, "hostname entry", "hostname entries");
  switch (conn.dns) {
    case DnsState::kUnknown:
      if (n.host + n.dns_state > 0) {
        out->push_back(
            {IgnoredReason::kNoDnsInfo, "ptr=/dns=",
             fmt::format("no ptr= and no dns= given: nothing is known about "
                         "reverse DNS, so {} not consulted and {} ({}, {}, {}) "
                         "cannot match",
                         hosts, Plural(n.dns_state, "DNS-state entry"),
                         DnsStateEntryName(DnsState::kNxDomain),
                         DnsStateEntryName(DnsState::kServFail),
                         DnsStateEntryName(DnsState::kMismatch)),
             n.host + n.dns_state});
      }
      return;
    case DnsState::kVerified: {
      std::string name;
      if (!NormalizeHostname(conn.ptr, /*allow_idna=*/false, &name)) {
        out->push_back(
            {IgnoredReason::kPtrInvalid, "ptr=" + conn.ptr,
             fmt::format("ptr={} is not a valid hostname, so it matches none "
                         "of the {}",
                         conn.ptr, Plural(n.host, "hostname entry")),
             n.host});
      }
      return;
    }
    default:
      break;
  }
  const std::string field = fmt::format("dns={}", DnsStateInputName(conn.dns));
  if (!conn.ptr.empty()) {
    out->push_back(
        {IgnoredReason::kPtrNotVerified, "ptr=" + conn.ptr,
         fmt::format("ptr={} not used: {} says PTR verification failed, "
                     "so the name is not trusted and {} not consulted",
                     conn.ptr, field, hosts),
         n.host});
  } else if (n.host > 0) {
    out->push_back({IgnoredReason::kPtrNotVerified, field,
                    fmt::format("{}: PTR verification failed, so there is no "
                                "verified name and {} not consulted",
                                field, hosts),
                    n.host});
  }
}

// dnslist= zones that no entry names.
void IgnoreUnusedDnsLists(const analysis::ExplainIndex& index,
                          const Connection& conn,
                          std::vector<IgnoredInput>* out) {
  for (const std::string& listed : conn.dnslists) {
    std::string zone;  // zones compare like hostnames
    if (NormalizeHostname(listed, /*allow_idna=*/false, &zone) &&
        index.NamesZone(zone)) {
      continue;
    }
    out->push_back({IgnoredReason::kUnusedDnsList, "dnslist=" + listed,
                    fmt::format("dnslist={}: no dnslist[] entry names this "
                                "zone",
                                listed),
                    0});
  }
}

std::vector<IgnoredInput> IgnoredInputs(const EntryCounts& n,
                                        const analysis::ExplainIndex& index,
                                        const Connection& conn,
                                        std::string_view address_text) {
  std::vector<IgnoredInput> out;
  IgnoreMappedAddress(conn, address_text, n, &out);
  IgnoreDnsInputs(conn, n, &out);
  if (!conn.sbrs.has_value() && n.sbrs_range > 0) {
    out.push_back({IgnoredReason::kNoSbrs, "sbrs=",
                   fmt::format("no score (no sbrs= or sbrs=none): the {} "
                               "cannot match; sbrs[none] entries can",
                               Plural(n.sbrs_range, "sbrs range")),
                   n.sbrs_range});
  }
  IgnoreUnusedDnsLists(index, conn, &out);
  return out;
}

std::string Loc(const RuleSet& rules, SourceLoc loc) {
  return fmt::format("{}:{}:{}", rules.file(), loc.line, loc.col);
}

std::string RuleLabel(const RuleSet& rules, uint32_t r) {
  return fmt::format("{} {}", rules.rules()[r].name,
                     ActionName(rules.action_of(r)));
}

// Why a matching entry did not decide, as a phrase.
std::string Why(const RuleSet& rules, const Explanation& ex,
                const ExplainedMatch& m) {
  switch (m.role) {
    case MatchRole::kDecided:
      return "decided";
    case MatchRole::kContinue:
      return "its policy is CONTINUE, which never decides";
    case MatchRole::kSameRuleEarlier:
      return fmt::format("same rule; an earlier entry of it (line {}) decided",
                         rules.entries()[ex.decision.entry].loc.line);
    case MatchRole::kEarlierRuleWon:
      return fmt::format("an earlier rule decided: {} (line {})",
                         rules.rules()[ex.decision.rule].name,
                         rules.rules()[ex.decision.rule].loc.line);
  }
  return "";
}

}  // namespace

std::string_view MatchRoleName(MatchRole r) {
  static constexpr std::string_view kNames[] = {
      "decided", "same-rule-earlier-entry", "earlier-rule-won", "continue"};
  static_assert(std::size(kNames) ==
                static_cast<size_t>(MatchRole::kContinue) + 1);
  return EnumName(r, kNames);
}

std::string_view IgnoredReasonName(IgnoredReason r) {
  static constexpr std::string_view kNames[] = {
      "no-dns-info", "ptr-not-verified", "ptr-invalid",
      "ipv4-mapped", "no-sbrs",          "dnslist-unused"};
  static_assert(std::size(kNames) ==
                static_cast<size_t>(IgnoredReason::kUnusedDnsList) + 1);
  return EnumName(r, kNames);
}

// Everything an explanation needs that depends on the rule set alone.
struct Explainer::Index {
  explicit Index(const RuleSet& rules)
      : matching(rules), counts(CountEntries(rules)) {
    for (uint32_t r = 0; r < rules.rules().size(); ++r) {
      if (rules.rules()[r].kind == RuleKind::kAll) all_rules.push_back(r);
    }
  }
  analysis::ExplainIndex matching;
  EntryCounts counts;
  std::vector<uint32_t> all_rules;  // ALL: no entries, matches everything
};

Explainer::Explainer(const RuleSet& rules)
    : rules_(rules), index_(std::make_unique<const Index>(rules)) {}

Explainer::~Explainer() = default;

size_t Explainer::work() const { return index_->matching.work(); }

Explanation Explainer::Explain(const Connection& conn,
                               std::string_view address_text) const {
  const RuleSet& rules = rules_;
  Explanation ex;
  const std::vector<uint32_t> entries = index_->matching.MatchingEntries(conn);
  // ReferenceClassifier::Classify, read off the matches: the first rule that
  // can decide and has a matching entry (its first one) or is ALL.
  for (uint32_t e : entries) {
    const uint32_t r = rules.entries()[e].rule;
    if (rules.can_decide(r)) {
      ex.decision = Decision{r, e, rules.action_of(r)};
      break;
    }
  }
  for (uint32_t r : index_->all_rules) {
    if (ex.decision.matched() && ex.decision.rule < r) break;
    if (rules.can_decide(r)) {
      ex.decision = Decision{r, kNoEntry, rules.action_of(r)};
      break;
    }
  }
  auto role_of = [&](uint32_t rule, uint32_t entry) {
    if (!rules.can_decide(rule)) return MatchRole::kContinue;
    if (rule == ex.decision.rule) {
      return entry == ex.decision.entry ? MatchRole::kDecided
                                        : MatchRole::kSameRuleEarlier;
    }
    return MatchRole::kEarlierRuleWon;
  };
  // Merge the ALL rules into the file-ordered list of matching entries.
  size_t next = 0;
  auto entries_before = [&](uint32_t rule_end) {
    while (next < entries.size() &&
           rules.entries()[entries[next]].rule < rule_end) {
      const uint32_t e = entries[next++];
      const uint32_t r = rules.entries()[e].rule;
      ex.matches.push_back({r, e, role_of(r, e)});
    }
  };
  for (uint32_t r : index_->all_rules) {
    entries_before(r);
    ex.matches.push_back({r, kNoEntry, role_of(r, kNoEntry)});
  }
  entries_before(static_cast<uint32_t>(rules.rules().size()));
  ex.ignored =
      IgnoredInputs(index_->counts, index_->matching, conn, address_text);
  return ex;
}

Explanation Explain(const RuleSet& rules, const Connection& conn,
                    std::string_view address_text) {
  return Explainer(rules).Explain(conn, address_text);
}

std::string FormatConnection(const Connection& conn) {
  std::string s = FormatIpAddress(conn.address);
  if (conn.dns != DnsState::kUnknown && conn.dns != DnsState::kVerified) {
    s += fmt::format(" dns={}", DnsStateInputName(conn.dns));
  }
  if (!conn.ptr.empty()) s += " ptr=" + conn.ptr;
  if (conn.sbrs) s += " sbrs=" + analysis::FormatScore(*conn.sbrs);
  if (conn.sbo) s += fmt::format(" sbo={}", *conn.sbo);
  if (!conn.dnslists.empty()) {
    s += " dnslist=";
    for (size_t i = 0; i < conn.dnslists.size(); ++i) {
      if (i) s += ',';
      s += conn.dnslists[i];
    }
  }
  return s;
}

std::string ExplanationText(const RuleSet& rules, const Connection& conn,
                            const Explanation& ex) {
  std::string out = fmt::format("connection: {}\n", FormatConnection(conn));
  const Decision& d = ex.decision;
  if (!d.matched()) {
    out += "decision: no match (- -)\n";
    out +=
        "  no rule that can decide matched, and there is no ALL rule that "
        "can decide\n";
  } else {
    const Rule& rule = rules.rules()[d.rule];
    const Policy& policy = rules.policy_of(rule);
    out += fmt::format("decision: {}", RuleLabel(rules, d.rule));
    if (!policy.name.empty()) out += fmt::format(" (policy ${})", policy.name);
    out += '\n';
    if (d.entry != kNoEntry) {
      const Entry& e = rules.entries()[d.entry];
      out +=
          fmt::format("  decided by entry `{}` at {} in rule {} ({})\n", e.text,
                      Loc(rules, e.loc), rule.name, Loc(rules, rule.loc));
    } else {
      out += fmt::format(
          "  decided by ALL at {}: no entry of an earlier rule that can "
          "decide matched\n",
          Loc(rules, rule.loc));
    }
  }
  bool header = false;
  for (const ExplainedMatch& m : ex.matches) {
    if (m.role == MatchRole::kDecided) continue;
    if (!header) out += "other matches:\n";
    header = true;
    const Rule& rule = rules.rules()[m.rule];
    if (m.entry == kNoEntry) {
      out +=
          fmt::format("  {}: ALL ({}): {}\n", Loc(rules, rule.loc),
                      ActionName(rules.action_of(m.rule)), Why(rules, ex, m));
    } else {
      const Entry& e = rules.entries()[m.entry];
      out += fmt::format("  {}: `{}` in {} ({}): {}\n", Loc(rules, e.loc),
                         e.text, rule.name, ActionName(rules.action_of(m.rule)),
                         Why(rules, ex, m));
    }
  }
  if (!header) out += "other matches: none\n";
  if (!ex.ignored.empty()) {
    out += "ignored inputs:\n";
    for (const IgnoredInput& i : ex.ignored) {
      out += fmt::format("  [{}] {}\n", IgnoredReasonName(i.reason), i.message);
    }
  }
  return out;
}

std::string ExplanationJson(const RuleSet& rules, const Connection& conn,
                            const Explanation& ex) {
  std::string out = "{\"connection\":";
  AppendJson(FormatConnection(conn), &out);
  out += ",\"file\":";
  AppendJson(rules.file(), &out);
  auto append_rule_entry = [&](uint32_t r, uint32_t e) {
    const Rule& rule = rules.rules()[r];
    out += "\"rule\":";
    AppendJson(rule.name, &out);
    out += ",\"action\":";
    AppendJson(ActionName(rules.action_of(r)), &out);
    out += ",\"policy\":";
    AppendJson(rules.policy_of(rule).name, &out);
    out += fmt::format(",\"rule_line\":{}", rule.loc.line);
    if (e == kNoEntry) {
      out += ",\"entry\":null";
    } else {
      const Entry& en = rules.entries()[e];
      out += ",\"entry\":";
      AppendJson(en.text, &out);
      out += fmt::format(",\"line\":{},\"col\":{}", en.loc.line, en.loc.col);
    }
  };
  out += ",\"decision\":";
  if (ex.decision.matched()) {
    out += '{';
    append_rule_entry(ex.decision.rule, ex.decision.entry);
    out += '}';
  } else {
    out += "null";
  }
  out += ",\"matches\":[";
  for (size_t i = 0; i < ex.matches.size(); ++i) {
    const ExplainedMatch& m = ex.matches[i];
    out += i ? ",{" : "{";
    append_rule_entry(m.rule, m.entry);
    out += ",\"role\":";
    AppendJson(MatchRoleName(m.role), &out);
    out += ",\"why\":";
    AppendJson(Why(rules, ex, m), &out);
    out += '}';
  }
  out += "],\"ignored\":[";
  for (size_t i = 0; i < ex.ignored.size(); ++i) {
    const IgnoredInput& ig = ex.ignored[i];
    out += i ? ",{\"reason\":" : "{\"reason\":";
    AppendJson(IgnoredReasonName(ig.reason), &out);
    out += ",\"input\":";
    AppendJson(ig.input, &out);
    out += fmt::format(",\"entries\":{},\"message\":", ig.entries);
    AppendJson(ig.message, &out);
    out += '}';
  }
  out += "]}";
  return out;
}

}  // namespace hatmatch
