// Copyright 2026 The hatmatch Authors.
//
// classify_block.h: the table's classifier, written once over a connection
// *accessor*, so that a caller holding connections in another shape (the C
// API's hatmatch_conn array) classifies them where they lie: no conversion
// into hatmatch::Connection, no scratch copies, no second pass for the PTR
// names.  Table::Classify, ClassifyWithEntry and ClassifyBatch instantiate
// it over Connection (ConnectionRefs below); engine/capi over hatmatch_conn.
// Internal.
//
// An accessor A is a small value (a pointer, passed by value: no copy of it
// in memory on the call path) that answers, for the index i of one of its
// connections:
//
//   bool valid(i)              false: the connection must not be classified
//                              (the batch stops and reports it); checked
//                              once per connection, before any other call
//   IpAddress address(i)       normalized: an IPv6 spelling of an IPv4 host
//                              is that IPv4 host (NormalizeEmbeddedIpv4)
//   string_view verified_name(i)  the PTR name when the DNS state is
//                              verified, else empty (an empty name matches
//                              no host entry either way)
//   DnsState dns(i)            within kDnsStateCount
//   const double* sbrs(i)      the score, nullptr for none
//   const uint64_t* sbo(i)     the owner id, nullptr for none
//   size_t zone_count(i), string_view zone(i, k)   the DNS-list zones
//
// The criteria read the same accessor (Criteria::Lookup in criteria.h).

#ifndef HATMATCH_ENGINE_TABLE_CLASSIFY_BLOCK_H_
#define HATMATCH_ENGINE_TABLE_CLASSIFY_BLOCK_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "engine/table/table_impl.h"
#include "hatmatch/address.h"
#include "hatmatch/connection.h"
#include "hatmatch/decision.h"

namespace hatmatch {

// The accessor over an array of hatmatch::Connection.
class ConnectionRefs {
 public:
  explicit ConnectionRefs(const Connection* conns) : c_(conns) {}
  static constexpr bool valid(size_t) { return true; }
  IpAddress address(size_t i) const {
    return NormalizeEmbeddedIpv4(c_[i].address);
  }
  std::string_view verified_name(size_t i) const {
    return c_[i].dns == DnsState::kVerified ? std::string_view(c_[i].ptr)
                                            : std::string_view();
  }
  DnsState dns(size_t i) const { return c_[i].dns; }
  const double* sbrs(size_t i) const {
    return c_[i].sbrs.has_value() ? &*c_[i].sbrs : nullptr;
  }
  const uint64_t* sbo(size_t i) const {
    return c_[i].sbo.has_value() ? &*c_[i].sbo : nullptr;
  }
  size_t zone_count(size_t i) const { return c_[i].dnslists.size(); }
  std::string_view zone(size_t i, size_t k) const { return c_[i].dnslists[k]; }

 private:
  const Connection* c_;
};

inline Decision DecisionOfRule(const Table::Impl& m, uint32_t rule) {
  return rule == kNoRule ? Decision{}
                         : Decision{rule, kNoEntry, m.rule_action[rule]};
}

// Connection i, which the caller has checked with a.valid(i); entry is left
// kNoEntry.
template <class A>
Decision ClassifyConnection(const Table::Impl& m, A a, size_t i) {
  const IpAddress addr = a.address(i);
  uint32_t best = m.all_rule;
  best = std::min(
      best, addr.is_v4() ? m.v4.Lookup(addr.v4()) : m.v6.Lookup(addr.v6()));
  const std::string_view name = a.verified_name(i);
  if (!name.empty()) best = std::min(best, m.RuleOfEntry(m.HostEntry(name)));
  best = std::min(best, m.RuleOfEntry(m.criteria.Lookup(a, i)));
  return DecisionOfRule(m, best);
}

// The same, plus the deciding entry: the lowest entry of the deciding rule
// that matches, each dimension's side table giving its lowest matching
// entry.
template <class A>
Decision ClassifyConnectionWithEntry(const Table::Impl& m, A a, size_t i) {
  Decision d = ClassifyConnection(m, a, i);
  if (!d.matched() || d.rule == m.all_rule) return d;
  const IpAddress addr = a.address(i);
  const std::string_view name = a.verified_name(i);
  // The IP side tables are built on the first call (Table::Impl::Sides).
  const Table::Impl::SideTables& sides = m.Sides();
  const uint32_t candidates[3] = {
      addr.is_v4() ? sides.v4.Lookup(addr.v4()) : sides.v6.Lookup(addr.v6()),
      name.empty() ? kNoValue : m.HostEntry(name), m.criteria.Lookup(a, i)};
  for (uint32_t e : candidates) {
    if (e != kNoValue && m.entry_rule[e] == d.rule) {
      d.entry = std::min(d.entry, e);
    }
  }
  return d;
}

// Classifies connections [0, count) of `a`, handing each decision (entry
// left kNoEntry) to put(i, decision).  Blocks of kBlock connections: one
// pass reads the block's connections and gathers each dimension's keys,
// each dimension's batched lookup then keeps many independent loads in
// flight, and the minimum is taken last.  Stack buffers only: no
// allocation.  Returns false, having stopped at the block of the first
// connection that is not valid (earlier blocks are put), when there is one.
template <class A, class Put>
bool ClassifyConnections(const Table::Impl& m, A a, size_t count, Put&& put) {
  constexpr size_t kBlock = 64;
  uint32_t v4_keys[kBlock], v4_rules[kBlock];
  Ipv6Addr v6_keys[kBlock];
  uint32_t v6_rules[kBlock];
  std::string_view names[kBlock];
  uint32_t host_entries[kBlock];
  uint16_t v4_at[kBlock], v6_at[kBlock], host_at[kBlock];
  uint32_t best[kBlock];
  for (size_t base = 0; base < count; base += kBlock) {
    const size_t n = std::min(kBlock, count - base);
    size_t n4 = 0, n6 = 0, nh = 0;
    for (size_t i = 0; i < n; ++i) {
      if (!a.valid(base + i)) return false;
      const IpAddress addr = a.address(base + i);
      if (addr.is_v4()) {
        v4_at[n4] = static_cast<uint16_t>(i);
        v4_keys[n4++] = addr.v4();
      } else {
        v6_at[n6] = static_cast<uint16_t>(i);
        v6_keys[n6++] = addr.v6();
      }
      const std::string_view name = a.verified_name(base + i);
      if (!name.empty()) {
        host_at[nh] = static_cast<uint16_t>(i);
        names[nh++] = name;
      }
    }
    m.v4.LookupBatch(v4_keys, v4_rules, n4);
    m.v6.LookupBatch(v6_keys, v6_rules, n6);
    m.hosts.LookupBatch(names, host_entries, nh);
    for (size_t i = 0; i < n; ++i) {
      best[i] =
          std::min(m.all_rule, m.RuleOfEntry(m.criteria.Lookup(a, base + i)));
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
    for (size_t i = 0; i < n; ++i) put(base + i, DecisionOfRule(m, best[i]));
  }
  return true;
}

}  // namespace hatmatch

#endif  // HATMATCH_ENGINE_TABLE_CLASSIFY_BLOCK_H_
