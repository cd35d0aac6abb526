// Copyright 2026 The hatmatch Authors.
//
// Table: compile a RuleSet into the per-dimension structures and answer
// lookups.  A decision is the minimum rule index over the dimensions that
// apply to the connection, and the ALL rule.

#include "hatmatch/table.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/table/table_impl.h"
#include "hatmatch/parse.h"
#include "hatmatch/reference.h"

namespace hatmatch {

Table::Table(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Table::~Table() = default;

absl::StatusOr<std::shared_ptr<const Table>> Table::Compile(
    const RuleSet& rules) {
  const auto t0 = std::chrono::steady_clock::now();
  auto impl = std::make_unique<Impl>();
  Impl& m = *impl;
  m.rules = rules;
  const auto& entries = rules.entries();
  const auto& rule_list = rules.rules();
  m.entry_rule.reserve(entries.size());
  for (const Entry& e : entries) m.entry_rule.push_back(e.rule);
  for (uint32_t r = 0; r < rule_list.size(); ++r) {
    m.rule_action.push_back(rules.action_of(r));
    if (rule_list[r].kind == RuleKind::kAll &&
        m.rule_action[r] != Action::kContinue && m.all_rule == kNoRule) {
      m.all_rule = r;
    }
  }

  std::vector<PrioritizedRange<uint32_t>> v4;
  std::vector<PrioritizedRange<Ipv6Addr>> v6;
  TableStats& st = m.stats;
  for (uint32_t e = 0; e < entries.size(); ++e) {
    if (m.rule_action[entries[e].rule] == Action::kContinue) continue;
    const EntryValue& v = entries[e].value;
    if (auto* r = std::get_if<Ipv4Range>(&v)) {
      v4.push_back({r->lo, r->hi, e});
      ++st.ipv4_entries;
    } else if (auto* r = std::get_if<Ipv6Range>(&v)) {
      v6.push_back({r->lo, r->hi, e});
      ++st.ipv6_entries;
    } else if (auto* h = std::get_if<HostPattern>(&v)) {
      auto& map = h->partial ? m.host_partial : m.host_exact;
      map.try_emplace(h->name, e);  // first (lowest) entry wins
      ++st.host_entries;
    }
  }
  m.v4_entries = BuildPriorityMap(std::move(v4));
  m.v6_entries = BuildPriorityMap(std::move(v6));
  auto to_rule = [&m](uint32_t e) { return m.entry_rule[e]; };
  m.v4_rules = Relabel(m.v4_entries, to_rule);
  m.v6_rules = Relabel(m.v6_entries, to_rule);
  m.criteria_data = BuildCriteria(rules);
  m.criteria = Criteria(m.criteria_data);

  st.rules = rule_list.size();
  st.entries = entries.size();
  st.ipv4_bytes = m.v4_rules.size() * 8;
  st.ipv6_bytes = m.v6_rules.size() * 20;
  st.side_bytes = m.v4_entries.size() * 8 + m.v6_entries.size() * 20;
  st.criteria_bytes = m.criteria.bytes();
  st.metadata_bytes = entries.size() * sizeof(uint32_t);
  st.compile_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
          .count();
  return std::shared_ptr<const Table>(new Table(std::move(impl)));
}

uint32_t Table::Impl::HostEntry(std::string_view raw) const {
  std::string name;
  if (!NormalizeHostname(raw, /*allow_idna=*/false, &name)) return kNoValue;
  uint32_t best = kNoValue;
  if (auto it = host_exact.find(name); it != host_exact.end()) {
    best = it->second;
  }
  for (size_t dot = name.find('.'); dot != std::string::npos;
       dot = name.find('.', dot + 1)) {
    if (auto it = host_partial.find(name.substr(dot + 1));
        it != host_partial.end()) {
      best = std::min(best, it->second);
    }
  }
  return best;
}

uint32_t Table::LookupIpv4(uint32_t addr) const {
  return impl_->v4_rules.Lookup(addr);
}
void Table::LookupIpv4Batch(std::span<const uint32_t> addrs,
                            std::span<uint32_t> rules) const {
  for (size_t i = 0; i < addrs.size(); ++i) rules[i] = LookupIpv4(addrs[i]);
}
uint32_t Table::LookupIpv6(const Ipv6Addr& addr) const {
  return impl_->v6_rules.Lookup(addr);
}
void Table::LookupIpv6Batch(std::span<const Ipv6Addr> addrs,
                            std::span<uint32_t> rules) const {
  for (size_t i = 0; i < addrs.size(); ++i) rules[i] = LookupIpv6(addrs[i]);
}
uint32_t Table::LookupHost(std::string_view name) const {
  return impl_->RuleOfEntry(impl_->HostEntry(name));
}

namespace {

// The address as the rules see it (see address.h on embedded IPv4).
IpAddress Effective(const IpAddress& a) {
  uint32_t v4;
  if (!a.is_v4() && Ipv6EmbedsIpv4(a.v6(), &v4)) return IpAddress::V4(v4);
  return a;
}

}  // namespace

Decision Table::Classify(const Connection& conn) const {
  const Impl& m = *impl_;
  const IpAddress a = Effective(conn.address);
  uint32_t best = m.all_rule;
  best = std::min(best, a.is_v4() ? LookupIpv4(a.v4()) : LookupIpv6(a.v6()));
  if (conn.dns == DnsState::kVerified) {
    best = std::min(best, m.RuleOfEntry(m.HostEntry(conn.ptr)));
  }
  best = std::min(best, m.RuleOfEntry(m.criteria.Lookup(conn)));
  if (best == kNoRule) return Decision{};
  return Decision{best, kNoEntry, m.rule_action[best]};
}

Decision Table::ClassifyWithEntry(const Connection& conn) const {
  Decision d = Classify(conn);
  if (!d.matched() || d.rule == impl_->all_rule) return d;
  const Impl& m = *impl_;
  const IpAddress a = Effective(conn.address);
  // The deciding entry is the lowest entry of the deciding rule that matches;
  // each dimension's side table gives its lowest matching entry.
  uint32_t candidates[3] = {
      a.is_v4() ? m.v4_entries.Lookup(a.v4()) : m.v6_entries.Lookup(a.v6()),
      conn.dns == DnsState::kVerified ? m.HostEntry(conn.ptr) : kNoValue,
      m.criteria.Lookup(conn)};
  for (uint32_t e : candidates) {
    if (e != kNoValue && m.entry_rule[e] == d.rule)
      d.entry = std::min(d.entry, e);
  }
  return d;
}

void Table::ClassifyBatch(std::span<const Connection> conns,
                          std::span<Decision> out) const {
  for (size_t i = 0; i < conns.size(); ++i) out[i] = Classify(conns[i]);
}

DecisionDetail Table::Detail(const Decision& d) const {
  return DetailFromRuleSet(impl_->rules, d);
}
size_t Table::rule_count() const { return impl_->rules.rules().size(); }
std::string_view Table::rule_name(uint32_t rule) const {
  return impl_->rules.rules()[rule].name;
}
Action Table::rule_action(uint32_t rule) const {
  return impl_->rule_action[rule];
}
TableStats Table::Stats() const { return impl_->stats; }

absl::StatusOr<std::shared_ptr<const Table>> Table::Open(const std::string&) {
  return absl::UnimplementedError("table files are not implemented yet");
}
absl::Status Table::Write(const std::string&) const {
  return absl::UnimplementedError("table files are not implemented yet");
}
bool Table::IsTableFile(const std::string&) { return false; }

}  // namespace hatmatch
