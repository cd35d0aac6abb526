// Copyright 2026 The hatmatch Authors.
//
// maps.h: the per-dimension views of a RuleSet that lint and diff compute on.
// Internal to engine/analysis.
//
// Each dimension of a connection (address, hostname, score, ...) is matched
// independently and a rule matches when any of its entries does, so "which
// rule decides" is the minimum over dimensions of "the first rule whose entry
// of that kind matches".  These helpers build, for one RuleSet and counting
// only rules that can decide (not CONTINUE):
//
//   AddressMaps   entry-valued priority maps over IPv4 and IPv6.  The IPv6
//                 map labels the IPv4-embedding blocks (::/96 minus :: and
//                 ::1, and ::ffff:0:0/96) kBlocked: a connection from there
//                 is IPv4 (address.h), so no IPv6 entry can match there.
//   ScoreMap      entry-valued priority map over sbrs score keys
//                 (engine/table/score_key.h: ScoreKey is dense, so interval
//                 arithmetic on keys is exact arithmetic on scores).
//   HostIndex     first entry per exact name and per partial base.
//
// All builds are O(n log n) in the number of entries.

#ifndef HATMATCH_ENGINE_ANALYSIS_MAPS_H_
#define HATMATCH_ENGINE_ANALYSIS_MAPS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "engine/table/priority_map.h"
#include "engine/table/score_key.h"
#include "hatmatch/rules.h"

namespace hatmatch::analysis {

// A segment value meaning "no IPv6 connection has this address".
inline constexpr uint32_t kBlocked = kNoValue - 1;

struct AddressMaps {
  IntervalMap<uint32_t> v4;  // entry index or kNoValue
  IntervalMap<Ipv6Addr> v6;  // entry index, kNoValue or kBlocked
};

// Maps of the address entries of the rules that can decide.
AddressMaps BuildAddressMaps(const RuleSet& rules);

// Entry-valued priority map over score keys of the sbrs ranges of rules that
// can decide.
IntervalMap<uint64_t> BuildScoreMap(const RuleSet& rules);

// The proper suffixes of a normalized hostname at label boundaries, longest
// first: "a.b.c" -> "b.c", "c".
template <class F>
void ForEachProperSuffix(std::string_view name, F f) {
  for (size_t dot = name.find('.'); dot != std::string_view::npos;
       dot = name.find('.', dot + 1)) {
    f(name.substr(dot + 1));
  }
}

// First entry (lowest index) per exact name and per partial base, over the
// hostname entries of rules that can decide.
struct HostIndex {
  absl::flat_hash_map<std::string, uint32_t> exact, partial;
  // Lowest entry matching `name` (normalized), or kNoValue.
  uint32_t Lookup(std::string_view name) const;
};
HostIndex BuildHostIndex(const RuleSet& rules);

// Debian's absl::string_view is not std::string_view; hash lookups need it.
inline absl::string_view AbslView(std::string_view s) {
  return absl::string_view(s.data(), s.size());
}

// Short display of an address range: "a", or "lo-hi".
std::string FormatV4Range(uint32_t lo, uint32_t hi);
std::string FormatV6Range(const Ipv6Addr& lo, const Ipv6Addr& hi);
// A score as written in a rule file: shortest round-trip decimal.
std::string FormatScore(double s);
// An sbrs key interval for display, e.g. "sbrs[-10:-3]" or "sbrs(-3:-1]" when
// an end is just past a short decimal.
std::string FormatScoreInterval(uint64_t lo, uint64_t hi);

}  // namespace hatmatch::analysis

#endif  // HATMATCH_ENGINE_ANALYSIS_MAPS_H_
