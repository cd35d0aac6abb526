// Copyright 2026 The hatmatch Authors.

#include "engine/analysis/maps.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "fmt/format.h"

namespace hatmatch::analysis {

AddressMaps BuildAddressMaps(const RuleSet& rules) {
  // Priority 0 is reserved for the blocked IPv6 blocks so that they win
  // everywhere; entries get their index + 1.
  std::vector<PrioritizedRange<uint32_t>> v4;
  std::vector<PrioritizedRange<Ipv6Addr>> v6 = {{kCompatLo, kCompatHi, 0},
                                                {kMappedLo, kMappedHi, 0}};
  const auto& entries = rules.entries();
  for (uint32_t e = 0; e < entries.size(); ++e) {
    if (rules.action_of(entries[e].rule) == Action::kContinue) continue;
    if (auto* r = std::get_if<Ipv4Range>(&entries[e].value)) {
      v4.push_back({r->lo, r->hi, e + 1});
    } else if (auto* r = std::get_if<Ipv6Range>(&entries[e].value)) {
      v6.push_back({r->lo, r->hi, e + 1});
    }
  }
  auto unshift = [](uint32_t p) { return p == 0 ? kBlocked : p - 1; };
  AddressMaps m;
  m.v4 = Relabel(BuildPriorityMap(std::move(v4)), unshift);
  m.v6 = Relabel(BuildPriorityMap(std::move(v6)), unshift);
  return m;
}

IntervalMap<uint64_t> BuildScoreMap(const RuleSet& rules) {
  std::vector<PrioritizedRange<uint64_t>> ranges;
  const auto& entries = rules.entries();
  for (uint32_t e = 0; e < entries.size(); ++e) {
    if (rules.action_of(entries[e].rule) == Action::kContinue) continue;
    if (auto* s = std::get_if<SbrsRange>(&entries[e].value)) {
      ranges.push_back({ScoreKey(s->lo), ScoreKey(s->hi), e});
    }
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
  const auto& entries = rules.entries();
  for (uint32_t e = 0; e < entries.size(); ++e) {
    if (rules.action_of(entries[e].rule) == Action::kContinue) continue;
    if (auto* p = std::get_if<HostPattern>(&entries[e].value)) {
      (p->partial ? h.partial : h.exact).try_emplace(p->name, e);
    }
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

std::string_view DnsStateEntryName(DnsState s) {
  switch (s) {
    case DnsState::kNxDomain:
      return "nx.domain";
    case DnsState::kServFail:
      return "serv.fail";
    case DnsState::kMismatch:
      return "not.double.verified";
    case DnsState::kVerified:
      return "verified";
    case DnsState::kUnknown:
      break;
  }
  return "unknown";
}

void AppendJson(std::string_view s, std::string* out) {
  out->push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\t':
        out->append("\\t");
        break;
      default:
        if (c < 0x20 || c >= 0x7f) {
          out->append(fmt::format("\\u{:04x}", c));
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
  }
  out->push_back('"');
}

}  // namespace hatmatch::analysis
