// Copyright 2026 The hatmatch Authors.
//
// ipv6_range_tree.h: the IPv6 lookup structure of a compiled table.
//
// An Ipv6RangeTree answers "the value of the segment holding this address"
// for an IntervalMap<Ipv6Addr> (engine/table/interval_map.h), with no
// allocation and no failure:
//
//   absl::StatusOr<Ipv6RangeTreeData> d = BuildIpv6RangeTree(map);  // compile
//   Ipv6RangeTree tree(*d);                                         // a view
//   uint32_t rule = tree.Lookup(addr);                  // == map.Lookup(addr)
//   tree.LookupBatch(addrs, rules, n);                  // faster per key
//
// It is a range table, not a trie: the segment starts of the map, cut to
// their top 64 bits, are searched in a static B+-tree of 64-byte nodes, so a
// lookup costs one node per level (five levels for a 27,700-prefix routing
// table), whatever the prefix lengths, and no branch depends on the address.
//
// The 64-bit range table.  Let K be the distinct top halves of the starts.
// For h in K, the addresses whose top half is h all fall in one segment when
// the only start with top half h is (h, 0): key h then carries that segment's
// value.  Otherwise (a prefix longer than /64 starts or ends inside h: /128
// hosts, /126 links) key h carries a refine mark, and the addresses with top
// half h are answered by a refine run, the starts inside h with their low
// halves; key h + 1 then carries the value after the run.  Equal neighbours
// are merged.  A refine mark is kRefineFlag + run index (values are below
// 2^31 or kNoValue, so the marks [2^31, 2^32 - 1) are free).
//
// The tree (an S+-tree in the sense of Khuong and Morin's "Array layouts for
// comparison-based searching", with keys shifted by one so that a strict
// comparison counts them):
//
//   keys      K[1..M] - 1 (K[0] is always 0 and is left out), so that
//             "K[j] <= x" is "key < x" and padding with 2^64 - 1 counts for
//             no x
//   leaves    the keys, 8 per 64-byte node, the last node padded; L nodes
//   internal  levels above, each of ceil(n / 9) nodes for n below; slot j of
//             node i holds the first key of child 9i + j + 1, or 2^64 - 1
//             when that child does not exist
//   tree[]    every level, root first, 8 x u64 per node, 64-byte aligned
//   values[]  8L + 1 values: values[i] for the i-th range, then kNoValue
//
//   search x: i = 0; per internal level i = 9i + #{slot < x};
//             at the leaf i = 8i + #{key < x}; answer values[i]
//
// The layout follows from L alone (values.size() = 8L + 1), so the file
// stores no shape.  Whatever the keys, every index the search can compute is
// below the level's size once Validate() has checked that the slots of
// missing children are 2^64 - 1: #{slot < x} counts only existing children.
// Forged keys can give wrong answers, never an out-of-bounds read.
//
//   refine_runs[]    R + 1 offsets into the two arrays below, increasing
//   refine_lo[]      per run, the low halves of its starts, the first 0
//   refine_values[]  their values
//
// A refine lookup is a binary search inside one run.
//
//   bytes = 64 * nodes + 4 * (8L + 1) + 4 * (R + 1) + 12 * refine starts.
//   The internal levels add an eighth to the L leaves, so a 64-bit range
//   costs about 8 * 9/8 + 4 = 13 bytes (the 2015 global routing table:
//   30,900 ranges, 402 KB, five levels; docs/benchmarks/STRUCTURES.md).
//
// LookupBatch runs the search level by level over many addresses at a
// time, so that their independent node loads are in flight: sixteen in the
// portable search; with AVX-512 (chosen at run time:
// ipv6_range_tree_avx512.h) thirty-two, a node being one 8-lane unsigned
// compare whose mask's popcount is what it adds to the child's offset.
// Refine marks are resolved after each block of 256 addresses, so the
// common case pays one vector compare per sixteen.
//
// Threads: a view is immutable; share it freely.

#ifndef HATMATCH_ENGINE_TABLE_IPV6_RANGE_TREE_H_
#define HATMATCH_ENGINE_TABLE_IPV6_RANGE_TREE_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <span>
#include <vector>

#include "absl/status/status.h"
#include "engine/table/interval_map.h"
#include "hatmatch/address.h"

namespace hatmatch {

namespace ipv6_tree {

inline constexpr unsigned kLeafKeys = 8;    // keys per leaf node
inline constexpr unsigned kFanout = 9;      // children per internal node
inline constexpr unsigned kNodeBytes = 64;  // one cache line
inline constexpr unsigned kMaxLevels = 12;  // 9^11 * 8 keys is beyond 2^34
inline constexpr uint64_t kMaxLeaves = uint64_t{1} << 28;
inline constexpr uint64_t kPad = ~uint64_t{0};
inline constexpr uint32_t kRefineFlag = 0x80000000u;

// A refine mark: [kRefineFlag, kNoValue).
inline bool IsRefine(uint32_t v) {
  return v - kRefineFlag < kNoValue - kRefineFlag;
}

// Node counts per level for `leaves` leaf nodes, root first; empty when
// `leaves` is 0 or above kMaxLeaves.
struct Shape {
  unsigned height = 0;
  std::array<uint64_t, kMaxLevels> nodes{};  // per level, root first
  std::array<uint64_t, kMaxLevels> start{};  // first node of each level
  uint64_t total = 0;                        // nodes in all levels
};
Shape ShapeFor(uint64_t leaves);

// Allocator for the tree's nodes: 64-byte aligned, so no node straddles two
// cache lines (table files align every section to 64 bytes too).
template <class T>
struct CacheLineAllocator {
  using value_type = T;
  CacheLineAllocator() = default;
  template <class U>
  explicit CacheLineAllocator(const CacheLineAllocator<U>&) {}
  T* allocate(size_t n) {
    return static_cast<T*>(
        ::operator new (n * sizeof(T), std::align_val_t{kNodeBytes}));
  }
  void deallocate(T* p, size_t) {
    ::operator delete (p, std::align_val_t{kNodeBytes});
  }
  bool operator==(const CacheLineAllocator&) const { return true; }
};

// The arrays a search reads, as plain pointers (for the batch kernels).
struct SearchRef {
  const uint64_t* tree;
  const uint32_t* values;
  unsigned height;
  const uint64_t* level_start;  // Shape::start
};

// The number of keys of `node` below x.  Counted key by key (a compare and
// an add-with-carry each, no dependency between them), as the AVX-512
// search counts them, so every search gives the same index even for keys
// that are not sorted.
inline unsigned CountBelow(const uint64_t* node, uint64_t x) {
  unsigned c = 0;
  for (unsigned j = 0; j < kLeafKeys; ++j) c += node[j] < x;
  return c;
}

// The range index of x: the search of the header comment.
inline uint64_t RangeIndex(const SearchRef& t, uint64_t x) {
  uint64_t i = 0;
  for (unsigned l = 0; l + 1 < t.height; ++l) {
    i = i * kFanout +
        CountBelow(t.tree + (t.level_start[l] + i) * kLeafKeys, x);
  }
  const uint64_t* leaf = t.tree + (t.level_start[t.height - 1] + i) * kLeafKeys;
  return i * kLeafKeys + CountBelow(leaf, x);
}

}  // namespace ipv6_tree

// The owning form, as built (and as written to a table file).
struct Ipv6RangeTreeData {
  std::vector<uint64_t, ipv6_tree::CacheLineAllocator<uint64_t>> tree;
  std::vector<uint32_t> values;
  std::vector<uint32_t> refine_runs;  // {0} when there is no run
  std::vector<uint64_t> refine_lo;
  std::vector<uint32_t> refine_values;
};

class Ipv6RangeTree {
 public:
  // The view keeps pointers into the arrays: they must outlive it.
  explicit Ipv6RangeTree(const Ipv6RangeTreeData& d)
      : Ipv6RangeTree(d.tree, d.values, d.refine_runs, d.refine_lo,
                      d.refine_values) {}
  Ipv6RangeTree(std::span<const uint64_t> tree,
                std::span<const uint32_t> values,
                std::span<const uint32_t> refine_runs,
                std::span<const uint64_t> refine_lo,
                std::span<const uint32_t> refine_values);

  // The value of the segment holding `a`.  Precondition: Validate() passed.
  uint32_t Lookup(const Ipv6Addr& a) const {
    const uint32_t v = values_[ipv6_tree::RangeIndex(Ref(), a.hi)];
    return ipv6_tree::IsRefine(v) ? Refine(v, a.lo) : v;
  }

  // out[i] = Lookup(addrs[i]) for i < n (what `out` held before is never
  // read).  AVX-512 where the CPU has it (thirty-two addresses per level
  // step), else the portable search (sixteen).
  void LookupBatch(const Ipv6Addr* addrs, uint32_t* out, size_t n) const;
  // The same with the portable search forced (tests, benchmarks).
  void LookupBatchPortable(const Ipv6Addr* addrs, uint32_t* out,
                           size_t n) const;

  size_t bytes() const {
    return tree_.size_bytes() + values_.size_bytes() +
           refine_runs_.size_bytes() + refine_lo_.size_bytes() +
           refine_values_.size_bytes();
  }

  // Proves every index a lookup can compute is in bounds: the shape implied
  // by values().size(), the tree's size, the slots of missing children,
  // refine marks naming existing runs, runs non-empty and increasing.  Does
  // not check that values are rule indices (the table's validation does).
  // Linear in the arrays.
  absl::Status Validate() const;

  std::span<const uint64_t> tree() const { return tree_; }
  std::span<const uint32_t> values() const { return values_; }
  std::span<const uint32_t> refine_runs() const { return refine_runs_; }
  std::span<const uint64_t> refine_lo() const { return refine_lo_; }
  std::span<const uint32_t> refine_values() const { return refine_values_; }

 private:
  ipv6_tree::SearchRef Ref() const {
    return {tree_.data(), values_.data(), shape_.height, shape_.start.data()};
  }
  // The answer for low half `lo` in the run of mark `v`.
  uint32_t Refine(uint32_t v, uint64_t lo) const;
  void LookupBatchWith(bool portable, const Ipv6Addr* addrs, uint32_t* out,
                       size_t n) const;

  std::span<const uint64_t> tree_;
  std::span<const uint32_t> values_;
  std::span<const uint32_t> refine_runs_;
  std::span<const uint64_t> refine_lo_;
  std::span<const uint32_t> refine_values_;
  ipv6_tree::Shape shape_;
};

}  // namespace hatmatch

#endif  // HATMATCH_ENGINE_TABLE_IPV6_RANGE_TREE_H_
