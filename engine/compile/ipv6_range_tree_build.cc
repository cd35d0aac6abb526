// Copyright 2026 The hatmatch Authors.
// Building the IPv6 range tree (layout in engine/table/ipv6_range_tree.h).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/compile/builders.h"
#include "engine/table/interval_map.h"
#include "engine/table/ipv6_range_tree.h"
#include "hatmatch/address.h"

namespace hatmatch {

namespace {

using ipv6_tree::kFanout;
using ipv6_tree::kLeafKeys;

absl::Status CheckMap(const IntervalMap<Ipv6Addr>& map) {
  if (map.starts.empty() || map.starts.size() != map.values.size() ||
      !(map.starts[0] == KeyTraits<Ipv6Addr>::kMin)) {
    return absl::InvalidArgumentError(
        "ipv6 range tree: the map does not start at ::");
  }
  for (size_t i = 1; i < map.starts.size(); ++i) {
    if (!(map.starts[i - 1] < map.starts[i])) {
      return absl::InvalidArgumentError(
          "ipv6 range tree: the map's starts are not increasing");
    }
  }
  for (uint32_t v : map.values) {
    if (v >= ipv6_tree::kRefineFlag && v != kNoValue) {
      return absl::InvalidArgumentError(
          "ipv6 range tree: a value does not fit below 2^31");
    }
  }
  return absl::OkStatus();
}

// The 64-bit range table of the map: keys (K, from 0) and their values or
// refine marks, the refine runs in `d`.
struct Ranges {
  std::vector<uint64_t> keys;
  std::vector<uint32_t> values;
  void Add(uint64_t key, uint32_t value) {
    if (!values.empty() && values.back() == value) return;  // merge
    keys.push_back(key);
    values.push_back(value);
  }
};

Ranges CutToTopHalves(const IntervalMap<Ipv6Addr>& map, Ipv6RangeTreeData* d) {
  Ranges r;
  d->refine_runs = {0};
  const size_t n = map.starts.size();
  uint32_t before = kNoValue;  // the value of the segment below the group
  for (size_t i = 0, j; i < n; i = j) {
    const uint64_t h = map.starts[i].hi;
    for (j = i + 1; j < n && map.starts[j].hi == h; ++j) {
    }
    if (j == i + 1 && map.starts[i].lo == 0) {
      r.Add(h, map.values[i]);
      before = map.values[i];
      continue;
    }
    // A run: the starts inside h, from low half 0.
    if (map.starts[i].lo != 0) {
      d->refine_lo.push_back(0);
      d->refine_values.push_back(before);
    }
    for (size_t k = i; k < j; ++k) {
      d->refine_lo.push_back(map.starts[k].lo);
      d->refine_values.push_back(map.values[k]);
    }
    const uint32_t run = static_cast<uint32_t>(d->refine_runs.size() - 1);
    d->refine_runs.push_back(static_cast<uint32_t>(d->refine_lo.size()));
    r.Add(h, ipv6_tree::kRefineFlag + run);  // never equal to its neighbour
    before = map.values[j - 1];
    if (h != ~uint64_t{0} && (j == n || map.starts[j].hi != h + 1)) {
      r.Add(h + 1, before);
    }
  }
  return r;
}

// The tree over keys[1..] - 1 and the padded values (header comment).
void LayOut(const Ranges& r, Ipv6RangeTreeData* d) {
  const uint64_t m = r.keys.size() - 1;
  const uint64_t leaves =
      std::max<uint64_t>(1, (m + kLeafKeys - 1) / kLeafKeys);
  const ipv6_tree::Shape shape = ipv6_tree::ShapeFor(leaves);
  d->tree.assign(shape.total * kLeafKeys, ipv6_tree::kPad);
  uint64_t* leaf_keys =
      d->tree.data() + shape.start[shape.height - 1] * kLeafKeys;
  for (uint64_t j = 0; j < m; ++j) leaf_keys[j] = r.keys[j + 1] - 1;
  d->values.assign(leaves * kLeafKeys + 1, kNoValue);
  std::copy(r.values.begin(), r.values.end(), d->values.begin());
  // Internal levels, bottom up: slot j of node i is the first key of child
  // 9i + j + 1, whose first leaf is that child's index times `span` leaves.
  uint64_t span = 1;  // leaves under one node of the level below
  for (unsigned l = shape.height - 1; l-- > 0;) {
    uint64_t* level = d->tree.data() + shape.start[l] * kLeafKeys;
    for (uint64_t i = 0; i < shape.nodes[l]; ++i) {
      for (unsigned j = 0; j < kLeafKeys; ++j) {
        const uint64_t child = i * kFanout + j + 1;
        if (child < shape.nodes[l + 1]) {
          level[i * kLeafKeys + j] = leaf_keys[child * span * kLeafKeys];
        }
      }
    }
    span *= kFanout;
  }
}

}  // namespace

absl::StatusOr<Ipv6RangeTreeData> BuildIpv6RangeTree(
    const IntervalMap<Ipv6Addr>& map) {
  if (absl::Status s = CheckMap(map); !s.ok()) return s;
  Ipv6RangeTreeData d;
  const Ranges r = CutToTopHalves(map, &d);
  if (r.keys.size() - 1 > ipv6_tree::kMaxLeaves * kLeafKeys ||
      d.refine_runs.size() > ipv6_tree::kRefineFlag - 1) {
    return absl::ResourceExhaustedError("ipv6 range tree: too many ranges");
  }
  LayOut(r, &d);
  return d;
}

}  // namespace hatmatch
