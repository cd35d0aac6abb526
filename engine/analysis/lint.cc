// Copyright 2026 The hatmatch Authors.
//
// Lint: exact, O(n log n) checks of a rule file.
//
// Shadowing.  Because entries of different kinds look at independent parts
// of a connection, an entry never decides exactly when the entries of the
// same kind in earlier rules (that can decide) cover everything it matches,
// or when earlier rules match every connection at all (a catch-all: every
// address, or every score plus "no score"; no other dimension can be covered
// completely since a connection may carry no name, no owner and no lists).
// Per dimension:
//   addresses, scores  the entry-valued priority map of every entry of every
//                      rule that can decide labels each segment with its
//                      winning (lowest) entry.  An entry of rule r is covered
//                      iff no segment inside its range is won by rule r: the
//                      entry itself covers all of them, so their winners
//                      come from rule r or earlier.  One binary search in the
//                      sorted list of rule r's segments answers it.
//   hostnames          an exact name is covered iff an earlier rule lists it
//                      or a partial of one of its proper suffixes; a partial
//                      `.d` iff an earlier rule has a partial of d or of a
//                      suffix of d (no finite set of exact names covers a
//                      whole subtree).  One hash probe per label.
//   other criteria     covered iff an earlier rule has the same value.

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <variant>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "engine/analysis/maps.h"
#include "engine/base/json.h"
#include "fmt/format.h"
#include "hatmatch/analysis.h"

namespace hatmatch {
namespace {

using analysis::kBlocked;

constexpr std::string_view kShadowedIp = "shadowed-ip";
constexpr std::string_view kShadowedHost = "shadowed-host";
constexpr std::string_view kShadowedCriteria = "shadowed-criteria";
constexpr std::string_view kUnmatchable = "unmatchable-entry";
constexpr std::string_view kDeadRule = "dead-rule";
constexpr std::string_view kAfterCatchAll = "after-catch-all";
constexpr std::string_view kDuplicate = "duplicate-entry";
constexpr std::string_view kOverlap = "overlap-in-rule";
constexpr std::string_view kHostBits = "host-bits";
constexpr std::string_view kParseWarning = "parse-warning";
constexpr std::string_view kBareDomain = "bare-domain-missing";
constexpr std::string_view kUnusedPolicy = "unused-policy";

// The longest rule name a message quotes whole when it names another rule.
constexpr size_t kNameInMessage = 200;

// Per-entry findings, of which only the most important is reported.
enum Level : uint8_t {
  kUnmatchableL,
  kDuplicateL,
  kShadowedL,
  kOverlapL,
  kNone
};

// What a per-entry message says, kept as the few facts it needs rather
// than as text: a crafted file gives millions of findings, of which only
// the warnings kept (LintOptions::max_warnings) are ever formatted.
enum class Says : uint8_t {
  kUnmatchable,      // no facts
  kShadowedAddress,  // by[0..n) covering rules, flag: "and others"
  kShadowedScore,    // as kShadowedAddress
  kShadowedHost,     // by[0]: the covering partial entry
  kDuplicate,        // by[0]: the first entry, flag: it never decides
  kOverlap,          // by[0]: the earlier entry, flag: Overlap below
};
enum Overlap : uint8_t { kContained, kContains, kOverlaps };

struct Finding {
  Level level = kNone;
  Says says = Says::kUnmatchable;
  uint8_t flag = 0;
  uint8_t n = 0;
  uint32_t by[3] = {};
};

// Keeps the first `max` warnings (0: all) in output order, (line, col)
// then the order they were offered in, which is what a stable sort by
// position of every warning gives; counts every warning per code.  Above
// the limit it is a max-heap on that order, so memory stays O(max) and a
// warning that cannot be among the first is never formatted.
class Keeper {
 public:
  explicit Keeper(size_t max) : max_(max), counts_(LintCodes().size(), 0) {}

  // `make` returns the message; it runs only for a warning that is kept.
  template <class Make>
  void Offer(std::string_view code, SourceLoc loc, uint32_t rule,
             uint32_t entry, Make make) {
    ++total_;
    const auto& codes = LintCodes();
    for (size_t i = 0; i < codes.size(); ++i) {
      if (codes[i].code == code) {
        ++counts_[i];
        break;
      }
    }
    const Key key{loc.line, loc.col, seq_++};
    if (max_ != 0 && kept_.size() == max_) {
      if (!(key < kept_.front().key)) return;
      std::pop_heap(kept_.begin(), kept_.end(), ByKey);
      kept_.pop_back();
    }
    kept_.push_back({key, {code, loc, make(), rule, entry}});
    if (max_ != 0) std::push_heap(kept_.begin(), kept_.end(), ByKey);
  }

  LintResult Finish() {
    std::sort(kept_.begin(), kept_.end(), ByKey);
    LintResult result;
    result.warnings.reserve(kept_.size());
    for (Kept& k : kept_) result.warnings.push_back(std::move(k.warning));
    result.total = total_;
    for (size_t i = 0; i < counts_.size(); ++i) {
      if (counts_[i])
        result.counts.push_back({LintCodes()[i].code, counts_[i]});
    }
    result.max_warnings = max_;
    return result;
  }

 private:
  using Key = std::tuple<uint32_t, uint32_t, uint64_t>;
  struct Kept {
    Key key;
    LintWarning warning;
  };
  static bool ByKey(const Kept& a, const Kept& b) { return a.key < b.key; }

  size_t max_;
  std::vector<size_t> counts_;  // by index in LintCodes()
  size_t total_ = 0;
  uint64_t seq_ = 0;
  std::vector<Kept> kept_;
};

class Linter {
 public:
  Linter(const RuleSet& rules, size_t max_warnings)
      : rules_(rules),
        entries_(rules.entries()),
        findings_(entries_.size()),
        never_(entries_.size(), false),
        out_(max_warnings) {}

  LintResult Run();

 private:
  bool CanDecide(uint32_t rule) const { return rules_.can_decide(rule); }
  uint32_t RuleOf(uint32_t e) const { return entries_[e].rule; }
  // Another rule, as a message names it.  A name may be as long as a line
  // (1 MiB) and one rule may be named by every warning, so a long name is
  // cut (at the start of a UTF-8 character): otherwise the kept warnings
  // would cost up to megabytes each.
  std::string RuleRef(uint32_t r) const {
    const Rule& rule = rules_.rules()[r];
    std::string_view name = rule.name;
    if (name.size() <= kNameInMessage) {
      return fmt::format("{} (line {})", name, rule.loc.line);
    }
    size_t cut = kNameInMessage;
    while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xc0) == 0x80) {
      --cut;
    }
    return fmt::format("{}... ({} bytes) (line {})", name.substr(0, cut),
                       name.size(), rule.loc.line);
  }
  std::string EntryRef(uint32_t e) const {
    return fmt::format("`{}` (line {})", entries_[e].text,
                       entries_[e].loc.line);
  }
  void Note(uint32_t e, Level level, Finding f) {
    f.level = level;
    if (level < findings_[e].level) findings_[e] = f;
  }
  static std::string_view CodeOf(const Finding& f);
  std::string MessageOf(uint32_t e, const Finding& f) const;

  template <class K>
  void ShadowByMap(
      const IntervalMap<K>& map,
      const std::vector<std::pair<uint32_t, std::pair<K, K>>>& ranges,
      Says says);
  void CatchAll(const analysis::AddressMaps& am,
                const IntervalMap<uint64_t>& scores);
  void Addresses(const analysis::AddressMaps& am);
  void Scores(const IntervalMap<uint64_t>& scores);
  void Hostnames();
  void Duplicates();
  void Overlaps();
  void BareDomains();
  void RuleLevel();
  void PolicyLevel();

  const RuleSet& rules_;
  const std::vector<Entry>& entries_;
  std::vector<Finding> findings_;
  std::vector<bool> never_;  // the entry can never decide
  uint32_t catch_all_ = kNoRule;
  std::string catch_all_why_;
  Keeper out_;
};

// Entries whose range is covered, on the entry-valued map `map`, by earlier
// rules.  `ranges` holds (entry, [lo, hi]) for entries of deciding rules.
template <class K>
void Linter::ShadowByMap(
    const IntervalMap<K>& map,
    const std::vector<std::pair<uint32_t, std::pair<K, K>>>& ranges,
    Says says) {
  const size_t nrules = rules_.rules().size();
  // seg_rule[i]: the rule that wins segment i (kNoRule: none or blocked).
  std::vector<uint32_t> seg_rule(map.size(), kNoRule);
  std::vector<uint32_t> offsets(nrules + 1, 0);
  for (size_t i = 0; i < map.size(); ++i) {
    const uint32_t v = map.values[i];
    if (v == kNoValue || v == kBlocked) continue;
    seg_rule[i] = RuleOf(v);
    ++offsets[seg_rule[i] + 1];
  }
  for (size_t r = 0; r < nrules; ++r) offsets[r + 1] += offsets[r];
  // won[offsets[r] .. offsets[r+1]) = the segments rule r wins, ascending.
  std::vector<uint32_t> won(offsets[nrules]);
  std::vector<uint32_t> fill(offsets.begin(), offsets.end() - 1);
  for (size_t i = 0; i < map.size(); ++i) {
    if (seg_rule[i] != kNoRule) {
      won[fill[seg_rule[i]]++] = static_cast<uint32_t>(i);
    }
  }
  for (const auto& [e, range] : ranges) {
    const uint32_t r = RuleOf(e);
    if (r > catch_all_) continue;  // reported as after-catch-all instead
    const size_t i0 = map.SegmentOf(range.first);
    const size_t i1 = map.SegmentOf(range.second);
    auto first = won.begin() + offsets[r], last = won.begin() + offsets[r + 1];
    auto it = std::lower_bound(first, last, static_cast<uint32_t>(i0));
    if (it != last && *it <= i1) continue;  // rule r wins somewhere inside
    never_[e] = true;
    // Name a few of the covering rules; bounded so the check stays
    // O(log n) per entry whatever the coverage looks like.
    std::vector<uint32_t> by;
    bool more = false;
    for (size_t i = i0; i <= i1; ++i) {
      if (i - i0 >= 64) {
        more = true;
        break;
      }
      const uint32_t w = seg_rule[i];
      if (w == kNoRule || std::find(by.begin(), by.end(), w) != by.end()) {
        continue;
      }
      if (by.size() == 3) {
        more = true;
        break;
      }
      by.push_back(w);
    }
    Finding f{.says = says, .flag = more, .n = static_cast<uint8_t>(by.size())};
    std::copy(by.begin(), by.end(), f.by);
    Note(e, kShadowedL, f);
  }
}

void Linter::CatchAll(const analysis::AddressMaps& am,
                      const IntervalMap<uint64_t>& scores) {
  // The smallest R such that rules <= R (that can decide) match every
  // connection: the largest, over all points of a dimension, of the first
  // rule covering the point; a dimension with an uncovered point gives none.
  auto widest = [&](const auto& map, auto in_space) {
    uint32_t worst = 0;
    for (size_t i = 0; i < map.size(); ++i) {
      if (!in_space(i)) continue;
      const uint32_t v = map.values[i];
      if (v == kBlocked) continue;
      if (v == kNoValue) return kNoRule;
      worst = std::max(worst, RuleOf(v));
    }
    return worst;
  };
  auto all = [](size_t) { return true; };
  const uint32_t r4 = widest(am.v4, all);
  const uint32_t r6 = widest(am.v6, all);
  const uint32_t raddr = std::max(r4, r6);
  const uint64_t klo = MinScoreKey(), khi = MaxScoreKey();
  uint32_t rscore = widest(scores, [&](size_t i) {
    return scores.starts[i] <= khi && scores.last_of(i) >= klo;
  });
  uint32_t none = kNoRule;
  for (const Entry& e : entries_) {
    if (std::holds_alternative<SbrsNone>(e.value) && CanDecide(e.rule)) {
      none = std::min(none, e.rule);
    }
  }
  rscore =
      rscore == kNoRule || none == kNoRule ? kNoRule : std::max(rscore, none);
  uint32_t rall = kNoRule;
  for (uint32_t r = 0; r < rules_.rules().size(); ++r) {
    if (rules_.rules()[r].kind == RuleKind::kAll && CanDecide(r)) {
      rall = std::min(rall, r);
    }
  }
  catch_all_ = std::min({raddr, rscore, rall});
  if (catch_all_ == kNoRule) return;
  if (catch_all_ == rall) {
    catch_all_why_ = fmt::format("ALL (line {}) matches every connection",
                                 rules_.rules()[rall].loc.line);
  } else if (catch_all_ == raddr) {
    catch_all_why_ =
        fmt::format("every IPv4 and IPv6 address is taken by rules up to {}",
                    RuleRef(raddr));
  } else {
    catch_all_why_ = fmt::format(
        "every score in -10..10 and \"no score\" are taken by rules up to {}",
        RuleRef(rscore));
  }
}

void Linter::Addresses(const analysis::AddressMaps& am) {
  std::vector<std::pair<uint32_t, std::pair<uint32_t, uint32_t>>> v4;
  std::vector<std::pair<uint32_t, std::pair<Ipv6Addr, Ipv6Addr>>> v6;
  for (uint32_t e = 0; e < entries_.size(); ++e) {
    if (auto* r = std::get_if<Ipv6Range>(&entries_[e].value)) {
      if (Ipv6RangeEmbedsIpv4Only(r->lo, r->hi)) {
        never_[e] = true;
        Note(e, kUnmatchableL, {.says = Says::kUnmatchable});
        continue;
      }
      if (CanDecide(RuleOf(e))) v6.push_back({e, {r->lo, r->hi}});
    } else if (auto* r = std::get_if<Ipv4Range>(&entries_[e].value)) {
      if (CanDecide(RuleOf(e))) v4.push_back({e, {r->lo, r->hi}});
    }
  }
  ShadowByMap(am.v4, v4, Says::kShadowedAddress);
  ShadowByMap(am.v6, v6, Says::kShadowedAddress);
}

void Linter::Scores(const IntervalMap<uint64_t>& scores) {
  std::vector<std::pair<uint32_t, std::pair<uint64_t, uint64_t>>> ranges;
  for (uint32_t e = 0; e < entries_.size(); ++e) {
    if (auto* s = std::get_if<SbrsRange>(&entries_[e].value)) {
      if (CanDecide(RuleOf(e))) {
        ranges.push_back({e, {ScoreKey(s->lo), ScoreKey(s->hi)}});
      }
    }
  }
  ShadowByMap(scores, ranges, Says::kShadowedScore);
}

void Linter::Hostnames() {
  const analysis::HostIndex index = analysis::BuildHostIndex(rules_);
  for (uint32_t e = 0; e < entries_.size(); ++e) {
    auto* h = std::get_if<HostPattern>(&entries_[e].value);
    const uint32_t r = RuleOf(e);
    if (!h || !CanDecide(r) || r > catch_all_) continue;
    // The same pattern in an earlier rule: a duplicate (reported as such).
    const auto& same = h->partial ? index.partial : index.exact;
    if (auto it = same.find(h->name);
        it != same.end() && RuleOf(it->second) < r) {
      never_[e] = true;
      continue;
    }
    uint32_t by = kNoValue;
    analysis::ForEachProperSuffix(h->name, [&](std::string_view s) {
      auto it = index.partial.find(analysis::AbslView(s));
      if (it != index.partial.end() && RuleOf(it->second) < r) {
        by = std::min(by, it->second);
      }
    });
    if (by == kNoValue) continue;
    never_[e] = true;
    Note(e, kShadowedL, {.says = Says::kShadowedHost, .by = {by}});
  }
}

// A sort key equal for two entries exactly when their normalized values
// are: the kind, up to four integers, and a name (hostnames, zones).
struct ValueKey {
  uint64_t kind, a, b, c, d;
  std::string_view name;
  friend bool operator<(const ValueKey& x, const ValueKey& y) {
    return std::tie(x.kind, x.a, x.b, x.c, x.d, x.name) <
           std::tie(y.kind, y.a, y.b, y.c, y.d, y.name);
  }
  friend bool operator==(const ValueKey&, const ValueKey&) = default;
};

ValueKey KeyOf(const EntryValue& v) {
  ValueKey k{v.index(), 0, 0, 0, 0, {}};
  if (auto* x = std::get_if<Ipv4Range>(&v)) {
    k.a = x->lo;
    k.b = x->hi;
  } else if (auto* x = std::get_if<Ipv6Range>(&v)) {
    k.a = x->lo.hi;
    k.b = x->lo.lo;
    k.c = x->hi.hi;
    k.d = x->hi.lo;
  } else if (auto* x = std::get_if<HostPattern>(&v)) {
    k.a = x->partial;
    k.name = x->name;
  } else if (auto* x = std::get_if<SbrsRange>(&v)) {
    k.a = ScoreKey(x->lo);
    k.b = ScoreKey(x->hi);
  } else if (auto* x = std::get_if<OwnerId>(&v)) {
    k.a = x->id;
  } else if (auto* x = std::get_if<DnsListZone>(&v)) {
    k.name = x->zone;
  } else if (auto* x = std::get_if<DnsStateIs>(&v)) {
    k.a = static_cast<uint64_t>(x->state);
  }
  return k;
}

void Linter::Duplicates() {
  // Sort the entries by value (then file order) and walk each run of equal
  // values: every entry after the first duplicates it, and never decides
  // when the first of the run in a rule that can decide is in an earlier
  // rule.  O(n log n) with no per-entry allocation.
  std::vector<std::pair<ValueKey, uint32_t>> order;
  order.reserve(entries_.size());
  for (uint32_t e = 0; e < entries_.size(); ++e) {
    order.emplace_back(KeyOf(entries_[e].value), e);
  }
  std::sort(order.begin(), order.end());
  for (size_t i = 0; i < order.size();) {
    size_t j = i + 1;
    while (j < order.size() && order[j].first == order[i].first) ++j;
    const uint32_t first = order[i].second;
    uint32_t first_deciding = kNoValue;
    for (size_t k = i; k < j; ++k) {
      const uint32_t e = order[k].second;
      const uint32_t r = RuleOf(e);
      if (first_deciding != kNoValue && RuleOf(first_deciding) < r &&
          CanDecide(r)) {
        never_[e] = true;
      }
      if (first_deciding == kNoValue && CanDecide(r)) first_deciding = e;
      if (e == first) continue;
      // Shadowing found by the other checks counts too: the message then
      // says everything the suppressed shadowed-* warning would have.
      const bool never = never_[e] && CanDecide(r) && r <= catch_all_;
      Note(e, kDuplicateL,
           {.says = Says::kDuplicate, .flag = never, .by = {first}});
    }
    i = j;
  }
}

void Linter::Overlaps() {
  const auto& rule_list = rules_.rules();
  auto report = [&](uint32_t a, uint32_t b, bool a_in_b, bool b_in_a) {
    // Report at the later entry in the file, naming the earlier one.
    const uint32_t later = std::max(a, b), earlier = std::min(a, b);
    const bool later_in = later == a ? a_in_b : b_in_a;
    const bool earlier_in = later == a ? b_in_a : a_in_b;
    const Overlap how = later_in     ? kContained
                        : earlier_in ? kContains
                                     : kOverlaps;
    Note(later, kOverlapL,
         {.says = Says::kOverlap, .flag = how, .by = {earlier}});
  };
  // Ranges of one kind within one rule: sort by start, sweep keeping the
  // range that reaches furthest.
  auto sweep = [&](auto& items) {  // (lo, hi, entry)
    std::sort(items.begin(), items.end());
    for (size_t i = 1, best = 0; i < items.size(); ++i) {
      const auto& [lo, hi, e] = items[i];
      const auto& [blo, bhi, be] = items[best];
      if (lo <= bhi && !(lo == blo && hi == bhi)) {
        report(e, be, hi <= bhi, lo == blo && bhi <= hi);
      }
      if (hi > std::get<1>(items[best])) best = i;
    }
  };
  for (const Rule& rule : rule_list) {
    std::vector<std::tuple<uint32_t, uint32_t, uint32_t>> v4;
    std::vector<std::tuple<Ipv6Addr, Ipv6Addr, uint32_t>> v6;
    std::vector<std::tuple<uint64_t, uint64_t, uint32_t>> sbrs;
    absl::flat_hash_map<absl::string_view, uint32_t> partial;
    for (uint32_t i = 0; i < rule.entry_count; ++i) {
      const uint32_t e = rule.first_entry + i;
      const EntryValue& v = entries_[e].value;
      if (auto* r = std::get_if<Ipv4Range>(&v))
        v4.emplace_back(r->lo, r->hi, e);
      if (auto* r = std::get_if<Ipv6Range>(&v))
        v6.emplace_back(r->lo, r->hi, e);
      if (auto* s = std::get_if<SbrsRange>(&v)) {
        sbrs.emplace_back(ScoreKey(s->lo), ScoreKey(s->hi), e);
      }
      if (auto* h = std::get_if<HostPattern>(&v); h && h->partial) {
        partial.try_emplace(analysis::AbslView(h->name), e);
      }
    }
    sweep(v4);
    sweep(v6);
    sweep(sbrs);
    if (partial.empty()) continue;
    for (uint32_t i = 0; i < rule.entry_count; ++i) {
      const uint32_t e = rule.first_entry + i;
      auto* h = std::get_if<HostPattern>(&entries_[e].value);
      if (!h) continue;
      uint32_t by = kNoValue;
      analysis::ForEachProperSuffix(h->name, [&](std::string_view s) {
        if (auto it = partial.find(analysis::AbslView(s));
            it != partial.end()) {
          by = std::min(by, it->second);
        }
      });
      if (by != kNoValue) report(e, by, true, false);
    }
  }
}

void Linter::BareDomains() {
  absl::flat_hash_set<absl::string_view> exact, reported;
  for (const Entry& e : entries_) {
    if (auto* h = std::get_if<HostPattern>(&e.value); h && !h->partial) {
      exact.insert(analysis::AbslView(h->name));
    }
  }
  for (uint32_t e = 0; e < entries_.size(); ++e) {
    auto* h = std::get_if<HostPattern>(&entries_[e].value);
    // A single-label base is a top-level domain, never a mail host.
    if (!h || !h->partial || h->name.find('.') == std::string::npos) continue;
    if (exact.contains(analysis::AbslView(h->name)) ||
        !reported.insert(analysis::AbslView(h->name)).second) {
      continue;
    }
    out_.Offer(kBareDomain, entries_[e].loc, RuleOf(e), e, [&] {
      return fmt::format(
          "`{}` matches names below {} but not {} itself, and no entry lists "
          "{}; add it if it is meant too",
          entries_[e].text, h->name, h->name, h->name);
    });
  }
}

void Linter::RuleLevel() {
  const auto& rule_list = rules_.rules();
  for (uint32_t r = 0; r < rule_list.size(); ++r) {
    const Rule& rule = rule_list[r];
    if (!CanDecide(r)) continue;
    if (r > catch_all_) {
      out_.Offer(kAfterCatchAll, rule.loc, r, kNoEntry, [&] {
        return fmt::format("rule {} never decides: it follows a catch-all ({})",
                           rule.name, catch_all_why_);
      });
      continue;
    }
    if (rule.kind == RuleKind::kAll) continue;
    bool dead = true;
    for (uint32_t i = 0; i < rule.entry_count && dead; ++i) {
      dead = never_[rule.first_entry + i];
    }
    if (!dead) continue;
    out_.Offer(kDeadRule, rule.loc, r, kNoEntry, [&] {
      return rule.entry_count == 0
                 ? fmt::format("rule {} never decides: it has no entries",
                               rule.name)
                 : fmt::format(
                       "rule {} never decides: each of its {} is covered by "
                       "earlier rules or matches nothing",
                       rule.name,
                       rule.entry_count == 1
                           ? std::string("1 entry")
                           : fmt::format("{} entries", rule.entry_count));
    });
  }
}

void Linter::PolicyLevel() {
  std::vector<uint32_t> uses(rules_.policies().size(), 0);
  for (const Rule& r : rules_.rules()) {
    if (r.policy < uses.size()) ++uses[r.policy];
  }
  for (uint32_t p = 0; p < uses.size(); ++p) {
    const Policy& policy = rules_.policies()[p];
    if (uses[p] || policy.name.empty()) continue;
    out_.Offer(kUnusedPolicy, policy.loc, kNoRule, kNoEntry, [&] {
      return fmt::format("policy ${} is defined but no rule uses it",
                         policy.name);
    });
  }
  // The parser also notes IPv6 entries inside the IPv4-embedding blocks;
  // unmatchable-entry already reports those, with a code.
  absl::flat_hash_set<std::pair<uint32_t, uint32_t>> unmatchable;
  for (uint32_t e = 0; e < entries_.size(); ++e) {
    if (findings_[e].level == kUnmatchableL) {
      unmatchable.insert({entries_[e].loc.line, entries_[e].loc.col});
    }
  }
  for (const Diagnostic& d : rules_.warnings()) {
    if (unmatchable.contains(std::pair(d.loc.line, d.loc.col))) continue;
    const bool host_bits = d.message.find("host bits") != std::string::npos;
    out_.Offer(host_bits ? kHostBits : kParseWarning, d.loc, kNoRule, kNoEntry,
               [&] { return d.message; });
  }
}

std::string_view Linter::CodeOf(const Finding& f) {
  switch (f.says) {
    case Says::kUnmatchable:
      return kUnmatchable;
    case Says::kShadowedAddress:
      return kShadowedIp;
    case Says::kShadowedScore:
      return kShadowedCriteria;
    case Says::kShadowedHost:
      return kShadowedHost;
    case Says::kDuplicate:
      return kDuplicate;
    case Says::kOverlap:
      break;
  }
  return kOverlap;
}

std::string Linter::MessageOf(uint32_t e, const Finding& f) const {
  const std::string& text = entries_[e].text;
  switch (f.says) {
    case Says::kUnmatchable: {
      const auto& r = std::get<Ipv6Range>(entries_[e].value);
      return fmt::format(
          "`{}` matches nothing: it lies inside {}, and a connection from "
          "there is an IPv4 host matched by IPv4 entries only",
          text, r.lo >= kIpv4MappedFirst ? "::ffff:0:0/96" : "::/96");
    }
    case Says::kShadowedAddress:
    case Says::kShadowedScore: {
      std::string names;
      for (size_t k = 0; k < f.n; ++k) {
        names += (k ? ", " : "") + RuleRef(f.by[k]);
      }
      if (f.flag) names += " and others";
      return fmt::format(
          "`{}` never decides: every {} it matches is taken by earlier "
          "rule{}: {}",
          text, f.says == Says::kShadowedAddress ? "address" : "score",
          f.n == 1 && !f.flag ? "" : "s", names);
    }
    case Says::kShadowedHost:
      return fmt::format(
          "`{}` never decides: {} in earlier rule {} matches every name it "
          "matches",
          text, EntryRef(f.by[0]), RuleRef(RuleOf(f.by[0])));
    case Says::kDuplicate: {
      const uint32_t first = f.by[0];
      std::string where =
          RuleOf(first) == RuleOf(e)
              ? std::string("of the same rule")
              : fmt::format("in rule {}", RuleRef(RuleOf(first)));
      return fmt::format("`{}` duplicates {} {}{}", text, EntryRef(first),
                         where, f.flag ? "; it never decides" : "");
    }
    case Says::kOverlap:
      break;
  }
  const char* how = f.flag == kContained  ? "is contained in"
                    : f.flag == kContains ? "contains"
                                          : "overlaps";
  return fmt::format("`{}` {} {} of the same rule", text, how,
                     EntryRef(f.by[0]));
}

LintResult Linter::Run() {
  const analysis::AddressMaps am = analysis::BuildAddressMaps(rules_);
  const IntervalMap<uint64_t> scores = analysis::BuildScoreMap(rules_);
  CatchAll(am, scores);
  Addresses(am);
  Scores(scores);
  Hostnames();
  Duplicates();
  Overlaps();
  for (uint32_t e = 0; e < entries_.size(); ++e) {
    const Finding& f = findings_[e];
    if (f.level == kNone) continue;
    // Rules after a catch-all get one warning, not one per covered entry.
    if (f.level == kShadowedL && RuleOf(e) > catch_all_) continue;
    out_.Offer(CodeOf(f), entries_[e].loc, RuleOf(e), e,
               [&] { return MessageOf(e, f); });
  }
  BareDomains();
  RuleLevel();
  PolicyLevel();
  return out_.Finish();
}

}  // namespace

const std::vector<LintCode>& LintCodes() {
  static const std::vector<LintCode> codes = {
      {kShadowedIp,
       "IPv4/IPv6 entry never decides: earlier rules take all its addresses"},
      {kShadowedHost,
       "hostname entry never decides: an earlier rule's partial hostname "
       "matches every name it matches"},
      {kShadowedCriteria,
       "sbrs range never decides: earlier rules' sbrs ranges cover it"},
      {kUnmatchable,
       "IPv6 entry inside ::/96 or ::ffff:0:0/96, where connections are IPv4"},
      {kDeadRule,
       "rule never decides: every entry is covered or matches nothing, or it "
       "has no entries"},
      {kAfterCatchAll,
       "rule never decides: earlier rules match every connection"},
      {kDuplicate, "the same normalized entry appears twice"},
      {kOverlap, "two entries of one rule overlap (one is redundant in part)"},
      {kHostBits, "CIDR with host bits set (the parser masked them)"},
      {kParseWarning, "any other non-fatal finding of the parser"},
      {kBareDomain, "partial hostname .d while no entry lists d itself"},
      {kUnusedPolicy, "policy defined but used by no rule"},
  };
  return codes;
}

std::string LintWarning::ToString(std::string_view file) const {
  return fmt::format("{}:{}:{}: warning[{}]: {}", file, loc.line, loc.col, code,
                     message);
}

LintResult Lint(const RuleSet& rules, const LintOptions& options) {
  return Linter(rules, options.max_warnings).Run();
}

std::vector<LintWarning> Lint(const RuleSet& rules) {
  return Lint(rules, {.max_warnings = 0}).warnings;
}

std::string LintText(const RuleSet& rules, const LintResult& result) {
  std::string out;
  for (const LintWarning& w : result.warnings) {
    out += w.ToString(rules.file());
    out += '\n';
  }
  if (const size_t more = result.omitted()) {
    out += fmt::format(
        "{}: {} more warning{} not shown (the first {} of {} are; "
        "--max-warnings 0 shows all)\n",
        rules.file(), more, more == 1 ? "" : "s", result.warnings.size(),
        result.total);
  }
  return out;
}

std::string LintJson(const RuleSet& rules, const LintResult& result) {
  const std::vector<LintWarning>& warnings = result.warnings;
  std::string out = "{\"file\":";
  AppendJson(rules.file(), &out);
  out += ",\"warnings\":[";
  for (size_t i = 0; i < warnings.size(); ++i) {
    const LintWarning& w = warnings[i];
    out += i ? ",{\"code\":" : "{\"code\":";
    AppendJson(w.code, &out);
    out += fmt::format(",\"line\":{},\"col\":{},\"message\":", w.loc.line,
                       w.loc.col);
    AppendJson(w.message, &out);
    if (w.rule != kNoRule) {
      out += ",\"rule\":";
      AppendJson(rules.rules()[w.rule].name, &out);
    }
    if (w.entry != kNoEntry) {
      out += ",\"entry\":";
      AppendJson(rules.entries()[w.entry].text, &out);
    }
    out += '}';
  }
  out += fmt::format("],\"count\":{}", warnings.size());
  // Only when some were left out, so that a complete result prints as it
  // always has.
  if (result.omitted()) {
    out += fmt::format(",\"total\":{},\"omitted\":{},\"totals\":{{",
                       result.total, result.omitted());
    for (size_t i = 0; i < result.counts.size(); ++i) {
      if (i) out += ',';
      AppendJson(result.counts[i].code, &out);
      out += fmt::format(":{}", result.counts[i].count);
    }
    out += '}';
  }
  out += '}';
  return out;
}

namespace {

// A complete result: every warning kept.
LintResult Whole(std::vector<LintWarning> warnings) {
  LintResult result;
  result.total = warnings.size();
  result.warnings = std::move(warnings);
  return result;
}

}  // namespace

std::string LintText(const RuleSet& rules,
                     const std::vector<LintWarning>& warnings) {
  return LintText(rules, Whole(warnings));
}

std::string LintJson(const RuleSet& rules,
                     const std::vector<LintWarning>& warnings) {
  return LintJson(rules, Whole(warnings));
}

}  // namespace hatmatch
