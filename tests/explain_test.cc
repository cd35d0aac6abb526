// Copyright 2026 The hatmatch Authors.
//
// Explain: the decision and the role of every other match, each "ignored
// input" reason (and its absence when it does not apply), the text and JSON
// forms, the CLI, and agreement with the reference classifier on randomized
// rule files.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "fmt/format.h"
#include "gtest/gtest.h"
#include "hatmatch/analysis.h"
#include "hatmatch/parse.h"
#include "hatmatch/reference.h"
#include "hatmatch/table.h"
#include "tests/testing/random_rules.h"
#include "tests/testing/run.h"
#include "tests/testing/seed.h"

namespace hatmatch {
namespace {

constexpr char kRules[] =
    "$TLS\n"                             // 1
    "    ACCEPT\n"                       // 2
    "WATCH:\n"                           // 3
    "    CONTINUE\n"                     // 4
    "    10.0.0.0/8\n"                   // 5
    "CRES:\n"                            // 6
    "    $TLS\n"                         // 7
    "    .res.cisco.com\n"               // 8
    "    208.90.57.0/26, 10.1.0.0/16\n"  // 9
    "BLOCK:\n"                           // 10
    "    REJECT\n"                       // 11
    "    sbrs[-10:-3], nx.domain\n"      // 12
    "    2001:db8::/32\n"                // 13
    "    dnslist[zen.example]\n"         // 14
    "ALL\n"                              // 15
    "    ACCEPT\n";                      // 16

RuleSet Rules() {
  absl::StatusOr<RuleSet> rs = ParseRules(kRules, "t.hat");
  EXPECT_TRUE(rs.ok()) << rs.status();
  return *std::move(rs);
}

Connection Conn(const std::string& line) {
  absl::StatusOr<Connection> c = ParseConnection(line);
  EXPECT_TRUE(c.ok()) << c.status();
  return *c;
}

std::vector<IgnoredReason> Reasons(const Explanation& ex) {
  std::vector<IgnoredReason> out;
  for (const IgnoredInput& i : ex.ignored) out.push_back(i.reason);
  return out;
}

bool HasReason(const Explanation& ex, IgnoredReason r) {
  auto v = Reasons(ex);
  return std::find(v.begin(), v.end(), r) != v.end();
}

// Whether explaining the connection `line` against `rs` reports `r`.
bool ExplainsWith(const RuleSet& rs, const std::string& line, IgnoredReason r) {
  return HasReason(Explain(rs, Conn(line)), r);
}

TEST(ExplainTest, DecisionAndEveryOtherMatch) {
  const RuleSet rs = Rules();
  const Connection c = Conn("10.1.2.3 ptr=mx.res.cisco.com sbrs=-5");
  const Explanation ex = Explain(rs, c);
  ASSERT_TRUE(ex.decision.matched());
  EXPECT_EQ(rs.rules()[ex.decision.rule].name, "CRES");
  EXPECT_EQ(rs.entries()[ex.decision.entry].text, ".res.cisco.com");
  // WATCH's 10.0.0.0/8 (CONTINUE), CRES's 10.1.0.0/16 (same rule, later
  // entry), BLOCK's sbrs range (earlier rule won), ALL.
  ASSERT_EQ(ex.matches.size(), 5u);
  EXPECT_EQ(ex.matches[0].role, MatchRole::kContinue);
  EXPECT_EQ(rs.entries()[ex.matches[0].entry].text, "10.0.0.0/8");
  EXPECT_EQ(ex.matches[1].role, MatchRole::kDecided);
  EXPECT_EQ(ex.matches[2].role, MatchRole::kSameRuleEarlier);
  EXPECT_EQ(rs.entries()[ex.matches[2].entry].text, "10.1.0.0/16");
  EXPECT_EQ(ex.matches[3].role, MatchRole::kEarlierRuleWon);
  EXPECT_EQ(rs.entries()[ex.matches[3].entry].text, "sbrs[-10:-3]");
  EXPECT_EQ(ex.matches[4].role, MatchRole::kEarlierRuleWon);
  EXPECT_EQ(ex.matches[4].entry, kNoEntry);  // ALL
  EXPECT_TRUE(ex.ignored.empty()) << ExplanationText(rs, c, ex);

  const std::string text = ExplanationText(rs, c, ex);
  for (const char* line :
       {"decision: CRES ACCEPT (policy $TLS)",
        "decided by entry `.res.cisco.com` at t.hat:8:5 in rule CRES "
        "(t.hat:6:1)",
        "t.hat:5:5: `10.0.0.0/8` in WATCH (CONTINUE): its policy is CONTINUE, "
        "which never decides",
        "t.hat:9:21: `10.1.0.0/16` in CRES (ACCEPT): same rule; an earlier "
        "entry of it (line 8) decided",
        "t.hat:12:5: `sbrs[-10:-3]` in BLOCK (REJECT): an earlier rule "
        "decided: CRES (line 6)"}) {
    EXPECT_NE(text.find(line), std::string::npos) << line << "\n" << text;
  }
}

TEST(ExplainTest, DecidedByAllAndNoMatch) {
  const RuleSet rs = Rules();
  const Connection c = Conn("192.0.2.1 sbrs=1");
  const Explanation ex = Explain(rs, c);
  EXPECT_EQ(rs.rules()[ex.decision.rule].kind, RuleKind::kAll);
  EXPECT_NE(ExplanationText(rs, c, ex).find("decided by ALL at t.hat:15:1"),
            std::string::npos);
  absl::StatusOr<RuleSet> no_all =
      ParseRules("A:\n    REJECT\n    10.0.0.1\n", "n.hat");
  ASSERT_TRUE(no_all.ok());
  const Explanation none = Explain(*no_all, c);
  EXPECT_FALSE(none.decision.matched());
  EXPECT_TRUE(none.matches.empty());
  EXPECT_NE(ExplanationText(*no_all, c, none).find("decision: no match"),
            std::string::npos);
}

TEST(ExplainTest, NoDnsInfo) {
  const RuleSet rs = Rules();
  const Explanation ex = Explain(rs, Conn("192.0.2.1 sbrs=1"));
  ASSERT_TRUE(HasReason(ex, IgnoredReason::kNoDnsInfo));
  EXPECT_EQ(ex.ignored[0].entries, 2u);  // .res.cisco.com and nx.domain
  EXPECT_NE(ex.ignored[0].message.find("the 1 hostname entry was not "
                                       "consulted"),
            std::string::npos)
      << ex.ignored[0].message;
  EXPECT_FALSE(
      ExplainsWith(rs, "192.0.2.1 sbrs=1 ptr=a.b", IgnoredReason::kNoDnsInfo));
  EXPECT_FALSE(
      ExplainsWith(rs, "192.0.2.1 sbrs=1 dns=nx", IgnoredReason::kNoDnsInfo));
}

TEST(ExplainTest, PtrNotVerified) {
  const RuleSet rs = Rules();
  const Explanation ex =
      Explain(rs, Conn("192.0.2.1 sbrs=1 ptr=mx.res.cisco.com dns=mismatch"));
  ASSERT_TRUE(HasReason(ex, IgnoredReason::kPtrNotVerified))
      << ExplanationText(rs, Conn("192.0.2.1"), ex);
  EXPECT_EQ(ex.ignored[0].input, "ptr=mx.res.cisco.com");
  EXPECT_NE(ex.ignored[0].message.find("dns=mismatch says PTR verification "
                                       "failed"),
            std::string::npos);
  // The hostname entry would have matched; it was not consulted, so ALL.
  EXPECT_EQ(rs.rules()[ex.decision.rule].kind, RuleKind::kAll);
  EXPECT_FALSE(ExplainsWith(rs, "192.0.2.1 sbrs=1 ptr=a.b",
                            IgnoredReason::kPtrNotVerified));
}

TEST(ExplainTest, PtrInvalid) {
  const RuleSet rs = Rules();
  EXPECT_TRUE(ExplainsWith(rs, "192.0.2.1 sbrs=1 ptr=a..b",
                           IgnoredReason::kPtrInvalid));
  EXPECT_FALSE(
      ExplainsWith(rs, "192.0.2.1 sbrs=1 ptr=a.b", IgnoredReason::kPtrInvalid));
}

TEST(ExplainTest, MappedIpv4) {
  const RuleSet rs = Rules();
  // As written on the command line: ParseConnection already made it IPv4.
  const Connection c = Conn("::ffff:208.90.57.1 sbrs=1 ptr=x.org");
  ASSERT_TRUE(c.address.is_v4());
  const Explanation ex = Explain(rs, c, "::ffff:208.90.57.1");
  ASSERT_TRUE(HasReason(ex, IgnoredReason::kMappedIpv4));
  EXPECT_EQ(ex.ignored[0].message,
            "::ffff:208.90.57.1 is the IPv4 host 208.90.57.1: only IPv4 "
            "entries apply, so the 1 IPv6 entry was not consulted");
  EXPECT_EQ(rs.rules()[ex.decision.rule].name, "CRES");
  // A Connection built directly with the IPv6 spelling.
  Connection direct = c;
  direct.address = IpAddress::V6(Ipv6Addr{0, 0x0000ffffd05a3901ULL});
  EXPECT_TRUE(HasReason(Explain(rs, direct), IgnoredReason::kMappedIpv4));
  EXPECT_FALSE(
      HasReason(Explain(rs, c, "208.90.57.1"), IgnoredReason::kMappedIpv4));
  EXPECT_FALSE(ExplainsWith(rs, "2001:db8::1 sbrs=1 ptr=x.org",
                            IgnoredReason::kMappedIpv4));
}

TEST(ExplainTest, NoSbrs) {
  const RuleSet rs = Rules();
  const Explanation ex = Explain(rs, Conn("192.0.2.1 ptr=x.org"));
  ASSERT_EQ(Reasons(ex), std::vector<IgnoredReason>{IgnoredReason::kNoSbrs});
  EXPECT_EQ(ex.ignored[0].entries, 1u);
  EXPECT_FALSE(
      ExplainsWith(rs, "192.0.2.1 ptr=x.org sbrs=-1", IgnoredReason::kNoSbrs));
}

TEST(ExplainTest, UnusedDnsList) {
  const RuleSet rs = Rules();
  const Explanation ex = Explain(
      rs, Conn("192.0.2.1 ptr=x.org sbrs=1 dnslist=ZEN.example.,other"));
  ASSERT_EQ(Reasons(ex),
            std::vector<IgnoredReason>{IgnoredReason::kUnusedDnsList});
  EXPECT_EQ(ex.ignored[0].input, "dnslist=other");
  EXPECT_EQ(rs.rules()[ex.decision.rule].name, "BLOCK");  // zen listed
}

TEST(ExplainTest, JsonForm) {
  const RuleSet rs = Rules();
  const Connection c = Conn("10.1.2.3 dns=nx ptr=mx.res.cisco.com");
  const std::string j = ExplanationJson(rs, c, Explain(rs, c));
  EXPECT_EQ(j.find('\n'), std::string::npos);
  EXPECT_NE(j.find("\"decision\":{\"rule\":\"CRES\",\"action\":\"ACCEPT\","
                   "\"policy\":\"TLS\",\"rule_line\":6,\"entry\":"
                   "\"10.1.0.0/16\",\"line\":9,\"col\":21}"),
            std::string::npos)
      << j;
  EXPECT_NE(j.find("\"role\":\"continue\""), std::string::npos) << j;
  EXPECT_NE(j.find("{\"reason\":\"ptr-not-verified\",\"input\":"
                   "\"ptr=mx.res.cisco.com\",\"entries\":1"),
            std::string::npos)
      << j;
}

TEST(ExplainCliTest, ArgumentsAndStdin) {
  const std::string path = ::testing::TempDir() + "/explain.hat";
  FILE* f = std::fopen(path.c_str(), "w");
  ASSERT_NE(f, nullptr);
  std::fputs(kRules, f);
  std::fclose(f);
  // Words: two connections, the second with its fields as separate words.
  testing::RunResult r = testing::RunHatmatch(
      {"explain", path, "192.0.2.1 sbrs=1", "::ffff:10.1.0.1", "sbrs=-4"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("connection: 192.0.2.1 sbrs=1\ndecision: ALL ACCEPT"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("connection: 10.1.0.1 sbrs=-4\ndecision: CRES ACCEPT"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("[ipv4-mapped] ::ffff:10.1.0.1 is the IPv4 host"),
            std::string::npos)
      << r.out;
  testing::RunResult s = testing::RunHatmatch(
      {"explain", "--json", path}, "# comment\n2001:db8::5\n\nbogus\n");
  EXPECT_EQ(s.exit_code, 1);  // one malformed line
  const auto lines = testing::SplitLines(s.out);
  ASSERT_EQ(lines.size(), 2u) << s.out;
  EXPECT_NE(lines[0].find("\"rule\":\"BLOCK\""), std::string::npos);
  EXPECT_NE(lines[1].find("\"error\""), std::string::npos);
  EXPECT_NE(s.err.find("stdin:4:"), std::string::npos) << s.err;
  EXPECT_EQ(testing::RunHatmatch({"explain"}).exit_code, 2);
}

// Calls check(seed, rng, text, rules) for 200 random rule sets, from the
// test seed on, until a check fails fatally.
template <class Check>
void ForRandomRuleSets(Check check) {
  const uint64_t base = testing::TestSeed();
  for (uint64_t s = 0; s < 200; ++s) {
    const uint64_t seed = base + s;
    std::mt19937_64 rng(seed);
    const std::string text = testing::RandomRuleText(rng);
    absl::StatusOr<RuleSet> rs = ParseRules(text, "r.hat");
    ASSERT_TRUE(rs.ok()) << "seed " << seed;
    check(seed, rng, text, *rs);
    if (::testing::Test::HasFatalFailure()) return;
  }
}

TEST(ExplainRandomTest, AgreesWithReference) {
  ForRandomRuleSets([](uint64_t seed, std::mt19937_64& rng,
                       const std::string& text, const RuleSet& rules) {
    ReferenceClassifier ref(rules);
    // The decision is judged by the compiled table, which shares no matching
    // code with Explain (Explain builds on the reference classifier).
    absl::StatusOr<std::shared_ptr<const Table>> table = Table::Compile(rules);
    ASSERT_TRUE(table.ok()) << "seed " << seed << ": " << table.status();
    for (int i = 0; i < 50; ++i) {
      const Connection c = testing::RandomConnection(rng, rules);
      const Explanation ex = Explain(rules, c);
      ASSERT_EQ(ex.decision, (*table)->ClassifyWithEntry(c))
          << "seed " << seed << ": " << FormatConnection(c) << "\n"
          << text;
      std::vector<uint32_t> entries;
      int decided = 0;
      for (const ExplainedMatch& m : ex.matches) {
        if (m.entry != kNoEntry) entries.push_back(m.entry);
        decided += m.role == MatchRole::kDecided;
        // The match marked as deciding is the table's deciding entry.
        if (m.role == MatchRole::kDecided && m.entry != kNoEntry) {
          ASSERT_EQ(m.entry, ex.decision.entry) << "seed " << seed;
        }
        // Nothing above the deciding rule may be anything but CONTINUE.
        if (ex.decision.matched() && m.rule < ex.decision.rule) {
          ASSERT_EQ(m.role, MatchRole::kContinue) << "seed " << seed;
        }
      }
      ASSERT_EQ(entries, ref.MatchingEntries(c)) << "seed " << seed;
      ASSERT_EQ(decided, ex.decision.matched() ? 1 : 0) << "seed " << seed;
    }
  });
}

// One Explainer answers many connections: every match and the decision are
// exactly the reference classifier's, including zones given twice or in
// another spelling and a NaN score (inside no range).
TEST(ExplainRandomTest, ExplainerReusedAgreesWithReference) {
  ForRandomRuleSets([](uint64_t seed, std::mt19937_64& rng,
                       const std::string& text, const RuleSet& rules) {
    ReferenceClassifier ref(rules);
    const Explainer explainer(rules);
    for (int i = 0; i < 50; ++i) {
      Connection c = testing::RandomConnection(rng, rules);
      if (i % 5 == 1 && !c.dnslists.empty()) {
        c.dnslists.push_back(c.dnslists.front());
        c.dnslists.push_back(c.dnslists.front() + ".");
      }
      if (i % 7 == 3) c.sbrs = std::nan("");
      const Explanation ex = explainer.Explain(c);
      ASSERT_EQ(ex.decision, ref.Classify(c))
          << "seed " << seed << ": " << FormatConnection(c) << "\n"
          << text;
      std::vector<uint32_t> entries;
      for (const ExplainedMatch& m : ex.matches) {
        if (m.entry != kNoEntry) entries.push_back(m.entry);
      }
      ASSERT_EQ(entries, ref.MatchingEntries(c))
          << "seed " << seed << ": " << FormatConnection(c) << "\n"
          << text;
    }
  });
}

// A connection costs what it matches, not what the file holds: 20,000 rules
// of every indexed kind, and a connection matching one entry of each
// (its line also lists 200 zones that no entry names).  The linear scan
// looked at all 100,000 entries, and re-read the 200 zones for each of the
// 20,000 dnslist[] entries.
TEST(ExplainCostTest, WorkFollowsMatchesNotFileSize) {
  constexpr int kRules = 20000;
  std::string text;
  for (int i = 0; i < kRules; ++i) {
    text += fmt::format(
        "R{}:\n    REJECT\n    10.{}.{}.1, .h{}.example, SBO:{}, "
        "dnslist[z{}.example], sbrs[{}.{:04}1:{}.{:04}9]\n",
        i, i / 256, i % 256, i, i, i, i / 10000, i % 10000, i / 10000,
        i % 10000);
  }
  text += "ALL\n    ACCEPT\n";
  absl::StatusOr<RuleSet> rs = ParseRules(text, "big.hat");
  ASSERT_TRUE(rs.ok()) << rs.status();
  ASSERT_EQ(rs->entries().size(), 5u * kRules);
  std::string line =
      "10.3.7.1 ptr=mx.h42.example sbo=99 sbrs=0.01235 dnslist=z7.example";
  for (int i = 0; i < 200; ++i) line += fmt::format(",u{}.example", i);
  const Connection c = Conn(line);
  const Explainer explainer(*rs);
  const Explanation ex = explainer.Explain(c);
  std::vector<uint32_t> entries;
  for (const ExplainedMatch& m : ex.matches) {
    if (m.entry != kNoEntry) entries.push_back(m.entry);
  }
  EXPECT_EQ(entries, ReferenceClassifier(*rs).MatchingEntries(c));
  // 10.3.7.1 (rule 775), sbo=99, dnslist z7, the name under .h42, and the
  // score 0.01235 inside rule 123's range.
  EXPECT_EQ(entries.size(), 5u);
  EXPECT_EQ(ex.decision.rule, 7u);
  // Two tree walks of depth 15 with their siblings, five hash probes per
  // name, 201 zone probes: a few hundred steps, not 100,000.
  EXPECT_LT(explainer.work(), 1000u);
}

// Explain() is const: threads may share one Explainer.  Each thread's
// answers equal those of the same calls made alone (the tsan preset runs
// this test to check that the calls share nothing they write).
TEST(ExplainThreadsTest, ThreadsShareAnExplainer) {
  const uint64_t seed = testing::TestSeed();
  std::mt19937_64 rng(seed);
  const std::string text = testing::RandomRuleText(rng);
  absl::StatusOr<RuleSet> rs = ParseRules(text, "r.hat");
  ASSERT_TRUE(rs.ok()) << "seed " << seed;
  std::vector<Connection> conns;
  for (int i = 0; i < 400; ++i) {
    conns.push_back(testing::RandomConnection(rng, *rs));
  }
  const Explainer alone(*rs);
  std::vector<Decision> want;
  for (const Connection& c : conns) want.push_back(alone.Explain(c).decision);
  const Explainer shared(*rs);
  std::vector<Decision> got[2];
  std::vector<std::thread> threads;
  for (auto& out : got) {
    threads.emplace_back([&shared, &conns, &out] {
      for (const Connection& c : conns) {
        out.push_back(shared.Explain(c).decision);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(got[0], want) << "seed " << seed;
  EXPECT_EQ(got[1], want) << "seed " << seed;
  EXPECT_EQ(shared.work(), 2 * alone.work());
}

}  // namespace
}  // namespace hatmatch
