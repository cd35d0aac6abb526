// Copyright 2026 The hatmatch Authors.

#include "engine/table/criteria.h"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "engine/table/interval_map.h"
#include "fmt/format.h"

namespace hatmatch {

Criteria::Criteria(const CriteriaData& d)
    : sbrs_starts(d.sbrs_starts),
      sbrs_values(d.sbrs_values),
      sbrs_none(d.sbrs_none),
      sbo_ids(d.sbo_ids),
      sbo_values(d.sbo_values),
      zone_offsets(d.zone_offsets),
      zone_pool(d.zone_pool),
      zone_values(d.zone_values),
      dns_state(d.dns_state) {}

namespace {

// Compares a stored (normalized) zone with a query as the query would
// compare once lowercased and stripped of one trailing dot, without
// building that string.
int CompareZone(std::string_view stored, std::string_view query) {
  if (!query.empty() && query.back() == '.') query.remove_suffix(1);
  const size_t n = std::min(stored.size(), query.size());
  for (size_t i = 0; i < n; ++i) {
    const unsigned char a = static_cast<unsigned char>(stored[i]);
    unsigned char b = static_cast<unsigned char>(query[i]);
    if (b >= 'A' && b <= 'Z') b = static_cast<unsigned char>(b - 'A' + 'a');
    if (a != b) return a < b ? -1 : 1;
  }
  return stored.size() == query.size()  ? 0
         : stored.size() < query.size() ? -1
                                        : 1;
}

}  // namespace

uint32_t Criteria::ZoneLookup(std::string_view zone) const {
  size_t lo = 0, hi = zone_values.size();
  while (lo < hi) {  // binary search over the sorted zone pool
    const size_t mid = lo + (hi - lo) / 2;
    const int c = CompareZone(ZoneAt(mid), zone);
    if (c == 0) return zone_values[mid];
    if (c < 0) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return kNoValue;
}

absl::Status Criteria::Validate() const {
  auto bad = [](std::string_view what) {
    return absl::DataLossError(fmt::format("criteria: {}", what));
  };
  if (sbrs_starts.size() != sbrs_values.size()) return bad("sbrs sizes");
  if (!sbrs_starts.empty() && sbrs_starts[0] != 0) return bad("sbrs start");
  if (!std::is_sorted(sbrs_starts.begin(), sbrs_starts.end())) {
    return bad("sbrs order");
  }
  if (sbo_ids.size() != sbo_values.size()) return bad("sbo sizes");
  if (std::adjacent_find(sbo_ids.begin(), sbo_ids.end(),
                         std::greater_equal<>()) != sbo_ids.end()) {
    return bad("sbo order");
  }
  if (zone_offsets.size() != zone_values.size() + 1) return bad("zone sizes");
  if (zone_offsets[0] != 0 || zone_offsets.back() != zone_pool.size()) {
    return bad("zone pool bounds");
  }
  if (!std::is_sorted(zone_offsets.begin(), zone_offsets.end())) {
    return bad("zone offsets");
  }
  return absl::OkStatus();
}

size_t Criteria::bytes() const {
  return sbrs_starts.size_bytes() + sbrs_values.size_bytes() +
         sbo_ids.size_bytes() + sbo_values.size_bytes() +
         zone_offsets.size_bytes() + zone_pool.size_bytes() +
         zone_values.size_bytes() + sizeof(dns_state) + sizeof(sbrs_none);
}

}  // namespace hatmatch
