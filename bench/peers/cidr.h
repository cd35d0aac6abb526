// Copyright 2026 The hatmatch Authors.
//
// cidr.h: splitting an inclusive address range into maximal CIDR blocks.
//
// Longest-prefix-match structures (DPDK rte_lpm, rte_fib, rte_lpm6) take
// prefixes, not ranges.  Fed the disjoint segments of a priority map split
// this way, with the rule as next hop, LPM returns exactly the priority map's
// answer: the blocks do not overlap, so "longest" never has to choose.
// A range yields at most 2 * (bits - 1) blocks.  Depth 0 (the whole space)
// comes out as two blocks of depth 1, since LPM tables start at depth 1.

#ifndef HATMATCH_BENCH_PEERS_CIDR_H_
#define HATMATCH_BENCH_PEERS_CIDR_H_

#include <bit>
#include <cstdint>

#include "hatmatch/address.h"

namespace hatmatch::bench {

// f(uint32_t base, int depth) for each block of [lo, hi], ascending.
template <class F>
void ForEachCidr4(uint32_t lo, uint32_t hi, F f) {
  uint64_t a = lo;
  const uint64_t end = uint64_t{hi} + 1;
  while (a < end) {
    int bits = a == 0 ? 32 : std::countr_zero(static_cast<uint32_t>(a));
    while ((uint64_t{1} << bits) > end - a) --bits;
    if (bits == 32) {
      f(uint32_t{0}, 1);
      f(uint32_t{0x80000000}, 1);
    } else {
      f(static_cast<uint32_t>(a), 32 - bits);
    }
    a += uint64_t{1} << bits;
  }
}

// f(unsigned __int128 base, int depth) for each block of [lo, hi].
template <class F>
void ForEachCidr6(const Ipv6Addr& lo6, const Ipv6Addr& hi6, F f) {
  using u128 = Uint128;
  const u128 lo = ToUint128(lo6);
  const u128 hi = ToUint128(hi6);
  auto ctz = [](u128 v) {
    if (v == 0) return 128;
    const uint64_t low = static_cast<uint64_t>(v);
    return low ? std::countr_zero(low)
               : 64 + std::countr_zero(static_cast<uint64_t>(v >> 64));
  };
  u128 a = lo;
  while (true) {
    int bits = ctz(a);
    // Shrink until the block [a, a + 2^bits - 1] ends at or before hi.
    while (bits > 0 && (bits == 128 || ((u128{1} << bits) - 1) > hi - a)) {
      if (bits == 128 && hi == ~u128{0} && a == 0) break;
      --bits;
    }
    if (bits == 128) {
      f(u128{0}, 1);
      f(u128{1} << 127, 1);
      return;
    }
    f(a, 128 - bits);
    const u128 last = a + ((u128{1} << bits) - 1);
    if (last >= hi) return;
    a = last + 1;
  }
}

}  // namespace hatmatch::bench

#endif  // HATMATCH_BENCH_PEERS_CIDR_H_
