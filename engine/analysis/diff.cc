// Copyright 2026 The hatmatch Authors.
//
// Diff: the exact semantic difference of two rule files.
//
// A connection's decision in one file is min(a, x): a is the first rule (that
// can decide) with an address entry matching the address, x the first rule
// brought in by everything else (verified name or DNS state, score, owner,
// DNS lists) or ALL.  The non-address dimensions are independent of each
// other and of the address, so the pairs (x_old, x_new) that connections
// realize are exactly the componentwise minima of one choice per dimension:
//
//   hostname/DNS  nothing known; nx / servfail / mismatch; a verified name,
//                 one probe per class of names (below)
//   score         no score; one value per segment of the merged score maps
//   owner         none; each id either file names
//   DNS lists     the minima over every subset of the zones either file names
//
// Folding the dimensions one at a time keeps one witness per distinct pair:
// at most (k_old + 2) * (k_new + 2) of them for k rules with non-address
// entries.  For each, one sweep over the merged address segments of both
// files finds every range where the identities (name, action) of min(a, x)
// differ.  Nothing is sampled.
//
// Hostname classes: a name matches the exact pattern equal to it and the
// partials of its proper suffixes.  With B the set of pattern names of both
// files, a name m whose longest suffix in B is s behaves like s itself (when
// m == s) or like "x.s" for a one-letter label x with x.s not in B.  So
// probing each b in B and one x.b is complete.
//
// Bounds (DiffOptions): the number of contexts grows as the product of the
// two files' rule counts and each costs a pass over the address pairs, so a
// crafted pair of modest files could run for hours.  Every step is charged
// to one work counter as it happens (each min taken while folding, then
// contexts x address pairs, then the segments the sweeps will visit, known
// exactly before any sweep), and the states the fold holds are counted
// against max_contexts, so both time and memory stop at the limits with a
// status instead of growing.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "engine/analysis/maps.h"
#include "engine/compile/dimensions.h"
#include "fmt/format.h"
#include "hatmatch/analysis.h"

namespace hatmatch {
namespace {

using analysis::kBlocked;
using u128 = Uint128;

constexpr uint32_t kNoId = UINT32_MAX;

// Identity of rules across both files: lowercase name and action.
class Identities {
 public:
  uint32_t Of(const RuleSet& rs, uint32_t rule) {
    std::string key;
    for (char c : rs.rules()[rule].name) {
      key.push_back(
          static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
    key.push_back('\0');
    key.append(ActionName(rs.action_of(rule)));
    return ids_.try_emplace(key, static_cast<uint32_t>(ids_.size()))
        .first->second;
  }

 private:
  absl::flat_hash_map<std::string, uint32_t> ids_;
};

// One file, seen per dimension, rule-valued.
struct Side {
  explicit Side(const RuleSet& r) : rs(r) {}
  const RuleSet& rs;
  std::vector<uint32_t> id;  // rule -> identity
  uint32_t all = kNoRule;
  IntervalMap<uint32_t> v4;
  IntervalMap<Ipv6Addr> v6;
  IntervalMap<uint64_t> scores;
  analysis::HostIndex hosts;  // entry-valued
  uint32_t sbrs_none = kNoRule;
  absl::flat_hash_map<uint64_t, uint32_t> sbo;
  absl::flat_hash_map<std::string, uint32_t> zones;
  std::array<uint32_t, kDnsStateCount> dns{kNoRule, kNoRule, kNoRule, kNoRule,
                                           kNoRule};

  uint32_t Id(uint32_t rule) const {
    return rule == kNoRule ? kNoId : id[rule];
  }
  uint32_t EntryRule(uint32_t e) const {
    return e == kNoValue ? kNoRule : rs.entries()[e].rule;
  }
  uint32_t Host(std::string_view name) const {
    return EntryRule(hosts.Lookup(name));
  }
  uint32_t Sbo(uint64_t v) const {
    auto it = sbo.find(v);
    return it == sbo.end() ? kNoRule : it->second;
  }
  uint32_t Zone(const std::string& z) const {
    auto it = zones.find(z);
    return it == zones.end() ? kNoRule : it->second;
  }
};

void BuildSide(Side& s, Identities& ids) {
  const RuleSet& rs = s.rs;
  for (uint32_t r = 0; r < rs.rules().size(); ++r) {
    s.id.push_back(ids.Of(rs, r));
    if (rs.rules()[r].kind == RuleKind::kAll && rs.can_decide(r)) {
      s.all = std::min(s.all, r);
    }
  }
  auto rule_of = [&rs](uint32_t v) {
    return v == kBlocked ? kBlocked : rs.entries()[v].rule;
  };
  analysis::AddressMaps am = analysis::BuildAddressMaps(rs);
  s.v4 = Relabel(am.v4, rule_of);
  s.v6 = Relabel(am.v6, rule_of);
  s.scores = Relabel(analysis::BuildScoreMap(rs), rule_of);
  s.hosts = analysis::BuildHostIndex(rs);
  // The criteria, at rule granularity: the rule of a dimension's first
  // entry is the first rule with such an entry.
  const DecidingEntries d = SplitByDimension(rs);
  auto rule = [&rs](uint32_t e) {
    return e == kNoValue ? kNoRule : rs.entries()[e].rule;
  };
  s.sbrs_none = std::min(s.sbrs_none, rule(d.sbrs_none));
  for (const auto& [id, e] : d.owners) s.sbo.try_emplace(id, rule(e));
  for (const auto& [zone, e] : d.zones) {
    s.zones.try_emplace(std::string(zone), rule(e));
  }
  for (size_t i = 0; i < kDnsStateCount; ++i) {
    s.dns[i] = std::min(s.dns[i], rule(d.dns_state[i]));
  }
}

// Two maps over the same key space, merged: segment i is
// [starts[i], last_of(i)] with values a[i] (old) and b[i] (new).
template <class K>
struct Merged {
  std::vector<K> starts;
  std::vector<uint32_t> a, b;
  K last_of(size_t i) const {
    return i + 1 < starts.size() ? KeyTraits<K>::Prev(starts[i + 1])
                                 : KeyTraits<K>::kMax;
  }
};

template <class K>
Merged<K> Merge(const IntervalMap<K>& x, const IntervalMap<K>& y) {
  Merged<K> m;
  size_t i = 0, j = 0;
  K at = KeyTraits<K>::kMin;
  while (true) {
    m.starts.push_back(at);
    m.a.push_back(x.values[i]);
    m.b.push_back(y.values[j]);
    const bool xi = i + 1 < x.size(), yj = j + 1 < y.size();
    if (!xi && !yj) break;
    if (xi && (!yj || x.starts[i + 1] <= y.starts[j + 1])) {
      at = x.starts[i + 1];
      if (yj && y.starts[j + 1] == at) ++j;
      ++i;
    } else {
      at = y.starts[j + 1];
      ++j;
    }
  }
  return m;
}

using Pair = std::pair<uint32_t, uint32_t>;  // (old rule, new rule)
Pair Min(Pair p, Pair q) {
  return {std::min(p.first, q.first), std::min(p.second, q.second)};
}

// One way to fill a dimension of the connection.
struct Option {
  Pair pair;
  Connection fields;  // only this dimension's fields set
};

void Apply(const Connection& from, Connection* to) {
  if (from.dns != DnsState::kUnknown) {
    to->dns = from.dns;
    to->ptr = from.ptr;
  }
  if (from.sbrs) to->sbrs = from.sbrs;
  if (from.sbo) to->sbo = from.sbo;
  for (const std::string& z : from.dnslists) to->dnslists.push_back(z);
}

// A short score inside [lo, hi] (keys) for witnesses: an integer or a one-
// or two-decimal value when there is one.
double NiceScore(uint64_t lo, uint64_t hi) {
  const double a = ScoreOfKey(lo);
  for (double scale : {1.0, 10.0, 100.0}) {
    const double v = std::ceil(a * scale) / scale;
    const uint64_t k = ScoreKey(v);
    if (k >= lo && k <= hi) return v == 0 ? 0.0 : v;
  }
  return a;
}

struct Probe {
  std::string name;     // the name to look up
  std::string display;  // "b" or "*.b"
};

std::vector<Probe> HostProbes(const RuleSet& a, const RuleSet& b) {
  absl::flat_hash_set<std::string> bases;
  for (const RuleSet* rs : {&a, &b}) {
    for (const Entry& e : rs->entries()) {
      if (auto* h = std::get_if<HostPattern>(&e.value)) bases.insert(h->name);
    }
  }
  std::vector<std::string> sorted(bases.begin(), bases.end());
  std::sort(sorted.begin(), sorted.end());
  std::vector<Probe> probes;
  static constexpr std::string_view kLabels =
      "xyzqwabcdefghijklmnoprstuv0123456789";
  for (const std::string& n : sorted) {
    probes.push_back({n, n});
    if (n.size() + 2 > 253) continue;  // nothing can be below it
    for (char c : kLabels) {
      std::string below = std::string(1, c) + "." + n;
      if (bases.contains(below)) continue;
      probes.push_back({std::move(below), "*." + n});
      break;
    }
  }
  return probes;
}

class Differ {
 public:
  Differ(const RuleSet& o, const RuleSet& n, const DiffOptions& options)
      : old_(o),
        new_(n),
        max_ranges_(options.max_ranges),
        max_contexts_(options.max_contexts == 0 ? SIZE_MAX
                                                : options.max_contexts),
        max_work_(options.max_work == 0 ? UINT64_MAX : options.max_work) {
    BuildSide(old_, ids_);
    BuildSide(new_, ids_);
    v4_ = Merge(old_.v4, new_.v4);
    v6_ = Merge(old_.v6, new_.v6);
    scores_ = Merge(old_.scores, new_.scores);
    IndexPairs();
  }

  // Folds the dimensions into the contexts to examine and decides
  // equivalence, or stops at a limit (status()); call once before Next.
  void Prepare();
  const absl::Status& status() const { return status_; }
  DiffLimit exceeded() const { return exceeded_; }
  uint64_t work() const { return work_; }
  bool equivalent() const { return status_.ok() && equivalent_; }
  size_t contexts_examined() const { return states_.size(); }
  const std::vector<DimensionChange>& dimensions() const { return dimensions_; }
  bool Next(DiffContext* c);

 private:
  bool Same(uint32_t ro, uint32_t rn) const {
    return old_.Id(ro) == new_.Id(rn);
  }
  // Charges `units` of work; false (with status_ set) once over the limit.
  bool Charge(uint64_t units, std::string_view step);
  // False (with status_ set) when a fold holds more than max_contexts pairs.
  bool Hold(size_t pairs, std::string_view what);
  void Fold(const std::vector<Option>& options, bool counted,
            std::vector<Option>* states);
  std::vector<Option> HostOptions(std::vector<DimensionChange>* changes);
  std::vector<Option> ScoreOptions(std::vector<DimensionChange>* changes);
  std::vector<Option> OwnerOptions(std::vector<DimensionChange>* changes);
  std::vector<Option> ZoneOptions(std::vector<DimensionChange>* changes);
  void IndexPairs();
  bool Changes(uint32_t p, uint32_t xo, uint32_t xn) const;
  std::vector<uint32_t> ChangedPairs(uint32_t xo, uint32_t xn) const;
  void Sweep(const std::vector<uint32_t>& changed, DiffContext* c) const;

  Identities ids_;
  Side old_, new_;
  size_t max_ranges_;
  size_t max_contexts_;
  uint64_t max_work_;
  uint64_t work_ = 0;
  absl::Status status_;
  DiffLimit exceeded_ = DiffLimit::kNone;
  Merged<uint32_t> v4_;
  Merged<Ipv6Addr> v6_;
  Merged<uint64_t> scores_;
  // The distinct (old rule, new rule) pairs of the merged address segments,
  // and per family the segments of each pair, ascending (CSR: segments of
  // pair p are segs[f][off[f][p] .. off[f][p+1])).  A context's changes are
  // decided per pair, so a context costs O(pairs) plus its output, not
  // O(segments).
  std::vector<Pair> pairs_;
  std::vector<uint32_t> off_[2], segs_[2];
  std::vector<uint32_t> seg_pair_[2];  // segment -> pair, in address order
  // Every realizable context (the address-only one first), and the next
  // one Next examines.
  std::vector<Option> states_;
  size_t next_state_ = 0;
  bool equivalent_ = true;
  std::vector<DimensionChange> dimensions_;
};

void Differ::IndexPairs() {
  absl::flat_hash_map<Pair, uint32_t> id;
  auto note = [&](int f, uint32_t a, uint32_t b) {
    auto [it, fresh] = id.try_emplace(Pair{a, b}, pairs_.size());
    if (fresh) pairs_.push_back({a, b});
    seg_pair_[f].push_back(it->second);
  };
  for (size_t i = 0; i < v4_.starts.size(); ++i) note(0, v4_.a[i], v4_.b[i]);
  for (size_t i = 0; i < v6_.starts.size(); ++i) {
    // The IPv4-embedding blocks get the pair (kBlocked, kBlocked), which
    // Sweep skips.
    note(1, v6_.a[i], v6_.b[i]);
  }
  for (int f = 0; f < 2; ++f) {
    off_[f].assign(pairs_.size() + 1, 0);
    for (uint32_t p : seg_pair_[f]) ++off_[f][p + 1];
    for (size_t p = 0; p < pairs_.size(); ++p) off_[f][p + 1] += off_[f][p];
    segs_[f].resize(seg_pair_[f].size());
    std::vector<uint32_t> fill(off_[f].begin(), off_[f].end() - 1);
    for (uint32_t i = 0; i < seg_pair_[f].size(); ++i) {
      segs_[f][fill[seg_pair_[f][i]]++] = i;
    }
  }
}

std::vector<Option> Differ::HostOptions(std::vector<DimensionChange>* ch) {
  std::vector<Option> out;
  out.push_back({{kNoRule, kNoRule}, {}});  // nothing known (default)
  for (DnsState s :
       {DnsState::kNxDomain, DnsState::kServFail, DnsState::kMismatch}) {
    const size_t i = static_cast<size_t>(s);
    Option o{{old_.dns[i], new_.dns[i]}, {}};
    o.fields.dns = s;
    out.push_back(o);
    if (!Same(o.pair.first, o.pair.second)) {
      ch->push_back({"dns", std::string(DnsStateEntryName(s)), o.pair.first,
                     o.pair.second});
    }
  }
  for (Probe& p : HostProbes(old_.rs, new_.rs)) {
    Option o{{old_.Host(p.name), new_.Host(p.name)}, {}};
    if (!Same(o.pair.first, o.pair.second)) {
      ch->push_back({"hostname", p.display, o.pair.first, o.pair.second});
    }
    o.fields.dns = DnsState::kVerified;
    o.fields.ptr = std::move(p.name);
    out.push_back(std::move(o));
  }
  return out;
}

std::vector<Option> Differ::ScoreOptions(std::vector<DimensionChange>* ch) {
  std::vector<Option> out;
  out.push_back({{old_.sbrs_none, new_.sbrs_none}, {}});  // no score
  if (!Same(old_.sbrs_none, new_.sbrs_none)) {
    ch->push_back({"sbrs", "sbrs[none]", old_.sbrs_none, new_.sbrs_none});
  }
  const uint64_t klo = MinScoreKey(), khi = MaxScoreKey();
  for (size_t i = 0; i < scores_.starts.size(); ++i) {
    const uint64_t lo = std::max(scores_.starts[i], klo);
    const uint64_t hi = std::min(scores_.last_of(i), khi);
    if (lo > hi) continue;
    Option o{{scores_.a[i], scores_.b[i]}, {}};
    o.fields.sbrs = NiceScore(lo, hi);
    if (!Same(o.pair.first, o.pair.second)) {
      ch->push_back({"sbrs", analysis::FormatScoreInterval(lo, hi),
                     o.pair.first, o.pair.second});
    }
    out.push_back(std::move(o));
  }
  return out;
}

std::vector<Option> Differ::OwnerOptions(std::vector<DimensionChange>* ch) {
  std::vector<Option> out;
  out.push_back({{kNoRule, kNoRule}, {}});
  std::vector<uint64_t> ids;
  for (const auto& [v, r] : old_.sbo) ids.push_back(v);
  for (const auto& [v, r] : new_.sbo) ids.push_back(v);
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  for (uint64_t v : ids) {
    Option o{{old_.Sbo(v), new_.Sbo(v)}, {}};
    o.fields.sbo = v;
    if (!Same(o.pair.first, o.pair.second)) {
      ch->push_back(
          {"sbo", fmt::format("SBO:{}", v), o.pair.first, o.pair.second});
    }
    out.push_back(std::move(o));
  }
  return out;
}

std::vector<Option> Differ::ZoneOptions(std::vector<DimensionChange>* ch) {
  std::vector<std::string> zones;
  for (const auto& [z, r] : old_.zones) zones.push_back(z);
  for (const auto& [z, r] : new_.zones) zones.push_back(z);
  std::sort(zones.begin(), zones.end());
  zones.erase(std::unique(zones.begin(), zones.end()), zones.end());
  // Every subset of the zones, kept once per resulting pair.
  std::vector<Option> out;
  absl::flat_hash_map<Pair, size_t> seen;
  out.push_back({{kNoRule, kNoRule}, {}});
  seen[out[0].pair] = 0;
  for (const std::string& z : zones) {
    const Pair pz{old_.Zone(z), new_.Zone(z)};
    if (!Same(pz.first, pz.second)) {
      ch->push_back({"dnslist", "dnslist[" + z + "]", pz.first, pz.second});
    }
    const size_t n = out.size();
    if (!Charge(n, "combining DNS lists")) return {};
    for (size_t i = 0; i < n; ++i) {
      const Pair p = Min(out[i].pair, pz);
      if (seen.contains(p)) continue;
      // Each combination is held with its list of zones: bounded like the
      // contexts, which they become once the other inputs are folded in.
      if (!Hold(out.size() + 1, "DNS-list combinations")) return {};
      Option o{p, out[i].fields};
      o.fields.dnslists.push_back(z);
      seen[p] = out.size();
      out.push_back(std::move(o));
    }
  }
  return out;
}

// A context changes a decision exactly where some merged address segment's
// pair, combined with the context's first rules, differs in identity; every
// pair has at least one segment.  The IPv4-embedding blocks' pair is
// skipped: IPv4 hosts are done as such.
bool Differ::Changes(uint32_t p, uint32_t xo, uint32_t xn) const {
  const Pair& pair = pairs_[p];
  return pair.first != kBlocked &&
         !Same(std::min(pair.first, xo), std::min(pair.second, xn));
}

std::vector<uint32_t> Differ::ChangedPairs(uint32_t xo, uint32_t xn) const {
  std::vector<uint32_t> changed;
  for (uint32_t p = 0; p < pairs_.size(); ++p) {
    if (Changes(p, xo, xn)) changed.push_back(p);
  }
  return changed;
}

// Every range of the changed pairs' segments, coalesced, into c.
void Differ::Sweep(const std::vector<uint32_t>& changed, DiffContext* c) const {
  const uint32_t xo = c->old_first, xn = c->new_first;
  auto action = [](const Side& s, uint32_t r) -> std::string_view {
    return r == kNoRule ? std::string_view("-") : ActionName(s.rs.action_of(r));
  };
  // The range being coalesced; it is kept (or only counted) once the next
  // one cannot join it.
  DiffRange open;
  bool has_open = false;
  const size_t keep = c->address_only ? SIZE_MAX : max_ranges_;
  auto close_open = [&] {
    if (!has_open) return;
    if (c->ranges.size() < keep) c->ranges.push_back(open);
    ++c->range_count;
  };
  auto add = [&](bool v6, Ipv6Addr lo, Ipv6Addr hi, uint32_t ro, uint32_t rn,
                 u128 n) {
    if (has_open && open.v6 == v6 && open.old_rule == ro &&
        open.new_rule == rn && KeyTraits<Ipv6Addr>::Next(open.hi) == lo) {
      open.hi = hi;
    } else {
      close_open();
      open = {v6, lo, hi, ro, rn};
      has_open = true;
    }
    const std::string_view ao = action(old_, ro), an = action(new_, rn);
    // Few distinct action pairs: a linear search is fine.
    for (DiffCount& k : c->counts) {
      if (k.v6 == v6 && k.old_action == ao && k.new_action == an) {
        k.addresses += n;
        return;
      }
    }
    c->counts.push_back({v6, std::string(ao), std::string(an), n});
  };
  std::vector<bool> is_changed(pairs_.size());
  for (uint32_t p : changed) is_changed[p] = true;
  for (int f = 0; f < 2; ++f) {
    std::vector<uint32_t> segs;
    size_t count = 0;
    for (uint32_t p : changed) count += off_[f][p + 1] - off_[f][p];
    if (count > seg_pair_[f].size() / 16) {
      // Many segments change (unrelated files): one pass over them all, in
      // address order, costs less than gathering and sorting them.
      segs.reserve(count);
      for (uint32_t i = 0; i < seg_pair_[f].size(); ++i) {
        if (is_changed[seg_pair_[f][i]]) segs.push_back(i);
      }
    } else {
      for (uint32_t p : changed) {
        segs.insert(segs.end(), segs_[f].begin() + off_[f][p],
                    segs_[f].begin() + off_[f][p + 1]);
      }
      if (changed.size() > 1) std::sort(segs.begin(), segs.end());
    }
    for (uint32_t i : segs) {
      if (f == 0) {
        const uint32_t ro = std::min(v4_.a[i], xo), rn = std::min(v4_.b[i], xn);
        const uint32_t lo = v4_.starts[i], hi = v4_.last_of(i);
        add(false, {0, lo}, {0, hi}, ro, rn, u128{hi} - lo + 1);
      } else {
        const uint32_t ro = std::min(v6_.a[i], xo), rn = std::min(v6_.b[i], xn);
        const Ipv6Addr lo = v6_.starts[i], hi = v6_.last_of(i);
        const u128 n = ToUint128(hi) - ToUint128(lo) + 1;
        add(true, lo, hi, ro, rn, n);
      }
    }
  }
  close_open();
}

bool Differ::Charge(uint64_t units, std::string_view step) {
  work_ = units > UINT64_MAX - work_ ? UINT64_MAX : work_ + units;
  if (work_ <= max_work_) return true;
  exceeded_ = DiffLimit::kWork;
  status_ = absl::ResourceExhaustedError(fmt::format(
      "the diff needs more than {} units of work (reached {} while {})",
      max_work_, work_, step));
  return false;
}

bool Differ::Hold(size_t pairs, std::string_view what) {
  if (pairs <= max_contexts_) return true;
  exceeded_ = DiffLimit::kContexts;
  status_ = absl::ResourceExhaustedError(
      fmt::format("the files realize more than {} {} (distinct pairs of "
                  "first rules that a connection's non-address inputs bring "
                  "in, in old and in new)",
                  max_contexts_, what));
  return false;
}

void Differ::Fold(const std::vector<Option>& options, bool counted,
                  std::vector<Option>* states) {
  std::vector<Option> next;
  absl::flat_hash_set<Pair> seen;
  for (const Option& s : *states) {
    if (!Charge(options.size(), "folding the non-address inputs")) return;
    for (const Option& o : options) {
      const Pair p = Min(s.pair, o.pair);
      if (!seen.insert(p).second) continue;
      if (counted && !Hold(seen.size(), "contexts")) return;
      Option n{p, s.fields};
      Apply(o.fields, &n.fields);
      next.push_back(std::move(n));
    }
  }
  *states = std::move(next);
}

void Differ::Prepare() {
  std::vector<DimensionChange> changes;
  const std::vector<std::vector<Option>> dims = {
      HostOptions(&changes), ScoreOptions(&changes), OwnerOptions(&changes),
      ZoneOptions(&changes)};
  if (!status_.ok()) return;
  // Fold the dimensions; insertion order keeps the all-defaults witness (the
  // address-only connection) first.  From the score on, every state is a
  // context some connection realizes (the first option of each later
  // dimension, no owner and no lists, changes nothing), so counting them is
  // exact; before it, the states are at most one per hostname option.
  std::vector<Option> states = {{{old_.all, new_.all}, {}}};
  for (size_t d = 0; d < dims.size(); ++d) {
    Fold(dims[d], d > 0, &states);
    if (!status_.ok()) return;
  }
  // Deciding the contexts costs contexts x pairs (below, and again in
  // Next); the sweeps then visit exactly the segments of the changed pairs,
  // counted here, so the whole cost is charged before any sweep starts.
  const u128 decide = u128{states.size()} * pairs_.size();
  if (!Charge(decide > UINT64_MAX ? UINT64_MAX : static_cast<uint64_t>(decide),
              fmt::format("deciding {} contexts over {} address pairs",
                          states.size(), pairs_.size()))) {
    return;
  }
  uint64_t visits = 0;
  equivalent_ = true;
  for (const Option& s : states) {
    for (uint32_t p = 0; p < pairs_.size(); ++p) {
      if (!Changes(p, s.pair.first, s.pair.second)) continue;
      equivalent_ = false;
      visits += off_[0][p + 1] - off_[0][p] + off_[1][p + 1] - off_[1][p];
    }
  }
  if (!Charge(visits,
              fmt::format("sweeping {} changed address segments", visits))) {
    return;
  }
  states_ = std::move(states);
  dimensions_ = std::move(changes);
}

bool Differ::Next(DiffContext* out) {
  while (next_state_ < states_.size()) {
    const size_t i = next_state_++;
    const Option& state = states_[i];
    const std::vector<uint32_t> changed =
        ChangedPairs(state.pair.first, state.pair.second);
    if (changed.empty()) continue;
    DiffContext c;
    c.old_first = state.pair.first;
    c.new_first = state.pair.second;
    c.address_only = i == 0;
    c.witness = state.fields;
    std::string line = FormatConnection(c.witness);  // "0.0.0.0 fields..."
    const size_t space = line.find(' ');
    c.description =
        space == std::string::npos ? "address only" : line.substr(space + 1);
    Sweep(changed, &c);
    *out = std::move(c);
    return true;
  }
  return false;
}

}  // namespace

class DiffWalk::Impl {
 public:
  Impl(const RuleSet& o, const RuleSet& n, const DiffOptions& options)
      : differ(o, n, options) {
    differ.Prepare();
  }
  Differ differ;
};

DiffWalk::DiffWalk(const RuleSet& old_rules, const RuleSet& new_rules,
                   const DiffOptions& options)
    : impl_(std::make_unique<Impl>(old_rules, new_rules, options)) {}
DiffWalk::~DiffWalk() = default;
const absl::Status& DiffWalk::status() const { return impl_->differ.status(); }
DiffLimit DiffWalk::exceeded() const { return impl_->differ.exceeded(); }
uint64_t DiffWalk::work() const { return impl_->differ.work(); }
bool DiffWalk::equivalent() const { return impl_->differ.equivalent(); }
size_t DiffWalk::contexts_examined() const {
  return impl_->differ.contexts_examined();
}
const std::vector<DimensionChange>& DiffWalk::dimensions() const {
  return impl_->differ.dimensions();
}
bool DiffWalk::Next(DiffContext* context) {
  return impl_->differ.Next(context);
}

DiffResult Diff(const RuleSet& old_rules, const RuleSet& new_rules,
                const DiffOptions& options) {
  DiffWalk walk(old_rules, new_rules, options);
  DiffResult result;
  result.status = walk.status();
  result.exceeded = walk.exceeded();
  result.work = walk.work();
  result.contexts_examined = walk.contexts_examined();
  result.dimensions = walk.dimensions();
  for (DiffContext c; walk.Next(&c);) result.contexts.push_back(std::move(c));
  return result;
}

}  // namespace hatmatch
