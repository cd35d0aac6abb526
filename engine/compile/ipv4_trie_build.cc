// Copyright 2026 The hatmatch Authors.
// Building the IPv4 poptrie (layout in engine/table/ipv4_trie.h).

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/compile/builders.h"
#include "engine/compile/poptrie_build.h"
#include "engine/table/interval_map.h"
#include "engine/table/ipv4_trie.h"
#include "engine/table/poptrie.h"

namespace hatmatch {

namespace {

absl::StatusOr<Ipv4TrieData> BuildWithTop(const IntervalMap<uint32_t>& map,
                                          uint32_t top_bits) {
  Ipv4TrieData d;
  d.top_bits = top_bits;
  poptrie::Builder<uint32_t> b(
      poptrie::PoptrieShape{static_cast<int>(top_bits), 0, false}, 0,
      map.starts, map.values);
  std::vector<uint32_t> no_blocks;
  if (absl::Status s =
          b.Build(&d.top, &no_blocks, &d.nodes, &d.leaves, &d.terminals);
      !s.ok()) {
    return s;
  }
  return d;
}

// Maps with this many segments get the 18-bit top level.
constexpr size_t kWideTopSegments = 32768;

}  // namespace

absl::StatusOr<Ipv4TrieData> BuildIpv4Trie(const IntervalMap<uint32_t>& map) {
  // 18 bits put a /24 one level higher (18 + 6 = 24) for 768 KiB more top
  // level, which big maps make up for with fewer nodes (a routing table's
  // 18-bit trie is even smaller than its 16-bit one).
  return BuildWithTop(map, map.size() >= kWideTopSegments ? 18 : 16);
}

}  // namespace hatmatch
