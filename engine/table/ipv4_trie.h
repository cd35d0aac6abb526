// Copyright 2026 The hatmatch Authors.
//
// ipv4_trie.h: the IPv4 lookup structure of a compiled table.
//
// An Ipv4Trie answers "the value of the segment holding this address" for an
// IntervalMap<uint32_t> (engine/table/interval_map.h) in at most five
// dependent loads (three on a routing table, the last two mostly in one
// cache line), with no allocation and no failure:
//
//   absl::StatusOr<Ipv4TrieData> data = BuildIpv4Trie(map);   // engine/compile
//   Ipv4Trie trie(*data);                                     // a view
//   uint32_t rule = trie.Lookup(0xC0000201);                  // == map.Lookup
//   trie.LookupBatch(addrs, rules, n);                        // faster per key
//
// Ipv4TrieData owns four flat arrays of fixed-width PODs and one scalar;
// Ipv4Trie is a trivially copyable view over spans of such arrays, so it can
// equally sit on a mapped file.  Data from outside (a file) must pass
// Validate() before the first lookup; after that no address can make a lookup
// read out of bounds.
//
// Memory layout: a poptrie (poptrie.h) with a direct top level of T = 16 or
// 18 bits.  The builder takes 18 for maps of 32,768 segments or more: there a
// /24 is one leaf below a first-level node, and the bigger top level pays for
// itself in nodes saved.
//
//   address bits   31 ....... 32-T | next 6 | next 6 | last 32-T-12, + 0s
//   level          top[]             node     node     node (padded)
//
//   top[]     2^T x 4 bytes (256 KiB for T = 16, 1 MiB for T = 18).  The
//             entry for addr >> (32 - T) is the value of that whole block,
//             0xA0000000 + the index of the terminal splitting it when the
//             next 6 bits settle every address of the block, else
//             0x80000000 + the index of the node splitting it.
//   terminals[]  the first level where its children are all leaves: the
//             64-bit leaf bitmap and the leaf runs in one array of 32-bit
//             words, 8 bytes + 4 per run (poptrie.h).  On a routing table
//             with T = 18 nearly every split block is a terminal: its
//             children are the /24s.
//   nodes[]   24 bytes each, inner nodes only (no skip nodes in IPv4).  The
//             third level sees the last 4 (T = 16) or 2 (T = 18) address bits
//             followed by zero bits, so its children are always leaves and
//             no lookup goes deeper.
//   leaves[]  4 bytes each: run-compressed values of the leaf children;
//             leaves[0] is kNoValue (for nodes without leaf children).
//
//   bytes = 4 * 2^T + 24 * nodes + 4 * leaves + 4 * terminal words.  Each
//   node costs 24 bytes plus 4 per run of equal leaves, each terminal 8
//   bytes plus 4 per run; a block answered by one value costs nothing below
//   top[].  With T = 18 a /24 is a single leaf child of a first-level
//   terminal or node.
//
// Values must be < 2^31 or kNoValue (rule indices always are).
//
// Direct layout.  A big map with small values takes the direct layout
// instead (ipv4_direct.h): an 18-bit top level of 16-bit entries and a code per
// /24 of every split block, two dependent loads where the poptrie takes
// three.  The builder chooses it for maps of 32,768 segments or more whose
// values and split blocks fit it; then top_bits is 18 and the poptrie
// arrays are empty.  Lookups branch once on the layout.
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
#include "engine/table/interval_map.h"
#include "engine/table/ipv4_direct.h"
#include "engine/table/poptrie.h"

namespace hatmatch {

// The owning form, as built (and as written to a table file).
struct Ipv4TrieData {
  uint32_t top_bits = 16;          // T, 16 or 18
  std::vector<uint32_t> top;       // 2^T entries
  std::vector<PoptrieNode> nodes;  // inner nodes only
  std::vector<uint32_t> leaves;    // leaves[0] == kNoValue
  std::vector<uint32_t> terminals;
  Ipv4DirectData direct;  // code_bits != 0: the direct layout, no poptrie
  size_t bytes() const {
    return (top.size() + leaves.size() + terminals.size()) * sizeof(uint32_t) +
           nodes.size() * sizeof(PoptrieNode) + direct.bytes();
  }
};

class Ipv4Trie {
 public:
  // The views keep pointers into the arrays: they must outlive the view.
  explicit Ipv4Trie(const Ipv4TrieData& data)
      : Ipv4Trie(data.top_bits, data.top, data.nodes, data.leaves,
                 data.terminals, Ipv4Direct(data.direct)) {}
  // The direct layout alone (ipv4_direct.h).
  explicit Ipv4Trie(Ipv4Direct direct)
      : Ipv4Trie(Ipv4Direct::kTopBits, {}, {}, {}, {}, direct) {}
  // The arrays of both layouts, as a table file holds them: those of the
  // layout not in use must be empty, which Validate() checks.
  Ipv4Trie(uint32_t top_bits, std::span<const uint32_t> top,
           std::span<const PoptrieNode> nodes, std::span<const uint32_t> leaves,
           std::span<const uint32_t> terminals, Ipv4Direct direct = {})
      : top_bits_(top_bits),
        top_(top),
        nodes_(nodes),
        leaves_(leaves),
        terminals_(terminals),
        direct_(direct) {}

  // The value of the segment holding `addr` (host order).
  uint32_t Lookup(uint32_t addr) const {
    if (direct_.active()) return direct_.Lookup(addr);
    uint32_t e = top_[addr >> (32 - top_bits_)];
    if (!poptrie::IsNodeEntry(e)) return e;
    // Validate() admits no blocks in IPv4: past the nodes are terminals.
    if (poptrie::IsTerminalOrBlock(e)) return Terminal(e, addr);
    return Descend(e - poptrie::kNodeFlag, addr);
  }

  // out[i] = Lookup(addrs[i]) for i < n; `out` must not overlap `addrs`.
  // Resolves the top level of a block of addresses first, then descends for
  // those that need it, so that the loads of many lookups are in flight at
  // once and the only data-dependent branches are those of the descents.
  void LookupBatch(const uint32_t* addrs, uint32_t* out, size_t n) const;
  // The same with the portable passes, or with the AVX-512 ones
  // (ipv4_batch_avx512.h) when `portable` is false and the CPU has them.
  // LookupBatch takes the AVX-512 passes where they run; tests and
  // benchmarks compare both.
  void LookupBatchWith(bool portable, const uint32_t* addrs, uint32_t* out,
                       size_t n) const;

  size_t bytes() const {
    return top_.size_bytes() + nodes_.size_bytes() + leaves_.size_bytes() +
           terminals_.size_bytes() + direct_.bytes();
  }

  // Proves every index the lookups can compute is in bounds (poptrie.h, or
  // ipv4_direct.h for the direct layout), that top_bits is 16 or 18, and
  // that the arrays of the layout not in use are empty.
  absl::Status Validate() const;

  uint32_t top_bits() const { return top_bits_; }
  std::span<const uint32_t> top() const { return top_; }
  std::span<const PoptrieNode> nodes() const { return nodes_; }
  std::span<const uint32_t> leaves() const { return leaves_; }
  std::span<const uint32_t> terminals() const { return terminals_; }
  // Active when the trie has the direct layout.
  const Ipv4Direct& direct() const { return direct_; }

 private:
  // The answer of the terminal named by top entry `e`.
  uint32_t Terminal(uint32_t e, uint32_t addr) const {
    return poptrie::TerminalValue(
        terminals_.data(), e - poptrie::kTerminalFlag,
        poptrie::InvChunk(uint64_t{addr} << 32, top_bits_));
  }

  // Below top[]: nodes at bit offsets T, T + 6 and T + 12 (the last, always
  // read as a leaf).
  uint32_t Descend(uint32_t node, uint32_t addr) const {
    const PoptrieNode* nodes = nodes_.data();
    const PoptrieNode* n = nodes + node;
    const uint64_t key = uint64_t{addr} << 32;
    const unsigned last = top_bits_ + 12;
    unsigned offset = top_bits_;
    unsigned inv = poptrie::InvChunk(key, offset);
    uint64_t s = n->inner << inv;
    while ((s >> 63) && offset < last) {
      n = nodes + n->inner_base + poptrie::Rank(s) - 1;
      offset += 6;
      inv = poptrie::InvChunk(key, offset);
      s = n->inner << inv;
    }
    return leaves_[n->leaf_base + poptrie::Rank(n->leafvec << inv) - 1];
  }

  uint32_t top_bits_;
  std::span<const uint32_t> top_;
  std::span<const PoptrieNode> nodes_;
  std::span<const uint32_t> leaves_;
  std::span<const uint32_t> terminals_;
  Ipv4Direct direct_;
};

}  // namespace hatmatch

#endif  // HATMATCH_ENGINE_TABLE_IPV4_TRIE_H_
