// Copyright 2026 The hatmatch Authors.
//
// The warning limit of Lint (LintOptions::max_warnings) and of
// `hatmatch lint --max-warnings`: a limited run keeps exactly the first N
// warnings of the unlimited run, in its order, and counts all of them.  The
// file is built so that the warnings are found out of output order: rule
// headers (dead-rule) and policies (unused-policy) are reported after the
// entries below them, and the parser's host-bits notes last of all.

#include <cstdio>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "fmt/format.h"
#include "gtest/gtest.h"
#include "hatmatch/analysis.h"
#include "hatmatch/parse.h"
#include "tests/testing/run.h"

namespace hatmatch {
namespace {

// Unused policies first, then a /8 and k rules each of a shadowed /16, a
// duplicate of it and a CIDR with host bits set.
std::string Crafted(int k) {
  std::string out;
  for (int i = 0; i < 3; ++i) out += fmt::format("$P{}\n    ACCEPT\n", i);
  out += "WIDE:\n    ACCEPT\n    10.0.0.0/8\n";
  for (int i = 0; i < k; ++i) {
    out += fmt::format("R{}:\n    REJECT\n    10.{}.0.0/16, 10.{}.0.0/16\n", i,
                       i, i);
    out += fmt::format("    10.{}.1.1/24\n", i);
  }
  return out;
}

RuleSet Parse(const std::string& text) {
  absl::StatusOr<RuleSet> rs = ParseRules(text, "t.hat");
  EXPECT_TRUE(rs.ok()) << rs.status();
  return rs.ok() ? *std::move(rs) : RuleSet();
}

std::string Key(const LintWarning& w) {
  return fmt::format("{}@{}:{} rule {} entry {}: {}", w.code, w.loc.line,
                     w.loc.col, w.rule, w.entry, w.message);
}

TEST(LintLimitTest, KeepsTheFirstWarningsAndCountsAll) {
  const RuleSet rs = Parse(Crafted(40));
  const std::vector<LintWarning> all = Lint(rs);
  std::map<std::string_view, size_t> per_code;
  for (const LintWarning& w : all) ++per_code[w.code];
  ASSERT_GE(per_code.size(), 5u);  // several codes, found out of order
  ASSERT_GT(all.size(), 150u);
  for (size_t n : {size_t{1}, size_t{2}, size_t{3}, size_t{7}, size_t{100},
                   all.size() - 1, all.size(), all.size() + 1, size_t{0}}) {
    SCOPED_TRACE(n);
    const LintResult r = Lint(rs, {.max_warnings = n});
    const size_t kept = n == 0 ? all.size() : std::min(n, all.size());
    ASSERT_EQ(r.warnings.size(), kept);
    for (size_t i = 0; i < kept; ++i) {
      EXPECT_EQ(Key(r.warnings[i]), Key(all[i])) << i;
    }
    EXPECT_EQ(r.total, all.size());
    EXPECT_EQ(r.omitted(), all.size() - kept);
    EXPECT_EQ(r.max_warnings, n);
    std::map<std::string_view, size_t> counted;
    for (const LintCount& c : r.counts) counted[c.code] = c.count;
    EXPECT_EQ(counted, per_code);
  }
}

TEST(LintLimitTest, TextAndJsonSayWhatWasLeftOut) {
  const RuleSet rs = Parse(Crafted(10));
  const std::vector<LintWarning> all = Lint(rs);
  const std::vector<std::string> lines = testing::SplitLines(LintText(rs, all));
  ASSERT_EQ(lines.size(), all.size());

  const LintResult cut = Lint(rs, {.max_warnings = 5});
  const std::vector<std::string> cut_lines =
      testing::SplitLines(LintText(rs, cut));
  ASSERT_EQ(cut_lines.size(), 6u);
  for (size_t i = 0; i < 5; ++i) EXPECT_EQ(cut_lines[i], lines[i]);
  EXPECT_EQ(cut_lines[5],
            fmt::format("t.hat: {} more warnings not shown (the first 5 of {} "
                        "are; --max-warnings 0 shows all)",
                        all.size() - 5, all.size()));
  const std::string json = LintJson(rs, cut);
  EXPECT_NE(json.find(fmt::format(
                "\"count\":5,\"total\":{},\"omitted\":{},\"totals\":{{",
                all.size(), all.size() - 5)),
            std::string::npos)
      << json;
  EXPECT_NE(json.find("\"unused-policy\":3"), std::string::npos) << json;

  // Exactly at the limit nothing is left out: the output is the full one.
  const LintResult exact = Lint(rs, {.max_warnings = all.size()});
  EXPECT_EQ(exact.omitted(), 0u);
  EXPECT_EQ(LintText(rs, exact), LintText(rs, all));
  EXPECT_EQ(LintJson(rs, exact), LintJson(rs, all));
}

// A rule named by many warnings: its name, as long as a line may be, is
// cut in the messages that name it, so that a kept warning stays small.
TEST(LintLimitTest, LongRuleNamesAreCutWhereOtherWarningsNameThem) {
  const std::string name = std::string(150, 'A') + std::string(100, 'B');
  std::string text = name + ":\n    ACCEPT\n    10.0.0.0/8\n";
  for (int i = 0; i < 20; ++i) {
    text += fmt::format("R{}:\n    REJECT\n    10.{}.0.0/16\n", i, i);
  }
  const RuleSet rs = Parse(text);
  const std::vector<LintWarning> all = Lint(rs);
  size_t shadowed = 0;
  for (const LintWarning& w : all) {
    if (w.code != "shadowed-ip") continue;
    ++shadowed;
    EXPECT_NE(w.message.find(std::string(150, 'A') + std::string(50, 'B') +
                             "... (250 bytes) (line 1)"),
              std::string::npos)
        << w.message;
    EXPECT_LT(w.message.size(), 320u) << w.message;
  }
  EXPECT_EQ(shadowed, 20u);
  // A name of up to 200 bytes is quoted whole.
  const std::string short_name(200, 'C');
  const RuleSet whole = Parse(short_name +
                              ":\n    ACCEPT\n    10.0.0.0/8\nR:\n    "
                              "REJECT\n    10.1.0.0/16\n");
  bool found = false;
  for (const LintWarning& w : Lint(whole)) {
    found |= w.message.find(short_name + " (line 1)") != std::string::npos;
  }
  EXPECT_TRUE(found);
}

TEST(LintLimitCliTest, MaxWarningsFlag) {
  const std::string path = ::testing::TempDir() + "/lint_limit.hat";
  FILE* f = std::fopen(path.c_str(), "w");
  ASSERT_NE(f, nullptr);
  std::fputs(Crafted(10).c_str(), f);
  std::fclose(f);

  const testing::RunResult all = testing::RunHatmatch({"lint", path});
  EXPECT_EQ(all.exit_code, 1);
  const std::vector<std::string> lines = testing::SplitLines(all.out);
  ASSERT_GT(lines.size(), 20u);
  const std::string summary =
      fmt::format("{}: {} warnings\n", path, lines.size());
  EXPECT_EQ(all.err, summary);
  EXPECT_EQ(testing::RunHatmatch({"lint", "--max-warnings", "0", path}).out,
            all.out);
  EXPECT_EQ(testing::RunHatmatch(
                {"lint", "--max-warnings", std::to_string(lines.size()), path})
                .out,
            all.out);

  const testing::RunResult cut =
      testing::RunHatmatch({"lint", "--max-warnings", "4", path});
  EXPECT_EQ(cut.exit_code, 1);  // the warnings beyond the limit still count
  EXPECT_EQ(cut.err, summary);
  const std::vector<std::string> cut_lines = testing::SplitLines(cut.out);
  ASSERT_EQ(cut_lines.size(), 5u);
  for (size_t i = 0; i < 4; ++i) EXPECT_EQ(cut_lines[i], lines[i]);
  EXPECT_EQ(cut_lines[4],
            fmt::format("{}: {} more warnings not shown (the first 4 of {} "
                        "are; --max-warnings 0 shows all)",
                        path, lines.size() - 4, lines.size()));

  const testing::RunResult json_all =
      testing::RunHatmatch({"lint", "--json", path});
  EXPECT_EQ(json_all.out.find("\"omitted\""), std::string::npos);
  const testing::RunResult json_cut =
      testing::RunHatmatch({"lint", "--json", "--max-warnings", "4", path});
  EXPECT_EQ(json_cut.exit_code, 1);
  EXPECT_NE(
      json_cut.out.find(fmt::format("\"count\":4,\"total\":{},\"omitted\":{},",
                                    lines.size(), lines.size() - 4)),
      std::string::npos)
      << json_cut.out;

  const testing::RunResult help = testing::RunHatmatch({"lint", "--help"});
  EXPECT_NE(help.out.find("--max-warnings N"), std::string::npos);
  EXPECT_EQ(
      testing::RunHatmatch({"lint", "--max-warnings", "x", path}).exit_code, 2);
}

}  // namespace
}  // namespace hatmatch
