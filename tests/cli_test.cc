// Copyright 2026 The hatmatch Authors.
//
// End-to-end tests of the `hatmatch` binary on the files in data/.

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/testing/run.h"
#include "tests/testing/shell.h"

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

// --- Inputs read once, refused up front, outputs checked -------------------

// A rule file where the first 8 bytes matter: read twice, the second read
// starts at "1.0/24" and the rules change silently.
constexpr char kPipeRules[] =
    "cat > p.hat <<'EOF'\n192.168.1.0/24\n    REJECT\nALL\n    ACCEPT\nEOF\n";

TEST(CliTest, RulesFromAPipeAreReadOnce) {
  testing::RunResult r = testing::RunShell(
      std::string(kPipeRules) +
      "printf '192.168.1.7\\n1.0.0.7\\n' | $HATMATCH classify <(cat p.hat)\n"
      "echo \"rc=$?\"\n"
      "$HATMATCH check <(cat p.hat) | head -1 | sed 's/.*: //'\n"
      "$HATMATCH compile <(cat p.hat) -o piped.hmt >/dev/null\n"
      "printf '192.168.1.7\\n1.0.0.7\\n' | $HATMATCH classify piped.hmt\n"
      "$HATMATCH compile p.hat -o plain.hmt >/dev/null\n"
      "printf '192.168.1.7\\n' | $HATMATCH classify <(cat plain.hmt)\n");
  EXPECT_EQ(r.out,
            "192.168.1.0/24\tREJECT\nALL\tACCEPT\nrc=0\nOK\n"
            "192.168.1.0/24\tREJECT\nALL\tACCEPT\n192.168.1.0/24\tREJECT\n")
      << r.err;
}

TEST(CliTest, RulesFromAFifoWithAWriterAreReadOnce) {
  testing::RunResult r = testing::RunShell(
      std::string(kPipeRules) +
      "mkfifo f.hat\n"
      "cat p.hat > f.hat &\n"
      "echo 192.168.1.7 | timeout 20 $HATMATCH classify f.hat\n"
      "echo \"rc=$?\"\n");
  EXPECT_EQ(r.out, "192.168.1.0/24\tREJECT\nrc=0\n") << r.err;
}

TEST(CliTest, DevicesAndDirectoriesAreRefusedBeforeReading) {
  for (const char* path : {"/dev/zero", "/dev/null", "/"}) {
    for (const char* command : {"check", "classify", "lint", "explain"}) {
      SCOPED_TRACE(std::string(command) + " " + path);
      testing::RunResult r = RunHatmatch({command, path});
      EXPECT_NE(r.exit_code, 0);
      EXPECT_NE(r.err.find(std::string(path) == "/" ? "Is a directory"
                                                    : "Is a character device"),
                std::string::npos)
          << r.err;
    }
  }
}

TEST(CliTest, AnEndlessLineStopsAtTheLineLimitNotTheFileLimit) {
  // 400 MB without a newline, through a pipe: refused at the 1 MiB line
  // limit, so the process never holds the input (peak memory in KiB from
  // /usr/bin/time).
  testing::RunResult r = testing::RunShell(
      "/usr/bin/time -f '%M' -o rss $HATMATCH check "
      "<(head -c 400000000 /dev/zero | tr '\\0' a) 2>err\n"
      "echo \"rc=$?\"; cat err >&2; tail -1 rss\n");
  const std::vector<std::string> lines = SplitLines(r.out);
  ASSERT_EQ(lines.size(), 2u) << r.out << r.err;
  EXPECT_EQ(lines[0], "rc=1");
  EXPECT_NE(r.err.find(":1:1: line longer than the limit of 1048576 bytes"),
            std::string::npos)
      << r.err;
  EXPECT_LT(std::stol(lines[1]), 200 * 1024) << "peak KiB";
}

TEST(CliTest, ReadErrorsOnStandardInputAreErrors) {
  for (const char* command : {"classify", "explain"}) {
    SCOPED_TRACE(command);
    testing::RunResult r = testing::RunShell(
        std::string("$HATMATCH ") + command + " '" +
        SourcePath("data/cres.hat") + "' < /\necho \"rc=$?\"\n");
    EXPECT_EQ(r.out, "rc=1\n");
    EXPECT_NE(r.err.find("reading standard input: Is a directory"),
              std::string::npos)
        << r.err;
  }
}

// Every command, with output that cannot be written: a full device and a
// closed descriptor.  Each must fail with a message, never exit 0.
TEST(CliTest, EveryCommandChecksItsWrites) {
  const std::string rules = SourcePath("data/cres.hat");
  const std::vector<std::string> commands = {
      "--help",
      "--version",
      "check " + rules,
      "stats " + rules,
      "check --help",
      "stats --help",
      "classify " + rules + " <<< 1.2.3.4",
      "explain " + rules + " 1.2.3.4",
      "lint " + rules,
      "lint --list-codes",
      "diff " + rules + " " + rules,
      "diff --json " + rules + " " + rules,
      "compile " + rules + " -o t.hmt",
      "gen rules --groups 2 --ipv4 10",
  };
  for (const std::string& c : commands) {
    for (const char* redirect : {">/dev/full", ">&-"}) {
      SCOPED_TRACE(c + " " + redirect);
      testing::RunResult r = testing::RunShell("$HATMATCH " + c + " " +
                                               redirect + "\necho \"rc=$?\"");
      EXPECT_NE(r.out, "rc=0\n");
      EXPECT_NE(r.err.find("writing standard output"), std::string::npos)
          << r.err;
    }
  }
}

TEST(CliTest, EveryCommandRefusesUnknownFlags) {
  const std::string rules = SourcePath("data/cres.hat");
  for (const char* c : {"check", "classify", "stats", "compile", "explain",
                        "lint", "diff", "gen"}) {
    SCOPED_TRACE(c);
    testing::RunResult r = RunHatmatch({c, rules, "--bogus"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("unknown flag \"--bogus\""), std::string::npos)
        << r.err;
  }
  // A flag after the connections is still a flag, not a connection.
  EXPECT_EQ(RunHatmatch({"explain", rules, "1.2.3.4", "--bogus"}).exit_code, 2);
}

TEST(CliTest, TablesWorkForTheAnalysesToo) {
  testing::RunResult r = testing::RunShell(
      "$HATMATCH compile \"$CRES\" -o t.hmt >/dev/null || exit 9\n"
      "for c in 'lint' 'lint --json' 'explain --json'; do\n"
      "  $HATMATCH $c \"$CRES\" 208.90.57.32 > a.txt; a=$?\n"
      "  $HATMATCH $c t.hmt 208.90.57.32 > b.txt; b=$?\n"
      "  cmp -s a.txt b.txt && [ $a = $b ] && echo \"$c same\"\n"
      "done\n"
      "$HATMATCH diff \"$CRES\" t.hmt >/dev/null; echo \"diff rc=$?\"\n");
  EXPECT_EQ(r.out,
            "lint same\nlint --json same\nexplain --json same\n"
            "diff rc=0\n")
      << r.err;
}

TEST(CliTest, BatchOutputIsTwoFieldsForEveryRuleName) {
  // An anonymous rule written with a tab between its entries.
  testing::RunResult r = testing::RunShell(
      "printf '1.2.3.4,\\t 5.6.7.8\\n    REJECT\\n' > t.hat\n"
      "echo 5.6.7.8 | $HATMATCH classify t.hat\n");
  EXPECT_EQ(r.out, "1.2.3.4, 5.6.7.8\tREJECT\n") << r.err;
}

TEST(CliTest, ErrorsEscapeControlBytesFromTheInput) {
  testing::RunResult r = testing::RunShell(
      "printf 'G:\\n    1.2.3.\\033[31m\\n    REJECT\\n' > bad.hat\n"
      "$HATMATCH check bad.hat\n"
      "printf '1.2.3.4\\033[2J\\n1.2.3.4 sbo=\\033x\\n' | "
      "$HATMATCH classify bad.hat\n"
      "printf '1.2.3.4\\033[2J\\n1.2.3.4 sbo=\\033x\\n' | "
      "$HATMATCH classify '" +
      SourcePath("data/cres.hat") + "'\n");
  EXPECT_EQ(r.err.find('\x1b'), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find('\x1b'), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("\\x1b"), std::string::npos) << r.err;
}

// A count flag's refused value is quoted in the usage error, as unknown
// flags are: an escape sequence in it cannot reach the terminal raw.
TEST(CliTest, RefusedFlagValuesEscapeControlBytes) {
  const std::string rules = SourcePath("data/cres.hat");
  for (std::vector<std::string> args : {
           std::vector<std::string>{"diff", "--max-work", "1\x1b[2J", rules,
                                    rules},
           {"diff", "--max-contexts=\x1b]0;x\a", rules, rules},
           {"lint", "--max-warnings", "\x1b[31m", rules},
           {"gen", "traffic", "--count", "\x1b[31m", rules},
           {"gen", "rules", "--seed", "\x1b[31m"},
       }) {
    const testing::RunResult r = testing::RunHatmatch(args);
    EXPECT_EQ(r.exit_code, 2) << args[0] << " " << args[1];
    EXPECT_EQ(r.err.find('\x1b'), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("\\x1b"), std::string::npos) << r.err;
  }
}

}  // namespace
}  // namespace hatmatch
