// Copyright 2026 The hatmatch Authors.
//
// priority_map.h: the priority interval map, the hinge of the compiler.
//
// The IP entries of a rule set are inclusive ranges, each with a priority
// (its global entry index: lower wins, see rules.h).  BuildPriorityMap()
// turns them into an IntervalMap (engine/table/interval_map.h): a partition
// of the whole key space into maximal segments, each labelled with the
// lowest priority covering it, or kNoValue.  Every fast IP structure (tries,
// DPDK peers) is built from such a map, and the lint and diff analyses
// compute on it directly.  Build cost: O(n log n).

#ifndef HATMATCH_ENGINE_TABLE_PRIORITY_MAP_H_
#define HATMATCH_ENGINE_TABLE_PRIORITY_MAP_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <queue>
#include <type_traits>
#include <utility>
#include <vector>

#include "engine/base/huge_pages.h"
#include "engine/table/interval_map.h"
#include "engine/table/radix_sort.h"

namespace hatmatch {

template <class K>
struct PrioritizedRange {
  K lo, hi;           // inclusive, lo <= hi
  uint32_t priority;  // lower wins; must not be kNoValue
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
  if constexpr (std::is_same_v<K, uint32_t>) {
    RadixSortByKey(
        &ranges, [](const PrioritizedRange<K>& r) -> uint32_t { return r.lo; });
  } else {
    std::sort(ranges.begin(), ranges.end(),
              [](const PrioritizedRange<K>& a, const PrioritizedRange<K>& b) {
                return a.lo < b.lo;
              });
  }
  // Every point where the answer may change: each lo, and each hi + 1.
  std::vector<K> bounds;
  base::ReserveHuge(bounds, 2 * ranges.size() + 1);
  bounds.push_back(T::kMin);
  for (const auto& r : ranges) {
    bounds.push_back(r.lo);
    if (r.hi != T::kMax) bounds.push_back(T::Next(r.hi));
  }
  if constexpr (std::is_same_v<K, uint32_t>) {
    RadixSortByKey(&bounds, [](uint32_t b) { return b; });
  } else {
    std::sort(bounds.begin(), bounds.end());
  }
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

#endif  // HATMATCH_ENGINE_TABLE_PRIORITY_MAP_H_
