// Copyright 2026 The hatmatch Authors.
//
// Building the criteria of a table (layout in engine/table/criteria.h).

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "engine/compile/builders.h"
#include "engine/compile/dimensions.h"
#include "engine/table/criteria.h"
#include "engine/table/priority_map.h"
#include "engine/table/score_key.h"

namespace hatmatch {

CriteriaData BuildCriteria(const DecidingEntries& entries) {
  CriteriaData d;
  d.sbrs_none = entries.sbrs_none;
  d.dns_state = entries.dns_state;
  std::vector<PrioritizedRange<uint64_t>> sbrs;
  for (const PrioritizedRange<double>& s : entries.sbrs) {
    sbrs.push_back({OrderedScoreKey(s.lo), OrderedScoreKey(s.hi), s.priority});
  }
  // Sorted and unique, each keeping its first (lowest) priority.
  std::map<uint64_t, uint32_t> sbo(entries.owners.begin(),
                                   entries.owners.end());
  std::map<std::string, uint32_t, std::less<>> zones;
  for (const auto& [zone, prio] : entries.zones) zones.emplace(zone, prio);
  IntervalMap<uint64_t> m = BuildPriorityMap(std::move(sbrs));
  d.sbrs_starts = std::move(m.starts);
  d.sbrs_values = std::move(m.values);
  for (const auto& [id, prio] : sbo) {
    d.sbo_ids.push_back(id);
    d.sbo_values.push_back(prio);
  }
  d.zone_offsets.push_back(0);
  for (const auto& [zone, prio] : zones) {
    d.zone_pool.insert(d.zone_pool.end(), zone.begin(), zone.end());
    d.zone_offsets.push_back(static_cast<uint32_t>(d.zone_pool.size()));
    d.zone_values.push_back(prio);
  }
  return d;
}

CriteriaData BuildCriteria(const RuleSet& rules) {
  return BuildCriteria(SplitByDimension(rules));
}

}  // namespace hatmatch
