// Copyright 2026 The hatmatch Authors.
// Building the IPv6 poptrie, and the batched lookup.

#include "engine/table/ipv6_trie.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/compile/interval_map.h"
#include "engine/table/poptrie.h"
#include "engine/table/poptrie_build.h"
#include "hatmatch/address.h"

namespace hatmatch {

__extension__ typedef unsigned __int128 Uint128;

absl::StatusOr<Ipv6TrieData> BuildIpv6Trie(const IntervalMap<Ipv6Addr>& map) {
  std::vector<Uint128> starts;
  starts.reserve(map.starts.size());
  for (const Ipv6Addr& a : map.starts) {
    starts.push_back(Uint128{a.hi} << 64 | a.lo);
  }
  Ipv6TrieData d;
  poptrie::Builder<Uint128> b(starts, map.values);
  if (absl::Status s = b.Build(&d.top, &d.nodes, &d.leaves); !s.ok()) return s;
  return d;
}

namespace {

constexpr size_t kLanes = 16;

// As in ipv4_trie.cc: one group of lookups, level by level, finished lanes
// parked on the sink node, one branch per level ("any lane descending").
void LookupGroup(const uint32_t* top, const PoptrieNode* nodes,
                 const uint32_t* leaves, const Ipv6Addr* addrs, uint32_t* out) {
  uint32_t entry[kLanes], cur[kLanes], leaf[kLanes];
  uint32_t any = 0;
  for (size_t j = 0; j < kLanes; ++j) {
    uint32_t e = top[addrs[j].hi >> 48];
    entry[j] = e;
    cur[j] = poptrie::IsNodeEntry(e) ? e - poptrie::kNodeFlag : 0;
    leaf[j] = 0;
    any |= cur[j];
  }
  // Levels at global bit offsets 16, 22, ..., 124; the last one (124) only
  // holds leaves.
  for (unsigned offset = 16; offset <= 124 && any != 0; offset += 6) {
    const bool last = offset == 124;
    any = 0;
    for (size_t j = 0; j < kLanes; ++j) {
      const PoptrieNode& n = nodes[cur[j]];
      uint64_t word = offset < 64 ? addrs[j].hi : addrs[j].lo;
      unsigned inv = poptrie::InvChunk(word, offset & 63);
      uint64_t s = last ? 0 : n.inner << inv;
      uint32_t child = n.inner_base + poptrie::Rank(s) - 1;
      uint32_t lf = n.leaf_base + poptrie::Rank(n.leafvec << inv) - 1;
      uint32_t is_inner = static_cast<uint32_t>(s >> 63);
      uint32_t take = (cur[j] != 0) & (is_inner ^ 1);
      uint32_t m = 0u - take;
      leaf[j] = (lf & m) | (leaf[j] & ~m);
      cur[j] = child & (0u - is_inner);
      any |= cur[j];
    }
  }
  for (size_t j = 0; j < kLanes; ++j) {
    uint32_t v = leaves[leaf[j]];
    out[j] = poptrie::IsNodeEntry(entry[j]) ? v : entry[j];
  }
}

}  // namespace

void Ipv6Trie::LookupBatch(const Ipv6Addr* addrs, uint32_t* out,
                           size_t n) const {
  const uint32_t* top = top_.data();
  const PoptrieNode* nodes = nodes_.data();
  const uint32_t* leaves = leaves_.data();
  size_t i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    LookupGroup(top, nodes, leaves, addrs + i, out + i);
  }
  if (i < n) {
    Ipv6Addr a[kLanes] = {};
    uint32_t o[kLanes];
    std::copy(addrs + i, addrs + n, a);
    LookupGroup(top, nodes, leaves, a, o);
    std::copy(o, o + (n - i), out + i);
  }
}

}  // namespace hatmatch
