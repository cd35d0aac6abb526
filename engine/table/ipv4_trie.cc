// Copyright 2026 The hatmatch Authors.
// Building the IPv4 poptrie, and the batched lookup.

#include "engine/table/ipv4_trie.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/compile/interval_map.h"
#include "engine/table/poptrie.h"
#include "engine/table/poptrie_build.h"

namespace hatmatch {

absl::StatusOr<Ipv4TrieData> BuildIpv4Trie(const IntervalMap<uint32_t>& map) {
  Ipv4TrieData d;
  poptrie::Builder<uint32_t> b(map.starts, map.values);
  if (absl::Status s = b.Build(&d.top, &d.nodes, &d.leaves); !s.ok()) return s;
  return d;
}

namespace {

constexpr size_t kLanes = 16;

// One group of kLanes lookups, level by level.  Every lane runs every level
// that any lane of the group needs: a lane that has found its leaf sits on
// the sink node (index 0), whose empty `inner` keeps it there, so the loop
// body has no data-dependent branch; the only branch is "is any lane still
// descending", taken once per level.  The loads of one level are independent
// across lanes, so the out-of-order core keeps all of them in flight.
void LookupGroup(const uint32_t* top, const PoptrieNode* nodes,
                 const uint32_t* leaves, const uint32_t* addrs, uint32_t* out) {
  uint32_t entry[kLanes], cur[kLanes], leaf[kLanes];
  uint32_t any = 0;
  for (size_t j = 0; j < kLanes; ++j) {
    uint32_t e = top[addrs[j] >> 16];
    entry[j] = e;
    cur[j] = poptrie::IsNodeEntry(e) ? e - poptrie::kNodeFlag : 0;
    leaf[j] = 0;
    any |= cur[j];
  }
  for (unsigned offset = 16; offset < 28 && any != 0; offset += 6) {
    any = 0;
    for (size_t j = 0; j < kLanes; ++j) {
      const PoptrieNode& n = nodes[cur[j]];
      unsigned inv = poptrie::InvChunk(uint64_t{addrs[j]} << 32, offset);
      uint64_t s = n.inner << inv;
      uint32_t child = n.inner_base + poptrie::Rank(s) - 1;
      uint32_t lf = n.leaf_base + poptrie::Rank(n.leafvec << inv) - 1;
      uint32_t is_inner = static_cast<uint32_t>(s >> 63);
      // Record the leaf only where this level ends the lane's descent.
      uint32_t take = (cur[j] != 0) & (is_inner ^ 1);
      uint32_t m = 0u - take;
      leaf[j] = (lf & m) | (leaf[j] & ~m);
      cur[j] = child & (0u - is_inner);
      any |= cur[j];
    }
  }
  if (any != 0) {
    for (size_t j = 0; j < kLanes; ++j) {
      const PoptrieNode& n = nodes[cur[j]];
      unsigned inv = poptrie::InvChunk(uint64_t{addrs[j]} << 32, 28);
      uint32_t lf = n.leaf_base + poptrie::Rank(n.leafvec << inv) - 1;
      uint32_t m = 0u - static_cast<uint32_t>(cur[j] != 0);
      leaf[j] = (lf & m) | (leaf[j] & ~m);
    }
  }
  for (size_t j = 0; j < kLanes; ++j) {
    uint32_t v = leaves[leaf[j]];
    out[j] = poptrie::IsNodeEntry(entry[j]) ? v : entry[j];
  }
}

}  // namespace

void Ipv4Trie::LookupBatch(const uint32_t* addrs, uint32_t* out,
                           size_t n) const {
  const uint32_t* top = top_.data();
  const PoptrieNode* nodes = nodes_.data();
  const uint32_t* leaves = leaves_.data();
  size_t i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    LookupGroup(top, nodes, leaves, addrs + i, out + i);
  }
  if (i < n) {
    uint32_t a[kLanes] = {}, o[kLanes];
    std::copy(addrs + i, addrs + n, a);
    LookupGroup(top, nodes, leaves, a, o);
    std::copy(o, o + (n - i), out + i);
  }
}

}  // namespace hatmatch
