// Copyright 2026 The hatmatch Authors.
//
// poptrie.h: the node format of the IPv4 trie.
//
// The trie (ipv4_trie.h) answers "the value of the segment of
// an IntervalMap that holds this address" from flat arrays of fixed-width
// PODs (host byte order, which is little-endian on every target hatmatch
// supports), in the spirit of poptrie (Asai and Ohara, SIGCOMM 2015):
//
//   top[]     direct-indexed by the first top_bits address bits: a value, or
//             the index of the node that splits that span further (IPv6:
//             or of a block, a second direct-indexed level)
//   blocks[]  IPv6 only: 4,096-entry direct-indexed levels under busy /16s
//   nodes[]   64-way nodes, each consuming the next 6 address bits (IPv6
//             also has skip nodes, which consume several levels at once)
//   leaves[]  the values of the leaf children of every node, runs of equal
//             neighbours stored once
//   terminals[]  64-way nodes all of whose children are leaves, when a top
//             or block entry names them: the leaf bitmap and the leaf runs
//             side by side (see "Terminals" below)
//
// There are no pointers, only indices, so the arrays can be written to a file
// and mapped back without relocation.  ValidatePoptrie() proves, in one linear
// pass, that every index a lookup can compute from any address stays in
// bounds.  The lookups bound the depth themselves (every step moves at least
// 6 bits down, and the last level is always read as a leaf), so arrays that
// pass validation can give wrong answers if forged, but can never make a
// lookup read outside them or loop.
//
// This header is internal to engine/table; users see Ipv4Trie.  Blocks and
// skip nodes (below) are for 128-bit keys; the IPv4 shape admits neither,
// and IPv6 addresses are searched in a range tree (ipv6_range_tree.h).

#ifndef HATMATCH_ENGINE_TABLE_POPTRIE_H_
#define HATMATCH_ENGINE_TABLE_POPTRIE_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <type_traits>

#include "absl/status/status.h"

namespace hatmatch {

// One node: 24 bytes, 8-byte aligned, no padding.  Two kinds, told apart by
// bit 0 of the second word.
//
// Inner node (leafvec bit 0 = 1): 64 children, one per value c of the next 6
// address bits.
//
//   byte  0..7    inner       bit c = 1: child c is a node
//   byte  8..15   leafvec     bit c = 1: a new leaf run starts at child c
//   byte 16..19   inner_base  index in nodes[] of the first node child
//   byte 20..23   leaf_base   index in leaves[] of the first leaf run
//
//   node child c:  nodes [inner_base + popcount(inner   & bits 0..c) - 1]
//   leaf child c:  leaves[leaf_base  + popcount(leafvec & bits 0..c) - 1]
//
// The node children of a node are contiguous in nodes[], its leaf runs are
// contiguous in leaves[].  Leaf compression: leafvec marks only the leaf
// children whose value differs from the previous leaf child (node children in
// between do not break a run), so a node whose 60 leaf children hold 3
// distinct runs stores 3 values, not 60.  Bit 0 of leafvec is always set, so
// the count above is never zero; a node without leaf children still points
// leaf_base at a valid slot (slot 0).
//
// In the lookup the mask "bits 0..c" is a left shift by 63 - c, which also
// moves bit c into the sign bit:  s = inner << (63 - c);  node child iff
// s >> 63;  rank = popcount(s).
//
// Skip node (leafvec bit 0 = 0; IPv6 only): path compression.  A run of
// levels where each node has a single node child and all its other children
// hold the same value V becomes one node (the format allows 1 to 10 levels;
// the builder makes runs of 3 or more):
//
//   byte  0..7    inner       the skipped address bits, left-aligned
//   byte  8..15   leafvec     (levels - 1) << 1, so 0, 2, ..., 18
//   byte 16..19   inner_base  index in nodes[] of the node below the run
//   byte 20..23   leaf_base   V itself (a value, not an index)
//
// If the next 6 * levels address bits equal the skipped bits the lookup goes
// on at nodes[inner_base], 6 * levels bits further down; otherwise the answer
// is V.  A run never crosses the boundary between the two 64-bit halves of an
// IPv6 address.  Sparse maps (a few long prefixes or single hosts in a big
// block) thus cost a few nodes per boundary instead of one per level.
struct PoptrieNode {
  uint64_t inner;
  uint64_t leafvec;
  uint32_t inner_base;
  uint32_t leaf_base;
};
static_assert(sizeof(PoptrieNode) == 24);
static_assert(alignof(PoptrieNode) == 8);
static_assert(std::is_trivially_copyable_v<PoptrieNode>);
static_assert(std::is_standard_layout_v<PoptrieNode>);

namespace poptrie {

// Entries of top[] (and of blocks[]) are 32 bits:
//
//   0x00000000 .. 0x7FFFFFFF   a value (the answer)
//   0xFFFFFFFF                 kNoValue (the answer)
//   0x80000000 .. 0x9FFFFFFF   a node, index = entry - 0x80000000
//   0xA0000000 .. 0xBFFFFFFF   a terminal, index in terminals[] =
//                              entry - 0xA0000000
//   0xC0000000 .. 0xFFFFFFFE   IPv6 top[] only: a block, index = entry -
//                              0xC0000000
//
// So values stored in a trie must be below 2^31 or kNoValue; the builders
// reject anything else.  One unsigned compare tells a value from the rest,
// one more a node from a terminal.
//
// A block (IPv6 only) is a second direct-indexed level of 2^12 entries under
// one top entry, each a value, a node or a terminal (never a block); the
// blocks are concatenated in blocks[].  The builder gives a block to the few
// /16s whose subtree is big, so that their lookups start 12 bits further
// down.
//
// Terminals.  Most top entries of a routing table that need splitting at all
// need it only once: below an IPv4 /18, the 64 children are /24s, and hardly
// any /18 holds a longer prefix.  A node whose children are all leaves,
// named from top[] or blocks[], is stored as a terminal instead: 32-bit words
//
//   terminals[i], terminals[i + 1]   leafvec, low word first
//   terminals[i + 2 ...]             its popcount(leafvec) leaf runs
//
// The lookup reads the bitmap and then the run beside it, usually in the
// same cache line, where a node costs a load of the node and a second,
// independent cache miss in leaves[]; and the terminal takes 8 bytes where
// the node took 24.  Terminals are concatenated; ValidatePoptrie() walks
// them and accepts only entries that name the start of one.
inline constexpr uint32_t kNodeFlag = 0x80000000u;
inline constexpr uint32_t kTerminalFlag = 0xA0000000u;
inline constexpr uint32_t kBlockFlag = 0xC0000000u;
inline constexpr uint32_t kMaxValue = 0x7FFFFFFFu;
inline constexpr int kMaxSkipLevels = 10;  // a whole half: 64 / 6

// Not a value: a node, a terminal or a block.
constexpr bool IsNodeEntry(uint32_t e) { return e + 1 > kNodeFlag; }
constexpr uint32_t NodeEntry(uint32_t index) { return kNodeFlag + index; }
// A terminal, given that `e` is not a value (IsNodeEntry) and, where blocks
// exist, not a block.
constexpr bool IsTerminalOrBlock(uint32_t e) { return e >= kTerminalFlag; }
constexpr bool IsTerminalEntry(uint32_t e) {
  return e >= kTerminalFlag && e < kBlockFlag;
}
constexpr uint32_t TerminalEntry(uint32_t index) {
  return kTerminalFlag + index;
}
// Only meaningful where blocks exist (IPv6).
constexpr bool IsBlockEntry(uint32_t e) { return e + 1 > kBlockFlag; }
constexpr uint32_t BlockEntry(uint32_t index) { return kBlockFlag + index; }

// 63 - c, where c is the 6-bit chunk of `word` starting at bit `offset` from
// the top (offset 0..63); bits below the word's end read as zero, which is
// how the last, shorter level of a trie is padded to 6 bits.
inline unsigned InvChunk(uint64_t word, unsigned offset) {
  return static_cast<unsigned>(~(word << offset) >> 58);
}

inline uint32_t Rank(uint64_t shifted) {
  return static_cast<uint32_t>(__builtin_popcountll(shifted));
}

// The leaf bitmap of the terminal at terminals[index].
inline uint64_t TerminalLeafvec(const uint32_t* terminals, size_t index) {
  uint64_t leafvec;
  std::memcpy(&leafvec, terminals + index, sizeof leafvec);
  return leafvec;
}

// The answer of the terminal at terminals[index] for the child whose chunk
// gives `inv` (InvChunk): bit 0 of leafvec is set, so the rank is >= 1 and
// the value read is one of the terminal's own runs.
inline uint32_t TerminalValue(const uint32_t* terminals, size_t index,
                              unsigned inv) {
  return terminals[index + 1 + Rank(TerminalLeafvec(terminals, index) << inv)];
}

// Calls f(value) for every leaf run of every terminal in an array that
// ValidatePoptrie() has accepted.
template <class F>
void ForEachTerminalRun(std::span<const uint32_t> terminals, F f) {
  for (size_t i = 0; i + 2 <= terminals.size();) {
    const uint32_t runs = Rank(TerminalLeafvec(terminals.data(), i));
    for (uint32_t r = 0; r < runs && i + 2 + r < terminals.size(); ++r) {
      f(terminals[i + 2 + r]);
    }
    i += 2 + runs;
  }
}

constexpr bool IsSkip(const PoptrieNode& n) { return (n.leafvec & 1) == 0; }
// Address bits a skip node consumes: 6, 12, ..., 60 (for a validated node;
// at most 96 for any node).
constexpr unsigned SkipBits(const PoptrieNode& n) {
  return 6 * ((static_cast<unsigned>(n.leafvec >> 1) & 15) + 1);
}

// Checks every invariant the lookups rely on (see PoptrieNode): top[] has
// 2^top_bits entries, blocks[] is whole blocks of 2^block_bits entries (none
// when block_bits is 0), entries and node children name existing nodes and
// blocks, entries name terminals only at the start of one, terminals[] is a
// whole number of well-formed terminals, every leaf run lies inside leaves[],
// and skip nodes appear only where `allow_skip`.
struct PoptrieShape {
  int top_bits;
  int block_bits;  // 0: no blocks
  bool allow_skip;
};
absl::Status ValidatePoptrie(PoptrieShape shape, std::span<const uint32_t> top,
                             std::span<const uint32_t> blocks,
                             std::span<const PoptrieNode> nodes,
                             std::span<const uint32_t> leaves,
                             std::span<const uint32_t> terminals);

}  // namespace poptrie
}  // namespace hatmatch

#endif  // HATMATCH_ENGINE_TABLE_POPTRIE_H_
