// Copyright 2026 The hatmatch Authors.
//
// poptrie_build.h: builds the arrays of poptrie.h from an interval map.
// Internal to engine/compile (used by ipv4_trie_build.cc).
//
// The trie is built straight from the segments, never from prefixes: a child
// whose whole address span lies inside one segment is a leaf holding that
// segment's value; any other child is a node, split again 6 bits further
// down.  Children are scanned in address order with a cursor into the
// segment list, so an inner node costs 64 steps plus the segments it spans.
//
// Costs.  An inner node exists only where at least two children differ, so
// there are fewer inner nodes than segments per level with boundaries.  A
// node whose boundaries all fall inside one child and whose other children
// hold one value is a pass-through; runs of them become skip nodes (IPv6),
// found from the span's first and last boundary alone in O(levels), so a
// lone boundary deep in a big block costs a few nodes and no 64-way scans.
// Whole build: O(64 * inner nodes + levels * segments + nodes * log
// segments), linear in the map for any fixed address width.
//
// Layout: each top or block entry's subtree is contiguous in nodes[] (depth
// first), and the children of a node are one run, as the format requires.
// A top or block entry whose node would have leaf children only becomes a
// terminal instead (always smaller and faster, poptrie.h).

#ifndef HATMATCH_ENGINE_COMPILE_POPTRIE_BUILD_H_
#define HATMATCH_ENGINE_COMPILE_POPTRIE_BUILD_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "engine/table/poptrie.h"
#include "engine/table/priority_map.h"

namespace hatmatch {
namespace poptrie {

// Runs of fewer pass-through levels stay inner nodes: a skip node costs the
// lookup a hard-to-predict branch (skip or not), which for one or two levels
// outweighs the levels saved (docs/benchmarks/STRUCTURES.md).
// Sparse maps, where skips matter for memory, have runs of 7 to 10 levels.
inline constexpr int kMinSkipLevels = 3;

// U is the key as an unsigned integer of exactly the address width
// (uint32_t for IPv4, unsigned __int128 for IPv6).
template <class U>
class Builder {
 public:
  static constexpr int kWidth = static_cast<int>(sizeof(U) * 8);

  // `shape`: the format to build (poptrie.h).  A top entry whose span holds
  // at least `block_min_segments` segments gets a block (if the shape has
  // blocks).
  Builder(PoptrieShape shape, size_t block_min_segments,
          std::span<const U> starts, std::span<const uint32_t> values)
      : shape_(shape),
        block_min_segments_(block_min_segments),
        max_nodes_(kTerminalFlag - kNodeFlag),
        starts_(starts),
        values_(values) {}

  absl::Status Build(std::vector<uint32_t>* top, std::vector<uint32_t>* blocks,
                     std::vector<PoptrieNode>* nodes,
                     std::vector<uint32_t>* leaves,
                     std::vector<uint32_t>* terminals) {
    if (absl::Status s = CheckMap(); !s.ok()) return s;
    nodes_ = nodes;
    leaves_ = leaves;
    terminals_ = terminals;
    terminals->clear();
    const size_t top_size = size_t{1} << shape_.top_bits;
    const int span_bits = kWidth - shape_.top_bits;
    top->assign(top_size, kNoValue);
    blocks->clear();
    nodes->clear();
    leaves->assign(1, kNoValue);  // slot 0, for nodes without leaf children
    size_t seg = 0;
    for (size_t t = 0; t < top_size; ++t) {
      const U lo = static_cast<U>(t) << span_bits;
      const U hi = lo | Ones(span_bits);
      seg = Advance(seg, lo);
      if (shape_.block_bits == 0 ||
          SegmentFrom(seg, hi) - seg + 1 < block_min_segments_) {
        if (absl::Status s = Entry(shape_.top_bits, lo, hi, seg, &(*top)[t]);
            !s.ok()) {
          return s;
        }
        continue;
      }
      // A busy span: a block of 2^block_bits entries below the top entry.
      const size_t block_size = size_t{1} << shape_.block_bits;
      const size_t b = blocks->size() / block_size;
      if (b >= ~uint32_t{0} - kBlockFlag) return TooBig();
      (*top)[t] = BlockEntry(static_cast<uint32_t>(b));
      blocks->resize(blocks->size() + block_size);
      const int offset = shape_.top_bits + shape_.block_bits;
      const int sub_bits = kWidth - offset;
      size_t sub_seg = seg;
      for (size_t i = 0; i < block_size; ++i) {
        const U sub_lo = lo | static_cast<U>(i) << sub_bits;
        sub_seg = Advance(sub_seg, sub_lo);
        if (absl::Status s = Entry(offset, sub_lo, sub_lo | Ones(sub_bits),
                                   sub_seg, &(*blocks)[b * block_size + i]);
            !s.ok()) {
          return s;
        }
      }
    }
    return absl::OkStatus();
  }

 private:
  // What Fill learns about the 64 children of a node.
  struct Children {
    uint64_t inner = 0;    // which children are nodes
    int count = 0;         // how many
    U lo[64];              // first key of each node child, in order
    size_t seg[64];        // the segment holding it
    uint64_t leafvec = 1;  // the node's leaf runs, already in leaves[]
    uint32_t leaf_base = 0;
  };

  static U Ones(int bits) {
    return bits <= 0 ? U{0} : ~U{0} >> (kWidth - bits);
  }

  absl::Status CheckMap() const {
    if (starts_.empty() || starts_.size() != values_.size() ||
        starts_[0] != 0) {
      return absl::InvalidArgumentError(
          "trie: the interval map must start at address 0, one value per "
          "segment");
    }
    for (size_t i = 0; i < values_.size(); ++i) {
      if (i > 0 && !(starts_[i - 1] < starts_[i])) {
        return absl::InvalidArgumentError(
            absl::StrCat("trie: segment starts not increasing at ", i));
      }
      if (values_[i] > kMaxValue && values_[i] != kNoValue) {
        return absl::InvalidArgumentError(
            absl::StrCat("trie: value ", values_[i], " of segment ", i,
                         " is not below 2^31 (nor kNoValue)"));
      }
    }
    return absl::OkStatus();
  }

  static absl::Status TooBig() {
    return absl::ResourceExhaustedError("trie: too many nodes or blocks");
  }

  // The segment holding `lo`, searching forward from segment `seg`.
  size_t Advance(size_t seg, U lo) const {
    while (seg + 1 < starts_.size() && starts_[seg + 1] <= lo) ++seg;
    return seg;
  }
  // The segment holding `k` >= starts_[seg], by galloping from `seg`: cost
  // logarithmic in the distance, which is mostly small.
  size_t SegmentFrom(size_t seg, U k) const {
    size_t step = 1;
    while (seg + step < starts_.size() && starts_[seg + step] <= k) {
      seg += step;
      step *= 2;
    }
    // Now starts_[seg] <= k < starts_[seg + step] (or the end).
    const size_t end = std::min(seg + step, starts_.size());
    return static_cast<size_t>(std::upper_bound(starts_.begin() + seg + 1,
                                                starts_.begin() + end, k) -
                               starts_.begin()) -
           1;
  }
  // Whether segment `seg` (which holds the span's first key) reaches `hi`.
  bool Single(size_t seg, U hi) const {
    return seg + 1 == starts_.size() || starts_[seg + 1] > hi;
  }

  // Sets *entry (of top[] or blocks[]) for the span lo..hi, whose first
  // `offset` bits are fixed: its value, a terminal, or a new node that
  // splits it.
  absl::Status Entry(int offset, U lo, U hi, size_t seg, uint32_t* entry) {
    if (Single(seg, hi)) {
      *entry = values_[seg];
      return absl::OkStatus();
    }
    // Scan the children once to see whether they are all leaves; the runs
    // ScanChildren appends to leaves[] move to terminals[] or are dropped
    // (the node's Fill scans again: only top and block entries pay this).
    const size_t mark = leaves_->size();
    Children ch;
    if (absl::Status st = ScanChildren(offset, lo, seg, &ch); !st.ok()) {
      return st;
    }
    if (ch.count == 0) {
      const uint32_t runs = Rank(ch.leafvec);
      if (terminals_->size() + 2 + runs > kBlockFlag - kTerminalFlag) {
        return TooBig();
      }
      *entry = TerminalEntry(static_cast<uint32_t>(terminals_->size()));
      terminals_->push_back(static_cast<uint32_t>(ch.leafvec));
      terminals_->push_back(static_cast<uint32_t>(ch.leafvec >> 32));
      terminals_->insert(terminals_->end(), leaves_->begin() + ch.leaf_base,
                         leaves_->begin() + ch.leaf_base + runs);
      leaves_->resize(mark);
      return absl::OkStatus();
    }
    leaves_->resize(mark);
    if (nodes_->size() >= max_nodes_) return TooBig();
    uint32_t slot = static_cast<uint32_t>(nodes_->size());
    nodes_->push_back(PoptrieNode{});
    *entry = NodeEntry(slot);
    return Fill(slot, offset, lo, seg);
  }

  // Classifies the children of the node at `offset` whose span starts at
  // `pfx` (held by segment `seg`), appending its leaf runs to leaves[].  Works
  // run by run: children that lie wholly in one segment are handled
  // together, so the cost is the number of boundaries in the span, plus the
  // segments inside node children (which their own nodes will see again).
  absl::Status ScanChildren(int offset, U pfx, size_t seg, Children* ch) {
    const int sb = kWidth - offset - 6;  // bits below a child; < 0: padded
    const U last = pfx | Ones(kWidth - offset);
    // The last level has fewer than 6 address bits: the chunk is padded with
    // zero bits, so 2^-sb children share one address.
    auto child_lo = [&](unsigned c) -> U {
      return sb >= 0 ? pfx | static_cast<U>(c) << sb
                     : pfx | static_cast<U>(c) >> -sb;
    };
    auto child_of = [&](U key) -> unsigned {
      return static_cast<unsigned>(sb >= 0 ? (key - pfx) >> sb
                                           : (key - pfx) << -sb);
    };
    bool any_leaf = false;
    uint32_t prev = 0;
    // Leaf children from..64 (or up to the next node child) hold v.
    auto leaf_run = [&](unsigned from, uint32_t v) -> absl::Status {
      if (any_leaf && v == prev) return absl::OkStatus();
      if (leaves_->size() > UINT32_MAX - 64) return TooBig();
      if (!any_leaf) {
        any_leaf = true;
        // Runs often go on across node boundaries: the previous node's last
        // leaf may serve as this node's first.
        if (leaves_->back() == v) {
          ch->leaf_base = static_cast<uint32_t>(leaves_->size() - 1);
        } else {
          ch->leaf_base = static_cast<uint32_t>(leaves_->size());
          leaves_->push_back(v);
        }
      } else {
        leaves_->push_back(v);
        ch->leafvec |= uint64_t{1} << from;
      }
      prev = v;
      return absl::OkStatus();
    };
    for (unsigned c = 0; c < 64;) {
      // Here segment `seg` holds the first key of child c.
      if (seg + 1 == starts_.size() || starts_[seg + 1] > last) {
        return leaf_run(c, values_[seg]);  // one segment to the span's end
      }
      const unsigned cb = child_of(starts_[seg + 1]);
      if (cb > c) {
        if (absl::Status s = leaf_run(c, values_[seg]); !s.ok()) return s;
        c = cb;
      }
      // Child c holds the next boundary.
      const U lo = child_lo(c);
      seg = Advance(seg, lo);
      if (Single(seg, sb >= 0 ? lo | Ones(sb) : lo)) {
        if (absl::Status s = leaf_run(c, values_[seg]); !s.ok()) return s;
      } else {
        ch->inner |= uint64_t{1} << c;
        ch->lo[ch->count] = lo;
        ch->seg[ch->count] = seg;
        ++ch->count;
      }
      if (++c < 64) seg = Advance(seg, child_lo(c));
    }
    return absl::OkStatus();
  }

  // Fills nodes[slot], the node whose span is `pfx` (its first `offset` bits)
  // followed by anything; `seg` holds its first key and the span holds at
  // least one more segment.
  absl::Status Fill(uint32_t slot, int offset, U pfx, size_t seg) {
    if (shape_.allow_skip) {
      bool done;
      if (absl::Status st = TrySkip(slot, offset, pfx, seg, &done);
          !st.ok() || done) {
        return st;
      }
    }
    Children ch;
    if (absl::Status st = ScanChildren(offset, pfx, seg, &ch); !st.ok()) {
      return st;
    }
    uint32_t inner_base = 0;
    if (ch.count > 0) {
      if (nodes_->size() + ch.count > max_nodes_) return TooBig();
      inner_base = static_cast<uint32_t>(nodes_->size());
      nodes_->resize(nodes_->size() + ch.count);
    }
    (*nodes_)[slot] =
        PoptrieNode{ch.inner, ch.leafvec, inner_base, ch.leaf_base};
    for (int k = 0; k < ch.count; ++k) {
      if (absl::Status st =
              Fill(inner_base + k, offset + 6, ch.lo[k], ch.seg[k]);
          !st.ok()) {
        return st;
      }
    }
    return absl::OkStatus();
  }

  // The 64 key bits from bit 64 * half on, left-aligned (IPv4: the 32 bits
  // followed by zeros), and whether all key bits after those are zero.
  static uint64_t Word(U k, int half) {
    if constexpr (kWidth <= 64) {
      return static_cast<uint64_t>(k) << (64 - kWidth);
    } else {
      return static_cast<uint64_t>(half == 0 ? k >> 64 : k);
    }
  }
  static bool RestZero(U k, int half) {
    if constexpr (kWidth <= 64) {
      return true;
    } else {
      return half == 1 || static_cast<uint64_t>(k) == 0;
    }
  }
  // Whether key bits from `from` (0..64, within word w of a key whose later
  // words are all zero iff rest_zero) on are all zero.
  static bool ZeroFrom(uint64_t w, int from, bool rest_zero) {
    return rest_zero && (from >= 64 || (w << from) == 0);
  }

  // If the node at `offset` starts a run of at least kMinSkipLevels
  // pass-throughs with one value, fills nodes[slot] with a skip node for the
  // longest such run (at most kMaxSkipLevels, within one 64-bit half of the
  // key), builds the node below it, and sets *done.
  //
  // All the span's boundaries lie between its first boundary f and its last
  // l; the keys before f are in segment `seg`, those from l on in segment
  // `last`.  A level passes through iff f and l fall in the same child, that
  // child is not one whole segment (l is not its first key), and the
  // children before and after it (those that exist) hold the run's value.
  // Deeper levels see the same l and `last`, and the same f unless the child
  // starts right at f, so the run is found in O(levels) 64-bit steps without
  // scanning any children.
  absl::Status TrySkip(uint32_t slot, int offset, U pfx, size_t seg,
                       bool* done) {
    *done = false;
    const int half = offset / 64;
    int o = offset % 64;  // offset within the half
    if (o + 6 > 64 || kWidth - offset - 6 < 0) return absl::OkStatus();
    const size_t last = SegmentFrom(seg, pfx | Ones(kWidth - offset));
    const U l = starts_[last];
    const uint64_t lw = Word(l, half);
    const bool l_rest = RestZero(l, half);
    uint64_t fw = Word(starts_[seg + 1], half);
    bool f_rest = RestZero(starts_[seg + 1], half);
    uint64_t bits = 0;
    int levels = 0;
    uint32_t value = 0;
    while (levels < kMaxSkipLevels && o + 6 <= 64 &&
           kWidth - (64 * half + o) - 6 >= 0) {
      const uint64_t cf = fw << o >> 58;
      if (cf != lw << o >> 58) break;
      if (ZeroFrom(lw, o + 6, l_rest)) break;  // the child is l's segment
      const bool before = cf != 0, after = cf != 63;
      if (levels == 0) value = before ? values_[seg] : values_[last];
      if ((before && values_[seg] != value) ||
          (after && values_[last] != value)) {
        break;
      }
      bits = bits << 6 | cf;
      ++levels;
      if (ZeroFrom(fw, o + 6, f_rest)) {    // the child starts at f: its
        ++seg;                              // first boundary is the next one
        fw = Word(starts_[seg + 1], half);  // (there is one: l is further)
        f_rest = RestZero(starts_[seg + 1], half);
      }
      o += 6;
    }
    if (levels < kMinSkipLevels) return absl::OkStatus();
    *done = true;
    offset = 64 * half + o;
    pfx = l & ~Ones(kWidth - offset);  // l lies in the span below the run
    if (nodes_->size() >= max_nodes_) return TooBig();
    const uint32_t below = static_cast<uint32_t>(nodes_->size());
    nodes_->push_back(PoptrieNode{});
    (*nodes_)[slot] =
        PoptrieNode{bits << (64 - 6 * levels),
                    static_cast<uint64_t>(levels - 1) << 1, below, value};
    return Fill(below, offset, pfx, seg);
  }

  const PoptrieShape shape_;
  const size_t block_min_segments_;
  const size_t max_nodes_;
  std::span<const U> starts_;
  std::span<const uint32_t> values_;
  std::vector<PoptrieNode>* nodes_ = nullptr;
  std::vector<uint32_t>* leaves_ = nullptr;
  std::vector<uint32_t>* terminals_ = nullptr;
};

}  // namespace poptrie
}  // namespace hatmatch

#endif  // HATMATCH_ENGINE_COMPILE_POPTRIE_BUILD_H_
