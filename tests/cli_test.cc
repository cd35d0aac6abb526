// Copyright 2026 The hatmatch Authors.
//
// End-to-end tests of the `hatmatch` binary on the files in data/.

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/testing/run.h"

namespace hatmatch {
namespace {

using testing::ReadFile;
using testing::RunHatmatch;
using testing::SourcePath;
using testing::SplitLines;

TEST(CliTest, ClassifyCresEqualsHandWorkedExpectation) {
  for (const char* mode : {"", "--reference"}) {
    SCOPED_TRACE(mode);
    std::vector<std::string> args = {"classify"};
    if (*mode) args.push_back(mode);
    args.push_back(SourcePath("data/cres.hat"));
    testing::RunResult r =
        RunHatmatch(args, ReadFile(SourcePath("data/cres.conn")));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, ReadFile(SourcePath("data/cres.expected")));
    // Each malformed line is also reported on stderr with its line number.
    EXPECT_NE(r.err.find("stdin:51: '208.90.57.256' does not appear"),
              std::string::npos)
        << r.err;
  }
}

TEST(CliTest, EveryCommandAnswersHelp) {
  testing::RunResult top = RunHatmatch({"--help"});
  ASSERT_EQ(top.exit_code, 0);
  std::vector<std::string> commands;
  bool in_list = false;
  for (const std::string& line : SplitLines(top.out)) {
    if (line == "commands:") {
      in_list = true;
    } else if (in_list && line.size() > 2 && line[0] == ' ') {
      commands.push_back(line.substr(2, line.find(' ', 2) - 2));
    } else if (in_list) {
      in_list = false;
    }
  }
  ASSERT_GE(commands.size(), 3u) << top.out;
  for (const std::string& c : commands) {
    testing::RunResult r = RunHatmatch({c, "--help"});
    EXPECT_EQ(r.exit_code, 0) << c;
    EXPECT_NE(r.out.find("usage: hatmatch " + c), std::string::npos) << c;
  }
}

TEST(CliTest, VersionAndUsageErrors) {
  testing::RunResult v = RunHatmatch({"--version"});
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_EQ(v.out.rfind("hatmatch ", 0), 0u);
  EXPECT_EQ(RunHatmatch({}).exit_code, 2);
  EXPECT_EQ(RunHatmatch({"frobnicate"}).exit_code, 2);
  EXPECT_EQ(RunHatmatch({"classify"}).exit_code, 2);
  EXPECT_EQ(RunHatmatch({"classify", "--bogus", "x"}).exit_code, 2);
}

TEST(CliTest, CheckSummarizesAGoodFile) {
  testing::RunResult r = RunHatmatch({"check", SourcePath("data/cres.hat")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("rules:     5"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("entries:   12"), std::string::npos) << r.out;
}

TEST(CliTest, BadRulesExitOneWithFileLineColumn) {
  const std::string dir = ::testing::TempDir();
  const std::string path = dir + "/bad_rules.hat";
  {
    FILE* f = std::fopen(path.c_str(), "w");
    std::fputs("$A\n    ACCEPT\nG:\n    $A\n    10.1.256.0/24\n", f);
    std::fclose(f);
  }
  testing::RunResult c = RunHatmatch({"check", path});
  EXPECT_EQ(c.exit_code, 1);
  EXPECT_NE(c.err.find(path + ":5:5:"), std::string::npos) << c.err;
  testing::RunResult k = RunHatmatch({"classify", path}, "1.2.3.4\n");
  EXPECT_EQ(k.exit_code, 1);
  EXPECT_TRUE(k.out.empty());
  testing::RunResult missing = RunHatmatch({"check", dir + "/nonexistent.hat"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_FALSE(missing.err.empty());
}

TEST(CliTest, ClassifySkipsBlankAndCommentLinesAndAcceptsCrlf) {
  testing::RunResult r =
      RunHatmatch({"classify", SourcePath("data/cres.hat")},
                  "\n   \n# comment\n  # indented comment\r\n"
                  "208.90.57.1 sbrs=1\r\n\r\n10.10.0.1\n");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "CRES_TLS\tACCEPT\nRELAYLIST\tRELAY\n");
}

TEST(CliTest, ClassifyJsonCarriesTheDecidingEntry) {
  testing::RunResult r =
      RunHatmatch({"classify", "--json", SourcePath("data/cres.hat")},
                  "208.90.57.63 sbrs=1\n1.2.3.4 sbrs=oops\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> lines = SplitLines(r.out);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_NE(lines[0].find("\"rule\":\"CRES_TLS\""), std::string::npos);
  EXPECT_NE(lines[0].find("\"policy\":\"TLS_REQUIRED\""), std::string::npos);
  EXPECT_NE(lines[0].find("\"tls\":\"required\""), std::string::npos);
  EXPECT_NE(lines[0].find("\"entry\":\"208.90.57.0/26\""), std::string::npos);
  EXPECT_NE(lines[0].find("\"entry_line\":40"), std::string::npos) << lines[0];
  EXPECT_NE(lines[1].find("\"line\":2,\"error\":"), std::string::npos);
}

TEST(CliTest, ClassifyStreamsManyLines) {
  std::string input;
  const int n = 200000;
  input.reserve(n * 16);
  for (int i = 0; i < n; ++i) {
    input += "208.90.57." + std::to_string(i % 70) + "\n";
  }
  testing::RunResult r =
      RunHatmatch({"classify", SourcePath("data/cres.hat")}, input);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> lines = SplitLines(r.out);
  ASSERT_EQ(lines.size(), static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    ASSERT_EQ(lines[i], i % 70 < 64 ? "CRES_TLS\tACCEPT" : "ALL\tACCEPT")
        << "line " << i + 1;
  }
}

TEST(CliTest, OverlongInputLineIsReportedNotFatal) {
  std::string input = std::string(200000, 'x') + "\n10.10.0.1\n";
  testing::RunResult r =
      RunHatmatch({"classify", SourcePath("data/cres.hat")}, input);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out.substr(0, 2), "?\t");
  EXPECT_NE(r.out.find("\nRELAYLIST\tRELAY\n"), std::string::npos);
}

TEST(CliTest, StatsReportsStructures) {
  testing::RunResult r = RunHatmatch({"stats", SourcePath("data/cres.hat")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("ipv4 trie"), std::string::npos);
  EXPECT_NE(r.out.find("compile time"), std::string::npos);
}

}  // namespace
}  // namespace hatmatch
