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

// Addresses per round of LookupBatch: enough independent loads per pass to
// keep the memory system busy, few enough to stay in L1.
constexpr size_t kBlock = 64;

}  // namespace

absl::StatusOr<Ipv6TrieData> BuildIpv6Trie(const IntervalMap<Ipv6Addr>& map) {
  std::vector<Uint128> starts;
  starts.reserve(map.starts.size());
  for (const Ipv6Addr& a : map.starts) {
    starts.push_back(Uint128{a.hi} << 64 | a.lo);
  }
  Ipv6TrieData d;
  poptrie::Builder<Uint128> b(kShape, kBlockMinSegments, starts, map.values);
  if (absl::Status s =
          b.Build(&d.top, &d.blocks, &d.nodes, &d.leaves, &d.terminals);
      !s.ok()) {
    return s;
  }
  return d;
}

absl::Status Ipv6Trie::Validate() const {
  return poptrie::ValidatePoptrie(kShape, top_, blocks_, nodes_, leaves_,
                                  terminals_);
}

void Ipv6Trie::LookupBatch(const Ipv6Addr* addrs, uint32_t* out,
                           size_t n) const {
  const uint32_t* top = top_.data();
  const uint32_t* blocks = blocks_.data();
  const uint32_t* terminals = terminals_.data();
  const PoptrieNode* nodes = nodes_.data();
  const uint32_t* leaves = leaves_.data();
  // The addresses still descending: slot in the block (bit 31: below a
  // block, so 12 bits further down) and current node.
  uint32_t slot[kBlock], node[kBlock], done[kBlock];
  for (size_t base = 0; base < n; base += kBlock) {
    const size_t m = std::min(kBlock, n - base);
    const Ipv6Addr* a = addrs + base;
    uint32_t* o = out + base;
    // Pass 1: the top entry of every address, listing those that go on.
    size_t np = 0;
    for (size_t j = 0; j < m; ++j) {
      const uint32_t e = top[a[j].hi >> (64 - kIpv6TopBits)];
      o[j] = e;
      slot[np] = static_cast<uint32_t>(j);
      np += poptrie::IsNodeEntry(e);
    }
    // Pass 2: for those under a block, the block entry.  What is read is the
    // block entry or again the top entry, picked arithmetically: no branch
    // to mispredict.
    size_t nn = 0;
    for (size_t k = 0; k < np; ++k) {
      const uint32_t j = slot[k];
      const uint32_t e = o[j];
      const uintptr_t blk = poptrie::IsBlockEntry(e);
      const uintptr_t mask = 0 - blk;
      const size_t bi = ((size_t{e - poptrie::kBlockFlag} << kIpv6BlockBits) +
                         (a[j].hi << kIpv6TopBits >> (64 - kIpv6BlockBits))) &
                        mask;
      const uintptr_t at = (reinterpret_cast<uintptr_t>(o + j) & ~mask) |
                           (reinterpret_cast<uintptr_t>(blocks + bi) & mask);
      const uint32_t e2 = *reinterpret_cast<const uint32_t*>(at);
      o[j] = e2;
      slot[nn] = static_cast<uint32_t>(j | blk << 31);
      node[nn] = e2 - poptrie::kNodeFlag;
      nn += poptrie::IsNodeEntry(e2);
    }
    np = nn;
    // Terminals answer at once; the list keeps only nodes.  (No block entry
    // is left here: Validate() admits none inside a block.)
    nn = 0;
    for (size_t k = 0; k < np; ++k) {
      const uint32_t s = slot[k];
      const uint32_t j = s & 0x7FFFFFFF;
      if (poptrie::IsTerminalOrBlock(o[j])) {
        const unsigned offset = kIpv6TopBits + (s >> 31) * kIpv6BlockBits;
        o[j] = poptrie::TerminalValue(terminals, o[j] - poptrie::kTerminalFlag,
                                      poptrie::InvChunk(a[j].hi, offset));
        continue;
      }
      slot[nn] = s;
      node[nn] = node[k];
      ++nn;
    }
    np = nn;
    // Then one node level per pass for the listed addresses.  Where the
    // child is a leaf, the pass only computes the leaf's index and lists the
    // address as done; the leaves are read in one last pass, so a level's
    // only dependent load is its node.  The lists are compacted by
    // unconditional stores and counter bumps, so inner nodes cost no
    // branch.  Skip nodes (rare but for sparse maps) finish the address
    // with the scalar descent.
    size_t nd = 0;
    for (unsigned level = 0; np != 0; ++level) {
      nn = 0;
      for (size_t k = 0; k < np; ++k) {
        const uint32_t s = slot[k];
        const uint32_t j = s & 0x7FFFFFFF;
        const unsigned offset =
            kIpv6TopBits + (s >> 31) * kIpv6BlockBits + 6 * level;
        const PoptrieNode& n = nodes[node[k]];
        if (poptrie::IsSkip(n)) {
          o[j] = DescendFrom(&n, offset, a[j]);
          continue;
        }
        const uint64_t w = (offset < 64 ? a[j].hi : a[j].lo) << (offset & 63);
        const unsigned inv = static_cast<unsigned>(~w >> 58);
        const uint64_t sh = n.inner << inv;
        const size_t more = static_cast<size_t>(sh >> 63) & (offset < kLast);
        o[j] = n.leaf_base + poptrie::Rank(n.leafvec << inv) - 1;
        done[nd] = j;
        nd += more ^ 1;
        slot[nn] = s;
        node[nn] = n.inner_base + poptrie::Rank(sh) - 1;
        nn += more;
      }
      np = nn;
    }
    for (size_t k = 0; k < nd; ++k) o[done[k]] = leaves[o[done[k]]];
  }
}

}  // namespace hatmatch
