// Copyright 2026 The hatmatch Authors.
//
// interval_map.h: the priority interval map, the hinge of the compiler.
//
// The IP entries of a rule set are inclusive ranges, each with a priority
// (its global entry index: lower wins, see rules.h).  BuildPriorityMap()
// turns them into a partition of the whole key space into maximal segments,
// each labelled with the lowest priority covering it, or kNoValue:
//
//   starts:  0        10.0.0.0   10.0.0.128  10.0.1.0   11.0.0.0
//   values:  none     7          3           7          none
//
// Segment i is [starts[i], starts[i+1] - 1] (the last one runs to the top of
// the key space).  Adjacent segments always carry different values.  Every
// fast IP structure (tries, DPDK peers) is built from such a map, and the lint
// and diff analyses compute on it directly.  Build cost: O(n log n).

#ifndef HATMATCH_ENGINE_COMPILE_INTERVAL_MAP_H_
#define HATMATCH_ENGINE_COMPILE_INTERVAL_MAP_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <queue>
#include <utility>
#include <vector>

#include "hatmatch/address.h"

namespace hatmatch {

inline constexpr uint32_t kNoValue = std::numeric_limits<uint32_t>::max();

template <class K>
struct KeyTraits;

template <>
struct KeyTraits<uint32_t> {
  static constexpr uint32_t kMin = 0;
  static constexpr uint32_t kMax = std::numeric_limits<uint32_t>::max();
  static constexpr uint32_t Next(uint32_t k) { return k + 1; }
  static constexpr uint32_t Prev(uint32_t k) { return k - 1; }
};

template <>
struct KeyTraits<uint64_t> {
  static constexpr uint64_t kMin = 0;
  static constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
  static constexpr uint64_t Next(uint64_t k) { return k + 1; }
  static constexpr uint64_t Prev(uint64_t k) { return k - 1; }
};

template <>
struct KeyTraits<Ipv6Addr> {
  static constexpr Ipv6Addr kMin{0, 0};
  static constexpr Ipv6Addr kMax{~uint64_t{0}, ~uint64_t{0}};
  static constexpr Ipv6Addr Next(Ipv6Addr k) {
    return k.lo == ~uint64_t{0} ? Ipv6Addr{k.hi + 1, 0}
                                : Ipv6Addr{k.hi, k.lo + 1};
  }
  static constexpr Ipv6Addr Prev(Ipv6Addr k) {
    return k.lo == 0 ? Ipv6Addr{k.hi - 1, ~uint64_t{0}}
                     : Ipv6Addr{k.hi, k.lo - 1};
  }
};

template <class K>
struct PrioritizedRange {
  K lo, hi;           // inclusive, lo <= hi
  uint32_t priority;  // lower wins; must not be kNoValue
};

template <class K>
struct IntervalMap {
  std::vector<K> starts;         // starts[0] == KeyTraits<K>::kMin
  std::vector<uint32_t> values;  // same size as starts

  size_t size() const { return starts.size(); }
  K last_of(size_t i) const {
    return i + 1 < starts.size() ? KeyTraits<K>::Prev(starts[i + 1])
                                 : KeyTraits<K>::kMax;
  }
  // Index of the segment holding k.  O(log n); for tests and cold paths.
  size_t SegmentOf(K k) const {
    return static_cast<size_t>(
               std::upper_bound(starts.begin(), starts.end(), k) -
               starts.begin()) -
           1;
  }
  uint32_t Lookup(K k) const { return values[SegmentOf(k)]; }
};

// Relabels every segment with f(value) (kNoValue stays kNoValue) and merges
// neighbours that end up equal.  Used to go from entry to rule granularity.
template <class K, class F>
IntervalMap<K> Relabel(const IntervalMap<K>& in, F f) {
  IntervalMap<K> out;
  out.starts.reserve(in.size());
  out.values.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    uint32_t v = in.values[i] == kNoValue ? kNoValue : f(in.values[i]);
    if (!out.values.empty() && out.values.back() == v) continue;
    out.starts.push_back(in.starts[i]);
    out.values.push_back(v);
  }
  return out;
}

template <class K>
IntervalMap<K> BuildPriorityMap(std::vector<PrioritizedRange<K>> ranges) {
  using T = KeyTraits<K>;
  std::sort(ranges.begin(), ranges.end(),
            [](const PrioritizedRange<K>& a, const PrioritizedRange<K>& b) {
              return a.lo < b.lo;
            });
  // Every point where the answer may change: each lo, and each hi + 1.
  std::vector<K> bounds;
  bounds.reserve(2 * ranges.size() + 1);
  bounds.push_back(T::kMin);
  for (const auto& r : ranges) {
    bounds.push_back(r.lo);
    if (r.hi != T::kMax) bounds.push_back(T::Next(r.hi));
  }
  std::sort(bounds.begin(), bounds.end());
  bounds.erase(std::unique(bounds.begin(), bounds.end()), bounds.end());

  // Sweep: a min-heap of (priority, hi) of the ranges started so far; ranges
  // that ended are dropped lazily when they surface at the top.
  using Item = std::pair<uint32_t, K>;
  auto cmp = [](const Item& a, const Item& b) { return a.first > b.first; };
  std::priority_queue<Item, std::vector<Item>, decltype(cmp)> heap(cmp);
  IntervalMap<K> out;
  size_t next = 0;
  for (const K& b : bounds) {
    while (next < ranges.size() && ranges[next].lo <= b) {
      heap.emplace(ranges[next].priority, ranges[next].hi);
      ++next;
    }
    while (!heap.empty() && heap.top().second < b) heap.pop();
    uint32_t v = heap.empty() ? kNoValue : heap.top().first;
    if (!out.values.empty() && out.values.back() == v) continue;
    out.starts.push_back(b);
    out.values.push_back(v);
  }
  return out;
}

}  // namespace hatmatch

#endif  // HATMATCH_ENGINE_COMPILE_INTERVAL_MAP_H_
