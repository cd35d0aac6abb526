// Copyright 2026 The hatmatch Authors.
//
// peer.h: what every implementation in the benchmark offers, and the two
// simple baselines.
//
// An implementation answers "which rule?" for a key: an IPv4 address, an
// IPv6 address or a hostname.  Each offers three ways to run over a span of
// keys, which the harness times separately:
//
//   Batch   its fastest API for many independent keys (DPDK bulk lookups,
//           hatmatch's LookupIpv4Batch, a prefetching loop, or a plain loop
//           when it has none).  Answers stay in the implementation's native
//           form (DPDK's flagged or 64-bit next hops, perhaps in a buffer of
//           its own): converting them would be a pass no application needs.
//           Decode() turns them into rule numbers, untimed, for the checks.
//   Single  its one-key API called once per key
//   Chain   one key at a time, each key depending on the previous answer,
//           so the time per key is the latency of one lookup
//
// The calls are virtual once per span, never per key: the per-key work
// happens inside each implementation's loop, where its lookup inlines.
//
// Baselines here:
//   LinearPeer  first-match scan over the entries in file order (how
//               Postfix `cidr:` tables and Exim host lists work).
//   SortedPeer  the disjoint priority-map segments + std::upper_bound.

#ifndef HATMATCH_BENCH_PEERS_PEER_H_
#define HATMATCH_BENCH_PEERS_PEER_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bench/bench_tables.h"
#include "engine/table/priority_map.h"
#include "hatmatch/address.h"

namespace hatmatch::bench {

template <class K>
class KeyPeer {
 public:
  virtual ~KeyPeer() = default;
  // Called once, untimed, with the traffic the benchmark will pass: a peer
  // whose native key format differs (DPDK's IPv6 byte arrays) converts it
  // here, as an application would receive keys in that format already.
  virtual void Prepare(std::span<const K> keys) { (void)keys; }
  virtual void Batch(std::span<const K> keys, std::span<uint32_t> out) const {
    Single(keys, out);
  }
  // Rewrites the answers of the last Batch call (out as passed to it) as
  // rule numbers, kNoValue for "no rule".
  virtual void Decode(std::span<uint32_t> out) const { (void)out; }
  virtual void Single(std::span<const K> keys,
                      std::span<uint32_t> out) const = 0;
  // `zero` is 0 at run time, unknown to the compiler: key i is perturbed by
  // (answer i-1) * zero, which orders the lookups without changing them.
  // Returns a checksum of the answers.
  virtual uint32_t Chain(std::span<const K> keys, uint32_t zero) const = 0;
  // Bytes of the lookup structure: what a lookup may touch.
  virtual size_t bytes() const = 0;
  // Bytes of everything the implementation keeps for this table (rule
  // copies, update structures such as DPDK's RIB, metadata, pool slack).
  virtual size_t table_bytes() const { return bytes(); }
};

using Ipv4Peer = KeyPeer<uint32_t>;
using Ipv6Peer = KeyPeer<Ipv6Addr>;
using HostPeer = KeyPeer<std::string_view>;

// Perturbs a key by a value the optimizer cannot see is zero.
inline uint32_t Perturb(uint32_t key, uint32_t dep) { return key ^ dep; }
inline Ipv6Addr Perturb(Ipv6Addr key, uint32_t dep) {
  key.lo ^= dep;
  return key;
}
inline std::string_view Perturb(std::string_view key, uint32_t dep) {
  return key.substr(dep);
}

// CRTP helper: Single and Chain from one inline `uint32_t Find(K) const`.
template <class K, class Derived>
class ScalarPeer : public KeyPeer<K> {
 public:
  void Single(std::span<const K> keys, std::span<uint32_t> out) const final {
    const Derived& d = static_cast<const Derived&>(*this);
    for (size_t i = 0; i < keys.size(); ++i) out[i] = d.Find(keys[i]);
  }
  uint32_t Chain(std::span<const K> keys, uint32_t zero) const final {
    const Derived& d = static_cast<const Derived&>(*this);
    uint32_t r = 0, sum = 0;
    for (const K& k : keys) {
      r = d.Find(Perturb(k, r * zero));
      sum += r;
    }
    return sum;
  }
};

template <class K>
class LinearPeer final : public ScalarPeer<K, LinearPeer<K>> {
 public:
  explicit LinearPeer(const std::vector<RangeRule<K>>& ranges)
      : ranges_(ranges) {}
  uint32_t Find(const K& k) const {
    for (const RangeRule<K>& r : ranges_) {
      if (r.lo <= k && k <= r.hi) return r.rule;
    }
    return kNoValue;
  }
  size_t bytes() const override {
    return ranges_.capacity() * sizeof(RangeRule<K>);
  }

 private:
  std::vector<RangeRule<K>> ranges_;
};

template <class K>
class SortedPeer final : public ScalarPeer<K, SortedPeer<K>> {
 public:
  explicit SortedPeer(const IntervalMap<K>& map)
      : starts_(map.starts), values_(map.values) {}
  uint32_t Find(const K& k) const {
    const size_t i = static_cast<size_t>(
        std::upper_bound(starts_.begin(), starts_.end(), k) - starts_.begin());
    return values_[i - 1];
  }
  size_t bytes() const override {
    return starts_.capacity() * sizeof(K) +
           values_.capacity() * sizeof(uint32_t);
  }

 private:
  std::vector<K> starts_;
  std::vector<uint32_t> values_;
};

class LinearHostPeer final
    : public ScalarPeer<std::string_view, LinearHostPeer> {
 public:
  explicit LinearHostPeer(const std::vector<HostRule>& hosts) : hosts_(hosts) {}
  uint32_t Find(std::string_view name) const {
    return HostRuleScan(hosts_, name);
  }
  size_t bytes() const override;

 private:
  std::vector<HostRule> hosts_;
};

}  // namespace hatmatch::bench

#endif  // HATMATCH_BENCH_PEERS_PEER_H_
