// Copyright 2026 The hatmatch Authors.
//
// hatmatch_peer.h: hatmatch's compiled Table behind the benchmark's peer
// interface, so that it runs through exactly the loops the peers run through.
//
//   Batch        Table::LookupIpv4Batch / LookupIpv6Batch / LookupHostBatch
//                (answers are rule numbers already: no Decode)
//   Single       Table::LookupIpv4 / LookupIpv6 / LookupHost
//   Chain        the single lookups, each depending on the previous answer
//   bytes        TableStats::ipv4_bytes / ipv6_bytes / host_bytes: the
//                structure one dimension's lookup touches
//   table_bytes  TableStats::total_bytes(): the whole compiled table (all
//                dimensions, criteria, side tables for explanations and the
//                metadata: what a table file maps)

#ifndef HATMATCH_BENCH_PEERS_HATMATCH_PEER_H_
#define HATMATCH_BENCH_PEERS_HATMATCH_PEER_H_

#include <memory>

#include "absl/status/statusor.h"
#include "bench/peers/peer.h"
#include "hatmatch/rules.h"
#include "hatmatch/table.h"

namespace hatmatch::bench {

absl::StatusOr<std::shared_ptr<const Table>> CompileHatmatch(
    const RuleSet& rules);

std::unique_ptr<Ipv4Peer> MakeHatmatchIpv4(std::shared_ptr<const Table> t);
std::unique_ptr<Ipv6Peer> MakeHatmatchIpv6(std::shared_ptr<const Table> t);
std::unique_ptr<HostPeer> MakeHatmatchHost(std::shared_ptr<const Table> t);

}  // namespace hatmatch::bench

#endif  // HATMATCH_BENCH_PEERS_HATMATCH_PEER_H_
