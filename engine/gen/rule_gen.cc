// Copyright 2026 The hatmatch Authors.
//
// rule_gen.cc: synthetic rule sets (see rule_gen.h for the contract).
//
// Each entry kind draws from its own random stream (forked from the seed), so
// asking for more IPv6 entries does not reshuffle the IPv4 ones.  Entries are
// generated in file order; "earlier entry" below means earlier in the file.

#include "engine/gen/rule_gen.h"

#include <algorithm>
#include <bit>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <ostream>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "engine/gen/random.h"
#include "engine/gen/text_util.h"

namespace hatmatch::gen {

std::vector<LengthWeight> DefaultIpv4Lengths() {
  // The global IPv4 BGP table (pyasn's 2015 RIB dump, 606k prefixes):
  // /24 53%, /22-/23 20%, /16-/21 25%, a /32 tail.
  return {{16, 3.0}, {17, 1.5}, {18, 2.5}, {19, 4.5}, {20, 6.5},
          {21, 7.0}, {22, 10},  {23, 10},  {24, 53},  {32, 2.0}};
}

std::vector<LengthWeight> DefaultIpv6Lengths() {
  // The IPv6 part of the same dump (27.7k prefixes).
  return {{29, 3.0}, {32, 26},  {33, 1.0}, {34, 1.0},  {35, 1.0}, {36, 4.0},
          {38, 1.0}, {40, 4.5}, {42, 1.0}, {44, 4.0},  {46, 1.5}, {47, 1.0},
          {48, 44},  {56, 1.0}, {64, 3.0}, {126, 1.0}, {128, 1.0}};
}

absl::StatusOr<std::vector<LengthWeight>> ParseLengthWeights(
    std::string_view text, int max_length) {
  std::vector<LengthWeight> out;
  double total = 0;
  const absl::string_view atext(text.data(), text.size());
  for (absl::string_view item : absl::StrSplit(atext, ',', absl::SkipEmpty())) {
    std::pair<absl::string_view, absl::string_view> kv =
        absl::StrSplit(item, absl::MaxSplits(':', 1));
    LengthWeight w;
    if (!absl::SimpleAtoi(kv.first, &w.length) || w.length < 0 ||
        w.length > max_length) {
      return absl::InvalidArgumentError(absl::StrCat(
          "prefix length \"", kv.first, "\" is not in 0..", max_length));
    }
    if (kv.second.empty()) {
      w.weight = 1;
    } else if (!absl::SimpleAtod(kv.second, &w.weight) || !(w.weight >= 0)) {
      return absl::InvalidArgumentError(
          absl::StrCat("weight \"", kv.second, "\" is not a number >= 0"));
    }
    total += w.weight;
    out.push_back(w);
  }
  if (out.empty() || !(total > 0)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "\"", atext, "\": expected LENGTH:WEIGHT[,...] with a positive total"));
  }
  return out;
}

std::string FormatLengthWeights(const std::vector<LengthWeight>& w) {
  return absl::StrJoin(w, ",", [](std::string* out, const LengthWeight& x) {
    absl::StrAppend(out, x.length, ":", x.weight);
  });
}

absl::Status ValidateRuleGenOptions(const RuleGenOptions& o) {
  auto ratio = [](absl::string_view name, double r) -> absl::Status {
    if (!(r >= 0 && r <= 1)) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, " must lie in [0, 1], got ", r));
    }
    return absl::OkStatus();
  };
  for (const auto& [name, r] :
       std::initializer_list<std::pair<absl::string_view, double>>{
           {"nesting", o.nesting},
           {"overlap", o.overlap},
           {"partial-hosts", o.partial_hosts},
           {"criteria", o.criteria},
           {"continue", o.continue_rules},
           {"anonymous", o.anonymous},
           {"variety", o.variety}}) {
    if (absl::Status s = ratio(name, r); !s.ok()) return s;
  }
  const size_t entries = o.ipv4_entries + o.ipv6_entries + o.host_entries;
  if (o.groups == 0 && entries > 0) {
    return absl::InvalidArgumentError("entries need at least one group");
  }
  if (o.groups > entries) {
    return absl::InvalidArgumentError(absl::StrCat(
        o.groups, " groups need at least as many entries, got ", entries));
  }
  if (entries > (size_t{1} << 26)) {
    return absl::InvalidArgumentError("more than 64M entries");
  }
  auto lengths = [](absl::string_view name, const std::vector<LengthWeight>& w,
                    int max) -> absl::Status {
    double total = 0;
    for (const LengthWeight& x : w) {
      if (x.length < 0 || x.length > max || !(x.weight >= 0)) {
        return absl::InvalidArgumentError(
            absl::StrCat(name, ": bad length ", x.length, " or weight"));
      }
      total += x.weight;
    }
    if (!(total > 0)) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, ": the weights sum to zero"));
    }
    return absl::OkStatus();
  };
  if (o.ipv4_entries > 0) {
    if (absl::Status s = lengths("IPv4 lengths", o.ipv4_lengths, 32); !s.ok())
      return s;
  }
  if (o.ipv6_entries > 0) {
    if (absl::Status s = lengths("IPv6 lengths", o.ipv6_lengths, 128); !s.ok())
      return s;
  }
  return absl::OkStatus();
}

namespace {

enum class Kind : uint8_t { kV4, kV6, kHost };

// Named policies, defined at the top of every generated file.  Index order
// is the RuleSet's policy order.
struct NamedPolicy {
  const char* name;
  Action action;
  std::vector<PolicyParam> params;
  double weight;  // how often a (non-CONTINUE) rule picks it
};

const std::vector<NamedPolicy>& NamedPolicies() {
  static const auto* p = new std::vector<NamedPolicy>{
      {"ACCEPTED", Action::kAccept, {}, 30},
      {"BLOCKED", Action::kReject, {}, 30},
      {"THROTTLED",
       Action::kAccept,
       {{"max_msgs_per_session", "10", false},
        {"max_rcpts_per_msg", "50", false},
        {"tls", "preferred", true}},
       15},
      {"TRUSTED",
       Action::kAccept,
       {{"tls", "required", true}, {"max_msgs_per_session", "1000", false}},
       10},
      {"RELAYED", Action::kRelay, {}, 5},
      {"REFUSED", Action::kTcpRefuse, {}, 10},
      {"TAGGED", Action::kContinue, {}, 0},
  };
  return *p;
}
constexpr uint32_t kAcceptedPolicy = 0;
constexpr uint32_t kTaggedPolicy = 6;

// ---- IP prefixes, both families ---------------------------------------------

// An earlier entry of the family, as a range of keys.
template <class U>
struct PrevBlock {
  U lo, hi;
  uint32_t rule;
};

std::vector<double> LengthWeights(const std::vector<LengthWeight>& w) {
  std::vector<double> out;
  for (const LengthWeight& x : w) out.push_back(x.weight);
  return out;
}

// Where the next IP entry of a family comes from: a block strictly inside an
// earlier entry (nesting), the block of an earlier entry of another rule or
// one covering it (overlap), or a fresh block of a drawn length.  The family
// (CRTP `Family`) supplies its width and arithmetic: kBits, kMinOverlapLen,
// Mask(len), CoverLen(lo, hi), Between(lo, hi), FreshBlock(len),
// Render(lo, len) and Range(entry).  The random draws happen in a fixed
// order, so a seed always gives the same file (tests/gen_test.cc).
template <class U, class Family>
class PrefixGen {
 public:
  Entry Next(uint32_t rule) {
    U lo = 0;
    int len = 0;
    if (!prev_.empty() && rng_.Chance(o_.nesting) && Nested(&lo, &len)) {
    } else if (!prev_.empty() && rng_.Chance(o_.overlap) &&
               Overlapping(rule, &lo, &len)) {
    } else {
      len = DrawLen();
      lo = family().FreshBlock(len);
    }
    Entry e = family().Render(lo, len);
    const auto [rlo, rhi] = Family::Range(e);
    prev_.push_back({rlo, rhi, rule});
    e.rule = rule;
    return e;
  }

 protected:
  PrefixGen(Rng rng, const RuleGenOptions& o,
            const std::vector<LengthWeight>& lengths)
      : rng_(rng), o_(o), lengths_(LengthWeights(lengths)) {
    for (const LengthWeight& w : lengths) lens_.push_back(w.length);
  }

  int DrawLen() { return lens_[lengths_.Draw(rng_)]; }

  Rng rng_;
  const RuleGenOptions& o_;

 private:
  Family& family() { return static_cast<Family&>(*this); }

  // A block strictly inside an earlier entry.
  bool Nested(U* lo, int* len) {
    for (int attempt = 0; attempt < 4; ++attempt) {
      const PrevBlock<U>& e = prev_[rng_.Below(prev_.size())];
      if (e.lo == e.hi) continue;
      const U p = family().Between(e.lo, e.hi);
      for (int l = std::max(DrawLen(), Family::CoverLen(e.lo, e.hi));
           l <= Family::kBits; ++l) {
        const U blo = p & Family::Mask(l), bhi = blo | ~Family::Mask(l);
        if (blo >= e.lo && bhi <= e.hi && !(blo == e.lo && bhi == e.hi)) {
          *lo = blo;
          *len = l;
          return true;
        }
      }
    }
    return false;
  }

  // The block of an earlier entry of another rule, or one covering it.
  bool Overlapping(uint32_t rule, U* lo, int* len) {
    for (int attempt = 0; attempt < 8; ++attempt) {
      const PrevBlock<U>& e = prev_[rng_.Below(prev_.size())];
      if (e.rule == rule) continue;
      const int l =
          std::max(Family::kMinOverlapLen, Family::CoverLen(e.lo, e.hi) -
                                               static_cast<int>(rng_.Below(4)));
      *len = std::min(l, Family::kBits);
      *lo = e.lo & Family::Mask(*len);
      return true;
    }
    return false;
  }

  WeightedChoice lengths_;
  std::vector<int> lens_;
  std::vector<PrevBlock<U>> prev_;
};

// ---- IPv4 ------------------------------------------------------------------

class V4Gen : public PrefixGen<uint32_t, V4Gen> {
 public:
  static constexpr int kBits = 32;
  static constexpr int kMinOverlapLen = 8;

  V4Gen(Rng rng, const RuleGenOptions& o) : PrefixGen(rng, o, o.ipv4_lengths) {}

  static uint32_t Mask(int len) {
    return len == 0 ? 0 : ~uint32_t{0} << (32 - len);
  }
  // Longest prefix length shared by lo and hi.
  static int CoverLen(uint32_t lo, uint32_t hi) {
    return lo == hi ? 32 : std::countl_zero(lo ^ hi);
  }
  static std::pair<uint32_t, uint32_t> Range(const Entry& e) {
    const auto& r = std::get<Ipv4Range>(e.value);
    return {r.lo, r.hi};
  }
  uint32_t Between(uint32_t lo, uint32_t hi) {
    return static_cast<uint32_t>(rng_.Between(lo, hi));
  }
  uint32_t FreshBlock(int len) {
    return static_cast<uint32_t>(rng_.Between(0x01000000, 0xdfffffff)) &
           Mask(len);
  }

  static std::string Octets(uint32_t a, int n) {
    std::string s;
    for (int i = 0; i < n; ++i) {
      if (i) s += '.';
      s += std::to_string((a >> (24 - 8 * i)) & 0xff);
    }
    return s;
  }

  Entry Render(uint32_t lo, int len) {
    const uint32_t hi = lo | ~Mask(len);
    Entry e;
    e.value = Ipv4Range{lo, hi};
    if (!rng_.Chance(o_.variety)) {
      e.text = absl::StrCat(FormatIpv4(lo), "/", len);
      return e;
    }
    switch (rng_.Below(5)) {
      case 0:  // partial: `10.1.`, `10.1`
        if (len % 8 == 0 && len >= 8 && len <= 24) {
          e.text = Octets(lo, len / 8) + (rng_.Below(2) ? "." : "");
          return e;
        }
        break;
      case 1:  // bare address, or a short CIDR `10.1/16`
        if (len == 32) {
          e.text = FormatIpv4(lo);
          return e;
        }
        e.text = absl::StrCat(Octets(lo, std::max(1, (len + 7) / 8)), "/", len);
        return e;
      case 2:  // octet range in the last written octet
        if (len >= 24) {
          const uint32_t d = static_cast<uint32_t>(rng_.Between(lo, hi));
          const uint32_t f = static_cast<uint32_t>(rng_.Between(d, hi));
          e.value = Ipv4Range{d, f};
          e.text = absl::StrCat(FormatIpv4(d), "-", f & 0xff);
          return e;
        }
        if (len >= 16) {
          const uint32_t c = static_cast<uint32_t>(rng_.Between(lo, hi)) >> 8;
          const uint32_t f = static_cast<uint32_t>(rng_.Between(c, hi >> 8));
          e.value = Ipv4Range{c << 8, (f << 8) | 0xff};
          e.text = absl::StrCat(Octets(c << 8, 3), "-", f & 0xff, ".");
          return e;
        }
        break;
      default:
        break;
    }
    // Full range somewhere inside the block.
    uint32_t a = static_cast<uint32_t>(rng_.Between(lo, hi));
    uint32_t b = static_cast<uint32_t>(rng_.Between(lo, hi));
    if (a > b) std::swap(a, b);
    e.value = Ipv4Range{a, b};
    e.text = absl::StrCat(FormatIpv4(a), "-", FormatIpv4(b));
    return e;
  }
};

// ---- IPv6 ------------------------------------------------------------------

class V6Gen : public PrefixGen<u128, V6Gen> {
 public:
  static constexpr int kBits = 128;
  static constexpr int kMinOverlapLen = 16;

  V6Gen(Rng rng, const RuleGenOptions& o) : PrefixGen(rng, o, o.ipv6_lengths) {}

  static u128 Mask(int len) { return len == 0 ? 0 : ~u128{0} << (128 - len); }
  static int CoverLen(u128 lo, u128 hi) {
    if (lo == hi) return 128;
    const u128 x = lo ^ hi;
    const uint64_t top = static_cast<uint64_t>(x >> 64);
    return top ? std::countl_zero(top)
               : 64 + std::countl_zero(static_cast<uint64_t>(x));
  }
  static std::pair<u128, u128> Range(const Entry& e) {
    const auto& r = std::get<Ipv6Range>(e.value);
    return {ToUint128(r.lo), ToUint128(r.hi)};
  }
  // Uniform enough in [lo, hi] for test data: random bits masked to the
  // width of the range, then folded into it.
  u128 Between(u128 lo, u128 hi) {
    const u128 span = hi - lo;
    if (span == ~u128{0}) return Random();
    const int bits = 128 - CoverLen(0, span);
    u128 r = Random() & (bits == 128 ? ~u128{0} : ((u128{1} << bits) - 1));
    if (r > span) r -= span + 1;
    return lo + r;
  }
  // Global unicast, 2000::/3, as in the real tables.
  u128 FreshBlock(int len) {
    return ((Random() & (~u128{0} >> 3)) | (u128{1} << 125)) & Mask(len);
  }

  Entry Render(u128 lo, int len) {
    const u128 hi = lo | ~Mask(len);
    Entry e;
    e.value = Ipv6Range{FromUint128(lo), FromUint128(hi)};
    if (!rng_.Chance(o_.variety)) {
      e.text = absl::StrCat(FormatIpv6(FromUint128(lo)), "/", len);
      return e;
    }
    switch (rng_.Below(3)) {
      case 0:
        if (len == 128) {
          e.text = FormatIpv6(FromUint128(lo));
          return e;
        }
        [[fallthrough]];
      case 1: {  // uppercase hex digits are accepted too
        std::string t = absl::StrCat(FormatIpv6(FromUint128(lo)), "/", len);
        for (char& c : t) c = static_cast<char>(std::toupper(c));
        e.text = t;
        return e;
      }
      default:
        break;
    }
    u128 a = Between(lo, hi), b = Between(lo, hi);
    if (a > b) std::swap(a, b);
    e.value = Ipv6Range{FromUint128(a), FromUint128(b)};
    e.text = absl::StrCat(FormatIpv6(FromUint128(a)), "-",
                          FormatIpv6(FromUint128(b)));
    return e;
  }

 private:
  u128 Random() { return (static_cast<u128>(rng_.Next()) << 64) | rng_.Next(); }
};

// ---- Hostnames -------------------------------------------------------------

struct HostPrev {
  uint32_t entry;  // index into the generated host patterns
  uint32_t rule;
};

class HostGen {
 public:
  HostGen(Rng rng, const RuleGenOptions& o) : rng_(rng), o_(o), tlds_({}) {
    std::vector<double> w;
    for (const auto& [tld, weight] : Tlds()) w.push_back(weight);
    tlds_ = WeightedChoice(w);
  }

  Entry Next(uint32_t rule) {
    HostPattern h;
    if (!prev_.empty() && rng_.Chance(o_.nesting) && Nested(&h)) {
    } else if (!prev_.empty() && rng_.Chance(o_.overlap) &&
               Overlapping(rule, &h)) {
    } else {
      h = Fresh();
    }
    Entry e;
    e.text = (h.partial ? "." : "") + h.name;
    if (rng_.Chance(o_.variety)) {
      // Case never matters, and one trailing dot is ignored.
      for (char& c : e.text) {
        if (rng_.Below(3) == 0) c = static_cast<char>(std::toupper(c));
      }
      if (rng_.Below(2)) e.text += '.';
    }
    prev_.push_back({static_cast<uint32_t>(names_.size()), rule});
    names_.push_back(h);
    e.value = std::move(h);
    e.rule = rule;
    return e;
  }

 private:
  static const std::vector<std::pair<const char*, double>>& Tlds() {
    static const auto* t = new std::vector<std::pair<const char*, double>>{
        {"com", 45}, {"net", 10},     {"org", 7},    {"de", 5},   {"co.uk", 4},
        {"jp", 2},   {"fr", 2},       {"com.br", 2}, {"ru", 3},   {"it", 2},
        {"nl", 2},   {"com.au", 1.5}, {"info", 2},   {"io", 1.5}, {"pl", 1.5},
        {"ch", 1},   {"co.jp", 1},    {"edu", 1.5},  {"cn", 2},   {"in", 1},
        {"ca", 1},   {"es", 1},       {"se", 0.5},   {"biz", 0.5}};
    return *t;
  }

  static bool IsTld(std::string_view name) {
    for (const auto& [tld, weight] : Tlds()) {
      if (name == tld) return true;
    }
    return false;
  }

  std::string Word() {
    static constexpr std::string_view kCons = "bcdfghjklmnprstvwz";
    static constexpr std::string_view kVow = "aeiou";
    std::string w;
    const int syllables = 2 + static_cast<int>(rng_.Below(3));
    for (int i = 0; i < syllables; ++i) {
      w += kCons[rng_.Below(kCons.size())];
      w += kVow[rng_.Below(kVow.size())];
    }
    if (rng_.Below(5) == 0) w += std::to_string(rng_.Below(100));
    if (rng_.Below(20) == 0) {
      w += '-';
      w += kCons[rng_.Below(kCons.size())];
      w += kVow[rng_.Below(kVow.size())];
      w += kCons[rng_.Below(kCons.size())];
    }
    return w;
  }

  std::string HostLabel() {
    static constexpr const char* kHosts[] = {
        "mx",  "mail", "smtp",  "mta", "out",      "relay",
        "mx1", "mx2",  "mail2", "gw",  "outbound", "edge"};
    if (rng_.Below(3) == 0) return Word();
    return kHosts[rng_.Below(std::size(kHosts))];
  }

  std::string Domain() { return Word() + "." + Tlds()[tlds_.Draw(rng_)].first; }

  HostPattern Fresh() {
    HostPattern h;
    h.partial = rng_.Chance(o_.partial_hosts);
    if (h.partial) {
      h.name = rng_.Below(10) < 7 ? Domain() : Word() + "." + Domain();
    } else {
      h.name = rng_.Below(5) == 0 ? Domain() : HostLabel() + "." + Domain();
    }
    return h;
  }

  // A name strictly below an earlier one.
  bool Nested(HostPattern* h) {
    const HostPattern& e = names_[prev_[rng_.Below(prev_.size())].entry];
    if (e.name.size() > 200) return false;
    h->partial = rng_.Chance(o_.partial_hosts);
    h->name = (h->partial ? Word() : HostLabel()) + "." + e.name;
    return true;
  }

  // The same pattern as an earlier entry of another rule, or a partial name
  // for its parent domain.
  bool Overlapping(uint32_t rule, HostPattern* h) {
    for (int attempt = 0; attempt < 8; ++attempt) {
      const HostPrev& p = prev_[rng_.Below(prev_.size())];
      if (p.rule == rule) continue;
      const HostPattern& e = names_[p.entry];
      const size_t dot = e.name.find('.');
      // Never a bare public suffix (`.com.br`): that would swallow a
      // large part of all traffic, which no administrator writes.
      const bool parent_ok = dot != std::string::npos &&
                             e.name.find('.', dot + 1) != std::string::npos &&
                             !IsTld(std::string_view(e.name).substr(dot + 1));
      if (parent_ok && rng_.Below(2)) {
        h->name = e.name.substr(dot + 1);
        h->partial = true;
      } else {
        *h = e;
      }
      return true;
    }
    return false;
  }

  Rng rng_;
  const RuleGenOptions& o_;
  WeightedChoice tlds_;
  std::vector<HostPattern> names_;
  std::vector<HostPrev> prev_;
};

// ---- Criteria --------------------------------------------------------------

Entry CriterionEntry(Rng& rng, uint32_t rule) {
  Entry e;
  e.rule = rule;
  const uint64_t kind = rng.Below(8);
  switch (kind) {
    case 0:
    case 1: {
      const int lo = static_cast<int>(rng.Between(0, 199)) - 100;
      const int hi = static_cast<int>(rng.Between(lo + 100, 200)) - 100;
      e.value = SbrsRange{lo / 10.0, hi / 10.0};
      e.text = absl::StrCat("sbrs[", TenthsText(lo), ":", TenthsText(hi), "]");
      break;
    }
    case 2:
      e.value = SbrsNone{};
      e.text = "sbrs[none]";
      break;
    case 3:
    case 4:
    case 5: {
      constexpr DnsState kStates[] = {DnsState::kNxDomain, DnsState::kServFail,
                                      DnsState::kMismatch};
      const DnsState state = kStates[kind - 3];
      e.value = DnsStateIs{state};
      e.text = std::string(DnsStateEntryName(state));
      break;
    }
    case 6: {
      const char* zone = kDnsListZones[rng.Below(std::size(kDnsListZones))];
      e.value = DnsListZone{zone};
      e.text = absl::StrCat("dnslist[", zone, "]");
      break;
    }
    default: {
      const uint64_t id = rng.Between(1, 99999);
      e.value = OwnerId{id};
      e.text = absl::StrCat("SBO:", id);
      break;
    }
  }
  return e;
}

std::string RuleName(size_t i, size_t groups) {
  const int width =
      std::max<int>(4, static_cast<int>(std::to_string(groups).size()));
  return absl::StrFormat("GROUP_%0*d", width, i);
}

}  // namespace

// Spreads the entries over the groups: a shuffled list of kinds, the first
// `groups` of them one per group (so none is empty), the rest at random.
// Returns the kinds in group order; group g owns [count[g], count[g + 1]).
std::vector<Kind> KindsByGroup(const RuleGenOptions& o, Rng& assign,
                               std::vector<uint32_t>* count_out) {
  const size_t n = o.ipv4_entries + o.ipv6_entries + o.host_entries;
  std::vector<Kind> kinds;
  kinds.reserve(n);
  kinds.insert(kinds.end(), o.ipv4_entries, Kind::kV4);
  kinds.insert(kinds.end(), o.ipv6_entries, Kind::kV6);
  kinds.insert(kinds.end(), o.host_entries, Kind::kHost);
  assign.Shuffle(kinds);
  std::vector<uint32_t> group_of(n);
  std::vector<uint32_t>& count = *count_out;
  count.assign(o.groups + 1, 0);
  for (size_t i = 0; i < n; ++i) {
    group_of[i] =
        static_cast<uint32_t>(i < o.groups ? i : assign.Below(o.groups));
    ++count[group_of[i] + 1];
  }
  for (size_t g = 0; g < o.groups; ++g) count[g + 1] += count[g];
  std::vector<Kind> by_group(n);
  std::vector<uint32_t> pos(count.begin(), count.end() - 1);
  for (size_t i = 0; i < n; ++i) by_group[pos[group_of[i]]++] = kinds[i];
  return by_group;
}

// Builds the rules of a generated set one group at a time, drawing from the
// same random streams in the same order as ever, so that a seed keeps
// giving the same file.
class GroupWriter {
 public:
  GroupWriter(const RuleGenOptions& o, Rng& rng)
      : o_(o),
        assign_(rng.Fork(1)),
        rules_rng_(rng.Fork(2)),
        crit_(rng.Fork(3)),
        v4_(rng.Fork(4), o),
        v6_(rng.Fork(5), o),
        hosts_(rng.Fork(6), o),
        policy_choice_(PolicyWeights()) {
    for (const NamedPolicy& p : NamedPolicies()) {
      policies_.push_back(Policy{p.name, p.action, p.params, {}});
    }
  }

  RuleSet Write() {
    std::vector<uint32_t> count;
    const std::vector<Kind> kinds = KindsByGroup(o_, assign_, &count);
    rules_.reserve(o_.groups + 1);
    entries_.reserve(kinds.size() + kinds.size() / 8);
    for (size_t g = 0; g < o_.groups; ++g) {
      AddGroup(g, std::span(kinds).subspan(count[g], count[g + 1] - count[g]));
    }
    if (o_.all) {
      Rule r;
      r.name = "ALL";
      r.kind = RuleKind::kAll;
      r.policy = kAcceptedPolicy;
      r.first_entry = static_cast<uint32_t>(entries_.size());
      rules_.push_back(std::move(r));
    }
    return RuleSet(o_.file, std::move(policies_), std::move(rules_),
                   std::move(entries_));
  }

 private:
  static std::vector<double> PolicyWeights() {
    std::vector<double> weights;
    for (const NamedPolicy& p : NamedPolicies()) weights.push_back(p.weight);
    return weights;
  }

  void AddGroup(size_t g, std::span<const Kind> kinds) {
    const uint32_t rule_index = static_cast<uint32_t>(g);
    Rule r;
    r.first_entry = static_cast<uint32_t>(entries_.size());
    for (Kind k : kinds) entries_.push_back(NextEntry(k, rule_index));
    if (rules_rng_.Chance(o_.criteria)) {
      const int k = 1 + static_cast<int>(crit_.Below(2));
      for (int i = 0; i < k; ++i) {
        entries_.push_back(CriterionEntry(crit_, rule_index));
      }
    }
    r.entry_count = static_cast<uint32_t>(entries_.size()) - r.first_entry;
    r.policy = ChoosePolicy();
    if (rules_rng_.Below(4) == 0)
      r.comment = absl::StrCat("generated rule ", g);
    Name(g, &r);
    rules_.push_back(std::move(r));
  }

  Entry NextEntry(Kind kind, uint32_t rule) {
    switch (kind) {
      case Kind::kV4:
        return v4_.Next(rule);
      case Kind::kV6:
        return v6_.Next(rule);
      case Kind::kHost:
        break;
    }
    return hosts_.Next(rule);
  }

  // A named policy by weight, or an inline action; CONTINUE for the
  // requested share of rules.
  uint32_t ChoosePolicy() {
    static constexpr Action kInline[] = {Action::kAccept, Action::kReject,
                                         Action::kTcpRefuse, Action::kRelay};
    const bool is_continue = rules_rng_.Chance(o_.continue_rules);
    const bool inline_action = rules_rng_.Below(5) == 0;
    if (!inline_action) {
      return is_continue
                 ? kTaggedPolicy
                 : static_cast<uint32_t>(policy_choice_.Draw(rules_rng_));
    }
    Policy p;
    p.action = is_continue ? Action::kContinue
                           : kInline[rules_rng_.Below(std::size(kInline))];
    policies_.push_back(std::move(p));
    return static_cast<uint32_t>(policies_.size() - 1);
  }

  // A small rule may be written as an anonymous rule (its entries are its
  // name); every other one is a named group.
  void Name(size_t g, Rule* r) {
    if (r->entry_count <= 16 && rules_rng_.Chance(o_.anonymous)) {
      r->kind = RuleKind::kAnonymous;
      std::vector<absl::string_view> texts;
      for (uint32_t i = 0; i < r->entry_count; ++i) {
        texts.push_back(entries_[r->first_entry + i].text);
      }
      r->name = absl::StrJoin(texts, ", ");
    } else {
      r->kind = RuleKind::kGroup;
      r->name = RuleName(g, o_.groups);
    }
  }

  const RuleGenOptions& o_;
  Rng assign_, rules_rng_, crit_;
  V4Gen v4_;
  V6Gen v6_;
  HostGen hosts_;
  const WeightedChoice policy_choice_;
  std::vector<Policy> policies_;
  std::vector<Rule> rules_;
  std::vector<Entry> entries_;
};

absl::StatusOr<RuleSet> GenerateRuleSet(const RuleGenOptions& o) {
  if (absl::Status s = ValidateRuleGenOptions(o); !s.ok()) return s;
  Rng rng(o.seed);
  return GroupWriter(o, rng).Write();
}

// ---- Writing ---------------------------------------------------------------

namespace {

void AppendParams(std::string& out, const std::vector<PolicyParam>& params,
                  absl::string_view indent) {
  out += " {\n";
  for (const PolicyParam& p : params) {
    absl::StrAppend(&out, indent, "    ", p.key, " = ");
    if (p.quoted) {
      absl::StrAppend(&out, "\"", p.value, "\"\n");
    } else {
      absl::StrAppend(&out, p.value, "\n");
    }
  }
  absl::StrAppend(&out, indent, "}");
}

// The indented policy line of a rule (without newline).
void AppendPolicyLine(std::string& out, const RuleSet& rs, const Rule& r) {
  const Policy& p = rs.policy_of(r);
  out += "    ";
  if (!p.name.empty()) {
    absl::StrAppend(&out, "$", p.name);
  } else {
    out += ActionName(p.action);
  }
  if (!r.comment.empty()) absl::StrAppend(&out, " (", r.comment, ")");
  if (p.name.empty() && !p.params.empty()) AppendParams(out, p.params, "    ");
  out += '\n';
}

}  // namespace

void WriteHat(const RuleSet& rs, std::ostream& out,
              const WriteOptions& options) {
  std::string buf;
  auto flush = [&](bool force) {
    if (force || buf.size() > (1 << 16)) {
      out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
      buf.clear();
    }
  };
  if (!options.header.empty()) {
    for (absl::string_view line : absl::StrSplit(options.header, '\n')) {
      absl::StrAppend(&buf, "# ", line, "\n");
    }
  }
  for (const Policy& p : rs.policies()) {
    if (p.name.empty()) continue;
    absl::StrAppend(&buf, "$", p.name, "\n    ");
    buf += ActionName(p.action);
    if (!p.params.empty()) AppendParams(buf, p.params, "    ");
    buf += '\n';
  }
  const size_t per_line = std::max<size_t>(1, options.entries_per_line);
  for (const Rule& r : rs.rules()) {
    buf += '\n';
    switch (r.kind) {
      case RuleKind::kAll:
        buf += "ALL\n";
        AppendPolicyLine(buf, rs, r);
        break;
      case RuleKind::kAnonymous:
        for (uint32_t i = 0; i < r.entry_count; ++i) {
          if (i) buf += ", ";
          buf += rs.entries()[r.first_entry + i].text;
        }
        buf += '\n';
        AppendPolicyLine(buf, rs, r);
        break;
      case RuleKind::kGroup:
        absl::StrAppend(&buf, r.name, ":\n");
        AppendPolicyLine(buf, rs, r);
        for (uint32_t i = 0; i < r.entry_count; ++i) {
          buf += i % per_line == 0 ? "    " : ", ";
          buf += rs.entries()[r.first_entry + i].text;
          if (i % per_line == per_line - 1 || i + 1 == r.entry_count) {
            buf += '\n';
          }
          flush(false);
        }
        break;
    }
    flush(false);
  }
  flush(true);
}

std::string HatText(const RuleSet& rules, const WriteOptions& options) {
  std::ostringstream s;
  WriteHat(rules, s, options);
  return std::move(s).str();
}

std::string DescribeRuleGenOptions(const RuleGenOptions& o) {
  std::string s = absl::StrCat("--seed ", o.seed, " --groups ", o.groups,
                               " --ipv4 ", o.ipv4_entries, " --ipv6 ",
                               o.ipv6_entries, " --hosts ", o.host_entries);
  if (o.ipv4_entries > 0)
    absl::StrAppend(&s, " --v4-lengths ", FormatLengthWeights(o.ipv4_lengths));
  if (o.ipv6_entries > 0)
    absl::StrAppend(&s, " --v6-lengths ", FormatLengthWeights(o.ipv6_lengths));
  absl::StrAppend(&s, " --nesting ", o.nesting, " --overlap ", o.overlap,
                  " --partial-hosts ", o.partial_hosts, " --criteria ",
                  o.criteria, " --continue ", o.continue_rules, " --anonymous ",
                  o.anonymous, " --variety ", o.variety);
  if (o.all) s += " --all";
  return s;
}

}  // namespace hatmatch::gen
