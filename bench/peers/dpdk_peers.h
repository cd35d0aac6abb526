// Copyright 2026 The hatmatch Authors.
//
// dpdk_peers.h: DPDK's longest-prefix-match tables as benchmark peers.
//
//   dpdk_lpm    rte_lpm (DIR-24-8: a 2^24-entry first level, 256-entry
//               second-level groups), batch = rte_lpm_lookup_bulk
//   dpdk_fib    rte_fib, type DIR24_8 with 4-byte next hops,
//               batch = rte_fib_lookup_bulk (vectorized when the CPU allows)
//   dpdk_lpm6   rte_lpm6 (24-bit first level, then 8-bit levels),
//               batch = rte_lpm6_lookup_bulk_func
//   dpdk_fib6   rte_fib6, type TRIE with 4-byte next hops
//
// Each is fed the disjoint segments of the priority map split into CIDR
// blocks (cidr.h) with the rule as next hop, so it gives hatmatch's answers.
// Memory is measured as the growth of DPDK's heap while the table is built
// (everything the library allocates, rule copies and RIB included).
//
// The EAL is started once per process, in memory without hugepages (flags
// from ../shared/PEERS.md); the calling thread's CPU affinity is restored
// afterwards.  With 4 KiB pages the 64 MiB first level pays TLB misses that
// hugepages would avoid: say so next to the figures.
//
// When the build has no DPDK (pkg-config libdpdk not found), DpdkCompiledIn()
// is false and every factory returns Unimplemented.

#ifndef HATMATCH_BENCH_PEERS_DPDK_PEERS_H_
#define HATMATCH_BENCH_PEERS_DPDK_PEERS_H_

#include <memory>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "bench/peers/peer.h"
#include "engine/compile/priority_map.h"
#include "hatmatch/address.h"

namespace hatmatch::bench {

bool DpdkCompiledIn();
// Idempotent; returns the first failure again on later calls.
absl::Status StartDpdk();

absl::StatusOr<std::unique_ptr<Ipv4Peer>> MakeDpdkLpm(
    const IntervalMap<uint32_t>& map);
absl::StatusOr<std::unique_ptr<Ipv4Peer>> MakeDpdkFib(
    const IntervalMap<uint32_t>& map);
absl::StatusOr<std::unique_ptr<Ipv6Peer>> MakeDpdkLpm6(
    const IntervalMap<Ipv6Addr>& map);
absl::StatusOr<std::unique_ptr<Ipv6Peer>> MakeDpdkFib6(
    const IntervalMap<Ipv6Addr>& map);

}  // namespace hatmatch::bench

#endif  // HATMATCH_BENCH_PEERS_DPDK_PEERS_H_
