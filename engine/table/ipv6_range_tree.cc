// Copyright 2026 The hatmatch Authors.
// The IPv6 range tree: its shape, validation, refine runs and the portable
// batch (layout in ipv6_range_tree.h).

#include "engine/table/ipv6_range_tree.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

#include "absl/status/status.h"
#include "engine/table/ipv6_range_tree_avx512.h"
#include "fmt/format.h"
#include "hatmatch/address.h"

namespace hatmatch {

namespace ipv6_tree {

Shape ShapeFor(uint64_t leaves) {
  Shape s;
  if (leaves == 0 || leaves > kMaxLeaves) return s;
  // Leaves first, then reversed so that the root comes first.
  uint64_t n = leaves;
  s.nodes[s.height++] = n;
  while (n > 1) {
    n = (n + kFanout - 1) / kFanout;
    s.nodes[s.height++] = n;
  }
  std::reverse(s.nodes.begin(), s.nodes.begin() + s.height);
  for (unsigned l = 0; l < s.height; ++l) {
    s.start[l] = s.total;
    s.total += s.nodes[l];
  }
  return s;
}

}  // namespace ipv6_tree

namespace {

using ipv6_tree::kFanout;
using ipv6_tree::kLeafKeys;

// Addresses per level step of the batch: independent node loads in flight.
constexpr size_t kGroup = 16;
// Addresses per block of the batch, whose refine marks are resolved
// together.
constexpr size_t kBlock = 256;

// Lists in `lanes` the j < n where out[j] is a refine mark; returns how many.
size_t FindRefines(const uint32_t* out, size_t n, uint32_t* lanes) {
  size_t found = 0;
  for (size_t j = 0; j < n; ++j) {
    lanes[found] = static_cast<uint32_t>(j);
    found += ipv6_tree::IsRefine(out[j]);
  }
  return found;
}

// One group of the portable batch: o[k] = the range value of a[k].
void SearchGroup(const ipv6_tree::SearchRef& t, const Ipv6Addr* a,
                 uint32_t* o) {
  uint64_t idx[kGroup] = {};
  for (unsigned l = 0; l + 1 < t.height; ++l) {
    const uint64_t* level = t.tree + t.level_start[l] * kLeafKeys;
    for (size_t k = 0; k < kGroup; ++k) {
      idx[k] = idx[k] * kFanout +
               ipv6_tree::CountBelow(level + idx[k] * kLeafKeys, a[k].hi);
    }
  }
  const uint64_t* leaves = t.tree + t.level_start[t.height - 1] * kLeafKeys;
  for (size_t k = 0; k < kGroup; ++k) {
    const uint64_t* leaf = leaves + idx[k] * kLeafKeys;
    o[k] = t.values[idx[k] * kLeafKeys + ipv6_tree::CountBelow(leaf, a[k].hi)];
  }
}

}  // namespace

Ipv6RangeTree::Ipv6RangeTree(std::span<const uint64_t> tree,
                             std::span<const uint32_t> values,
                             std::span<const uint32_t> refine_runs,
                             std::span<const uint64_t> refine_lo,
                             std::span<const uint32_t> refine_values)
    : tree_(tree),
      values_(values),
      refine_runs_(refine_runs),
      refine_lo_(refine_lo),
      refine_values_(refine_values),
      shape_(ipv6_tree::ShapeFor(
          values.empty() ? 0 : (values.size() - 1) / kLeafKeys)) {}

absl::Status Ipv6RangeTree::Validate() const {
  auto bad = [](std::string_view why) {
    return absl::DataLossError(fmt::format("ipv6 range tree: {}", why));
  };
  if (values_.size() < kLeafKeys + 1 || (values_.size() - 1) % kLeafKeys != 0 ||
      shape_.height == 0) {
    return bad(
        fmt::format("{} values is not 8 per leaf plus one (at most "
                    "2^28 leaves)",
                    values_.size()));
  }
  if (tree_.size() != shape_.total * kLeafKeys) {
    return bad(fmt::format("{} keys, the shape needs {}", tree_.size(),
                           shape_.total * kLeafKeys));
  }
  // A slot whose child does not exist must count for no address.
  for (unsigned l = 0; l + 1 < shape_.height; ++l) {
    const uint64_t* level = tree_.data() + shape_.start[l] * kLeafKeys;
    const uint64_t below = shape_.nodes[l + 1];
    for (uint64_t i = 0; i < shape_.nodes[l]; ++i) {
      for (unsigned j = 0; j < kLeafKeys; ++j) {
        if (i * kFanout + j + 1 >= below &&
            level[i * kLeafKeys + j] != ipv6_tree::kPad) {
          return bad(
              fmt::format("level {} node {} names a missing child", l, i));
        }
      }
    }
  }
  const size_t runs = refine_runs_.empty() ? 0 : refine_runs_.size() - 1;
  if (refine_runs_.empty() || refine_runs_[0] != 0 ||
      refine_runs_.back() != refine_lo_.size() ||
      refine_lo_.size() != refine_values_.size()) {
    return bad("refine runs do not cover the refine arrays");
  }
  for (size_t r = 0; r < runs; ++r) {
    if (refine_runs_[r] >= refine_runs_[r + 1]) {
      return bad(fmt::format("refine run {} is empty or reversed", r));
    }
  }
  for (uint32_t v : values_) {
    if (ipv6_tree::IsRefine(v) && v - ipv6_tree::kRefineFlag >= runs) {
      return bad(fmt::format("refine mark {:#x} names a missing run", v));
    }
  }
  for (uint32_t v : refine_values_) {
    if (ipv6_tree::IsRefine(v)) return bad("refine mark inside a run");
  }
  return absl::OkStatus();
}

uint32_t Ipv6RangeTree::Refine(uint32_t v, uint64_t lo) const {
  const size_t r = v - ipv6_tree::kRefineFlag;
  const uint64_t* begin = refine_lo_.data() + refine_runs_[r];
  const uint64_t* end = refine_lo_.data() + refine_runs_[r + 1];
  // The last start at or below lo; a run starts at 0, so there is one
  // (forged runs that do not: their first value).
  const uint64_t* at = std::upper_bound(begin, end, lo);
  const size_t i =
      static_cast<size_t>(std::max(at - 1, begin) - refine_lo_.data());
  return refine_values_[i];
}

void Ipv6RangeTree::LookupBatchWith(bool portable, const Ipv6Addr* addrs,
                                    uint32_t* out, size_t n) const {
  const bool avx512 = !portable && Ipv6TreeAvx512Usable();
  const ipv6_tree::SearchRef t = Ref();
  uint32_t refine[kBlock];
  for (size_t base = 0; base < n; base += kBlock) {
    const size_t m = std::min(kBlock, n - base);
    const Ipv6Addr* a = addrs + base;
    uint32_t* o = out + base;
    size_t j = 0;
    if (avx512) {
      j = Ipv6TreeSearchAvx512(t, a, o, m);
    } else {
      for (; j + kGroup <= m; j += kGroup) SearchGroup(t, a + j, o + j);
    }
    for (; j < m; ++j) o[j] = values_[ipv6_tree::RangeIndex(t, a[j].hi)];
    // Addresses in a /64 that holds a longer boundary: rare on routing
    // tables, listed after the whole block so the common case costs one
    // compare per sixteen values.
    const size_t nr = avx512 ? Ipv6FindRefinesAvx512(o, m, refine)
                             : FindRefines(o, m, refine);
    for (size_t k = 0; k < nr; ++k) {
      o[refine[k]] = Refine(o[refine[k]], a[refine[k]].lo);
    }
  }
}

void Ipv6RangeTree::LookupBatch(const Ipv6Addr* addrs, uint32_t* out,
                                size_t n) const {
  LookupBatchWith(false, addrs, out, n);
}

void Ipv6RangeTree::LookupBatchPortable(const Ipv6Addr* addrs, uint32_t* out,
                                        size_t n) const {
  LookupBatchWith(true, addrs, out, n);
}

}  // namespace hatmatch
