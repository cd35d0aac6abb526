// Copyright 2026 The hatmatch Authors.
//
// dimensions.h: the entries of a rule set that can decide, split by the
// dimension of a connection they match on.  The one place that applies the
// CONTINUE filter (RuleSet::can_decide) and the per-dimension split; the
// compiler, the analyses and the benchmarks all start from it.
//
// Each dimension of a connection (address, hostname, score, ...) is matched
// independently, and a rule matches when any of its entries does, so "which
// rule decides" is the minimum over the dimensions of "the lowest entry of
// that kind that matches" (rules.h).  Priorities here are global entry
// indices, in file order; every list is in entry order.

#ifndef HATMATCH_ENGINE_COMPILE_DIMENSIONS_H_
#define HATMATCH_ENGINE_COMPILE_DIMENSIONS_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/compile/builders.h"
#include "engine/table/priority_map.h"
#include "hatmatch/address.h"
#include "hatmatch/rules.h"

namespace hatmatch {

struct DecidingEntries {
  std::vector<PrioritizedRange<uint32_t>> ipv4;
  std::vector<PrioritizedRange<Ipv6Addr>> ipv6;
  std::vector<HostEntryInput> hosts;  // names point into the RuleSet
  std::vector<PrioritizedRange<double>> sbrs;
  uint32_t sbrs_none = kNoValue;                      // the first `sbrs[none]`
  std::vector<std::pair<uint64_t, uint32_t>> owners;  // SBO ids
  std::vector<std::pair<std::string_view, uint32_t>> zones;  // DNS lists
  std::array<uint32_t, kDnsStateCount> dns_state;  // the first per state
};

// O(entries).  The result points into `rules`, which must outlive it.
DecidingEntries SplitByDimension(const RuleSet& rules);

// Every entry of the three large kinds (of deciding rules or not) and the
// bytes of all entry texts: what the compile's arrays reserve up front, so
// that none grows by copying itself into fresh pages.
struct EntryCounts {
  size_t ipv4 = 0, ipv6 = 0, hosts = 0;
  size_t text_bytes = 0;
};
EntryCounts CountEntries(const RuleSet& rules);

}  // namespace hatmatch

#endif  // HATMATCH_ENGINE_COMPILE_DIMENSIONS_H_
