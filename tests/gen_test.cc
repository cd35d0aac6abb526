// Copyright 2026 The hatmatch Authors.
// The rule and traffic generators: determinism, exact counts, the requested
// shape, and text that says what the values say.

#include <arpa/inet.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "engine/gen/random.h"
#include "engine/gen/rule_gen.h"
#include "engine/gen/text_util.h"
#include "engine/gen/traffic_gen.h"
#include "gtest/gtest.h"
#include "hatmatch/parse.h"
#include "hatmatch/rules.h"

namespace hatmatch::gen {
namespace {

RuleGenOptions Mixed(uint64_t seed) {
  RuleGenOptions o;
  o.seed = seed;
  o.groups = 50;
  o.ipv4_entries = 3000;
  o.ipv6_entries = 500;
  o.host_entries = 1000;
  o.criteria = 0.3;
  o.continue_rules = 0.1;
  o.anonymous = 0.2;
  o.variety = 0.3;
  o.nesting = 0.1;
  o.overlap = 0.1;
  o.all = true;
  return o;
}

size_t CountKind(const RuleSet& rs, size_t variant_index) {
  return std::count_if(
      rs.entries().begin(), rs.entries().end(),
      [&](const Entry& e) { return e.value.index() == variant_index; });
}

TEST(GenRulesTest, SameSeedSameBytesOtherSeedOtherBytes) {
  const RuleGenOptions a = Mixed(42);
  auto r1 = GenerateRuleSet(a);
  auto r2 = GenerateRuleSet(a);
  ASSERT_TRUE(r1.ok()) << r1.status();
  ASSERT_TRUE(r2.ok()) << r2.status();
  const std::string t1 = HatText(*r1), t2 = HatText(*r2);
  EXPECT_EQ(t1, t2);
  auto r3 = GenerateRuleSet(Mixed(43));
  ASSERT_TRUE(r3.ok());
  EXPECT_NE(t1, HatText(*r3));
}

TEST(GenRulesTest, ExactCountsAndWellFormedRules) {
  for (uint64_t seed : {1, 2, 3}) {
    const RuleGenOptions o = Mixed(seed);
    auto rs = GenerateRuleSet(o);
    ASSERT_TRUE(rs.ok()) << rs.status();
    EXPECT_EQ(CountKind(*rs, 0), o.ipv4_entries) << "seed " << seed;
    EXPECT_EQ(CountKind(*rs, 1), o.ipv6_entries) << "seed " << seed;
    EXPECT_EQ(CountKind(*rs, 2), o.host_entries) << "seed " << seed;
    ASSERT_EQ(rs->rules().size(), o.groups + 1) << "seed " << seed;
    EXPECT_EQ(rs->rules().back().kind, RuleKind::kAll);
    std::set<std::string> names;
    uint32_t next_entry = 0;
    size_t continues = 0, anonymous = 0, criteria = 0;
    for (uint32_t i = 0; i < rs->rules().size(); ++i) {
      const Rule& r = rs->rules()[i];
      ASSERT_LT(r.policy, rs->policies().size());
      EXPECT_TRUE(names.insert(r.name).second) << "duplicate " << r.name;
      EXPECT_EQ(r.first_entry, next_entry);
      if (r.kind != RuleKind::kAll) {
        EXPECT_GT(r.entry_count, 0u) << r.name;
      }
      for (uint32_t k = 0; k < r.entry_count; ++k) {
        const Entry& e = rs->entries()[r.first_entry + k];
        EXPECT_EQ(e.rule, i);
        if (e.value.index() >= 3) ++criteria;
      }
      next_entry += r.entry_count;
      continues += rs->action_of(i) == Action::kContinue;
      anonymous += r.kind == RuleKind::kAnonymous;
    }
    EXPECT_EQ(next_entry, rs->entries().size());
    // 50 rules at 10% / 20% / 30%: some of each, with this seed and any.
    EXPECT_GT(continues, 0u) << "seed " << seed;
    EXPECT_GT(criteria, 0u) << "seed " << seed;
    EXPECT_EQ(
        CountKind(*rs, 0) + CountKind(*rs, 1) + CountKind(*rs, 2) + criteria,
        rs->entries().size());
    (void)anonymous;  // small rules are rare at 4500 entries over 50 groups
  }
}

TEST(GenRulesTest, AnonymousRulesAreNamedByTheirLine) {
  RuleGenOptions o;
  o.groups = 200;
  o.ipv4_entries = 400;
  o.anonymous = 1.0;
  auto rs = GenerateRuleSet(o);
  ASSERT_TRUE(rs.ok());
  size_t anonymous = 0;
  for (const Rule& r : rs->rules()) {
    if (r.kind != RuleKind::kAnonymous) continue;
    ++anonymous;
    std::string line;
    for (uint32_t k = 0; k < r.entry_count; ++k) {
      if (k) line += ", ";
      line += rs->entries()[r.first_entry + k].text;
    }
    EXPECT_EQ(r.name, line);
  }
  EXPECT_EQ(anonymous, 200u);  // every rule has <= 16 entries here
  EXPECT_NE(HatText(*rs).find("\n" + rs->rules()[0].name + "\n    "),
            std::string::npos);
}

TEST(GenRulesTest, RejectsBadOptions) {
  RuleGenOptions o;
  o.groups = 10;
  o.ipv4_entries = 5;
  EXPECT_FALSE(GenerateRuleSet(o).ok());  // fewer entries than groups
  o.ipv4_entries = 100;
  o.nesting = 1.5;
  EXPECT_FALSE(GenerateRuleSet(o).ok());
  o.nesting = 0;
  o.ipv4_lengths = {{33, 1}};
  EXPECT_FALSE(GenerateRuleSet(o).ok());
  EXPECT_FALSE(ParseLengthWeights("24:1,x:2", 32).ok());
  EXPECT_FALSE(ParseLengthWeights("24:0", 32).ok());
  EXPECT_FALSE(ParseLengthWeights("129:1", 128).ok());
  auto w = ParseLengthWeights("24:53,32", 32);
  ASSERT_TRUE(w.ok());
  ASSERT_EQ(w->size(), 2u);
  EXPECT_EQ((*w)[1].length, 32);
  EXPECT_EQ((*w)[1].weight, 1.0);
}

// Canonical IPv4 text is `a.b.c.d/len` of exactly the stored block, and the
// lengths follow the requested weights.
TEST(GenRulesTest, Ipv4CanonicalTextAndLengthDistribution) {
  RuleGenOptions o;
  o.seed = 9;
  o.groups = 100;
  o.ipv4_entries = 100000;
  o.nesting = 0;
  o.overlap = 0;
  o.criteria = 0;
  auto rs = GenerateRuleSet(o);
  ASSERT_TRUE(rs.ok());
  std::map<int, size_t> lengths;
  for (const Entry& e : rs->entries()) {
    const auto& r = std::get<Ipv4Range>(e.value);
    const size_t slash = e.text.find('/');
    ASSERT_NE(slash, std::string::npos) << e.text;
    in_addr a;
    ASSERT_EQ(inet_pton(AF_INET, e.text.substr(0, slash).c_str(), &a), 1)
        << e.text;
    const int len = std::atoi(e.text.c_str() + slash + 1);
    const uint32_t lo = ntohl(a.s_addr);
    const uint32_t host = len == 32 ? 0 : (~uint32_t{0} >> len);
    ASSERT_EQ(r.lo, lo) << e.text;
    ASSERT_EQ(lo & host, 0u) << e.text << ": host bits set";
    ASSERT_EQ(r.hi, lo | host) << e.text;
    ++lengths[len];
  }
  // 53% /24 of 100k draws: the standard deviation is 0.16%.
  EXPECT_NEAR(lengths[24] / 1e5, 0.53, 0.01);
  EXPECT_NEAR((lengths[22] + lengths[23]) / 1e5, 0.20, 0.01);
  EXPECT_NEAR(lengths[32] / 1e5, 0.02, 0.005);
  EXPECT_EQ(lengths.count(25), 0u);
}

TEST(GenRulesTest, Ipv6CanonicalText) {
  RuleGenOptions o;
  o.seed = 5;
  o.groups = 10;
  o.ipv4_entries = 0;
  o.ipv6_entries = 5000;
  o.nesting = 0.2;
  o.criteria = 0;
  auto rs = GenerateRuleSet(o);
  ASSERT_TRUE(rs.ok());
  for (const Entry& e : rs->entries()) {
    const auto& r = std::get<Ipv6Range>(e.value);
    const size_t slash = e.text.find('/');
    ASSERT_NE(slash, std::string::npos) << e.text;
    unsigned char b[16];
    ASSERT_EQ(inet_pton(AF_INET6, e.text.substr(0, slash).c_str(), b), 1)
        << e.text;
    u128 lo = 0;
    for (unsigned char c : b) lo = (lo << 8) | c;
    const int len = std::atoi(e.text.c_str() + slash + 1);
    const u128 host = len == 128 ? 0 : (~u128{0} >> len);
    ASSERT_TRUE(ToUint128(r.lo) == lo) << e.text;
    ASSERT_TRUE(ToUint128(r.hi) == (lo | host)) << e.text;
    ASSERT_TRUE(lo >> 125 == 1) << e.text << " outside 2000::/3";
  }
}

// nesting = 1: every entry but the first lies strictly inside an earlier one.
TEST(GenRulesTest, FullNestingNestsEveryEntry) {
  RuleGenOptions o;
  o.seed = 3;
  o.groups = 20;
  o.ipv4_entries = 400;
  o.host_entries = 200;
  o.nesting = 1.0;
  o.overlap = 0;
  o.criteria = 0;
  auto rs = GenerateRuleSet(o);
  ASSERT_TRUE(rs.ok());
  std::vector<Ipv4Range> v4;
  std::vector<HostPattern> hosts;
  size_t nested4 = 0, nested_h = 0;
  for (const Entry& e : rs->entries()) {
    if (const auto* r = std::get_if<Ipv4Range>(&e.value)) {
      for (const Ipv4Range& p : v4) {
        if (p.lo <= r->lo && r->hi <= p.hi &&
            (p.lo != r->lo || p.hi != r->hi)) {
          ++nested4;
          break;
        }
      }
      v4.push_back(*r);
    } else if (const auto* h = std::get_if<HostPattern>(&e.value)) {
      for (const HostPattern& p : hosts) {
        if (h->name.size() > p.name.size() && h->name.ends_with("." + p.name)) {
          ++nested_h;
          break;
        }
      }
      hosts.push_back(*h);
    }
  }
  // Only the first entry, and entries drawn when every earlier one was a
  // single address (rare), are not nested.
  EXPECT_GE(nested4, v4.size() - 3);
  EXPECT_EQ(nested_h, hosts.size() - 1);
}

// overlap = 1: every entry touches an entry of another rule.
TEST(GenRulesTest, FullOverlapCrossesRules) {
  RuleGenOptions o;
  o.seed = 4;
  o.groups = 20;
  o.ipv4_entries = 300;
  o.nesting = 0;
  o.overlap = 1.0;
  o.criteria = 0;
  auto rs = GenerateRuleSet(o);
  ASSERT_TRUE(rs.ok());
  size_t crossing = 0, candidates = 0;
  const auto& es = rs->entries();
  for (size_t i = 0; i < es.size(); ++i) {
    const auto& r = std::get<Ipv4Range>(es[i].value);
    bool other_rule_before = false, touches = false;
    for (size_t j = 0; j < i; ++j) {
      if (es[j].rule == es[i].rule) continue;
      other_rule_before = true;
      const auto& p = std::get<Ipv4Range>(es[j].value);
      if (p.lo <= r.hi && r.lo <= p.hi) touches = true;
    }
    candidates += other_rule_before;
    crossing += touches;
  }
  EXPECT_GT(candidates, 250u);
  EXPECT_GE(crossing, candidates - 5);
}

TEST(GenRulesTest, HostnamesAreValidAndPartialShareHolds) {
  RuleGenOptions o;
  o.seed = 11;
  o.groups = 10;
  o.ipv4_entries = 0;
  o.host_entries = 20000;
  o.partial_hosts = 0.7;
  o.variety = 0.2;
  auto rs = GenerateRuleSet(o);
  ASSERT_TRUE(rs.ok());
  size_t partial = 0, hosts = 0;
  for (const Entry& e : rs->entries()) {
    const auto* h = std::get_if<HostPattern>(&e.value);
    if (!h) continue;
    ++hosts;
    partial += h->partial;
    ASSERT_LE(h->name.size(), 253u);
    ASSERT_FALSE(h->name.empty());
    ASSERT_NE(h->name.front(), '.');
    ASSERT_NE(h->name.back(), '.');
    for (char c : h->name) {
      ASSERT_TRUE((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '.')
          << h->name;
    }
    // The text is the value, up to case, the partial dot and a trailing dot.
    std::string t = e.text;
    std::transform(t.begin(), t.end(), t.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    if (t.back() == '.') t.pop_back();
    EXPECT_EQ(t, (h->partial ? "." : "") + h->name);
  }
  EXPECT_EQ(hosts, 20000u);
  EXPECT_NEAR(partial / 20000.0, 0.7, 0.03);
}

bool SameValue(const EntryValue& a, const EntryValue& b) {
  if (a.index() != b.index()) return false;
  return std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        const T& y = std::get<T>(b);
        if constexpr (std::is_same_v<T, Ipv4Range>) {
          return x.lo == y.lo && x.hi == y.hi;
        } else if constexpr (std::is_same_v<T, Ipv6Range>) {
          return x.lo == y.lo && x.hi == y.hi;
        } else if constexpr (std::is_same_v<T, HostPattern>) {
          return x.name == y.name && x.partial == y.partial;
        } else if constexpr (std::is_same_v<T, SbrsRange>) {
          return x.lo == y.lo && x.hi == y.hi;
        } else if constexpr (std::is_same_v<T, SbrsNone>) {
          return true;
        } else if constexpr (std::is_same_v<T, OwnerId>) {
          return x.id == y.id;
        } else if constexpr (std::is_same_v<T, DnsListZone>) {
          return x.zone == y.zone;
        } else {
          return x.state == y.state;
        }
      },
      a);
}

// The written text parses cleanly back into the generated RuleSet: same
// policies, rules and entry values, no warnings.
TEST(GenRulesTest, WrittenTextParsesBackToTheSameRuleSet) {
  for (uint64_t seed : {1, 2, 3, 4}) {
    RuleGenOptions o = Mixed(seed);
    o.variety = seed % 2 ? 0.5 : 0.0;
    auto rs = GenerateRuleSet(o);
    ASSERT_TRUE(rs.ok()) << rs.status();
    WriteOptions w;
    w.entries_per_line = seed;  // 1..4 entries a line
    w.header = "seed " + std::to_string(seed);
    const std::string text = HatText(*rs, w);
    auto parsed = ParseRules(text, "gen.hat");
    ASSERT_TRUE(parsed.ok()) << "seed " << seed << ": " << parsed.status();
    EXPECT_TRUE(parsed->warnings().empty())
        << "seed " << seed << ": " << parsed->warnings()[0].ToString();
    ASSERT_EQ(parsed->policies().size(), rs->policies().size());
    for (size_t i = 0; i < rs->policies().size(); ++i) {
      const Policy &a = rs->policies()[i], &b = parsed->policies()[i];
      EXPECT_EQ(a.name, b.name);
      EXPECT_EQ(a.action, b.action);
      ASSERT_EQ(a.params.size(), b.params.size());
      for (size_t k = 0; k < a.params.size(); ++k) {
        EXPECT_EQ(a.params[k].key, b.params[k].key);
        EXPECT_EQ(a.params[k].value, b.params[k].value);
        EXPECT_EQ(a.params[k].quoted, b.params[k].quoted);
      }
    }
    ASSERT_EQ(parsed->rules().size(), rs->rules().size());
    for (size_t i = 0; i < rs->rules().size(); ++i) {
      const Rule &a = rs->rules()[i], &b = parsed->rules()[i];
      EXPECT_EQ(a.name, b.name) << "seed " << seed << " rule " << i;
      EXPECT_EQ(a.kind, b.kind) << a.name;
      EXPECT_EQ(a.policy, b.policy) << a.name;
      EXPECT_EQ(a.first_entry, b.first_entry) << a.name;
      EXPECT_EQ(a.entry_count, b.entry_count) << a.name;
      EXPECT_EQ(a.comment, b.comment) << a.name;
    }
    ASSERT_EQ(parsed->entries().size(), rs->entries().size());
    for (size_t i = 0; i < rs->entries().size(); ++i) {
      const Entry &a = rs->entries()[i], &b = parsed->entries()[i];
      ASSERT_TRUE(SameValue(a.value, b.value))
          << "seed " << seed << " entry " << i << ": " << a.text;
      EXPECT_EQ(a.text, b.text);
      EXPECT_EQ(a.rule, b.rule);
    }
  }
}

TEST(GenTrafficTest, DeterministicAndCounted) {
  auto rs = GenerateRuleSet(Mixed(7));
  ASSERT_TRUE(rs.ok());
  TrafficOptions t;
  t.seed = 99;
  t.count = 5000;
  t.ipv6_share = 0.25;
  auto a = GenerateTraffic(*rs, t);
  auto b = GenerateTraffic(*rs, t);
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(b.ok());
  ASSERT_EQ(a->size(), 5000u);
  std::string ta, tb;
  for (const Connection& c : *a) ta += ConnectionLine(c) + "\n";
  for (const Connection& c : *b) tb += ConnectionLine(c) + "\n";
  EXPECT_EQ(ta, tb);
  size_t v6 = std::count_if(a->begin(), a->end(), [](const Connection& c) {
    return !c.address.is_v4();
  });
  EXPECT_NEAR(v6 / 5000.0, 0.25, 0.03);
  t.seed = 100;
  auto c = GenerateTraffic(*rs, t);
  ASSERT_TRUE(c.ok());
  EXPECT_NE(ConnectionLine((*c)[0]) + ConnectionLine((*c)[1]),
            ConnectionLine((*a)[0]) + ConnectionLine((*a)[1]));
}

TEST(GenTrafficTest, HitRatioHolds) {
  RuleGenOptions o;
  o.seed = 2;
  o.groups = 10;
  o.ipv4_entries = 1000;
  o.host_entries = 1000;
  auto rs = GenerateRuleSet(o);
  ASSERT_TRUE(rs.ok());
  const std::vector<Ipv4Range> t4 = Ipv4Targets(*rs);
  const std::vector<HostPattern> th = HostTargets(*rs);
  auto inside = [&](uint32_t a) {
    for (const Ipv4Range& r : t4)
      if (r.lo <= a && a <= r.hi) return true;
    return false;
  };
  auto host_hit = [&](const std::string& n) {
    for (const HostPattern& p : th) {
      if (p.partial ? n.ends_with("." + p.name) : n == p.name) return true;
    }
    return false;
  };
  Sampling s;
  s.seed = 3;
  s.count = 2000;
  s.hit_ratio = 1.0;
  for (uint32_t a : SampleIpv4(t4, s)) ASSERT_TRUE(inside(a));
  for (const std::string& n : SampleHostnames(th, s)) ASSERT_TRUE(host_hit(n));
  s.hit_ratio = 0.5;
  const std::vector<uint32_t> half = SampleIpv4(t4, s);
  const size_t hits = std::count_if(half.begin(), half.end(), inside);
  // Misses land in a rule's range with the covered share of the space.
  EXPECT_NEAR(hits / 2000.0, 0.5, 0.06);
  s.hit_ratio = 0.0;
  const std::vector<std::string> misses = SampleHostnames(th, s);
  EXPECT_LT(std::count_if(misses.begin(), misses.end(), host_hit), 20);
}

TEST(GenTrafficTest, ZipfSkewConcentratesOnFewSources) {
  std::vector<Ipv4Range> targets = {{0x0a000000, 0x0affffff}};
  Sampling s;
  s.seed = 1;
  s.count = 20000;
  s.population = 1000;
  s.zipf = 1.2;
  const std::vector<uint32_t> keys = SampleIpv4(targets, s);
  std::map<uint32_t, size_t> freq;
  for (uint32_t k : keys) ++freq[k];
  EXPECT_LE(freq.size(), 1000u);
  size_t top = 0;
  for (const auto& [k, n] : freq) top = std::max(top, n);
  // Rank 1 of Zipf(1.2) over 1000 ranks holds about 20% of the draws;
  // uniform would give 0.1%.
  EXPECT_GT(top, 2000u);
  s.zipf = 0;
  const std::vector<uint32_t> flat = SampleIpv4(targets, s);
  std::set<uint32_t> distinct(flat.begin(), flat.end());
  EXPECT_GT(distinct.size(), 19000u);
}

TEST(GenTrafficTest, LineFormat) {
  Connection c;
  c.address = IpAddress::V4(0xc0000207);
  c.ptr = "mx.example.com";
  c.dns = DnsState::kVerified;
  c.sbrs = -2.5;
  c.sbo = 1234;
  c.dnslists = {"a.example", "b.example"};
  EXPECT_EQ(ConnectionLine(c),
            "192.0.2.7 ptr=mx.example.com sbrs=-2.5 sbo=1234 "
            "dnslist=a.example,b.example");
  Connection d;
  d.address = IpAddress::V6({0x20010db800000000, 1});
  d.dns = DnsState::kNxDomain;
  EXPECT_EQ(ConnectionLine(d), "2001:db8::1 dns=nx");
}

TEST(GenRandomTest, BelowIsInRangeAndCoversIt) {
  Rng rng(1);
  std::vector<int> seen(7, 0);
  for (int i = 0; i < 7000; ++i) {
    const uint64_t v = rng.Below(7);
    ASSERT_LT(v, 7u);
    ++seen[v];
  }
  for (int n : seen) EXPECT_NEAR(n, 1000, 150);
  EXPECT_EQ(rng.Below(0), 0u);
  EXPECT_EQ(rng.Between(5, 5), 5u);
}

TEST(TrafficGenTest, CountIsBounded) {
  TrafficOptions o;
  o.count = kMaxTrafficCount;
  EXPECT_TRUE(ValidateTrafficOptions(o).ok());
  o.count = kMaxTrafficCount + 1;
  const absl::Status s = ValidateTrafficOptions(o);
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.message(),
            "count 16777217 is over the limit of 16M (16777216) connections");
  absl::StatusOr<RuleSet> rules = ParseRules("10.0.0.0/8\n    ACCEPT\n", "t");
  ASSERT_TRUE(rules.ok());
  EXPECT_FALSE(GenerateTraffic(*rules, o).ok());
}

#ifdef HATMATCH_BINARY
std::string RunCli(const std::string& args, int* status) {
  std::string out;
  FILE* p = popen((std::string(HATMATCH_BINARY) + " " + args).c_str(), "r");
  if (!p) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  *status = pclose(p);
  return out;
}

TEST(GenCliTest, SameFlagsSameBytes) {
  int s1 = -1, s2 = -1, s3 = -1;
  const std::string flags =
      " --seed 5 --groups 20 --ipv4 2k --ipv6 100 --hosts 300 --variety 0.2";
  const std::string a = RunCli("gen rules" + flags, &s1);
  const std::string b = RunCli("gen rules" + flags, &s2);
  EXPECT_EQ(s1, 0);
  EXPECT_EQ(s2, 0);
  EXPECT_EQ(a, b);
  EXPECT_NE(a.find("GROUP_0019:"), std::string::npos);
  const std::string t = RunCli("gen traffic" + flags + " --count 1k", &s3);
  EXPECT_EQ(s3, 0);
  EXPECT_EQ(std::count(t.begin(), t.end(), '\n'), 1000);
}

TEST(GenCliTest, HelpAndUsageErrors) {
  int s = -1;
  EXPECT_NE(RunCli("gen --help", &s).find("hatmatch gen rules"),
            std::string::npos);
  EXPECT_EQ(s, 0);
  RunCli("gen rules --bogus 2>/dev/null", &s);
  EXPECT_EQ(WEXITSTATUS(s), 2);
  RunCli("gen rules --groups 10 --ipv4 3 2>/dev/null", &s);
  EXPECT_EQ(WEXITSTATUS(s), 2);
  RunCli("gen 2>/dev/null", &s);
  EXPECT_EQ(WEXITSTATUS(s), 2);
  // Traffic is built whole before it is written: the count is bounded, and
  // refused before anything is generated.
  const std::string err =
      RunCli("gen traffic --count 1000M 2>&1 >/dev/null", &s);
  EXPECT_EQ(WEXITSTATUS(s), 2);
  EXPECT_NE(err.find("count 1000000000 is over the limit of 16M (16777216) "
                     "connections"),
            std::string::npos)
      << err;
}
#endif

}  // namespace
}  // namespace hatmatch::gen
