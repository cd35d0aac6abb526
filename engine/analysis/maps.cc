// Copyright 2026 The hatmatch Authors.

#include "engine/analysis/maps.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "engine/compile/dimensions.h"
#include "fmt/format.h"

namespace hatmatch::analysis {

AddressMaps BuildAddressMaps(const RuleSet& rules) {
  // Priority 0 is reserved for the blocked IPv6 blocks so that they win
  // everywhere; entries get their index + 1.
  DecidingEntries d = SplitByDimension(rules);
  std::vector<PrioritizedRange<Ipv6Addr>> v6 = {
      {kIpv4CompatibleFirst, kIpv4CompatibleLast, 0},
      {kIpv4MappedFirst, kIpv4MappedLast, 0}};
  for (auto& r : d.ipv4) ++r.priority;
  for (const auto& r : d.ipv6) v6.push_back({r.lo, r.hi, r.priority + 1});
  auto unshift = [](uint32_t p) { return p == 0 ? kBlocked : p - 1; };
  AddressMaps m;
  m.v4 = Relabel(BuildPriorityMap(std::move(d.ipv4)), unshift);
  m.v6 = Relabel(BuildPriorityMap(std::move(v6)), unshift);
  return m;
}

IntervalMap<uint64_t> BuildScoreMap(const RuleSet& rules) {
  std::vector<PrioritizedRange<uint64_t>> ranges;
  for (const auto& s : SplitByDimension(rules).sbrs) {
    ranges.push_back({ScoreKey(s.lo), ScoreKey(s.hi), s.priority});
  }
  return BuildPriorityMap(std::move(ranges));
}

uint32_t HostIndex::Lookup(std::string_view name) const {
  uint32_t best = kNoValue;
  if (auto it = exact.find(AbslView(name)); it != exact.end())
    best = it->second;
  ForEachProperSuffix(name, [&](std::string_view s) {
    if (auto it = partial.find(AbslView(s));
        it != partial.end() && it->second < best) {
      best = it->second;
    }
  });
  return best;
}

HostIndex BuildHostIndex(const RuleSet& rules) {
  HostIndex h;
  for (const HostEntryInput& e : SplitByDimension(rules).hosts) {
    (e.partial ? h.partial : h.exact)
        .try_emplace(std::string(e.name), e.priority);
  }
  return h;
}

std::string FormatV4Range(uint32_t lo, uint32_t hi) {
  if (lo == hi) return FormatIpv4(lo);
  return FormatIpv4(lo) + "-" + FormatIpv4(hi);
}

std::string FormatV6Range(const Ipv6Addr& lo, const Ipv6Addr& hi) {
  if (lo == hi) return FormatIpv6(lo);
  return FormatIpv6(lo) + "-" + FormatIpv6(hi);
}

std::string FormatScore(double s) {
  if (s == 0) s = 0;  // never print -0
  return fmt::format("{}", s);
}

std::string FormatScoreInterval(uint64_t lo, uint64_t hi) {
  // A segment boundary just past a short decimal (say the score after -3.0)
  // reads better as an open end "(-3" than as -2.9999999999999996.
  auto shorter = [](uint64_t k, uint64_t neighbour, char open,
                    std::string* out) {
    std::string own = FormatScore(ScoreOfKey(k));
    std::string near = FormatScore(ScoreOfKey(neighbour));
    if (own.size() > 8 && near.size() <= 8) {
      *out = near;
      return open;
    }
    *out = own;
    return open == '(' ? '[' : ']';
  };
  std::string a, b;
  const char l = lo > MinScoreKey() ? shorter(lo, lo - 1, '(', &a)
                                    : (a = FormatScore(ScoreOfKey(lo)), '[');
  const char r = hi < MaxScoreKey() ? shorter(hi, hi + 1, ')', &b)
                                    : (b = FormatScore(ScoreOfKey(hi)), ']');
  return fmt::format("sbrs{}{}:{}{}", l, a, b, r);
}

}  // namespace hatmatch::analysis
