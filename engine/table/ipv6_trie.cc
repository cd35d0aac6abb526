// Copyright 2026 The hatmatch Authors.
// Validating the IPv6 poptrie, and the batched lookup.

#include "engine/table/ipv6_trie.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/table/poptrie.h"
#include "hatmatch/address.h"

namespace hatmatch {

absl::Status Ipv6Trie::Validate() const {
  return poptrie::ValidatePoptrie(kIpv6Shape, top_, blocks_, nodes_, leaves_,
                                  terminals_);
}

// One node level for the addresses of `list`, all at bit `offset`.  Where
// the child is a leaf, only the leaf's index is computed and the address
// joins `done` (the leaves are read in one last pass, so a level's only
// dependent load is its node); the list keeps the addresses that go on.
// Lists are compacted by unconditional stores and counter bumps, so inner
// nodes cost no branch.  Skip nodes (rare but for sparse maps) finish the
// address with the scalar descent.
// kLowHalf: offset >= 64, so the chunk comes from the low word.
template <bool kLowHalf>
void Ipv6Trie::LevelPass(const Ipv6Addr* a, uint32_t* o, unsigned offset,
                         PendingList* list, PendingList* done) const {
  const PoptrieNode* nodes = nodes_.data();
  const unsigned shift = offset & 63;
  const size_t last = offset < kLast;
  size_t nn = 0, nd = done->size;
  for (size_t k = 0; k < list->size; ++k) {
    const uint32_t j = list->slot[k];
    const PoptrieNode& n = nodes[list->node[k]];
    if (poptrie::IsSkip(n)) {
      o[j] = DescendFrom(&n, offset, a[j]);
      continue;
    }
    const uint64_t w = (kLowHalf ? a[j].lo : a[j].hi) << shift;
    const unsigned inv = static_cast<unsigned>(~w >> 58);
    const uint64_t sh = n.inner << inv;
    const size_t more = static_cast<size_t>(sh >> 63) & last;
    o[j] = n.leaf_base + poptrie::Rank(n.leafvec << inv) - 1;
    done->slot[nd] = j;
    nd += more ^ 1;
    list->slot[nn] = j;
    list->node[nn] = n.inner_base + poptrie::Rank(sh) - 1;
    nn += more;
  }
  list->size = nn;
  done->size = nd;
}

void Ipv6Trie::Level(const Ipv6Addr* a, uint32_t* o, unsigned offset,
                     PendingList* list, PendingList* done) const {
  if (offset < 64) {
    LevelPass<false>(a, o, offset, list, done);
  } else {
    LevelPass<true>(a, o, offset, list, done);
  }
}

void Ipv6Trie::LookupBatch(const Ipv6Addr* addrs, uint32_t* out,
                           size_t n) const {
  const uint32_t* top = top_.data();
  const uint32_t* blocks = blocks_.data();
  const uint32_t* terminals = terminals_.data();
  const uint32_t* leaves = leaves_.data();
  // The addresses still descending, in two lists by the bit their nodes
  // start at (16 below top[], 28 below a block), so that every pass over a
  // list works at one offset; and the addresses whose leaf index is known.
  PendingList from_top, from_block, done;
  uint32_t go_on[kBatchBlock];  // pass 1's list: below a block or node
  for (size_t base = 0; base < n; base += kBatchBlock) {
    const size_t m = std::min(kBatchBlock, n - base);
    const Ipv6Addr* a = addrs + base;
    uint32_t* o = out + base;
    // Pass 1: the top entry of every address, listing those that go on.
    size_t np = 0;
    for (size_t j = 0; j < m; ++j) {
      const uint32_t e = top[a[j].hi >> (64 - kIpv6TopBits)];
      o[j] = e;
      go_on[np] = static_cast<uint32_t>(j);
      np += poptrie::IsNodeEntry(e);
    }
    // Pass 2: for those under a block, the block entry.  What is read is the
    // block entry or again the top entry, picked arithmetically: no branch
    // to mispredict.  Terminals are answered here too (no block entry is
    // left after this: Validate() admits none inside a block); nodes go to
    // the list of their offset.
    from_top.size = from_block.size = 0;
    for (size_t k = 0; k < np; ++k) {
      const uint32_t j = go_on[k];
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
      if (!poptrie::IsNodeEntry(e2)) continue;
      if (poptrie::IsTerminalOrBlock(e2)) {
        o[j] = poptrie::TerminalValue(
            terminals, e2 - poptrie::kTerminalFlag,
            poptrie::InvChunk(a[j].hi, kIpv6TopBits + blk * kIpv6BlockBits));
        continue;
      }
      PendingList& list = blk ? from_block : from_top;
      list.slot[list.size] = j;
      list.node[list.size] = e2 - poptrie::kNodeFlag;
      ++list.size;
    }
    // Then one node level per pass and list, and the leaves.
    done.size = 0;
    for (unsigned offset = kIpv6TopBits; from_top.size + from_block.size != 0;
         offset += 6) {
      if (from_top.size != 0) Level(a, o, offset, &from_top, &done);
      if (from_block.size != 0) {
        Level(a, o, offset + kIpv6BlockBits, &from_block, &done);
      }
    }
    for (size_t k = 0; k < done.size; ++k) {
      o[done.slot[k]] = leaves[o[done.slot[k]]];
    }
  }
}

}  // namespace hatmatch
