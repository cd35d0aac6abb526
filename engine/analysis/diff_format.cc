// Copyright 2026 The hatmatch Authors.
//
// How `hatmatch diff` prints a diff (analysis.h): the text report, and the
// JSON document whole or a context at a time.

#include <cmath>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/analysis/maps.h"
#include "engine/base/json.h"
#include "fmt/format.h"
#include "hatmatch/analysis.h"

namespace hatmatch {
namespace {

using u128 = Uint128;

std::string Decimal(u128 n) {
  if (n == 0) return "0";
  std::string s;
  while (n) {
    s.push_back(static_cast<char>('0' + static_cast<int>(n % 10)));
    n /= 10;
  }
  std::reverse(s.begin(), s.end());
  return s;
}

// "2^8" for powers of two from 256 up, the decimal number up to 2^48, and
// "~2^127.99" beyond (JSON has the exact number).
std::string CountText(u128 n) {
  if (n >= 256 && (n & (n - 1)) == 0) {
    int k = 0;
    while ((u128{1} << k) != n) ++k;
    return fmt::format("2^{}", k);
  }
  if (n < (u128{1} << 48)) return Decimal(n);
  return fmt::format("~2^{:.2f}", std::log2(static_cast<long double>(n)));
}

std::string RuleText(const RuleSet& rs, uint32_t r) {
  if (r == kNoRule) return "no match";
  return fmt::format("{} {}", rs.rules()[r].name, ActionName(rs.action_of(r)));
}

void AppendRuleJson(const RuleSet& rs, uint32_t r, std::string* out) {
  if (r == kNoRule) {
    *out += "null";
    return;
  }
  *out += "{\"rule\":";
  AppendJson(rs.rules()[r].name, out);
  *out += ",\"action\":";
  AppendJson(ActionName(rs.action_of(r)), out);
  *out += fmt::format(",\"line\":{}}}", rs.rules()[r].loc.line);
}

std::string RangeText(const DiffRange& r) {
  return r.v6 ? analysis::FormatV6Range(r.lo, r.hi)
              : analysis::FormatV4Range(static_cast<uint32_t>(r.lo.lo),
                                        static_cast<uint32_t>(r.hi.lo));
}

// The JSON document in three parts, so that it can be written a context at
// a time: everything before the contexts, one context, everything after.
void AppendJsonHead(const RuleSet& o, const RuleSet& n, bool equivalent,
                    size_t contexts_examined, std::string* out) {
  *out += "{\"old\":";
  AppendJson(o.file(), out);
  *out += ",\"new\":";
  AppendJson(n.file(), out);
  *out += fmt::format(",\"equivalent\":{},\"contexts_examined\":{}",
                      equivalent ? "true" : "false", contexts_examined);
  *out += ",\"contexts\":[";
}

void AppendRangeJson(const RuleSet& o, const RuleSet& n, const DiffRange& r,
                     std::string* out) {
  const std::string lo =
      r.v6 ? FormatIpv6(r.lo) : FormatIpv4(static_cast<uint32_t>(r.lo.lo));
  const std::string hi =
      r.v6 ? FormatIpv6(r.hi) : FormatIpv4(static_cast<uint32_t>(r.hi.lo));
  *out +=
      fmt::format("{{\"family\":\"{}\",\"lo\":\"{}\",\"hi\":\"{}\",\"old\":",
                  r.v6 ? "ipv6" : "ipv4", lo, hi);
  AppendRuleJson(o, r.old_rule, out);
  *out += ",\"new\":";
  AppendRuleJson(n, r.new_rule, out);
  *out += '}';
}

void AppendContextJson(const RuleSet& o, const RuleSet& n, const DiffContext& c,
                       bool first, std::string* out) {
  *out += first ? "{" : ",{";
  *out += fmt::format("\"address_only\":{},\"inputs\":",
                      c.address_only ? "true" : "false");
  AppendJson(c.address_only ? "" : c.description, out);
  *out += ",\"old_first\":";
  AppendRuleJson(o, c.old_first, out);
  *out += ",\"new_first\":";
  AppendRuleJson(n, c.new_first, out);
  *out += ",\"ranges\":[";
  for (size_t j = 0; j < c.ranges.size(); ++j) {
    if (j) *out += ',';
    AppendRangeJson(o, n, c.ranges[j], out);
  }
  *out += "],\"counts\":[";
  for (size_t j = 0; j < c.counts.size(); ++j) {
    const DiffCount& k = c.counts[j];
    *out += j ? ",{" : "{";
    *out += fmt::format(
        "\"family\":\"{}\",\"old_action\":\"{}\",\"new_action\":\"{}\","
        "\"addresses\":\"{}\"}}",
        k.v6 ? "ipv6" : "ipv4", k.old_action, k.new_action,
        Decimal(k.addresses));
  }
  *out += "]}";
}

void AppendJsonTail(const RuleSet& o, const RuleSet& n,
                    const std::vector<DimensionChange>& dimensions,
                    std::string* out) {
  *out += "],\"dimensions\":[";
  for (size_t i = 0; i < dimensions.size(); ++i) {
    const DimensionChange& ch = dimensions[i];
    *out += i ? ",{\"kind\":" : "{\"kind\":";
    AppendJson(ch.kind, out);
    *out += ",\"value\":";
    AppendJson(ch.value, out);
    *out += ",\"old\":";
    AppendRuleJson(o, ch.old_rule, out);
    *out += ",\"new\":";
    AppendRuleJson(n, ch.new_rule, out);
    *out += '}';
  }
  *out += "]}";
}

}  // namespace

std::string DiffText(const RuleSet& o, const RuleSet& n, const DiffResult& d) {
  std::string out = fmt::format("--- {}\n+++ {}\n", o.file(), n.file());
  for (const DiffContext& c : d.contexts) {
    if (c.address_only) {
      out +=
          "connections with only an address (no ptr, dns, sbrs, sbo or "
          "dnslist):\n";
    } else {
      out += fmt::format(
          "connections like `{}` (their other inputs first match {} in old, "
          "{} in new):\n",
          c.description, RuleText(o, c.old_first), RuleText(n, c.new_first));
    }
    const size_t shown = c.address_only
                             ? c.ranges.size()
                             : std::min(c.ranges.size(), kDiffTextRanges);
    for (size_t i = 0; i < shown; ++i) {
      const DiffRange& r = c.ranges[i];
      out += fmt::format("  {}: {} -> {}\n", RangeText(r),
                         RuleText(o, r.old_rule), RuleText(n, r.new_rule));
    }
    if (shown < c.range_count) {
      out += fmt::format("  ... and {} more ranges (--json lists them all)\n",
                         c.range_count - shown);
    }
  }
  if (!d.dimensions.empty()) {
    out +=
        "first matching rule per non-address input (changes take effect "
        "only where no earlier rule decides):\n";
    for (const DimensionChange& ch : d.dimensions) {
      out += fmt::format("  {} {}: {} -> {}\n", ch.kind, ch.value,
                         RuleText(o, ch.old_rule), RuleText(n, ch.new_rule));
    }
  }
  if (d.equivalent()) {
    out += fmt::format(
        "equivalent: every connection gets the same rule and action ({} "
        "contexts examined)\n",
        d.contexts_examined);
    return out;
  }
  out += "summary:\n";
  for (const DiffContext& c : d.contexts) {
    for (const DiffCount& k : c.counts) {
      out +=
          fmt::format("  {} {} addresses {} -> {}{}\n", CountText(k.addresses),
                      k.v6 ? "IPv6" : "IPv4", k.old_action, k.new_action,
                      c.address_only ? "" : " like `" + c.description + "`");
    }
  }
  out += fmt::format("not equivalent: {} of {} contexts have changes\n",
                     d.contexts.size(), d.contexts_examined);
  return out;
}

std::string DiffJson(const RuleSet& o, const RuleSet& n, const DiffResult& d) {
  std::string out;
  AppendJsonHead(o, n, d.equivalent(), d.contexts_examined, &out);
  for (size_t i = 0; i < d.contexts.size(); ++i) {
    AppendContextJson(o, n, d.contexts[i], i == 0, &out);
  }
  AppendJsonTail(o, n, d.dimensions, &out);
  return out;
}

bool WriteDiffJson(const RuleSet& o, const RuleSet& n, DiffWalk& walk,
                   const std::function<bool(std::string_view)>& write) {
  if (!walk.status().ok()) return false;
  std::string piece;
  AppendJsonHead(o, n, walk.equivalent(), walk.contexts_examined(), &piece);
  if (!write(piece)) return false;
  bool first = true;
  for (DiffContext c; walk.Next(&c); first = false) {
    piece.clear();
    AppendContextJson(o, n, c, first, &piece);
    if (!write(piece)) return false;
  }
  piece.clear();
  AppendJsonTail(o, n, walk.dimensions(), &piece);
  return write(piece);
}

}  // namespace hatmatch
