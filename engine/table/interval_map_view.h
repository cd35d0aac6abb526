// Copyright 2026 The hatmatch Authors.
//
// interval_map_view.h: an IntervalMap (engine/table/interval_map.h) seen
// through spans, so the same lookup runs over compiled vectors or over a
// mapped table file.  Lookup is a binary search: O(log segments).
//
// Validate() is what makes a view over untrusted bytes safe: equal sizes, at
// least one segment, starts[0] == the minimum key, strictly increasing
// starts, and every value below `value_limit` or kNoValue.  After it, no key
// can make Lookup() read outside the spans or return an out-of-range index.

#ifndef HATMATCH_ENGINE_TABLE_INTERVAL_MAP_VIEW_H_
#define HATMATCH_ENGINE_TABLE_INTERVAL_MAP_VIEW_H_

#include <algorithm>
#include <cstdint>
#include <span>
#include <string_view>

#include "absl/status/status.h"
#include "engine/table/interval_map.h"
#include "fmt/format.h"

namespace hatmatch {

template <class K>
struct IntervalMapView {
  std::span<const K> starts;
  std::span<const uint32_t> values;

  IntervalMapView() = default;
  IntervalMapView(std::span<const K> s, std::span<const uint32_t> v)
      : starts(s), values(v) {}
  explicit IntervalMapView(const IntervalMap<K>& m)
      : starts(m.starts), values(m.values) {}

  size_t size() const { return starts.size(); }
  size_t bytes() const { return starts.size_bytes() + values.size_bytes(); }

  // Precondition: Validate() passed (there is a segment starting at kMin).
  uint32_t Lookup(K k) const {
    const size_t i = static_cast<size_t>(
        std::upper_bound(starts.begin(), starts.end(), k) - starts.begin());
    return values[i - 1];
  }

  absl::Status Validate(std::string_view what, uint32_t value_limit) const {
    auto bad = [what](std::string_view why) {
      return absl::DataLossError(fmt::format("{}: {}", what, why));
    };
    if (starts.size() != values.size()) return bad("sizes differ");
    if (starts.empty()) return bad("no segment");
    if (!(starts[0] == KeyTraits<K>::kMin)) {
      return bad("first segment does not start at the lowest key");
    }
    for (size_t i = 1; i < starts.size(); ++i) {
      if (!(starts[i - 1] < starts[i])) return bad("starts not increasing");
    }
    for (uint32_t v : values) {
      if (v != kNoValue && v >= value_limit) {
        return bad(
            fmt::format("value {} out of range (limit {})", v, value_limit));
      }
    }
    return absl::OkStatus();
  }
};

}  // namespace hatmatch

#endif  // HATMATCH_ENGINE_TABLE_INTERVAL_MAP_VIEW_H_
