// Copyright 2026 The hatmatch Authors.
// Building the IPv4 poptrie, validating it, and the batched lookup.

#include "engine/table/ipv4_trie.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "engine/compile/interval_map.h"
#include "engine/table/poptrie.h"
#include "engine/table/poptrie_build.h"

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
  if (absl::Status s = b.Build(&d.top, &no_blocks, &d.nodes, &d.leaves);
      !s.ok()) {
    return s;
  }
  return d;
}

// Addresses per block of LookupBatch: enough top-level loads to keep the
// memory system busy, few enough to stay in L1.
constexpr size_t kBlock = 128;

}  // namespace

absl::StatusOr<Ipv4TrieData> BuildIpv4Trie(const IntervalMap<uint32_t>& map) {
  absl::StatusOr<Ipv4TrieData> d16 = BuildWithTop(map, 16);
  if (!d16.ok()) return d16;
  // An 18-bit top level costs 768 KiB more; only consider it when the
  // 16-bit trie has at least that much below its top level.
  constexpr size_t kExtraTop = ((size_t{1} << 18) - (size_t{1} << 16)) * 4;
  if (d16->bytes() - d16->top.size() * 4 < kExtraTop) return d16;
  absl::StatusOr<Ipv4TrieData> d18 = BuildWithTop(map, 18);
  if (!d18.ok()) return d18;
  // 18 bits put a /24 one level higher (18 + 6 = 24): worth up to a quarter
  // more memory.
  if (d18->bytes() <= d16->bytes() + d16->bytes() / 4) return d18;
  return d16;
}

absl::Status Ipv4Trie::Validate() const {
  if (top_bits_ != 16 && top_bits_ != 18) {
    return absl::DataLossError(
        absl::StrCat("ipv4 trie: top level of ", top_bits_, " bits"));
  }
  return poptrie::ValidatePoptrie(
      poptrie::PoptrieShape{static_cast<int>(top_bits_), 0, false}, top_, {},
      nodes_, leaves_);
}

void Ipv4Trie::LookupBatch(const uint32_t* addrs, uint32_t* out,
                           size_t n) const {
  const uint32_t* top = top_.data();
  const unsigned shift = 32 - top_bits_;
  uint32_t pending[kBlock];
  for (size_t base = 0; base < n; base += kBlock) {
    const size_t m = std::min(kBlock, n - base);
    const uint32_t* a = addrs + base;
    uint32_t* o = out + base;
    // Pass 1: every top entry of the block (independent loads), listing the
    // addresses that need a node with a branch-free compaction.
    size_t np = 0;
    for (size_t j = 0; j < m; ++j) {
      const uint32_t e = top[a[j] >> shift];
      o[j] = e;
      pending[np] = static_cast<uint32_t>(j);
      np += poptrie::IsNodeEntry(e);
    }
    // Pass 2: the descents, independent of each other, so the out-of-order
    // core overlaps their cache misses.
    for (size_t k = 0; k < np; ++k) {
      const uint32_t j = pending[k];
      o[j] = Descend(o[j] - poptrie::kNodeFlag, a[j]);
    }
  }
}

}  // namespace hatmatch
