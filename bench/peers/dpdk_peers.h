// Copyright 2026 The hatmatch Authors.
//
// dpdk_peers.h: DPDK's longest-prefix-match tables as benchmark peers.
//
//   dpdk_lpm          rte_lpm (DIR-24-8, 4-byte entries), batch =
//                     rte_lpm_lookup_bulk
//   dpdk_fib          rte_fib DIR24_8, scalar lookup
//   dpdk_fib_avx512   the same table with RTE_FIB_LOOKUP_DIR24_8_VECTOR_AVX512
//   dpdk_lpm6         rte_lpm6 (24-bit first level, then 8-bit levels),
//                     batch = rte_lpm6_lookup_bulk_func
//   dpdk_fib6         rte_fib6 TRIE, scalar lookup
//   dpdk_fib6_avx512  the same table with RTE_FIB6_LOOKUP_TRIE_VECTOR_AVX512
//
// rte_fib and rte_fib6 get the narrowest next hops the rules fit in (1, 2 or
// 4 bytes for rte_fib, 2 or 4 for rte_fib6; the largest storable hop is the
// miss value): narrower entries mean a smaller, faster table.  Batches leave
// the answers where DPDK writes them (rte_lpm's flagged hops in `out`, the
// fibs' 64-bit hops in a buffer of the peer's); Decode() converts them for
// the harness's checks only.
//
// Each is fed the disjoint segments of the priority map split into CIDR
// blocks (cidr.h) with the rule as next hop, so it gives hatmatch's answers.
// bytes() is the lookup structure (first level plus the allocated group pool,
// as configured); table_bytes() is the growth of DPDK's heap while the table
// is built (rule copies and RIB included).
//
// The EAL is started once per process, in memory without hugepages (flags
// from ../shared/PEERS.md) and with --force-max-simd-bitwidth=512 so that the
// AVX-512 lookups may be selected; the calling thread's CPU affinity is
// restored afterwards.  With 4 KiB pages the 64 MiB first level pays TLB
// misses that hugepages would avoid: say so next to the figures.  An
// `_avx512` peer on a CPU without AVX-512 returns Unavailable.
//
// When the build has no DPDK (pkg-config libdpdk not found), DpdkCompiledIn()
// is false and every factory returns Unimplemented.

#ifndef HATMATCH_BENCH_PEERS_DPDK_PEERS_H_
#define HATMATCH_BENCH_PEERS_DPDK_PEERS_H_

#include <memory>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "bench/peers/peer.h"
#include "engine/table/priority_map.h"
#include "hatmatch/address.h"

namespace hatmatch::bench {

bool DpdkCompiledIn();
// Idempotent; returns the first failure again on later calls.
absl::Status StartDpdk();

absl::StatusOr<std::unique_ptr<Ipv4Peer>> MakeDpdkLpm(
    const IntervalMap<uint32_t>& map);
absl::StatusOr<std::unique_ptr<Ipv4Peer>> MakeDpdkFib(
    const IntervalMap<uint32_t>& map, bool avx512);
absl::StatusOr<std::unique_ptr<Ipv6Peer>> MakeDpdkLpm6(
    const IntervalMap<Ipv6Addr>& map);
absl::StatusOr<std::unique_ptr<Ipv6Peer>> MakeDpdkFib6(
    const IntervalMap<Ipv6Addr>& map, bool avx512);

}  // namespace hatmatch::bench

#endif  // HATMATCH_BENCH_PEERS_DPDK_PEERS_H_
