// Copyright 2026 The hatmatch Authors.
//
// ipv6_trie.h: the IPv6 lookup structure of a compiled table.
//
// An Ipv6Trie answers "the value of the segment holding this address" for an
// IntervalMap<Ipv6Addr> (engine/compile/interval_map.h), with no allocation
// and no failure:
//
//   absl::StatusOr<Ipv6TrieData> data = BuildIpv6Trie(map);   // compile time
//   Ipv6Trie trie(*data);                                     // a view
//   uint32_t rule = trie.Lookup(addr);                        // == map.Lookup
//   trie.LookupBatch(addrs, rules, n);                        // 16 in flight
//
// The shape is the IPv4 trie's (ipv4_trie.h, poptrie.h): a trivially
// copyable view over three flat arrays of fixed-width PODs, which may sit on
// a mapped file once Validate() has accepted them.
//
// Cost follows the map, not the address width.  The populated IPv6 space is
// sparse: a /16 holding no boundary is answered by top[] alone, and a lookup
// descends only as far as the segment boundaries near its address go.  With
// global routing tables (/32 .. /48 prefixes) that is 3 to 6 node levels;
// only maps with boundaries inside a /64 reach the deeper levels.
//
// Memory layout (a poptrie with a 16-bit direct top level):
//
//   address bits  127 .. 112 | 111 .. 106 | ... | 69 .. 64 | 63 .. 58 | ...
//   level         top[]        node 1             node 8     node 9
//                 ... | 3 .. 0 + 00
//                       node 19 (padded)
//
//   top[]     65,536 x 4 bytes = 256 KiB, indexed by hi >> 48: a value or
//             0x80000000 + a node index (encoding in poptrie.h).
//   nodes[]   24 bytes each (PoptrieNode), levels at bits 16, 22, ..., 58 of
//             hi (8 levels), 0, 6, ..., 54 of lo (10 levels) and the last 4
//             bits of lo followed by two zero bits (level 19, always leaves).
//             No 6-bit chunk straddles the two halves.
//   leaves[]  4 bytes each: run-compressed values of the leaf children.
//
//   bytes = 262,144 + 24 * nodes + 4 * leaves.  A segment boundary at
//   prefix length p creates at most one node per level above p, i.e. at most
//   ceil((p - 16) / 6) nodes; boundaries nearer the root share theirs.
//
// Values must be < 2^31 or kNoValue (rule indices always are).
//
// Threads: a view is immutable; share it freely.

#ifndef HATMATCH_ENGINE_TABLE_IPV6_TRIE_H_
#define HATMATCH_ENGINE_TABLE_IPV6_TRIE_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/compile/interval_map.h"
#include "engine/table/poptrie.h"
#include "hatmatch/address.h"

namespace hatmatch {

// The owning form, as built (and as written to a table file).
struct Ipv6TrieData {
  std::vector<uint32_t> top;       // poptrie::kTopSize entries
  std::vector<PoptrieNode> nodes;  // nodes[0] is the sink
  std::vector<uint32_t> leaves;    // leaves[0] == kNoValue
  size_t bytes() const {
    return top.size() * sizeof(uint32_t) + nodes.size() * sizeof(PoptrieNode) +
           leaves.size() * sizeof(uint32_t);
  }
};

// O(64 * nodes + 19 * segments).  Fails on a malformed map (not starting at
// ::, not increasing) or a value >= 2^31 other than kNoValue.
absl::StatusOr<Ipv6TrieData> BuildIpv6Trie(const IntervalMap<Ipv6Addr>& map);

class Ipv6Trie {
 public:
  // The views keep pointers into the arrays: they must outlive the view.
  explicit Ipv6Trie(const Ipv6TrieData& data)
      : Ipv6Trie(data.top, data.nodes, data.leaves) {}
  Ipv6Trie(std::span<const uint32_t> top, std::span<const PoptrieNode> nodes,
           std::span<const uint32_t> leaves)
      : top_(top), nodes_(nodes), leaves_(leaves) {}

  // The value of the segment holding `a`.
  uint32_t Lookup(const Ipv6Addr& a) const {
    uint32_t e = top_[a.hi >> 48];
    if (!poptrie::IsNodeEntry(e)) return e;
    const PoptrieNode* nodes = nodes_.data();
    const PoptrieNode* n = nodes + (e - poptrie::kNodeFlag);
    unsigned inv;
    for (unsigned offset = 16; offset < 64; offset += 6) {
      inv = poptrie::InvChunk(a.hi, offset);
      uint64_t s = n->inner << inv;
      if (!(s >> 63)) goto leaf;
      n = nodes + n->inner_base + poptrie::Rank(s) - 1;
    }
    for (unsigned offset = 0; offset < 60; offset += 6) {
      inv = poptrie::InvChunk(a.lo, offset);
      uint64_t s = n->inner << inv;
      if (!(s >> 63)) goto leaf;
      n = nodes + n->inner_base + poptrie::Rank(s) - 1;
    }
    inv = poptrie::InvChunk(a.lo, 60);
  leaf:
    return leaves_[n->leaf_base + poptrie::Rank(n->leafvec << inv) - 1];
  }

  // out[i] = Lookup(addrs[i]) for i < n, with 16 lookups in flight at a
  // time and no data-dependent branches inside a group.
  void LookupBatch(const Ipv6Addr* addrs, uint32_t* out, size_t n) const;

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

#endif  // HATMATCH_ENGINE_TABLE_IPV6_TRIE_H_
