// Copyright 2026 The hatmatch Authors.
//
// host_peers.h: hostname matchers a mail administrator might otherwise use.
//
//   flat_hash_set  absl::flat_hash_map from pattern to rule (a hash set with
//                  the rule as payload): one probe for the exact name, then
//                  one per suffix after each dot for the partial names.
//                  Batch: windows of 16 names whose probes are all
//                  prefetched (flat_hash_map::prefetch) before the lookups;
//                  Single: the plain probes.
//   hyperscan      a Hyperscan block-mode database of the literal patterns
//                  (`hs_compile_lit_multi`, caseless): exact names as
//                  `mx.example.com`, partial names with their leading dot;
//                  a match counts when it ends at the end of the name and,
//                  for an exact name, also starts at 0.
//   re2_set        RE2::Set of `^mx\.example\.com$` and `\.example\.com$`;
//                  Match() returns every matching pattern, the lowest rule
//                  wins.
//   linear         first-match scan over the entries (hostname ACLs).
//
// Patterns of CONTINUE rules are left out (they never decide), duplicate
// patterns keep their lowest rule.  Names are passed lowercase, without a
// trailing dot, as the traffic generator writes them.  Hyperscan and RE2
// are compiled in only when pkg-config finds them (HATMATCH_HAVE_HS,
// HATMATCH_HAVE_RE2); otherwise their factories return Unimplemented.

#ifndef HATMATCH_BENCH_PEERS_HOST_PEERS_H_
#define HATMATCH_BENCH_PEERS_HOST_PEERS_H_

#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "bench/bench_tables.h"
#include "bench/peers/peer.h"

namespace hatmatch::bench {

std::unique_ptr<HostPeer> MakeFlatHashHostPeer(
    const std::vector<HostRule>& hosts);

bool HyperscanCompiledIn();
absl::StatusOr<std::unique_ptr<HostPeer>> MakeHyperscanHostPeer(
    const std::vector<HostRule>& hosts);

bool Re2CompiledIn();
absl::StatusOr<std::unique_ptr<HostPeer>> MakeRe2SetHostPeer(
    const std::vector<HostRule>& hosts);

}  // namespace hatmatch::bench

#endif  // HATMATCH_BENCH_PEERS_HOST_PEERS_H_
