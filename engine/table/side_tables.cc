// Copyright 2026 The hatmatch Authors.
//
// The IP side tables of a table (table_impl.h): built from the metadata's
// entry values on first use instead of being stored in the table file, so
// an opened table neither reads nor validates 15 MB (at 1M entries) that
// only explanations need.  The maps equal the ones the compiler builds: the
// same entries (those of rules that can decide, in entry order) through the
// same BuildPriorityMap().

#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "engine/table/interval_map.h"
#include "engine/table/metadata.h"
#include "engine/table/priority_map.h"
#include "engine/table/table_impl.h"

namespace hatmatch {
namespace {

struct SideMaps {
  IntervalMap<uint32_t> v4;
  IntervalMap<Ipv6Addr> v6;
};

// Precondition: meta passed Validate() (rules tile the entries, every value
// index is in range).
std::shared_ptr<const SideMaps> BuildSideMaps(const MetadataView& meta) {
  std::vector<PrioritizedRange<uint32_t>> v4;
  std::vector<PrioritizedRange<Ipv6Addr>> v6;
  v4.reserve(meta.ipv4.size());
  v6.reserve(meta.ipv6.size());
  for (const RuleRecord& r : meta.rules) {
    if (!CanDecide(static_cast<Action>(r.action))) continue;
    for (uint32_t e = r.first_entry; e < r.first_entry + r.entry_count; ++e) {
      const uint32_t value = meta.entries[e].value;
      const uint32_t i = value & kValueIndexMask;
      switch (static_cast<ValueKind>(value >> kValueIndexBits)) {
        case ValueKind::kIpv4:
          v4.push_back({meta.ipv4[i].lo, meta.ipv4[i].hi, e});
          break;
        case ValueKind::kIpv6:
          v6.push_back({meta.ipv6[i].lo, meta.ipv6[i].hi, e});
          break;
        default:
          break;
      }
    }
  }
  auto maps = std::make_shared<SideMaps>();
  maps->v4 = BuildPriorityMap(std::move(v4));
  maps->v6 = BuildPriorityMap(std::move(v6));
  return maps;
}

}  // namespace

void Table::Impl::SetSides(SideTables sides) {
  sides_ = std::move(sides);
  sides_given_ = true;
}

const Table::Impl::SideTables& Table::Impl::Sides() const {
  std::call_once(sides_once_, [this] {
    if (sides_given_) return;
    std::shared_ptr<const SideMaps> maps = BuildSideMaps(meta);
    sides_.v4 = IntervalMapView<uint32_t>(maps->v4);
    sides_.v6 = IntervalMapView<Ipv6Addr>(maps->v6);
    sides_.storage = std::move(maps);
  });
  return sides_;
}

}  // namespace hatmatch
