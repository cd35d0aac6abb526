// Copyright 2026 The hatmatch Authors.
//
// ipv6_trie.h: the IPv6 lookup structure of a compiled table.
//
// An Ipv6Trie answers "the value of the segment holding this address" for an
// IntervalMap<Ipv6Addr> (engine/table/interval_map.h), with no allocation
// and no failure:
//
//   absl::StatusOr<Ipv6TrieData> data = BuildIpv6Trie(map);   // engine/compile
//   Ipv6Trie trie(*data);                                     // a view
//   uint32_t rule = trie.Lookup(addr);                        // == map.Lookup
//   trie.LookupBatch(addrs, rules, n);                        // faster per key
//
// The shape is the IPv4 trie's (ipv4_trie.h, poptrie.h): a trivially
// copyable view over flat arrays of fixed-width PODs, which may sit on a
// mapped file once Validate() has accepted them.
//
// Cost follows the map, not the address width.  The populated IPv6 space is
// sparse: a /16 holding no boundary is answered by top[] alone, a busy /16
// has a direct-indexed block that takes the lookup straight to bit 28, a
// lookup descends only as deep as the boundaries near its address, and long
// runs of levels that merely narrow the address down to one lone boundary
// are crossed in one step by a skip node.  (How many levels lookups read on
// a real routing table: docs/benchmarks/STRUCTURES.md.)
//
// Memory layout (a poptrie with a 16-bit direct top level):
//
//   address bits  127..112 | 111..100 | 99..94 | ... | 3..0 + 00
//   level         top[]      block[]    node   ...   node (padded)
//                            (or nodes from bit 112 down where no block)
//
//   top[]     65,536 x 4 bytes = 256 KiB, indexed by hi >> 48: a value,
//             0x80000000 + a node index, 0xA0000000 + a terminal index, or
//             0xC0000000 + a block index (encoding in poptrie.h).
//   blocks[]  4,096 x 4 bytes = 16 KiB per block, indexed by bits 111..100:
//             a value, a node or a terminal.  A /16 gets a block when it
//             holds 512 segments or more, so a block costs at most 32 bytes
//             per segment it serves.
//   terminals[]  where a top or block entry's next 6 bits settle every
//             address: leaf bitmap and runs side by side (poptrie.h).
//   nodes[]   24 bytes each: inner nodes at bit offsets 16 + 6k of hi (or
//             28 + 6k below a block; both reach bit 58, whose chunk ends
//             exactly at bit 64, so no chunk straddles the halves), then
//             0 + 6k of lo; the last level, at bit 60 of lo, sees the last 4
//             bits followed by two zero bits and is always read as leaves.
//             Skip nodes stand for 3 to 10 levels within one half.
//   leaves[]  4 bytes each: run-compressed values of the leaf children;
//             leaves[0] is kNoValue (for nodes without leaf children).
//
//   bytes = 262,144 + 16,384 * blocks + 24 * nodes + 4 * leaves + 4 *
//   terminal words.  A boundary
//   costs at most one inner node per level where it shares the node with
//   other boundaries, and one skip node per half where it is alone: a
//   single /128 in an otherwise uniform /16 costs 3 nodes and 3 leaves
//   (84 bytes), not 19 nodes.
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
#include "engine/table/interval_map.h"
#include "engine/table/poptrie.h"
#include "hatmatch/address.h"

namespace hatmatch {

inline constexpr int kIpv6TopBits = 16;
inline constexpr int kIpv6BlockBits = 12;
inline constexpr poptrie::PoptrieShape kIpv6Shape{kIpv6TopBits, kIpv6BlockBits,
                                                  true};

// The owning form, as built (and as written to a table file).
struct Ipv6TrieData {
  std::vector<uint32_t> top;       // 2^16 entries
  std::vector<uint32_t> blocks;    // 2^12 entries per block
  std::vector<PoptrieNode> nodes;  // inner and skip nodes
  std::vector<uint32_t> leaves;    // leaves[0] == kNoValue
  std::vector<uint32_t> terminals;
  size_t bytes() const {
    return (top.size() + blocks.size() + leaves.size() + terminals.size()) *
               sizeof(uint32_t) +
           nodes.size() * sizeof(PoptrieNode);
  }
};

class Ipv6Trie {
 public:
  // The views keep pointers into the arrays: they must outlive the view.
  explicit Ipv6Trie(const Ipv6TrieData& data)
      : Ipv6Trie(data.top, data.blocks, data.nodes, data.leaves,
                 data.terminals) {}
  Ipv6Trie(std::span<const uint32_t> top, std::span<const uint32_t> blocks,
           std::span<const PoptrieNode> nodes, std::span<const uint32_t> leaves,
           std::span<const uint32_t> terminals)
      : top_(top),
        blocks_(blocks),
        nodes_(nodes),
        leaves_(leaves),
        terminals_(terminals) {}

  // The value of the segment holding `a`.
  uint32_t Lookup(const Ipv6Addr& a) const {
    uint32_t e = top_[a.hi >> (64 - kIpv6TopBits)];
    if (!poptrie::IsNodeEntry(e)) return e;
    return Descend(e, a);
  }

  // out[i] = Lookup(addrs[i]) for i < n (what `out` held before is never
  // read).  Works on 64 addresses at a time, one level per pass (top
  // entries, then block entries and terminals, then one node level per pass
  // and starting offset), so that each pass issues up to 64 independent
  // loads.  The node passes branch only on their loop and on skip nodes:
  // how deep a lookup goes costs no misprediction.
  void LookupBatch(const Ipv6Addr* addrs, uint32_t* out, size_t n) const;

  size_t bytes() const {
    return top_.size_bytes() + blocks_.size_bytes() + nodes_.size_bytes() +
           leaves_.size_bytes() + terminals_.size_bytes();
  }

  // Proves every index the lookups can compute is in bounds (poptrie.h).
  absl::Status Validate() const;

  std::span<const uint32_t> top() const { return top_; }
  std::span<const uint32_t> blocks() const { return blocks_; }
  std::span<const PoptrieNode> nodes() const { return nodes_; }
  std::span<const uint32_t> leaves() const { return leaves_; }
  std::span<const uint32_t> terminals() const { return terminals_; }

 private:
  // Addresses per round of LookupBatch: enough independent loads per pass
  // to keep the memory system busy, few enough to stay in L1.
  static constexpr size_t kBatchBlock = 64;
  // Addresses of a round, by their index in the round, with their current
  // node (LookupBatch).
  struct PendingList {
    size_t size = 0;
    uint32_t slot[kBatchBlock];
    uint32_t node[kBatchBlock];
  };
  void Level(const Ipv6Addr* a, uint32_t* o, unsigned offset, PendingList* list,
             PendingList* done) const;
  template <bool kLowHalf>
  void LevelPass(const Ipv6Addr* a, uint32_t* o, unsigned offset,
                 PendingList* list, PendingList* done) const;

  // Bit offset of the last level, whose children are always leaves.
  static constexpr unsigned kLast = 124;

  // Below top[], from its entry `e` (a node, a terminal or a block).
  uint32_t Descend(uint32_t e, const Ipv6Addr& a) const {
    unsigned offset = kIpv6TopBits;
    if (poptrie::IsBlockEntry(e)) {
      e = blocks_[(size_t{e - poptrie::kBlockFlag} << kIpv6BlockBits) +
                  (a.hi << kIpv6TopBits >> (64 - kIpv6BlockBits))];
      if (!poptrie::IsNodeEntry(e)) return e;
      offset += kIpv6BlockBits;
    }
    // Validate() admits no block entry in a block: past nodes, terminals.
    if (poptrie::IsTerminalOrBlock(e)) {
      return poptrie::TerminalValue(terminals_.data(),
                                    e - poptrie::kTerminalFlag,
                                    poptrie::InvChunk(a.hi, offset));
    }
    return DescendFrom(nodes_.data() + (e - poptrie::kNodeFlag), offset, a);
  }

  // From node `n` at bit `offset`.  Every step consumes at least 6 bits and
  // the level at kLast (or beyond, in forged data) is read as a leaf, so
  // this takes at most 19 steps whatever the arrays hold.
  uint32_t DescendFrom(const PoptrieNode* n, unsigned offset,
                       const Ipv6Addr& a) const {
    // `w` holds the key bits from `offset` on, left-aligned.
    uint64_t w = offset < 64 ? a.hi << offset : a.lo << (offset & 63);
    while (offset < 64) {
      if (!Step(n, w, offset)) return Leaf(*n, w);
    }
    w = a.lo << (offset - 64);  // < 64: the hi loop ends below 64 + 60
    while (offset < kLast) {
      if (!Step(n, w, offset)) return Leaf(*n, w);
    }
    return Leaf(*n, w);
  }

  // Moves down one node if the key goes on below `n`; false if `n` holds
  // its answer.
  bool Step(const PoptrieNode*& n, uint64_t& w, unsigned& offset) const {
    if (!poptrie::IsSkip(*n)) {
      const uint64_t s = n->inner << (~w >> 58);
      if (!(s >> 63)) return false;
      n = nodes_.data() + n->inner_base + poptrie::Rank(s) - 1;
      w <<= 6;
      offset += 6;
    } else {
      const unsigned bits = poptrie::SkipBits(*n);
      if (((w ^ n->inner) & ~(~uint64_t{0} >> bits)) != 0) return false;
      n = nodes_.data() + n->inner_base;
      w <<= bits;
      offset += bits;
    }
    return true;
  }

  // The answer at `n` for key bits `w`: its leaf child, or for a skip node
  // the value beside the skipped path.
  uint32_t Leaf(const PoptrieNode& n, uint64_t w) const {
    if (poptrie::IsSkip(n)) return n.leaf_base;
    const unsigned inv = static_cast<unsigned>(~w >> 58);
    return leaves_[n.leaf_base + poptrie::Rank(n.leafvec << inv) - 1];
  }

  std::span<const uint32_t> top_;
  std::span<const uint32_t> blocks_;
  std::span<const PoptrieNode> nodes_;
  std::span<const uint32_t> leaves_;
  std::span<const uint32_t> terminals_;
};

}  // namespace hatmatch

#endif  // HATMATCH_ENGINE_TABLE_IPV6_TRIE_H_
