// Copyright 2026 The hatmatch Authors.
//
// criteria.h: the non-address, non-hostname dimensions of a compiled table:
// reputation ranges and "no score", SBO owner ids, DNS-list zones and DNS
// verification states.  Each maps a connection to the lowest priority (global
// entry index) of a matching entry, or kNoValue.
//
// Layout (all flat arrays, no pointers, so a table file can map them):
//   sbrs_starts/sbrs_values  priority interval map over scores, keyed by
//                            OrderedScoreKey(score) (score_key.h)
//   sbrs_none                priority of the first `sbrs[none]`
//   sbo_ids/sbo_values       sorted unique owner ids, binary searched
//   zone_offsets/zone_pool   sorted unique zones: zone i is
//                            zone_pool[zone_offsets[i], zone_offsets[i+1])
//   zone_values              priority per zone
//   dns_state[s]             priority of the first entry for DnsState s
// Criteria are few in real files, so binary search is cheap; the structure
// never walks the entry list.

#ifndef HATMATCH_ENGINE_TABLE_CRITERIA_H_
#define HATMATCH_ENGINE_TABLE_CRITERIA_H_

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "engine/table/score_key.h"
#include "hatmatch/rules.h"

namespace hatmatch {

struct CriteriaData {
  std::vector<uint64_t> sbrs_starts;
  std::vector<uint32_t> sbrs_values;
  uint32_t sbrs_none;
  std::vector<uint64_t> sbo_ids;
  std::vector<uint32_t> sbo_values;
  std::vector<uint32_t> zone_offsets;  // size zones + 1
  std::vector<char> zone_pool;
  std::vector<uint32_t> zone_values;
  std::array<uint32_t, kDnsStateCount> dns_state;
};

class Criteria {
 public:
  Criteria() = default;
  explicit Criteria(const CriteriaData& d);

  // Lowest matching priority over all criteria for connection i of the
  // connection accessor `a` (engine/table/classify_block.h), or kNoValue.
  // DNS-list zones compare like hostnames (any case, one trailing dot
  // ignored).
  template <class A>
  uint32_t Lookup(A a, size_t i) const {
    uint32_t best = ScoreLookup(a.dns(i), a.sbrs(i), a.sbo(i));
    const size_t zones = a.zone_count(i);
    for (size_t k = 0; k < zones; ++k) {
      best = std::min(best, ZoneLookup(a.zone(i, k)));
    }
    return best;
  }
  // The DNS state, score (nullptr: none) and owner id (nullptr: none) part.
  uint32_t ScoreLookup(DnsState dns, const double* sbrs,
                       const uint64_t* sbo) const {
    uint32_t best = dns_state[static_cast<size_t>(dns)];
    if (sbrs == nullptr) {
      best = std::min(best, sbrs_none);
    } else if (!sbrs_starts.empty()) {
      const uint64_t k = OrderedScoreKey(*sbrs);
      const size_t i =
          std::upper_bound(sbrs_starts.begin(), sbrs_starts.end(), k) -
          sbrs_starts.begin();
      if (i > 0) best = std::min(best, sbrs_values[i - 1]);
    }
    if (sbo != nullptr) {
      auto it = std::lower_bound(sbo_ids.begin(), sbo_ids.end(), *sbo);
      if (it != sbo_ids.end() && *it == *sbo) {
        best = std::min(best, sbo_values[it - sbo_ids.begin()]);
      }
    }
    return best;
  }
  uint32_t ZoneLookup(std::string_view zone) const;
  absl::Status Validate() const;
  size_t bytes() const;

  std::string_view ZoneAt(size_t i) const {
    return {zone_pool.data() + zone_offsets[i],
            zone_offsets[i + 1] - zone_offsets[i]};
  }

  std::span<const uint64_t> sbrs_starts;
  std::span<const uint32_t> sbrs_values;
  uint32_t sbrs_none = UINT32_MAX;
  std::span<const uint64_t> sbo_ids;
  std::span<const uint32_t> sbo_values;
  std::span<const uint32_t> zone_offsets;
  std::span<const char> zone_pool;
  std::span<const uint32_t> zone_values;
  std::array<uint32_t, kDnsStateCount> dns_state{
      UINT32_MAX, UINT32_MAX, UINT32_MAX, UINT32_MAX, UINT32_MAX};
};

}  // namespace hatmatch

#endif  // HATMATCH_ENGINE_TABLE_CRITERIA_H_
