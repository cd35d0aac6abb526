// Copyright 2026 The hatmatch Authors.
// Building the IPv6 poptrie (layout in engine/table/ipv6_trie.h).

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/compile/builders.h"
#include "engine/compile/poptrie_build.h"
#include "engine/table/interval_map.h"
#include "engine/table/ipv6_trie.h"
#include "engine/table/poptrie.h"
#include "hatmatch/address.h"

namespace hatmatch {

namespace {

// A /16 gets a block (16 KiB) when it holds this many segments: few /16s of
// a routing table, but most of its prefixes.
constexpr size_t kBlockMinSegments = 512;

}  // namespace

absl::StatusOr<Ipv6TrieData> BuildIpv6Trie(const IntervalMap<Ipv6Addr>& map) {
  std::vector<Uint128> starts;
  starts.reserve(map.starts.size());
  for (const Ipv6Addr& a : map.starts) starts.push_back(ToUint128(a));
  Ipv6TrieData d;
  poptrie::Builder<Uint128> b(kIpv6Shape, kBlockMinSegments, starts,
                              map.values);
  if (absl::Status s =
          b.Build(&d.top, &d.blocks, &d.nodes, &d.leaves, &d.terminals);
      !s.ok()) {
    return s;
  }
  return d;
}

}  // namespace hatmatch
