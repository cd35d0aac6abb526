// Copyright 2026 The hatmatch Authors.
//
// Table: answer lookups on the per-dimension structures.  A decision is the
// minimum rule index over the dimensions that apply to the connection, and
// the ALL rule.  Table::Compile is engine/compile/compile.cc; Open, Write
// and Serialize are engine/format/table_io.cc.

#include "hatmatch/table.h"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/table/table_impl.h"

namespace hatmatch {

Table::Table(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Table::~Table() = default;

Table::Impl::Impl() : v4(16, {}, {}, {}, {}), v6({}, {}, {}, {}, {}) {}

void Table::Impl::ComputeStats() {
  TableStats& st = stats;
  st.rules = meta.rules.size();
  st.entries = meta.entries.size();
  st.ipv4_entries = meta.info.ipv4_entries;
  st.ipv6_entries = meta.info.ipv6_entries;
  st.host_entries = meta.info.host_entries;
  st.ipv4_bytes = v4.bytes();
  st.ipv6_bytes = v6.bytes();
  st.host_bytes = hosts.bytes();
  st.criteria_bytes = criteria.bytes();
  st.side_bytes = entry_rule.size_bytes() + rule_action.size_bytes();
  st.metadata_bytes = meta.bytes();
}

uint32_t Table::LookupIpv4(uint32_t addr) const {
  return impl_->v4.Lookup(addr);
}
void Table::LookupIpv4Batch(std::span<const uint32_t> addrs,
                            std::span<uint32_t> rules) const {
  impl_->v4.LookupBatch(addrs.data(), rules.data(), addrs.size());
}
uint32_t Table::LookupIpv6(const Ipv6Addr& addr) const {
  return impl_->v6.Lookup(addr);
}
void Table::LookupIpv6Batch(std::span<const Ipv6Addr> addrs,
                            std::span<uint32_t> rules) const {
  impl_->v6.LookupBatch(addrs.data(), rules.data(), addrs.size());
}
uint32_t Table::LookupHost(std::string_view name) const {
  return impl_->RuleOfEntry(impl_->HostEntry(name));
}
void Table::LookupHostBatch(std::span<const std::string_view> names,
                            std::span<uint32_t> rules) const {
  const Impl& m = *impl_;
  m.hosts.LookupBatch(names.data(), rules.data(), names.size());
  for (size_t i = 0; i < names.size(); ++i) rules[i] = m.RuleOfEntry(rules[i]);
}

Decision Table::Classify(const Connection& conn) const {
  const Impl& m = *impl_;
  const IpAddress a = NormalizeEmbeddedIpv4(conn.address);
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
  const IpAddress a = NormalizeEmbeddedIpv4(conn.address);
  // The deciding entry is the lowest entry of the deciding rule that matches;
  // each dimension's side table gives its lowest matching entry.
  const Impl::SideTables& sides = m.Sides();
  uint32_t candidates[3] = {
      a.is_v4() ? sides.v4.Lookup(a.v4()) : sides.v6.Lookup(a.v6()),
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
  // Blocks of kBlock connections: gather each dimension's keys, run the
  // dimension's batched lookup (which keeps many independent loads in
  // flight), then take the minimum.  Stack buffers only: no allocation.
  constexpr size_t kBlock = 64;
  const Impl& m = *impl_;
  uint32_t v4_keys[kBlock], v4_rules[kBlock];
  Ipv6Addr v6_keys[kBlock];
  uint32_t v6_rules[kBlock];
  std::string_view names[kBlock];
  uint32_t host_entries[kBlock];
  uint16_t v4_at[kBlock], v6_at[kBlock], host_at[kBlock];
  for (size_t base = 0; base < conns.size(); base += kBlock) {
    const size_t n = std::min(kBlock, conns.size() - base);
    size_t n4 = 0, n6 = 0, nh = 0;
    for (size_t i = 0; i < n; ++i) {
      const Connection& c = conns[base + i];
      const IpAddress a = NormalizeEmbeddedIpv4(c.address);
      if (a.is_v4()) {
        v4_at[n4] = static_cast<uint16_t>(i);
        v4_keys[n4++] = a.v4();
      } else {
        v6_at[n6] = static_cast<uint16_t>(i);
        v6_keys[n6++] = a.v6();
      }
      if (c.dns == DnsState::kVerified) {
        host_at[nh] = static_cast<uint16_t>(i);
        names[nh++] = c.ptr;
      }
    }
    m.v4.LookupBatch(v4_keys, v4_rules, n4);
    m.v6.LookupBatch(v6_keys, v6_rules, n6);
    m.hosts.LookupBatch(names, host_entries, nh);
    uint32_t best[kBlock];
    for (size_t i = 0; i < n; ++i) {
      best[i] = std::min(m.all_rule,
                         m.RuleOfEntry(m.criteria.Lookup(conns[base + i])));
    }
    for (size_t j = 0; j < n4; ++j) {
      best[v4_at[j]] = std::min(best[v4_at[j]], v4_rules[j]);
    }
    for (size_t j = 0; j < n6; ++j) {
      best[v6_at[j]] = std::min(best[v6_at[j]], v6_rules[j]);
    }
    for (size_t j = 0; j < nh; ++j) {
      best[host_at[j]] =
          std::min(best[host_at[j]], m.RuleOfEntry(host_entries[j]));
    }
    for (size_t i = 0; i < n; ++i) {
      out[base + i] = best[i] == kNoRule
                          ? Decision{}
                          : Decision{best[i], kNoEntry, m.rule_action[best[i]]};
    }
  }
}

DecisionDetail Table::Detail(const Decision& d) const {
  return impl_->meta.Detail(d);
}
RuleSet Table::RestoreRuleSet() const { return impl_->meta.Restore(); }
size_t Table::rule_count() const { return impl_->meta.rules.size(); }
std::string_view Table::rule_name(uint32_t rule) const {
  return impl_->meta.Str(impl_->meta.rules[rule].name);
}
Action Table::rule_action(uint32_t rule) const {
  return impl_->rule_action[rule];
}
TableStats Table::Stats() const { return impl_->stats; }

}  // namespace hatmatch
