// Copyright 2026 The hatmatch Authors.
//
// Lint: every code with a case that must report it and a near miss that
// must not; the CLI's output and exit status; and, on randomized rule files,
// the exact shadowing result against a naive quadratic oracle and against
// the reference classifier (an entry reported as never deciding never
// decides a sampled connection).

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "fmt/format.h"
#include "fmt/ranges.h"
#include "gtest/gtest.h"
#include "hatmatch/analysis.h"
#include "hatmatch/parse.h"
#include "hatmatch/reference.h"
#include "tests/testing/random_rules.h"
#include "tests/testing/run.h"
#include "tests/testing/seed.h"

namespace hatmatch {
namespace {

RuleSet Parse(const std::string& text) {
  absl::StatusOr<RuleSet> rs = ParseRules(text, "t.hat");
  EXPECT_TRUE(rs.ok()) << rs.status() << "\n" << text;
  return rs.ok() ? *std::move(rs) : RuleSet();
}

// "code@line" for every warning.
std::vector<std::string> Codes(const std::string& text) {
  std::vector<std::string> out;
  for (const LintWarning& w : Lint(Parse(text))) {
    out.push_back(fmt::format("{}@{}", w.code, w.loc.line));
  }
  return out;
}

bool Has(const std::vector<std::string>& codes, const std::string& c) {
  return std::find(codes.begin(), codes.end(), c) != codes.end();
}
bool HasCode(const std::vector<std::string>& codes, std::string_view code) {
  return std::any_of(codes.begin(), codes.end(), [&](const std::string& c) {
    return c.substr(0, c.find('@')) == code;
  });
}

TEST(LintTest, CleanFileHasNoWarnings) {
  EXPECT_TRUE(Codes("A:\n    ACCEPT\n    10.0.0.0/24, example.com, "
                    ".example.com\nB:\n    REJECT\n    10.0.1.0/24\n"
                    "ALL\n    ACCEPT\n")
                  .empty());
}

TEST(LintTest, ShadowedIpByUnionOfEarlierRules) {
  const std::string text =
      "A:\n    REJECT\n    10.0.0.0/25\n"             // 1-3
      "B:\n    ACCEPT\n    10.0.0.128/25\n"           // 4-6
      "C:\n    RELAY\n    10.0.0.0/24, 192.0.2.1\n";  // 7-9
  auto codes = Codes(text);
  EXPECT_TRUE(Has(codes, "shadowed-ip@9")) << fmt::format("{}", codes);
  EXPECT_FALSE(HasCode(codes, "dead-rule"));  // 192.0.2.1 still decides
}

TEST(LintTest, ShadowedIpNotReportedForPartialCoverage) {
  auto codes = Codes(
      "A:\n    REJECT\n    10.0.0.0/25\n"
      "C:\n    RELAY\n    10.0.0.0/24\n");
  EXPECT_FALSE(HasCode(codes, "shadowed-ip")) << fmt::format("{}", codes);
}

TEST(LintTest, ShadowingByContinueRuleIsNotReported) {
  auto codes = Codes(
      "A:\n    CONTINUE\n    10.0.0.0/8\n"
      "B:\n    REJECT\n    10.1.0.0/16\n");
  EXPECT_TRUE(codes.empty()) << fmt::format("{}", codes);
}

TEST(LintTest, ShadowedIpv6AndDeadRule) {
  auto codes = Codes(
      "A:\n    REJECT\n    2001:db8::/33\n"
      "B:\n    ACCEPT\n    2001:db8:8000::/33\n"
      "C:\n    RELAY\n    2001:db8::1-2001:db8:ffff::\n");
  EXPECT_TRUE(Has(codes, "shadowed-ip@9")) << fmt::format("{}", codes);
  EXPECT_TRUE(Has(codes, "dead-rule@7")) << fmt::format("{}", codes);
}

TEST(LintTest, Ipv6ShadowIgnoresIpv4EmbeddingBlocks) {
  // ::/64 minus the IPv4-embedding blocks is covered by these two plus the
  // block ::1:0:0-::fffe:ffff:ffff; the blocks themselves need no cover.
  auto covered = Codes(
      "A:\n    REJECT\n    ::-::1, ::1:0:0-::fffe:ffff:ffff\n"
      "C:\n    ACCEPT\n    ::1:0:0:0-::ffff:ffff:ffff:ffff\n"
      "D:\n    RELAY\n    ::/64\n");
  EXPECT_TRUE(Has(covered, "shadowed-ip@9")) << fmt::format("{}", covered);
  auto open = Codes(
      "A:\n    REJECT\n    ::-::1\n"
      "D:\n    RELAY\n    ::/64\n");
  EXPECT_FALSE(HasCode(open, "shadowed-ip")) << fmt::format("{}", open);
}

TEST(LintTest, UnmatchableEntry) {
  auto codes = Codes("A:\n    REJECT\n    ::ffff:10.0.0.0/104\n");
  EXPECT_TRUE(Has(codes, "unmatchable-entry@3")) << fmt::format("{}", codes);
  EXPECT_TRUE(Has(codes, "dead-rule@1")) << fmt::format("{}", codes);
  EXPECT_FALSE(HasCode(codes, "parse-warning"));  // not reported twice
  auto ok = Codes("A:\n    REJECT\n    2001:db8::/32\n");
  EXPECT_FALSE(HasCode(ok, "unmatchable-entry"));
}

TEST(LintTest, ShadowedHostnames) {
  auto codes = Codes(
      "A:\n    REJECT\n    .example.com, example.com\n"
      "B:\n    ACCEPT\n    .mail.example.com\n"
      "C:\n    ACCEPT\n    a.example.com\n"
      "D:\n    ACCEPT\n    example.com.evil.org, evil.org, .evil.org\n");
  EXPECT_TRUE(Has(codes, "shadowed-host@6")) << fmt::format("{}", codes);
  EXPECT_TRUE(Has(codes, "shadowed-host@9")) << fmt::format("{}", codes);
  EXPECT_TRUE(Has(codes, "dead-rule@4"));
  EXPECT_FALSE(Has(codes, "shadowed-host@12")) << fmt::format("{}", codes);
}

TEST(LintTest, HostnameNearMisses) {
  // The narrower pattern first; the bare domain after a partial; an
  // earlier CONTINUE partial; a suffix that is not at a label boundary.
  auto codes = Codes(
      "A:\n    REJECT\n    .mail.example.com\n"
      "B:\n    ACCEPT\n    .example.com\n"
      "C:\n    ACCEPT\n    example.com\n"
      "D:\n    CONTINUE\n    .org\n"
      "E:\n    ACCEPT\n    .example.org, example.org\n"
      "F:\n    ACCEPT\n    a.badexample.com, badexample.com\n");
  EXPECT_FALSE(HasCode(codes, "shadowed-host")) << fmt::format("{}", codes);
  EXPECT_FALSE(HasCode(codes, "dead-rule")) << fmt::format("{}", codes);
}

TEST(LintTest, ShadowedScoreRangeByUnion) {
  auto codes = Codes(
      "A:\n    REJECT\n    sbrs[-10:-3]\n"
      "B:\n    ACCEPT\n    sbrs[-3:0]\n"
      "C:\n    ACCEPT\n    sbrs[-5:-1]\n");
  EXPECT_TRUE(Has(codes, "shadowed-criteria@9")) << fmt::format("{}", codes);
  auto gap = Codes(
      "A:\n    REJECT\n    sbrs[-10:-3]\n"
      "B:\n    ACCEPT\n    sbrs[-2.9:0]\n"
      "C:\n    ACCEPT\n    sbrs[-5:-1]\n");
  EXPECT_FALSE(HasCode(gap, "shadowed-criteria")) << fmt::format("{}", gap);
}

TEST(LintTest, AfterCatchAllByAddresses) {
  auto codes = Codes(
      "A:\n    ACCEPT\n    0.0.0.0/1\n"
      "B:\n    REJECT\n    128.0.0.0/1, ::/0\n"
      "C:\n    REJECT\n    sbrs[-10:-3], .example.com\n"
      "ALL\n    ACCEPT\n");
  EXPECT_TRUE(Has(codes, "after-catch-all@7")) << fmt::format("{}", codes);
  EXPECT_TRUE(Has(codes, "after-catch-all@10")) << fmt::format("{}", codes);
  EXPECT_FALSE(HasCode(codes, "shadowed-host"));  // one warning per rule
}

TEST(LintTest, OnlyIpv4CoveredIsNoCatchAll) {
  // IPv6 connections still reach C, so sbrs and hostnames still decide.
  auto codes = Codes(
      "A:\n    ACCEPT\n    0.0.0.0/0\n"
      "C:\n    REJECT\n    sbrs[-10:-3], .example.com\n");
  EXPECT_FALSE(HasCode(codes, "after-catch-all")) << fmt::format("{}", codes);
  EXPECT_FALSE(HasCode(codes, "dead-rule")) << fmt::format("{}", codes);
}

TEST(LintTest, AfterCatchAllByScores) {
  // Cisco's default lists: every score, and no score, are taken.
  auto codes = Codes(
      "BLOCKED:\n    REJECT\n    sbrs[-10.0:-3.0]\n"
      "SUSPECT:\n    ACCEPT\n    sbrs[-3.0:-1.0]\n"
      "UNKNOWN:\n    ACCEPT\n    sbrs[-1.0:10.0], sbrs[none]\n"
      "LATE:\n    REJECT\n    10.0.0.0/8\n");
  EXPECT_TRUE(Has(codes, "after-catch-all@10")) << fmt::format("{}", codes);
  auto no_none = Codes(
      "BLOCKED:\n    REJECT\n    sbrs[-10.0:-3.0]\n"
      "UNKNOWN:\n    ACCEPT\n    sbrs[-3.0:10.0]\n"
      "LATE:\n    REJECT\n    10.0.0.0/8\n");
  EXPECT_FALSE(HasCode(no_none, "after-catch-all"));
  auto continue_catch = Codes(
      "ANY:\n    CONTINUE\n    0.0.0.0/0, ::/0\n"
      "LATE:\n    REJECT\n    10.0.0.0/8\n");
  EXPECT_TRUE(continue_catch.empty()) << fmt::format("{}", continue_catch);
}

TEST(LintTest, DuplicateEntries) {
  auto codes = Codes(
      "A:\n    REJECT\n    10.0.0.0/24, 10.0.0.\n"  // same rule
      "B:\n    ACCEPT\n    10.0.0.0-255, Example.COM.\n"
      "C:\n    CONTINUE\n    SBO:7\n"
      "D:\n    ACCEPT\n    sbo:7, example.com\n");
  EXPECT_TRUE(Has(codes, "duplicate-entry@3")) << fmt::format("{}", codes);
  EXPECT_TRUE(Has(codes, "duplicate-entry@6")) << fmt::format("{}", codes);
  EXPECT_TRUE(Has(codes, "duplicate-entry@12")) << fmt::format("{}", codes);
  auto ok = Codes(
      "A:\n    REJECT\n    10.0.0.0/24, .example.com\n"
      "B:\n    ACCEPT\n    10.0.0.0/25, example.com\n");
  EXPECT_FALSE(HasCode(ok, "duplicate-entry")) << fmt::format("{}", ok);
}

TEST(LintTest, OverlapInRule) {
  auto codes = Codes(
      "A:\n    REJECT\n    10.0.0.0/24\n    10.0.0.128-10.0.1.5\n"
      "B:\n    ACCEPT\n    a.example.com, .example.com\n"
      "C:\n    ACCEPT\n    sbrs[-10:-2], sbrs[-3:0]\n");
  EXPECT_TRUE(Has(codes, "overlap-in-rule@4")) << fmt::format("{}", codes);
  EXPECT_TRUE(Has(codes, "overlap-in-rule@7")) << fmt::format("{}", codes);
  EXPECT_TRUE(Has(codes, "overlap-in-rule@10")) << fmt::format("{}", codes);
  auto ok = Codes(
      "A:\n    REJECT\n    10.0.0.0/25, 10.0.0.128/25\n"
      "B:\n    ACCEPT\n    example.com, .mail.example.org\n");
  EXPECT_FALSE(HasCode(ok, "overlap-in-rule")) << fmt::format("{}", ok);
}

TEST(LintTest, HostBits) {
  auto codes = Codes("A:\n    REJECT\n    10.0.0.1/24\n");
  EXPECT_TRUE(Has(codes, "host-bits@3")) << fmt::format("{}", codes);
  EXPECT_FALSE(
      HasCode(Codes("A:\n    REJECT\n    10.0.0.0/24\n"), "host-bits"));
}

TEST(LintTest, BareDomainMissing) {
  auto codes = Codes("A:\n    REJECT\n    .example.com, .com\n");
  EXPECT_TRUE(Has(codes, "bare-domain-missing@3")) << fmt::format("{}", codes);
  // Not for .com (a top-level domain).
  EXPECT_EQ(std::count_if(codes.begin(), codes.end(),
                          [](const std::string& c) {
                            return c.starts_with("bare-domain-missing");
                          }),
            1)
      << fmt::format("{}", codes);
  auto ok = Codes(
      "A:\n    REJECT\n    .example.com\n"
      "B:\n    ACCEPT\n    example.com\n");
  EXPECT_FALSE(HasCode(ok, "bare-domain-missing")) << fmt::format("{}", ok);
}

TEST(LintTest, UnusedPolicy) {
  auto codes = Codes(
      "$USED\n    ACCEPT\n$SPARE\n    REJECT\n"
      "A:\n    $USED\n    10.0.0.1\n");
  EXPECT_TRUE(Has(codes, "unused-policy@3")) << fmt::format("{}", codes);
  EXPECT_EQ(codes.size(), 1u);
}

TEST(LintTest, EveryCodeIsListedAndDocumented) {
  const std::string doc =
      testing::ReadFile(testing::SourcePath("docs/ANALYSIS.md"));
  for (const LintCode& c : LintCodes()) {
    EXPECT_NE(doc.find(fmt::format("`{}`", c.code)), std::string::npos)
        << c.code << " is not documented in docs/ANALYSIS.md";
  }
}

TEST(LintCliTest, ExitStatusAndFormats) {
  const std::string dir = ::testing::TempDir();
  const std::string clean = dir + "/lint_clean.hat";
  const std::string warn = dir + "/lint_warn.hat";
  const std::string bad = dir + "/lint_bad.hat";
  testing::WriteFile(clean, "A:\n    ACCEPT\n    10.0.0.1\n");
  testing::WriteFile(
      warn, "A:\n    ACCEPT\n    10.0.0.0/8\nB:\n    REJECT\n    10.1.2.3\n");
  testing::WriteFile(bad, "A:\n    ACCEPT\n    10.0.0.256\n");
  EXPECT_EQ(testing::RunHatmatch({"lint", clean}).exit_code, 0);
  testing::RunResult w = testing::RunHatmatch({"lint", warn});
  EXPECT_EQ(w.exit_code, 1);
  EXPECT_EQ(w.out, warn +
                       ":4:1: warning[dead-rule]: rule B never decides: each "
                       "of its 1 entry is covered by earlier rules or matches "
                       "nothing\n" +
                       warn +
                       ":6:5: warning[shadowed-ip]: `10.1.2.3` never decides: "
                       "every address it matches is taken by earlier rule: A "
                       "(line 1)\n")
      << w.out;
  testing::RunResult j = testing::RunHatmatch({"lint", "--json", warn});
  EXPECT_EQ(j.exit_code, 1);
  EXPECT_NE(j.out.find("\"code\":\"shadowed-ip\",\"line\":6,\"col\":5"),
            std::string::npos)
      << j.out;
  EXPECT_NE(j.out.find("\"count\":2"), std::string::npos) << j.out;
  testing::RunResult b = testing::RunHatmatch({"lint", bad});
  EXPECT_EQ(b.exit_code, 2);
  EXPECT_NE(b.err.find(":3:"), std::string::npos) << b.err;
  testing::RunResult bj = testing::RunHatmatch({"lint", "--json", bad});
  EXPECT_EQ(bj.exit_code, 2);
  EXPECT_NE(bj.out.find("\"errors\":[{\"line\":3"), std::string::npos)
      << bj.out;
  testing::RunResult codes = testing::RunHatmatch({"lint", "--list-codes"});
  EXPECT_EQ(codes.exit_code, 0);
  EXPECT_NE(codes.out.find("shadowed-ip"), std::string::npos);
}

// --- randomized: exact shadowing against a naive oracle ---------------------

// Does the union of `ranges` cover [lo, hi]?  (Quadratic-free but naive:
// sort and walk.)
template <class K, class Next>
bool Covered(std::vector<std::pair<K, K>> ranges, K lo, K hi, Next next) {
  std::sort(ranges.begin(), ranges.end());
  K at = lo;  // first point not yet known covered
  for (const auto& [a, b] : ranges) {
    if (a > at) break;
    if (b >= at) {
      if (b >= hi) return true;
      at = next(b);
    }
  }
  return false;
}

// The naive answer: can entry e never decide, judged against the entries of
// every earlier rule that can decide, one by one?
bool OracleNever(const RuleSet& rs, uint32_t e) {
  const Entry& en = rs.entries()[e];
  const uint32_t r = en.rule;
  std::vector<const Entry*> earlier;
  for (const Entry& x : rs.entries()) {
    if (x.rule < r && rs.action_of(x.rule) != Action::kContinue) {
      earlier.push_back(&x);
    }
  }
  if (auto* v = std::get_if<Ipv4Range>(&en.value)) {
    std::vector<std::pair<uint64_t, uint64_t>> rr;
    for (auto* x : earlier) {
      if (auto* w = std::get_if<Ipv4Range>(&x->value))
        rr.push_back({w->lo, w->hi});
    }
    return Covered<uint64_t>(rr, v->lo, v->hi,
                             [](uint64_t k) { return k + 1; });
  }
  if (auto* v = std::get_if<Ipv6Range>(&en.value)) {
    // Treat the IPv4-embedding blocks as covered.
    using P = std::pair<Ipv6Addr, Ipv6Addr>;
    std::vector<P> rr = {{{0, 2}, {0, 0xffffffffULL}},
                         {{0, 0xffff00000000ULL}, {0, 0xffffffffffffULL}}};
    for (auto* x : earlier) {
      if (auto* w = std::get_if<Ipv6Range>(&x->value))
        rr.push_back({w->lo, w->hi});
    }
    return Covered<Ipv6Addr>(rr, v->lo, v->hi, [](Ipv6Addr k) {
      return k.lo == ~uint64_t{0} ? Ipv6Addr{k.hi + 1, 0}
                                  : Ipv6Addr{k.hi, k.lo + 1};
    });
  }
  if (auto* v = std::get_if<HostPattern>(&en.value)) {
    for (auto* x : earlier) {
      auto* w = std::get_if<HostPattern>(&x->value);
      if (!w) continue;
      if (w->partial == v->partial && w->name == v->name) return true;
      if (!w->partial) continue;
      const std::string suffix = "." + w->name;
      if (v->name.size() > suffix.size() &&
          v->name.compare(v->name.size() - suffix.size(), suffix.size(),
                          suffix) == 0) {
        return true;
      }
    }
    return false;
  }
  // Other criteria: an identical earlier value (sbrs ranges aside).
  if (std::holds_alternative<SbrsRange>(en.value)) return false;  // not here
  for (auto* x : earlier) {
    if (x->value.index() != en.value.index()) continue;
    if (std::holds_alternative<SbrsNone>(en.value)) return true;
    if (auto* o = std::get_if<OwnerId>(&en.value);
        o && std::get<OwnerId>(x->value).id == o->id) {
      return true;
    }
    if (auto* z = std::get_if<DnsListZone>(&en.value);
        z && std::get<DnsListZone>(x->value).zone == z->zone) {
      return true;
    }
    if (auto* d = std::get_if<DnsStateIs>(&en.value);
        d && std::get<DnsStateIs>(x->value).state == d->state) {
      return true;
    }
  }
  return false;
}

TEST(LintRandomTest, ShadowingMatchesNaiveOracleAndReference) {
  const uint64_t base = testing::TestSeed();
  for (uint64_t s = 0; s < 300; ++s) {
    const uint64_t seed = base + s;
    std::mt19937_64 rng(seed);
    const std::string text =
        testing::RandomRuleText(rng, {.allow_all = s % 3 == 0});
    absl::StatusOr<RuleSet> parsed = ParseRules(text, "random.hat");
    ASSERT_TRUE(parsed.ok()) << "seed " << seed << ": " << parsed.status();
    const RuleSet& rs = *parsed;
    const std::vector<LintWarning> warnings = Lint(rs);
    absl::flat_hash_set<uint32_t> never_entries, dead_rules, after_rules;
    for (const LintWarning& w : warnings) {
      if (w.code == "after-catch-all") after_rules.insert(w.rule);
      if (w.code == "dead-rule") dead_rules.insert(w.rule);
      const bool entry_never =
          w.code.substr(0, 9) == "shadowed-" || w.code == "unmatchable-entry" ||
          (w.code == "duplicate-entry" &&
           w.message.find("never decides") != std::string::npos);
      if (entry_never) never_entries.insert(w.entry);
    }
    // Exactness per entry (rules before any catch-all; sbrs ranges are
    // checked by sampling only).
    for (uint32_t e = 0; e < rs.entries().size(); ++e) {
      const Entry& en = rs.entries()[e];
      if (rs.action_of(en.rule) == Action::kContinue) continue;
      if (after_rules.contains(en.rule)) continue;
      if (std::holds_alternative<SbrsRange>(en.value)) continue;
      bool oracle = OracleNever(rs, e);
      if (auto* v = std::get_if<Ipv6Range>(&en.value)) {
        oracle =
            oracle ||
            (Ipv6Addr{0, 2} <= v->lo && v->hi <= Ipv6Addr{0, 0xffffffffULL}) ||
            (Ipv6Addr{0, 0xffff00000000ULL} <= v->lo &&
             v->hi <= Ipv6Addr{0, 0xffffffffffffULL});
      }
      EXPECT_EQ(oracle, never_entries.contains(e))
          << "seed " << seed << ": entry `" << en.text << "` line "
          << en.loc.line << "\n"
          << text;
    }
    // Soundness against the reference classifier.
    ReferenceClassifier ref(rs);
    for (int i = 0; i < 400; ++i) {
      const Connection c = testing::RandomConnection(rng, rs);
      const Decision d = ref.Classify(c);
      if (!d.matched()) continue;
      ASSERT_FALSE(after_rules.contains(d.rule))
          << "seed " << seed << ": rule " << rs.rules()[d.rule].name
          << " decided after a catch-all\n"
          << text;
      ASSERT_FALSE(dead_rules.contains(d.rule))
          << "seed " << seed << ": dead rule " << rs.rules()[d.rule].name
          << " decided\n"
          << text;
      if (d.entry != kNoEntry) {
        ASSERT_FALSE(never_entries.contains(d.entry))
            << "seed " << seed << ": entry " << rs.entries()[d.entry].text
            << " line " << rs.entries()[d.entry].loc.line << " decided\n"
            << text;
      }
    }
  }
}

// A generated BGP-scale file: one group per origin with many prefixes.
TEST(LintScaleTest, LargeFileLintsAndFindsPlantedShadows) {
  std::mt19937_64 rng(42);
  std::string text;
  const int groups = 2000, per_group = 100;  // 200k entries
  for (int g = 0; g < groups; ++g) {
    text += fmt::format("AS{}:\n    {}\n", g, g % 2 ? "ACCEPT" : "REJECT");
    for (int i = 0; i < per_group; ++i) {
      const uint32_t a = static_cast<uint32_t>(rng()) & 0xffffff00u;
      text += fmt::format("    {}/24\n", FormatIpv4(a));
    }
  }
  // Planted: a /16 whose two halves come earlier.
  text +=
      "H1:\n    REJECT\n    203.0.0.0/17\nH2:\n    ACCEPT\n    "
      "203.0.128.0/17\nLATE:\n    RELAY\n    203.0.0.0/16\n";
  const RuleSet rs = Parse(text);
  const std::vector<LintWarning> w = Lint(rs);
  bool planted = false;
  for (const LintWarning& x : w) {
    planted |=
        x.code == "shadowed-ip" && rs.entries()[x.entry].text == "203.0.0.0/16";
  }
  EXPECT_TRUE(planted);
}

}  // namespace
}  // namespace hatmatch
