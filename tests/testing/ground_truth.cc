// Copyright 2026 The hatmatch Authors.
//
// Everything here is written from HAT-RULES.md and docs/RULES.md, on purpose
// without the engine's headers: the answers must not share code (or
// mistakes) with what they judge.

#include "tests/testing/ground_truth.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fmt/format.h"
#include "tests/testing/random_draw.h"

namespace hatmatch::testing {
namespace {

using Kind = TruthEntry::Kind;

// --- Text forms -------------------------------------------------------------

std::string Dotted(uint32_t a) {
  return fmt::format("{}.{}.{}.{}", a >> 24, (a >> 16) & 0xff, (a >> 8) & 0xff,
                     a & 0xff);
}

// The first `k` octets of `a`, dotted.
std::string Octets(uint32_t a, int k) {
  std::string s;
  for (int i = 0; i < k; ++i) {
    if (i) s += '.';
    s += std::to_string((a >> (24 - 8 * i)) & 0xff);
  }
  return s;
}

uint32_t Mask32(int len) { return len == 0 ? 0 : ~uint32_t{0} << (32 - len); }
U128 Mask128(int len) { return len == 0 ? 0 : ~U128{0} << (128 - len); }

std::string RandomCase(Rng& rng, std::string s) {
  for (char& c : s) {
    if (Chance(rng, 0.2)) c = static_cast<char>(std::toupper(c));
  }
  return s;
}

// RFC 4291 text: all eight groups, or the longest run of two or more zero
// groups compressed to `::`; hex digits in either case.
std::string V6Text(Rng& rng, U128 a) {
  uint16_t g[8];
  for (int i = 0; i < 8; ++i) g[i] = static_cast<uint16_t>(a >> (112 - 16 * i));
  int best = -1, best_len = 0;
  if (Chance(rng, 0.7)) {
    for (int i = 0; i < 8;) {
      int j = i;
      while (j < 8 && g[j] == 0) ++j;
      if (j - i > best_len && j - i >= 2) best = i, best_len = j - i;
      i = j == i ? i + 1 : j;
    }
  }
  std::string s;
  for (int i = 0; i < 8; ++i) {
    if (i == best) {
      s += "::";
      i += best_len - 1;
      continue;
    }
    if (!s.empty() && s.back() != ':') s += ':';
    s += fmt::format("{:x}", g[i]);
  }
  return RandomCase(rng, s);
}

// --- Universes --------------------------------------------------------------

U128 V6(uint64_t hi, uint64_t lo) { return U128{hi} << 64 | lo; }

U128 RandomV6(Rng& rng) {
  static const std::vector<U128> anchors = {
      V6(0x20010db800000000, 0),
      V6(0x20010db800000000, ~uint64_t{0}),
      V6(0x20010db800010000, 0),
      V6(0x20010db9ffffffff, 0xffffffffffffff00),
      V6(0, 0x0000ffff0a000000),  // ::ffff:10.0.0.0, IPv4-mapped space
      V6(0, 1),
      V6(0xfe80000000000000, 0)};
  U128 a = Pick(rng, anchors);
  if (Chance(rng, 0.5)) return a + Uniform(rng, 512);
  return a + (U128{Uniform(rng, 4)} << 64);
}

const std::vector<std::string>& RuleScores() {
  static const std::vector<std::string> s = {
      "-10", "-10.0", "-3.0", "-3", "-2.99", "0", "-0.0", "0.5", "3", "10"};
  return s;
}

// --- Entries ----------------------------------------------------------------

struct Written {
  std::string text;
  TruthEntry truth;
};

TruthEntry V4Range(uint32_t lo, uint32_t hi) {
  return {.kind = Kind::kV4, .v4_lo = lo, .v4_hi = hi};
}
TruthEntry V6Range(U128 lo, U128 hi) {
  return {.kind = Kind::kV6, .v6_lo = lo, .v6_hi = hi};
}

// `a.b.c.d/len`, `a.b/len` (missing octets 0) or, host bits set, warned.
Written V4Cidr(Rng& rng, uint32_t a, int len) {
  const uint32_t lo = a & Mask32(len), hi = lo | ~Mask32(len);
  if (Chance(rng, 0.25)) {
    return {fmt::format("{}/{}", Dotted(a), len), V4Range(lo, hi)};
  }
  int k = 1;
  while (k < 4 && (lo & ~Mask32(8 * k)) != 0) ++k;
  k += static_cast<int>(Uniform(rng, 5 - k));
  return {fmt::format("{}/{}", Octets(lo, k), len), V4Range(lo, hi)};
}

// `a.b.c.`, `a.b.c`, ... `a`: every address starting with these octets.
Written V4Partial(Rng& rng, uint32_t a) {
  const int k = 1 + static_cast<int>(Uniform(rng, 3));
  const uint32_t lo = a & Mask32(8 * k), hi = lo | ~Mask32(8 * k);
  return {Octets(lo, k) + (Chance(rng, 0.5) ? "." : ""), V4Range(lo, hi)};
}

// `a.b.c.d-e`, `a.b.c-e.`, `a.b-e`, `a-e.`: the last written octet spans.
Written V4OctetRange(Rng& rng, uint32_t a) {
  const int k = 1 + static_cast<int>(Uniform(rng, 4));
  const int shift = 32 - 8 * k;
  const uint32_t d = (a >> shift) & 0xff;
  const uint32_t e = d + static_cast<uint32_t>(Uniform(rng, 256 - d));
  const uint32_t prefix = k == 1 ? 0 : a & Mask32(8 * (k - 1));
  const uint32_t fill = shift == 0 ? 0 : ~Mask32(32 - shift);
  const uint32_t lo = prefix | d << shift, hi = prefix | e << shift | fill;
  std::string s = k == 1 ? "" : Octets(a, k - 1) + ".";
  s += fmt::format("{}-{}", d, e);
  if (k < 4 && Chance(rng, 0.5)) s += '.';
  return {s, V4Range(lo, hi)};
}

Written V4Entry(Rng& rng, uint32_t a) {
  switch (Uniform(rng, 8)) {
    case 0:
      return {Dotted(a), V4Range(a, a)};
    case 1:
    case 2: {
      int len = static_cast<int>(Uniform(rng, 33));
      if (Chance(rng, 0.5)) len = 20 + static_cast<int>(Uniform(rng, 13));
      return V4Cidr(rng, a, len);
    }
    case 3:
      return V4Partial(rng, a);
    case 4:
      return V4OctetRange(rng, a);
    case 5: {
      uint32_t b = RandomV4(rng);
      if (b < a) std::swap(a, b);
      return {Dotted(a) + "-" + Dotted(b), V4Range(a, b)};
    }
    case 6:  // an IPv4-mapped spelling in a rule is an IPv6 entry
      return {"::ffff:" + Dotted(a), V6Range(V6(0, 0xffff00000000ull | a),
                                             V6(0, 0xffff00000000ull | a))};
    default:
      return V4Cidr(rng, a, 16 + static_cast<int>(Uniform(rng, 17)));
  }
}

Written V6Entry(Rng& rng, U128 a) {
  switch (Uniform(rng, 4)) {
    case 0:
      return {V6Text(rng, a), V6Range(a, a)};
    case 1: {
      int len = static_cast<int>(Uniform(rng, 129));
      if (Chance(rng, 0.7)) len = 32 + static_cast<int>(Uniform(rng, 97));
      const U128 lo = a & Mask128(len), hi = lo | ~Mask128(len);
      return {fmt::format("{}/{}", V6Text(rng, lo), len), V6Range(lo, hi)};
    }
    default: {
      U128 b = RandomV6(rng);
      if (b < a) std::swap(a, b);
      return {V6Text(rng, a) + "-" + V6Text(rng, b), V6Range(a, b)};
    }
  }
}

Written HostEntry(Rng& rng) {
  TruthEntry e;
  e.kind = Kind::kHost;
  e.name = RandomName(rng, 3);
  e.partial = Chance(rng, 0.5);
  std::string s = (e.partial ? "." : "") + RandomCase(rng, e.name);
  if (Chance(rng, 0.2)) s += '.';
  return {s, e};
}

Written CriteriaEntry(Rng& rng) {
  TruthEntry e;
  switch (Uniform(rng, 5)) {
    case 0: {
      std::string a = Pick(rng, RuleScores()), b = Pick(rng, RuleScores());
      if (std::stod(a) > std::stod(b)) std::swap(a, b);
      e.kind = Kind::kSbrs;
      e.sbrs_lo = std::stod(a);
      e.sbrs_hi = std::stod(b);
      return {
          fmt::format("{}[{}:{}]", Chance(rng, 0.8) ? "sbrs" : "SBRS", a, b),
          e};
    }
    case 1:
      e.kind = Kind::kSbrsNone;
      return {Chance(rng, 0.5) ? "sbrs[none]" : "SBRS[None]", e};
    case 2:
      e.kind = Kind::kSbo;
      e.sbo = Uniform(rng, 4);
      return {fmt::format("{}:{}", Chance(rng, 0.8) ? "SBO" : "sbo", e.sbo), e};
    case 3: {
      e.kind = Kind::kDnsList;
      e.name = Chance(rng, 0.5) ? "zen.example" : "bl.example";
      std::string zone =
          RandomCase(rng, e.name) + (Chance(rng, 0.3) ? "." : "");
      return {"dnslist[" + zone + "]", e};
    }
    default: {
      static const std::vector<std::string> dns = {"nx.domain", "serv.fail",
                                                   "not.double.verified"};
      e.kind = Kind::kDns;
      e.dns = 1 + static_cast<int>(Uniform(rng, 3));
      return {RandomCase(rng, dns[e.dns - 1]), e};
    }
  }
}

Written RandomEntry(Rng& rng, const GenerateOptions& o, bool criteria) {
  const int total = o.weight_v4 + o.weight_v6 + o.weight_host +
                    (criteria ? o.weight_criteria : 0);
  int pick = static_cast<int>(Uniform(rng, total));
  if ((pick -= o.weight_v4) < 0) return V4Entry(rng, RandomV4(rng));
  if ((pick -= o.weight_v6) < 0) return V6Entry(rng, RandomV6(rng));
  if ((pick -= o.weight_host) < 0) return HostEntry(rng);
  return CriteriaEntry(rng);
}

// --- Rule files -------------------------------------------------------------

const std::vector<std::string>& Actions() {
  static const std::vector<std::string> a = {"ACCEPT", "REJECT", "TCPREFUSE",
                                             "RELAY", "CONTINUE"};
  return a;
}

// Writes rules as HAT text, keeping each rule's truth.
class RuleWriter {
 public:
  explicit RuleWriter(Rng& rng) : rng_(rng) {
    const int n = 1 + static_cast<int>(Uniform(rng_, 4));
    out_.text = "# generated rules\n";
    for (int p = 0; p < n; ++p) {
      policies_.push_back(Pick(rng_, Actions()));
      out_.text += fmt::format("$P{}\n    {}\n", p, policies_.back());
    }
  }

  // A sender group (or, now and then, an anonymous rule) of `entries`;
  // with `deciding`, never a CONTINUE one.
  void Rule(const std::vector<Written>& entries, bool deciding = false) {
    std::string action;
    std::string policy = PolicyLine(&action);
    while (deciding && action == "CONTINUE") policy = PolicyLine(&action);
    TruthRule r = Begin(action);
    for (const Written& w : entries) r.entries.push_back(w.truth);
    next_entry_ += static_cast<uint32_t>(entries.size());
    out_.rules.push_back(std::move(r));
    if (Chance(rng_, 0.15)) {  // anonymous: the entries at column 0
      std::string line;
      for (size_t i = 0; i < entries.size(); ++i) {
        line += (i ? ", " : "") + entries[i].text;
      }
      out_.text += fmt::format("{}\n    {}\n", line, policy);
      return;
    }
    out_.text += fmt::format("G{}:\n", out_.rules.size() - 1);
    const bool policy_first = Chance(rng_, 0.6);
    if (policy_first) out_.text += "    " + policy + "\n";
    for (size_t i = 0; i < entries.size();) {
      const size_t k = 1 + Uniform(rng_, 3);
      std::string line;
      for (size_t j = 0; j < k && i < entries.size(); ++j, ++i) {
        line += (j ? ", " : "") + entries[i].text;
      }
      out_.text += "    " + line + "\n";
    }
    if (!policy_first) out_.text += "    " + policy + "\n";
  }

  void All() {
    std::string action;
    const std::string policy = PolicyLine(&action);
    TruthRule r = Begin(action);
    r.is_all = true;
    out_.rules.push_back(std::move(r));
    out_.text += "ALL\n    " + policy + "\n";
  }

  GeneratedRules Finish() { return std::move(out_); }

 private:
  TruthRule Begin(const std::string& action) const {
    TruthRule r;
    r.action = action;
    r.decides = action != "CONTINUE";
    r.first_entry = next_entry_;
    return r;
  }

  // `$pN` (names compare case-insensitively) or an inline action.
  std::string PolicyLine(std::string* action) {
    if (Chance(rng_, 0.7)) {
      const size_t p = Uniform(rng_, policies_.size());
      *action = policies_[p];
      return fmt::format("$p{}", p);
    }
    *action = Pick(rng_, Actions());
    return *action + (Chance(rng_, 0.3) ? " (inline)" : "");
  }

  Rng& rng_;
  std::vector<std::string> policies_;
  GeneratedRules out_;
  uint32_t next_entry_ = 0;
};

void AddRandomRules(Rng& rng, const GenerateOptions& o, RuleWriter* w) {
  const int rules = static_cast<int>(Uniform(rng, o.max_rules + 1));
  for (int r = 0; r < rules; ++r) {
    const int n = 1 + static_cast<int>(Uniform(rng, o.max_entries_per_rule));
    std::vector<Written> entries;
    const bool criteria = r >= o.criteria_from * rules;
    for (int i = 0; i < n; ++i) {
      entries.push_back(RandomEntry(rng, o, criteria));
    }
    w->Rule(entries);
  }
  if (o.allow_all && Chance(rng, 0.5)) w->All();
}

// --- Connections ------------------------------------------------------------

// The address, at or next to an edge of `e` most of the time; sets the
// address fields of `c` (as the rules see it) and returns its text.
std::string GenerateAddress(Rng& rng, const TruthEntry* e,
                            GeneratedConnection* c) {
  U128 v6 = 0;
  bool v4 = true;
  uint32_t a4 = 0;
  if (e && e->kind == Kind::kV4 && Chance(rng, 0.85)) {
    const uint32_t base = Chance(rng, 0.5) ? e->v4_lo : e->v4_hi;
    a4 = base + static_cast<uint32_t>(Uniform(rng, 3)) - 1;
    if (Chance(rng, 0.1)) a4 = e->v4_lo + (e->v4_hi - e->v4_lo) / 2;
  } else if (e && e->kind == Kind::kHost && Chance(rng, 0.85)) {
    // Above every IPv6 anchor (ff00::/8), where few address entries reach:
    // one matching too would decide before the name.
    v4 = false;
    v6 = U128{0xff00000000000000ull | rng() >> 8} << 64 | rng();
  } else if (e && e->kind == Kind::kV6 && Chance(rng, 0.85)) {
    v4 = false;
    v6 = (Chance(rng, 0.5) ? e->v6_lo : e->v6_hi) + Uniform(rng, 3) - 1;
  } else if (Chance(rng, 0.6)) {
    a4 = RandomV4(rng);
  } else {
    v4 = false;
    v6 = RandomV6(rng);
  }
  std::string text;
  if (v4) {
    switch (Uniform(rng, 10)) {
      case 0:
        text = "::ffff:" + Dotted(a4);
        break;
      case 1:
        text = V6Text(rng, V6(0, 0xffff00000000ull | a4));
        break;
      case 2:  // IPv4-compatible (not :: or ::1, which are IPv6 hosts)
        text = a4 > 1 ? "::" + Dotted(a4) : Dotted(a4);
        break;
      default:
        text = Dotted(a4);
    }
  } else {
    text = V6Text(rng, v6);
    // docs/RULES.md: ::ffff:0:0/96 and ::/96 (but :: and ::1) are IPv4 hosts.
    const uint64_t hi = static_cast<uint64_t>(v6 >> 64);
    const uint64_t lo = static_cast<uint64_t>(v6);
    if (hi == 0 && ((lo >> 32) == 0xffff || ((lo >> 32) == 0 && lo > 1))) {
      v4 = true;
      a4 = static_cast<uint32_t>(lo);
    }
  }
  c->is_v4 = v4;
  c->v4 = v4 ? a4 : 0;
  c->v6 = v4 ? 0 : v6;
  return text;
}

// The PTR name (around `e` when it is a host entry; now and then invalid)
// and the DNS verification fields.
void GenerateName(Rng& rng, const TruthEntry* e, GeneratedConnection* c,
                  std::vector<std::string>* fields) {
  const bool for_host = e && e->kind == Kind::kHost;
  std::string name =
      for_host && Chance(rng, 0.8)
          ? (Chance(rng, 0.6) ? RandomName(rng, 2) + "." : "") + e->name
          : RandomName(rng, 4);
  name = RandomCase(rng, name);
  if (Chance(rng, 0.15)) name += '.';
  if (Chance(rng, 0.05)) {
    name = Pick(rng, std::vector<std::string>{"a..example.com", ".example.com",
                                              "not*valid.com", "com..",
                                              std::string(64, 'a') + ".com"});
  }
  c->ptr = name;
  // Mostly verified when the name was made for a host entry.
  switch (for_host && Chance(rng, 0.6) ? 5 : Uniform(rng, 6)) {
    case 0:
      c->ptr.clear();
      break;
    case 1:
      c->dns = 1;
      fields->push_back("dns=nx");
      if (Chance(rng, 0.5)) c->ptr.clear();
      break;
    case 2:
      c->dns = 2;
      fields->push_back("dns=servfail");
      if (Chance(rng, 0.5)) c->ptr.clear();
      break;
    case 3:
      c->dns = 3;
      fields->push_back("dns=mismatch");
      break;
    default:
      c->verified = true;
  }
  if (!c->ptr.empty()) fields->push_back("ptr=" + c->ptr);
}

// Score, owner id and DNS lists.
void GenerateCriteria(Rng& rng, GeneratedConnection* c,
                      std::vector<std::string>* fields) {
  static const std::vector<std::string> scores = {
      "-10", "-10.0", "-3.0", "-3",   "-2.99", "-2.98", "0",  "-0.0",
      "0.5", "0.51",  "3",    "3.01", "10",    "+1",    ".5", "-9.99"};
  if (Chance(rng, 0.7)) {
    const std::string s = Pick(rng, scores);
    c->sbrs = std::stod(s);
    fields->push_back("sbrs=" + s);
  } else if (Chance(rng, 0.3)) {
    fields->push_back("sbrs=none");
  }
  if (Chance(rng, 0.3)) {
    c->sbo = Uniform(rng, 5);
    fields->push_back(fmt::format("sbo={}", *c->sbo));
  }
  if (Chance(rng, 0.3)) {
    c->dnslists.push_back(
        RandomCase(rng, Chance(rng, 0.5) ? "zen.example" : "bl.example."));
    if (Chance(rng, 0.3)) c->dnslists.push_back("other.example");
    std::string f = "dnslist=";
    for (size_t i = 0; i < c->dnslists.size(); ++i) {
      f += (i ? "," : "") + c->dnslists[i];
    }
    fields->push_back(f);
  }
}

// --- Matching ---------------------------------------------------------------

// HAT-RULES.md section 2: lowercase, one trailing dot ignored, labels of 1 to
// 63 letters, digits, '-' or '_', at most 253 bytes.
std::optional<std::string> NormalName(std::string_view in) {
  std::string s(in);
  for (char& c : s) c = static_cast<char>(std::tolower(c));
  if (!s.empty() && s.back() == '.') s.pop_back();
  if (s.empty() || s.size() > 253) return std::nullopt;
  size_t label = 0;
  for (char c : s) {
    if (c == '.') {
      if (label == 0) return std::nullopt;
      label = 0;
      continue;
    }
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok || ++label > 63) return std::nullopt;
  }
  if (label == 0) return std::nullopt;
  return s;
}

bool HostMatches(const TruthEntry& e, const std::string& name) {
  if (!e.partial) return name == e.name;
  return name.size() > e.name.size() + 1 &&
         name.compare(name.size() - e.name.size(), e.name.size(), e.name) ==
             0 &&
         name[name.size() - e.name.size() - 1] == '.';
}

bool ZoneListed(const std::string& zone, const GeneratedConnection& c) {
  for (std::string z : c.dnslists) {
    for (char& ch : z) ch = static_cast<char>(std::tolower(ch));
    if (!z.empty() && z.back() == '.') z.pop_back();
    if (z == zone) return true;
  }
  return false;
}

bool Matches(const TruthEntry& e, const GeneratedConnection& c,
             const std::optional<std::string>& name) {
  switch (e.kind) {
    case Kind::kV4:
      return c.is_v4 && e.v4_lo <= c.v4 && c.v4 <= e.v4_hi;
    case Kind::kV6:
      return !c.is_v4 && e.v6_lo <= c.v6 && c.v6 <= e.v6_hi;
    case Kind::kHost:
      return c.verified && name && HostMatches(e, *name);
    case Kind::kSbrs:
      return c.sbrs && e.sbrs_lo <= *c.sbrs && *c.sbrs <= e.sbrs_hi;
    case Kind::kSbrsNone:
      return !c.sbrs;
    case Kind::kSbo:
      return c.sbo && *c.sbo == e.sbo;
    case Kind::kDnsList:
      return ZoneListed(e.name, c);
    case Kind::kDns:
      return c.dns == e.dns;
  }
  return false;
}

// The IPv4 segments' start points: where the lowest deciding rule with an
// IPv4 entry covering the address changes (a sweep over range ends).
template <class K, class Get>
std::vector<K> Boundaries(const GeneratedRules& rules, Get get) {
  std::vector<std::pair<K, uint32_t>> opens;   // (lo, rule)
  std::vector<std::pair<K, uint32_t>> closes;  // (hi, rule)
  for (uint32_t r = 0; r < rules.rules.size(); ++r) {
    if (!rules.rules[r].decides) continue;
    for (const TruthEntry& e : rules.rules[r].entries) {
      K lo, hi;
      if (!get(e, &lo, &hi)) continue;
      opens.push_back({lo, r});
      closes.push_back({hi, r});
    }
  }
  std::sort(opens.begin(), opens.end());
  std::sort(closes.begin(), closes.end());
  std::multiset<uint32_t> active;
  std::vector<K> out;
  uint32_t current = UINT32_MAX;
  size_t i = 0, j = 0;
  // Points where the answer may change: every lo, and every hi + 1.
  while (i < opens.size() || j < closes.size()) {
    const bool open_next =
        j == closes.size() ||
        (i < opens.size() && opens[i].first <= closes[j].first);
    if (open_next) {
      const K at = opens[i].first;
      while (i < opens.size() && opens[i].first == at) {
        active.insert(opens[i++].second);
      }
      const uint32_t now = *active.begin();
      if (now != current) out.push_back(at);
      current = now;
    } else {
      const K at = closes[j].first;
      while (j < closes.size() && closes[j].first == at) {
        active.erase(active.find(closes[j++].second));
      }
      if (i < opens.size() && opens[i].first == at + 1) continue;
      const uint32_t now = active.empty() ? UINT32_MAX : *active.begin();
      if (now != current && at != static_cast<K>(~K{0})) out.push_back(at + 1);
      current = now;
    }
  }
  return out;
}

}  // namespace

std::string_view DimensionName(Dimension d) {
  switch (d) {
    case Dimension::kIpv4:
      return "ipv4";
    case Dimension::kIpv6:
      return "ipv6";
    case Dimension::kHost:
      return "hostname";
    case Dimension::kCriteria:
      return "criteria";
    case Dimension::kAll:
      return "ALL";
    case Dimension::kNone:
      return "no match";
  }
  return "?";
}

Dimension TruthEntry::dimension() const {
  switch (kind) {
    case Kind::kV4:
      return Dimension::kIpv4;
    case Kind::kV6:
      return Dimension::kIpv6;
    case Kind::kHost:
      return Dimension::kHost;
    default:
      return Dimension::kCriteria;
  }
}

GeneratedRules GenerateRules(Rng& rng, const GenerateOptions& options) {
  RuleWriter w(rng);
  AddRandomRules(rng, options, &w);
  return w.Finish();
}

GeneratedRules GenerateWideRules(Rng& rng, const GenerateOptions& options) {
  RuleWriter w(rng);
  std::vector<Written> entries;
  auto flush = [&] {
    if (!entries.empty()) w.Rule(entries, /*deciding=*/true);
    entries.clear();
  };
  // 20,000 /24s at even /24 numbers, so no two touch: with the gaps between
  // them, over 40,000 segments all over the space, each /18 split (if at
  // all) only at /24 boundaries.
  std::set<uint32_t> slash24s;
  while (slash24s.size() < 20000) {
    slash24s.insert(static_cast<uint32_t>(rng()) & 0xFFFFFE00u);
  }
  std::vector<uint32_t> shuffled(slash24s.begin(), slash24s.end());
  std::shuffle(shuffled.begin(), shuffled.end(), rng);
  for (uint32_t a : shuffled) {
    entries.push_back(Chance(rng, 0.5)
                          ? Written{Dotted(a) + "/24", V4Range(a, a | 0xff)}
                          : Written{Octets(a, 3) + ".", V4Range(a, a | 0xff)});
    if (entries.size() == 400) flush();
  }
  flush();
  // 3,000 small ranges inside /24s: inner nodes down to the last level.
  for (int i = 0; i < 3000; ++i) {
    const uint32_t a = static_cast<uint32_t>(rng());
    entries.push_back(
        Chance(rng, 0.5)
            ? V4Cidr(rng, a, 26 + static_cast<int>(Uniform(rng, 7)))
            : Written{Dotted(a), V4Range(a, a)});
    if (entries.size() == 300) flush();
  }
  flush();
  // 700 disjoint /64s in 2001:db8::/32: one /16 with over 512 segments (a
  // block), and 64 lone /128s in other /16s (skip nodes).
  std::set<uint64_t> slash64s;
  while (slash64s.size() < 700) {
    slash64s.insert(0x20010db800000000ull | (rng() & 0xFFFFFFFEull));
  }
  for (uint64_t hi : slash64s) {
    entries.push_back({fmt::format("{}/64", V6Text(rng, V6(hi, 0))),
                       V6Range(V6(hi, 0), V6(hi, ~uint64_t{0}))});
    if (entries.size() == 350) flush();
  }
  flush();
  for (int i = 0; i < 64; ++i) {
    const U128 a = V6(
        0x2400000000000000ull + (uint64_t{1} << 48) * i + (rng() >> 16), rng());
    entries.push_back({V6Text(rng, a), V6Range(a, a)});
  }
  flush();
  AddRandomRules(rng, options, &w);
  return w.Finish();
}

GeneratedConnection GenerateConnection(Rng& rng, const GeneratedRules& rules) {
  std::vector<const TruthEntry*> all;
  for (const TruthRule& r : rules.rules) {
    for (const TruthEntry& e : r.entries) all.push_back(&e);
  }
  const TruthEntry* e = all.empty() ? nullptr : Pick(rng, all);
  GeneratedConnection c;
  std::vector<std::string> fields;
  const std::string address = GenerateAddress(rng, e, &c);
  GenerateName(rng, e, &c, &fields);
  GenerateCriteria(rng, &c, &fields);
  std::shuffle(fields.begin(), fields.end(), rng);
  c.text = address;
  for (const std::string& f : fields) {
    c.text += (Chance(rng, 0.1) ? "\t" : " ") + f;
  }
  return c;
}

TruthAnswer Classify(const GeneratedRules& rules,
                     const GeneratedConnection& c) {
  TruthAnswer a;
  const std::optional<std::string> name = NormalName(c.ptr);
  for (uint32_t r = 0; r < rules.rules.size(); ++r) {
    const TruthRule& rule = rules.rules[r];
    if (!rule.decides) continue;
    if (rule.is_all && a.rule == UINT32_MAX) {
      a.rule = r;
      a.action = rule.action;
      a.by = Dimension::kAll;
    }
    for (uint32_t i = 0; i < rule.entries.size(); ++i) {
      const TruthEntry& e = rule.entries[i];
      if (!Matches(e, c, name)) continue;
      if (a.rule == UINT32_MAX) {
        a.rule = r;
        a.entry = rule.first_entry + i;
        a.action = rule.action;
        a.by = e.dimension();
      }
      if (e.kind == Kind::kV4) a.v4_rule = std::min(a.v4_rule, r);
      if (e.kind == Kind::kV6) a.v6_rule = std::min(a.v6_rule, r);
    }
  }
  a.host_rule = HostRule(rules, c.ptr);
  return a;
}

uint32_t HostRule(const GeneratedRules& rules, std::string_view name) {
  const std::optional<std::string> n = NormalName(name);
  if (!n) return UINT32_MAX;
  for (uint32_t r = 0; r < rules.rules.size(); ++r) {
    if (!rules.rules[r].decides) continue;
    for (const TruthEntry& e : rules.rules[r].entries) {
      if (e.kind == Kind::kHost && HostMatches(e, *n)) return r;
    }
  }
  return UINT32_MAX;
}

Ipv4Shape MeasureIpv4Shape(const GeneratedRules& rules) {
  const std::vector<uint32_t> b = Boundaries<uint32_t>(
      rules, [](const TruthEntry& e, uint32_t* lo, uint32_t* hi) {
        if (e.kind != Kind::kV4) return false;
        *lo = e.v4_lo;
        *hi = e.v4_hi;
        return true;
      });
  Ipv4Shape s;
  // Segments: the runs between boundaries, plus the run before the first.
  s.segments = b.size() + (b.empty() || b.front() != 0 ? 1 : 0);
  std::map<uint32_t, bool> blocks;  // /18 -> split below /24
  for (uint32_t x : b) {
    if ((x & 0x3FFF) == 0) continue;  // at a /18 edge: splits no block
    blocks[x >> 14] |= (x & 0xFF) != 0;
  }
  for (const auto& [block, below24] : blocks) {
    ++(below24 ? s.blocks_split_below_24 : s.blocks_split_at_24);
  }
  return s;
}

size_t MaxIpv6SegmentsInOneSlash16(const GeneratedRules& rules) {
  const std::vector<U128> b =
      Boundaries<U128>(rules, [](const TruthEntry& e, U128* lo, U128* hi) {
        if (e.kind != Kind::kV6) return false;
        *lo = e.v6_lo;
        *hi = e.v6_hi;
        return true;
      });
  std::map<uint64_t, size_t> per16;
  for (U128 x : b) ++per16[static_cast<uint64_t>(x >> 112)];
  size_t best = 0;
  for (const auto& [k, n] : per16) best = std::max(best, n);
  return best;
}

}  // namespace hatmatch::testing
