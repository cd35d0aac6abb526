// Copyright 2026 The hatmatch Authors.
//
// conn_peer.h: a whole-connection classifier assembled from the best parts
// an engineer would pick, as the peer of Table::ClassifyBatch.
//
//   addresses  rte_fib (IPv4) and rte_fib6 (IPv6) with their AVX-512 lookups
//              (dpdk_peers.h), fed the same priority maps as the benchmark's
//              per-dimension peers
//   names      absl::flat_hash_map suffix probing with prefetching windows
//              (host_peers.h), on the PTR name of DNS-verified connections,
//              normalized first (lowercase, no trailing dot)
//   criteria   the same criteria tables hatmatch compiles
//              (engine/table/criteria.h): sbrs ranges and none, SBO ids,
//              DNS lists, DNS states
//   decision   the lowest rule over the dimensions and the ALL rule, with
//              that rule's action: hatmatch's "lowest rule wins"
//
// ClassifyBatch works in blocks like hatmatch's: gather each dimension's
// keys, run each dimension's batch, take the minimum.  The harness checks
// every decision against hatmatch's before timing.  Without DPDK the factory
// returns Unimplemented.

#ifndef HATMATCH_BENCH_PEERS_CONN_PEER_H_
#define HATMATCH_BENCH_PEERS_CONN_PEER_H_

#include <memory>
#include <span>

#include "absl/status/statusor.h"
#include "bench/bench_tables.h"
#include "hatmatch/connection.h"
#include "hatmatch/decision.h"

namespace hatmatch::bench {

class ConnPeer {
 public:
  virtual ~ConnPeer() = default;
  virtual void ClassifyBatch(std::span<const Connection> conns,
                             std::span<Decision> out) const = 0;
  // Lookup structures of all dimensions (as KeyPeer::bytes) and the whole
  // (as KeyPeer::table_bytes).
  virtual size_t bytes() const = 0;
  virtual size_t table_bytes() const = 0;
};

absl::StatusOr<std::unique_ptr<ConnPeer>> MakeDpdkHashConnPeer(
    const BenchTable& table);

}  // namespace hatmatch::bench

#endif  // HATMATCH_BENCH_PEERS_CONN_PEER_H_
