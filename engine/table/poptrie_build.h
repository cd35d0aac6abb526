// Copyright 2026 The hatmatch Authors.
//
// poptrie_build.h: builds the arrays of poptrie.h from an interval map.
// Internal to engine/table (used by ipv4_trie.cc and ipv6_trie.cc).
//
// The trie is built straight from the segments, never from prefixes: a child
// whose whole address span lies inside one segment is a leaf holding that
// segment's value; any other child is an inner node, split again 6 bits
// further down.  Children are visited in address order with a cursor into the
// segment list, so a node costs 64 steps plus the segments it spans: the
// whole build is O(64 * nodes + depth * segments), and every segment boundary
// creates at most one node per level, so nodes <= depth * segments.
//
// Layout: the inner children of a node are allocated as one block right
// after the node's whole left context, depth first, so each /16 subtree is
// contiguous in nodes[].

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

  Builder(std::span<const U> starts, std::span<const uint32_t> values)
      : starts_(starts), values_(values) {}

  absl::Status Build(std::vector<uint32_t>* top,
                     std::vector<PoptrieNode>* nodes,
                     std::vector<uint32_t>* leaves) {
    if (absl::Status s = CheckMap(); !s.ok()) return s;
    top_ = top;
    nodes_ = nodes;
    leaves_ = leaves;
    top->assign(kTopSize, kNoValue);
    nodes->assign(1, PoptrieNode{0, 1, 0, 0});  // the sink
    leaves->assign(1, kNoValue);
    constexpr int kSpanBits = kWidth - kTopBits;
    size_t seg = 0;
    for (size_t t = 0; t < kTopSize; ++t) {
      U lo = static_cast<U>(t) << kSpanBits;
      U hi = lo | ((U{1} << kSpanBits) - 1);
      seg = Advance(seg, lo);
      if (Single(seg, hi)) {
        (*top)[t] = values_[seg];
        continue;
      }
      if (nodes->size() >= kMaxNodes) return TooBig();
      uint32_t slot = static_cast<uint32_t>(nodes->size());
      nodes->push_back(PoptrieNode{});
      (*top)[t] = NodeEntry(slot);
      if (absl::Status s = Fill(slot, kTopBits, lo, seg); !s.ok()) return s;
    }
    return absl::OkStatus();
  }

 private:
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
    return absl::ResourceExhaustedError("trie: more than 2^31 nodes");
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

  // Fills nodes[slot], the node whose span is `pfx` (the first `offset` bits)
  // followed by anything; `seg` holds its first key.
  absl::Status Fill(uint32_t slot, int offset, U pfx, size_t seg) {
    const int span_bits = kWidth - offset - 6;
    uint64_t inner = 0;
    uint32_t vals[64];
    size_t segs[64];
    U los[64];
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
      los[c] = lo;
      segs[c] = seg;
      if (Single(seg, hi)) {
        vals[c] = values_[seg];
      } else {
        inner |= uint64_t{1} << c;
      }
    }

    uint64_t leafvec = 1;
    uint32_t leaf_base = 0;
    bool any_leaf = false;
    uint32_t prev = 0;
    for (unsigned c = 0; c < 64; ++c) {
      if (inner >> c & 1) continue;
      if (!any_leaf) {
        if (leaves_->size() > UINT32_MAX - 64) return TooBig();
        leaf_base = static_cast<uint32_t>(leaves_->size());
        leaves_->push_back(vals[c]);
        any_leaf = true;
      } else if (vals[c] != prev) {
        leaves_->push_back(vals[c]);
        leafvec |= uint64_t{1} << c;
      }
      prev = vals[c];
    }

    uint32_t inner_base = 0;
    if (inner != 0) {
      size_t k = static_cast<size_t>(__builtin_popcountll(inner));
      if (nodes_->size() + k > kMaxNodes) return TooBig();
      inner_base = static_cast<uint32_t>(nodes_->size());
      nodes_->resize(nodes_->size() + k);
    }
    (*nodes_)[slot] = PoptrieNode{inner, leafvec, inner_base, leaf_base};

    uint32_t child = inner_base;
    for (unsigned c = 0; c < 64; ++c) {
      if (!(inner >> c & 1)) continue;
      if (absl::Status s = Fill(child++, offset + 6, los[c], segs[c]);
          !s.ok()) {
        return s;
      }
    }
    return absl::OkStatus();
  }

  std::span<const U> starts_;
  std::span<const uint32_t> values_;
  std::vector<uint32_t>* top_ = nullptr;
  std::vector<PoptrieNode>* nodes_ = nullptr;
  std::vector<uint32_t>* leaves_ = nullptr;
};

}  // namespace poptrie
}  // namespace hatmatch

#endif  // HATMATCH_ENGINE_TABLE_POPTRIE_BUILD_H_
