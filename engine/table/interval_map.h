// Copyright 2026 The hatmatch Authors.
//
// interval_map.h: the interval map, the shape every IP side table and every
// fast IP structure is built from.
//
// An IntervalMap partitions the whole key space into maximal segments, each
// labelled with a value (an entry or rule index) or kNoValue:
//
//   starts:  0        10.0.0.0   10.0.0.128  10.0.1.0   11.0.0.0
//   values:  none     7          3           7          none
//
// Segment i is [starts[i], starts[i+1] - 1] (the last one runs to the top of
// the key space).  Adjacent segments always carry different values.  The
// compiler builds them (engine/table/priority_map.h); the run-time reads
// them through IntervalMapView (interval_map_view.h).

#ifndef HATMATCH_ENGINE_TABLE_INTERVAL_MAP_H_
#define HATMATCH_ENGINE_TABLE_INTERVAL_MAP_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <vector>

#include "hatmatch/address.h"

namespace hatmatch {

inline constexpr uint32_t kNoValue = std::numeric_limits<uint32_t>::max();

// The key space of an interval map: its lowest and highest key and the
// neighbours of a key.  Unsigned integers here, IPv6 addresses below.
template <class K>
struct KeyTraits {
  static_assert(std::is_unsigned_v<K>);
  static constexpr K kMin = 0;
  static constexpr K kMax = std::numeric_limits<K>::max();
  static constexpr K Next(K k) { return k + 1; }
  static constexpr K Prev(K k) { return k - 1; }
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

}  // namespace hatmatch

#endif  // HATMATCH_ENGINE_TABLE_INTERVAL_MAP_H_
