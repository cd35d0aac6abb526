// Copyright 2026 The hatmatch Authors.
//
// ipv4_trie.h: the IPv4 lookup structure of a compiled table.
//
// An Ipv4Trie answers "the value of the segment holding this address" for an
// IntervalMap<uint32_t> (engine/compile/interval_map.h) in at most four
// dependent loads, with no allocation and no failure:
//
//   absl::StatusOr<Ipv4TrieData> data = BuildIpv4Trie(map);   // compile time
//   Ipv4Trie trie(*data);                                     // a view
//   uint32_t rule = trie.Lookup(0xC0000201);                  // == map.Lookup
//   trie.LookupBatch(addrs, rules, n);                        // 16 in flight
//
// Ipv4TrieData owns three flat arrays of fixed-width PODs (layout below and
// in poptrie.h); Ipv4Trie is a trivially copyable view over spans of such
// arrays, so it can equally sit on a mapped file.  Data from outside (a file)
// must pass Validate() before the first lookup; after that no address can
// make a lookup read out of bounds.
//
// Memory layout (a poptrie with a 16-bit direct top level):
//
//   address bits   31 ........ 16 | 15 .. 10 | 9 .. 4 | 3 .. 0 + 00
//   level          top[]            node       node     node (padded)
//
//   top[]     65,536 x 4 bytes = 256 KiB.  Entry for addr >> 16: either the
//             value of the whole /16, or 0x80000000 + the index of the node
//             splitting it (encoding in poptrie.h).
//   nodes[]   24 bytes each (PoptrieNode).  Node levels start at bits 16,
//             22 and 28; the third level sees the last 4 bits followed by
//             two zero bits (children 4k..4k+3 are the same address), so its
//             children are always leaves and no lookup goes deeper.
//   leaves[]  4 bytes each: run-compressed values of the leaf children.
//
//   bytes = 262,144 + 24 * nodes + 4 * leaves.  A /24 costs at most one node
//   per level above it; each node stores one leaf per run of equal values.
//
// Values must be < 2^31 or kNoValue (rule indices always are).
//
// Threads: a view is immutable; share it freely.

#ifndef HATMATCH_ENGINE_TABLE_IPV4_TRIE_H_
#define HATMATCH_ENGINE_TABLE_IPV4_TRIE_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/compile/interval_map.h"
#include "engine/table/poptrie.h"

namespace hatmatch {

// The owning form, as built (and as written to a table file).
struct Ipv4TrieData {
  std::vector<uint32_t> top;       // poptrie::kTopSize entries
  std::vector<PoptrieNode> nodes;  // nodes[0] is the sink
  std::vector<uint32_t> leaves;    // leaves[0] == kNoValue
  size_t bytes() const {
    return top.size() * sizeof(uint32_t) + nodes.size() * sizeof(PoptrieNode) +
           leaves.size() * sizeof(uint32_t);
  }
};

// O(64 * nodes + segments).  Fails on a malformed map (not starting at 0, not
// increasing) or a value >= 2^31 other than kNoValue.
absl::StatusOr<Ipv4TrieData> BuildIpv4Trie(const IntervalMap<uint32_t>& map);

class Ipv4Trie {
 public:
  // The views keep pointers into the arrays: they must outlive the view.
  explicit Ipv4Trie(const Ipv4TrieData& data)
      : Ipv4Trie(data.top, data.nodes, data.leaves) {}
  Ipv4Trie(std::span<const uint32_t> top, std::span<const PoptrieNode> nodes,
           std::span<const uint32_t> leaves)
      : top_(top), nodes_(nodes), leaves_(leaves) {}

  // The value of the segment holding `addr` (host order).
  uint32_t Lookup(uint32_t addr) const {
    uint32_t e = top_[addr >> 16];
    if (!poptrie::IsNodeEntry(e)) return e;
    const PoptrieNode* nodes = nodes_.data();
    const PoptrieNode* n = nodes + (e - poptrie::kNodeFlag);
    const uint64_t key = uint64_t{addr} << 32;
    for (unsigned offset = 16; offset < 28; offset += 6) {
      unsigned inv = poptrie::InvChunk(key, offset);
      uint64_t s = n->inner << inv;
      if (!(s >> 63)) {
        return leaves_[n->leaf_base + poptrie::Rank(n->leafvec << inv) - 1];
      }
      n = nodes + n->inner_base + poptrie::Rank(s) - 1;
    }
    unsigned inv = poptrie::InvChunk(key, 28);
    return leaves_[n->leaf_base + poptrie::Rank(n->leafvec << inv) - 1];
  }

  // out[i] = Lookup(addrs[i]) for i < n, with 16 lookups in flight at a
  // time and no data-dependent branches inside a group.
  void LookupBatch(const uint32_t* addrs, uint32_t* out, size_t n) const;

  size_t bytes() const {
    return top_.size_bytes() + nodes_.size_bytes() + leaves_.size_bytes();
  }

  // Proves every index the lookups can compute is in bounds (poptrie.h).
  absl::Status Validate() const {
    return poptrie::ValidatePoptrie(top_, nodes_, leaves_);
  }

  std::span<const uint32_t> top() const { return top_; }
  std::span<const PoptrieNode> nodes() const { return nodes_; }
  std::span<const uint32_t> leaves() const { return leaves_; }

 private:
  std::span<const uint32_t> top_;
  std::span<const PoptrieNode> nodes_;
  std::span<const uint32_t> leaves_;
};

}  // namespace hatmatch

#endif  // HATMATCH_ENGINE_TABLE_IPV4_TRIE_H_
