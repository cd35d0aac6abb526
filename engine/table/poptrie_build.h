// Copyright 2026 The hatmatch Authors.
//
// poptrie_build.h: builds the arrays of poptrie.h from an interval map.
// Internal to engine/table (used by ipv4_trie.cc and ipv6_trie.cc).
//
// The trie is built straight from the segments, never from prefixes: a child
// whose whole address span lies inside one segment is a leaf holding that
// segment's value; any other child is a node, split again 6 bits further
// down.  Children are scanned in address order with a cursor into the
// segment list, so a node costs 64 steps plus the segments it spans.  Every
// segment boundary creates at most one node per level, so the whole build is
// O(64 * levels * segments) in the worst case and usually far less; with
// skip nodes a lone boundary deep in a big block costs a handful of nodes,
// not one per level.
//
// Layout: each top entry's subtree is contiguous in nodes[] (depth first),
// and the children of a node are one block, as the format requires.

#ifndef HATMATCH_ENGINE_TABLE_POPTRIE_BUILD_H_
#define HATMATCH_ENGINE_TABLE_POPTRIE_BUILD_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "engine/compile/interval_map.h"
#include "engine/table/poptrie.h"

namespace hatmatch {
namespace poptrie {

// U is the key as an unsigned integer of exactly the address width
// (uint32_t for IPv4, unsigned __int128 for IPv6).
template <class U>
class Builder {
 public:
  static constexpr int kWidth = static_cast<int>(sizeof(U) * 8);

  // `shape`: the format to build (poptrie.h); a top entry gets a block when
  // its subtree would have at least `block_min_nodes` nodes.
  Builder(PoptrieShape shape, size_t block_min_nodes, std::span<const U> starts,
          std::span<const uint32_t> values)
      : shape_(shape),
        block_min_nodes_(block_min_nodes),
        max_nodes_(shape.block_bits > 0 ? kBlockFlag - kNodeFlag
                                        : kNodeFlag - 1),
        starts_(starts),
        values_(values) {}

  absl::Status Build(std::vector<uint32_t>* top, std::vector<uint32_t>* blocks,
                     std::vector<PoptrieNode>* nodes,
                     std::vector<uint32_t>* leaves) {
    if (absl::Status s = CheckMap(); !s.ok()) return s;
    nodes_ = nodes;
    leaves_ = leaves;
    const size_t top_size = size_t{1} << shape_.top_bits;
    const int span_bits = kWidth - shape_.top_bits;
    top->assign(top_size, kNoValue);
    blocks->clear();
    nodes->clear();
    leaves->assign(1, kNoValue);  // slot 0, for nodes without leaf children
    size_t seg = 0;
    for (size_t t = 0; t < top_size; ++t) {
      U lo = static_cast<U>(t) << span_bits;
      U hi = lo | ((U{1} << span_bits) - 1);
      seg = Advance(seg, lo);
      const size_t nodes_before = nodes->size();
      const size_t leaves_before = leaves->size();
      if (absl::Status s = Entry(shape_.top_bits, lo, hi, seg, &(*top)[t]);
          !s.ok()) {
        return s;
      }
      if (shape_.block_bits == 0 ||
          nodes->size() - nodes_before < block_min_nodes_) {
        continue;
      }
      // A big subtree: redo it below a block of 2^block_bits entries.
      nodes->resize(nodes_before);
      leaves->resize(leaves_before);
      const size_t block_size = size_t{1} << shape_.block_bits;
      const size_t b = blocks->size() / block_size;
      if (b >= ~uint32_t{0} - kBlockFlag) return TooBig();
      (*top)[t] = BlockEntry(static_cast<uint32_t>(b));
      blocks->resize(blocks->size() + block_size);
      const int offset = shape_.top_bits + shape_.block_bits;
      const int sub_bits = kWidth - offset;
      size_t sub_seg = seg;
      for (size_t i = 0; i < block_size; ++i) {
        U sub_lo = lo | static_cast<U>(i) << sub_bits;
        U sub_hi = sub_lo | ((U{1} << sub_bits) - 1);
        sub_seg = Advance(sub_seg, sub_lo);
        if (absl::Status s = Entry(offset, sub_lo, sub_hi, sub_seg,
                                   &(*blocks)[b * block_size + i]);
            !s.ok()) {
          return s;
        }
      }
    }
    return absl::OkStatus();
  }

 private:
  // The 64 children of the node at `offset` whose span starts at `pfx`.
  struct Scan {
    uint64_t inner;     // which children are nodes
    uint32_t vals[64];  // the value of each leaf child
    size_t segs[64];    // the segment holding each child's first key
    U los[64];          // each child's first key
  };

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

  // Sets *entry for the span lo..hi, whose first `offset` bits are fixed:
  // its value, or a new node that splits it.
  absl::Status Entry(int offset, U lo, U hi, size_t seg, uint32_t* entry) {
    if (Single(seg, hi)) {
      *entry = values_[seg];
      return absl::OkStatus();
    }
    if (nodes_->size() >= max_nodes_) return TooBig();
    uint32_t slot = static_cast<uint32_t>(nodes_->size());
    nodes_->push_back(PoptrieNode{});
    *entry = NodeEntry(slot);
    return Fill(slot, offset, lo, seg);
  }

  // The segment holding `lo`, searching forward from segment `seg`.
  size_t Advance(size_t seg, U lo) const {
    while (seg + 1 < starts_.size() && starts_[seg + 1] <= lo) ++seg;
    return seg;
  }
  // Whether segment `seg` (which holds the span's first key) reaches `hi`.
  bool Single(size_t seg, U hi) const {
    return seg + 1 == starts_.size() || starts_[seg + 1] > hi;
  }

  void ScanNode(int offset, U pfx, size_t seg, Scan* s) const {
    const int span_bits = kWidth - offset - 6;
    s->inner = 0;
    for (unsigned c = 0; c < 64; ++c) {
      U lo, hi;
      if (span_bits >= 0) {
        lo = pfx | (static_cast<U>(c) << span_bits);
        hi = lo | ((U{1} << span_bits) - 1);
      } else {
        // The last level has fewer than 6 address bits: the chunk is padded
        // with zero bits, so 2^-span_bits children share one address.
        lo = hi = pfx | (static_cast<U>(c) >> -span_bits);
      }
      seg = Advance(seg, lo);
      s->los[c] = lo;
      s->segs[c] = seg;
      if (Single(seg, hi)) {
        s->vals[c] = values_[seg];
      } else {
        s->inner |= uint64_t{1} << c;
      }
    }
  }

  // A node with one node child (returned in *child) whose other children all
  // hold one value (returned in *value).
  static bool PassThrough(const Scan& s, unsigned* child, uint32_t* value) {
    if (__builtin_popcountll(s.inner) != 1) return false;
    *child = static_cast<unsigned>(__builtin_ctzll(s.inner));
    *value = s.vals[*child == 0 ? 1 : 0];
    for (unsigned c = 0; c < 64; ++c) {
      if (c != *child && s.vals[c] != *value) return false;
    }
    return true;
  }

  // Fills nodes[slot], the node whose span is `pfx` (its first `offset` bits)
  // followed by anything; `seg` holds its first key.
  absl::Status Fill(uint32_t slot, int offset, U pfx, size_t seg) {
    Scan s;
    ScanNode(offset, pfx, seg, &s);
    unsigned child;
    uint32_t value;
    if (shape_.allow_skip && PassThrough(s, &child, &value)) {
      return FillSkip(slot, offset, s, child, value);
    }

    uint64_t leafvec = 1;
    uint32_t leaf_base = 0;
    bool any_leaf = false;
    uint32_t prev = 0;
    for (unsigned c = 0; c < 64; ++c) {
      if (s.inner >> c & 1) continue;
      if (!any_leaf) {
        if (leaves_->size() > UINT32_MAX - 64) return TooBig();
        // Runs often go on across node boundaries: the previous node's last
        // leaf may serve as this node's first.
        if (leaves_->back() == s.vals[c]) {
          leaf_base = static_cast<uint32_t>(leaves_->size() - 1);
        } else {
          leaf_base = static_cast<uint32_t>(leaves_->size());
          leaves_->push_back(s.vals[c]);
        }
        any_leaf = true;
      } else if (s.vals[c] != prev) {
        leaves_->push_back(s.vals[c]);
        leafvec |= uint64_t{1} << c;
      }
      prev = s.vals[c];
    }

    uint32_t inner_base = 0;
    if (s.inner != 0) {
      size_t k = static_cast<size_t>(__builtin_popcountll(s.inner));
      if (nodes_->size() + k > max_nodes_) return TooBig();
      inner_base = static_cast<uint32_t>(nodes_->size());
      nodes_->resize(nodes_->size() + k);
    }
    (*nodes_)[slot] = PoptrieNode{s.inner, leafvec, inner_base, leaf_base};

    uint32_t next = inner_base;
    for (unsigned c = 0; c < 64; ++c) {
      if (!(s.inner >> c & 1)) continue;
      if (absl::Status st = Fill(next++, offset + 6, s.los[c], s.segs[c]);
          !st.ok()) {
        return st;
      }
    }
    return absl::OkStatus();
  }

  // The node at `offset` (scanned into `s`) passes through to `child`, all
  // else being `value`: extend the run down while the next levels do the
  // same with the same value, within one 64-bit half of the key and at most
  // kMaxSkipLevels, and emit one skip node for it.
  absl::Status FillSkip(uint32_t slot, int offset, const Scan& s,
                        unsigned child, uint32_t value) {
    uint64_t bits = child;
    int levels = 1;
    U pfx = s.los[child];
    size_t seg = s.segs[child];
    Scan t;
    while (levels < kMaxSkipLevels && offset % 64 + 6 * (levels + 1) <= 64) {
      ScanNode(offset + 6 * levels, pfx, seg, &t);
      unsigned c;
      uint32_t v;
      if (!PassThrough(t, &c, &v) || v != value) break;
      bits = bits << 6 | c;
      ++levels;
      pfx = t.los[c];
      seg = t.segs[c];
    }
    if (nodes_->size() >= max_nodes_) return TooBig();
    uint32_t below = static_cast<uint32_t>(nodes_->size());
    nodes_->push_back(PoptrieNode{});
    (*nodes_)[slot] =
        PoptrieNode{bits << (64 - 6 * levels),
                    static_cast<uint64_t>(levels - 1) << 1, below, value};
    return Fill(below, offset + 6 * levels, pfx, seg);
  }

  const PoptrieShape shape_;
  const size_t block_min_nodes_;
  const size_t max_nodes_;
  std::span<const U> starts_;
  std::span<const uint32_t> values_;
  std::vector<PoptrieNode>* nodes_ = nullptr;
  std::vector<uint32_t>* leaves_ = nullptr;
};

}  // namespace poptrie
}  // namespace hatmatch

#endif  // HATMATCH_ENGINE_TABLE_POPTRIE_BUILD_H_
