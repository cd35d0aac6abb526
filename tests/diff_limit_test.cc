// Copyright 2026 The hatmatch Authors.
//
// The bounds of Diff (DiffOptions::max_contexts, max_work) and of
// `hatmatch diff --max-contexts/--max-work`, on a crafted pair whose
// contexts grow as the product of the two files' rule counts: hostname
// rules H0..Hk-1 then owner rules O0..Ok-1 in old, the owner rules reversed
// then the hostname rules reversed in new, so every (hostname, owner)
// combination gives a different pair of first rules.  Address rules with
// alternating actions (swapped in new) make every context change.

#include <cstdio>
#include <string>
#include <vector>

#include "fmt/format.h"
#include "gtest/gtest.h"
#include "hatmatch/analysis.h"
#include "hatmatch/parse.h"
#include "tests/testing/run.h"

namespace hatmatch {
namespace {

// k hostname and k owner rules (or, with zones, k DNS-list and k score
// rules), then n /24 address rules and ALL.
std::string Crafted(int k, int n, bool reversed, bool zones = false) {
  std::string out = "$A\n    ACCEPT\n$B\n    REJECT\n";
  std::vector<std::string> first, second;
  for (int i = 0; i < k; ++i) {
    if (zones) {
      first.push_back(
          fmt::format("Z{}:\n    $A\n    dnslist[z{}.example]\n", i, i));
      const double lo = i - k / 2;
      second.push_back(
          fmt::format("S{}:\n    $B\n    sbrs[{}:{}]\n", i, lo, lo + 0.5));
    } else {
      first.push_back(fmt::format("H{}:\n    $A\n    .h{}.example\n", i, i));
      second.push_back(fmt::format("O{}:\n    $B\n    SBO:{}\n", i, i + 1));
    }
  }
  if (reversed) {
    for (int i = k - 1; i >= 0; --i) out += second[i];
    for (int i = k - 1; i >= 0; --i) out += first[i];
  } else {
    for (const std::string& r : first) out += r;
    for (const std::string& r : second) out += r;
  }
  for (int j = 0; j < n; ++j) {
    out += fmt::format("N{}:\n    ${}\n    10.0.{}.0/24\n", j,
                       (j % 2) ^ reversed ? 'A' : 'B', j);
  }
  return out + "ALL\n    $A\n";
}

RuleSet Parse(const std::string& text, const std::string& file) {
  absl::StatusOr<RuleSet> rs = ParseRules(text, file);
  EXPECT_TRUE(rs.ok()) << rs.status();
  return rs.ok() ? *std::move(rs) : RuleSet();
}

constexpr int kRules = 20, kAddressRules = 30;
// Each of the k + 1 choices of hostname (a pattern or none) meets each of
// the k + 1 choices of owner.
constexpr size_t kCraftedContexts = (kRules + 1) * (kRules + 1);

class DiffLimitTest : public ::testing::Test {
 protected:
  const RuleSet old_ = Parse(Crafted(kRules, kAddressRules, false), "o.hat");
  const RuleSet new_ = Parse(Crafted(kRules, kAddressRules, true), "n.hat");
};

TEST_F(DiffLimitTest, UnderTheDefaultsEveryContextIsListed) {
  const DiffResult d = Diff(old_, new_);
  ASSERT_TRUE(d.status.ok()) << d.status;
  EXPECT_EQ(d.exceeded, DiffLimit::kNone);
  EXPECT_EQ(d.contexts_examined, kCraftedContexts);
  EXPECT_FALSE(d.equivalent());
  EXPECT_GT(d.work, d.contexts_examined);
}

TEST_F(DiffLimitTest, MoreContextsThanTheLimitIsAnError) {
  const DiffResult d = Diff(old_, new_, {.max_contexts = 100});
  EXPECT_EQ(d.status.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(d.exceeded, DiffLimit::kContexts);
  EXPECT_NE(d.status.message().find("more than 100 contexts"),
            absl::string_view::npos)
      << d.status;
  EXPECT_TRUE(d.contexts.empty());
  EXPECT_TRUE(d.dimensions.empty());
  EXPECT_EQ(d.contexts_examined, 0u);
  EXPECT_FALSE(d.equivalent()) << "a stopped diff must not read as equal";
}

TEST_F(DiffLimitTest, ExactlyAtTheContextLimitPasses) {
  const DiffResult at = Diff(old_, new_, {.max_contexts = kCraftedContexts});
  ASSERT_TRUE(at.status.ok()) << at.status;
  EXPECT_EQ(at.contexts_examined, kCraftedContexts);
  const DiffResult below =
      Diff(old_, new_, {.max_contexts = kCraftedContexts - 1});
  EXPECT_EQ(below.exceeded, DiffLimit::kContexts);
}

TEST_F(DiffLimitTest, WorkLimitIsExactAndNamesTheFigure) {
  const DiffResult whole = Diff(old_, new_, {.max_work = 0});
  ASSERT_TRUE(whole.status.ok());
  const DiffResult at = Diff(old_, new_, {.max_work = whole.work});
  ASSERT_TRUE(at.status.ok()) << at.status;
  EXPECT_EQ(at.work, whole.work);
  const DiffResult below = Diff(old_, new_, {.max_work = whole.work - 1});
  EXPECT_EQ(below.status.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(below.exceeded, DiffLimit::kWork);
  EXPECT_NE(below.status.message().find(
                fmt::format("more than {} units of work (reached {}",
                            whole.work - 1, whole.work)),
            absl::string_view::npos)
      << below.status;
  // A tiny budget stops while folding, before any context exists.
  const DiffResult tiny = Diff(old_, new_, {.max_work = 10});
  EXPECT_EQ(tiny.exceeded, DiffLimit::kWork);
  EXPECT_NE(tiny.status.message().find("folding"), absl::string_view::npos)
      << tiny.status;
}

TEST_F(DiffLimitTest, RaisedLimitsGiveTheSameDiff) {
  const DiffResult d = Diff(old_, new_);
  const DiffResult unlimited =
      Diff(old_, new_, {.max_contexts = 0, .max_work = 0});
  const DiffResult exact =
      Diff(old_, new_, {.max_contexts = kCraftedContexts, .max_work = d.work});
  EXPECT_EQ(DiffText(old_, new_, unlimited), DiffText(old_, new_, d));
  EXPECT_EQ(DiffJson(old_, new_, exact), DiffJson(old_, new_, d));
  EXPECT_EQ(unlimited.contexts.size(), d.contexts.size());
}

TEST_F(DiffLimitTest, AStoppedWalkIsEmptyAndWritesNothing) {
  DiffWalk walk(old_, new_, {.max_contexts = 10});
  EXPECT_EQ(walk.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(walk.exceeded(), DiffLimit::kContexts);
  EXPECT_FALSE(walk.equivalent());
  EXPECT_EQ(walk.contexts_examined(), 0u);
  DiffContext c;
  EXPECT_FALSE(walk.Next(&c));
  std::string written;
  EXPECT_FALSE(WriteDiffJson(old_, new_, walk, [&](std::string_view piece) {
    written.append(piece);
    return true;
  }));
  EXPECT_EQ(written, "");
}

TEST(DiffLimitZonesTest, DnsListCombinationsAreBounded) {
  // Every subset of k zones, against k score segments: the combinations of
  // lists alone reach about k * k / 2 distinct pairs.
  const RuleSet o = Parse(Crafted(kRules, 4, false, true), "o.hat");
  const RuleSet n = Parse(Crafted(kRules, 4, true, true), "n.hat");
  const DiffResult d = Diff(o, n);
  ASSERT_TRUE(d.status.ok()) << d.status;
  ASSERT_GT(d.contexts_examined, 100u);
  const DiffResult at = Diff(o, n, {.max_contexts = d.contexts_examined});
  EXPECT_TRUE(at.status.ok()) << at.status;
  EXPECT_EQ(DiffText(o, n, at), DiffText(o, n, d));
  const DiffResult stopped = Diff(o, n, {.max_contexts = 50});
  EXPECT_EQ(stopped.exceeded, DiffLimit::kContexts);
  EXPECT_NE(stopped.status.message().find("more than 50"),
            absl::string_view::npos);
}

TEST(DiffLimitCliTest, ExitStatusMessageAndRaisedLimit) {
  const std::string dir = ::testing::TempDir();
  const std::string a = dir + "/limit_old.hat", b = dir + "/limit_new.hat";
  testing::WriteFile(a, Crafted(kRules, kAddressRules, false));
  testing::WriteFile(b, Crafted(kRules, kAddressRules, true));

  const testing::RunResult plain = testing::RunHatmatch({"diff", a, b});
  EXPECT_EQ(plain.exit_code, 1);
  // A name alone or an owner alone leads to the same rule in both files,
  // ahead of every address rule: those 2k contexts do not change.
  EXPECT_NE(plain.out.find(
                fmt::format("not equivalent: {} of {} contexts have changes\n",
                            kCraftedContexts - 2 * kRules, kCraftedContexts)),
            std::string::npos)
      << plain.out.substr(plain.out.size() - 200);

  for (const bool json : {false, true}) {
    std::vector<std::string> args = {"diff", "--max-contexts", "100", a, b};
    if (json) args.insert(args.begin() + 1, "--json");
    const testing::RunResult r = testing::RunHatmatch(args);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.out, "") << "nothing is printed past a limit";
    EXPECT_EQ(r.err,
              "hatmatch diff: the files realize more than 100 contexts "
              "(distinct pairs of first rules that a connection's "
              "non-address inputs bring in, in old and in new); raise the "
              "limit with --max-contexts N (0: no limit)\n");
  }
  const testing::RunResult work =
      testing::RunHatmatch({"diff", "--max-work=1000", a, b});
  EXPECT_EQ(work.exit_code, 2);
  EXPECT_NE(work.err.find("more than 1000 units of work"), std::string::npos)
      << work.err;
  EXPECT_NE(work.err.find("--max-work N"), std::string::npos) << work.err;

  const testing::RunResult at = testing::RunHatmatch(
      {"diff", "--max-contexts", std::to_string(kCraftedContexts), a, b});
  EXPECT_EQ(at.exit_code, 1);
  EXPECT_EQ(at.out, plain.out);
  const testing::RunResult unlimited = testing::RunHatmatch(
      {"diff", "--max-contexts", "0", "--max-work", "0", a, b});
  EXPECT_EQ(unlimited.exit_code, 1);
  EXPECT_EQ(unlimited.out, plain.out);

  EXPECT_EQ(
      testing::RunHatmatch({"diff", "--max-contexts", "x", a, b}).exit_code, 2);
  EXPECT_EQ(testing::RunHatmatch({"diff", "--max-work", "-1", a, b}).exit_code,
            2);
  const testing::RunResult help = testing::RunHatmatch({"diff", "--help"});
  EXPECT_NE(help.out.find("--max-contexts N"), std::string::npos);
  EXPECT_NE(help.out.find("--max-work N"), std::string::npos);
  // The usage text spells the defaults out: they must be the API's.
  EXPECT_NE(help.out.find(fmt::format("(default {};", kDiffMaxContexts)),
            std::string::npos)
      << help.out;
  EXPECT_NE(help.out.find(fmt::format("(default {}:", kDiffMaxWork)),
            std::string::npos)
      << help.out;
}

}  // namespace
}  // namespace hatmatch
