// Copyright 2026 The hatmatch Authors.
// Building the IPv6 poptrie, validating it, and the batched lookup.

#include "engine/table/ipv6_trie.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/compile/interval_map.h"
#include "engine/table/poptrie.h"
#include "engine/table/poptrie_build.h"
#include "hatmatch/address.h"

namespace hatmatch {

namespace {

__extension__ typedef unsigned __int128 Uint128;

constexpr poptrie::PoptrieShape kShape{kIpv6TopBits, kIpv6BlockBits, true};

// A /16 gets a block (16 KiB) when it holds this many segments: few /16s of
// a routing table, but most of its prefixes.
constexpr size_t kBlockMinSegments = 512;

// Addresses per block of LookupBatch (see ipv4_trie.cc).
constexpr size_t kBlock = 128;

}  // namespace

absl::StatusOr<Ipv6TrieData> BuildIpv6Trie(const IntervalMap<Ipv6Addr>& map) {
  std::vector<Uint128> starts;
  starts.reserve(map.starts.size());
  for (const Ipv6Addr& a : map.starts) {
    starts.push_back(Uint128{a.hi} << 64 | a.lo);
  }
  Ipv6TrieData d;
  poptrie::Builder<Uint128> b(kShape, kBlockMinSegments, starts, map.values);
  if (absl::Status s = b.Build(&d.top, &d.blocks, &d.nodes, &d.leaves);
      !s.ok()) {
    return s;
  }
  return d;
}

absl::Status Ipv6Trie::Validate() const {
  return poptrie::ValidatePoptrie(kShape, top_, blocks_, nodes_, leaves_);
}

void Ipv6Trie::LookupBatch(const Ipv6Addr* addrs, uint32_t* out,
                           size_t n) const {
  const uint32_t* top = top_.data();
  uint32_t pending[kBlock];
  for (size_t base = 0; base < n; base += kBlock) {
    const size_t m = std::min(kBlock, n - base);
    const Ipv6Addr* a = addrs + base;
    uint32_t* o = out + base;
    // As in Ipv4Trie::LookupBatch: all top entries of the block, then the
    // descents of the addresses that need one.
    size_t np = 0;
    for (size_t j = 0; j < m; ++j) {
      const uint32_t e = top[a[j].hi >> (64 - kIpv6TopBits)];
      o[j] = e;
      pending[np] = static_cast<uint32_t>(j);
      np += poptrie::IsNodeEntry(e);
    }
    for (size_t k = 0; k < np; ++k) {
      const uint32_t j = pending[k];
      o[j] = Descend(o[j], a[j]);
    }
  }
}

}  // namespace hatmatch
