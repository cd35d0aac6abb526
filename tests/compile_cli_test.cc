// Copyright 2026 The hatmatch Authors.
//
// `hatmatch compile` and table files through the binary: every command that
// takes RULES takes the compiled table and answers the same.

#include <sys/stat.h>
#include <unistd.h>

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

std::string TempPath(const std::string& name) {
  std::string t = ::testing::TempDir();
  if (t.empty() || t.back() != '/') t += '/';
  return t + "hatmatch_cli_" + std::to_string(getpid()) + "_" + name;
}

bool Exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

TEST(CompileCliTest, TableAnswersLikeTheRuleFile) {
  const std::string table = TempPath("cres.hmt");
  testing::RunResult c =
      RunHatmatch({"compile", SourcePath("data/cres.hat"), "-o", table});
  ASSERT_EQ(c.exit_code, 0) << c.err;
  EXPECT_NE(c.out.find("5 rules"), std::string::npos) << c.out;
  const std::string conns = ReadFile(SourcePath("data/cres.conn"));
  for (const char* mode : {"", "--json", "--reference"}) {
    SCOPED_TRACE(mode);
    std::vector<std::string> from_rules = {"classify"}, from_table;
    if (*mode) from_rules.push_back(mode);
    from_table = from_rules;
    from_rules.push_back(SourcePath("data/cres.hat"));
    from_table.push_back(table);
    testing::RunResult a = RunHatmatch(from_rules, conns);
    testing::RunResult b = RunHatmatch(from_table, conns);
    EXPECT_EQ(a.exit_code, 0);
    EXPECT_EQ(b.exit_code, 0) << b.err;
    EXPECT_EQ(a.out, b.out);
  }
  testing::RunResult check = RunHatmatch({"check", table});
  EXPECT_EQ(check.exit_code, 0) << check.err;
  testing::RunResult stats = RunHatmatch({"stats", table});
  EXPECT_EQ(stats.exit_code, 0) << stats.err;
  unlink(table.c_str());
}

TEST(CompileCliTest, SameRulesGiveIdenticalFiles) {
  const std::string a = TempPath("a.hmt"), b = TempPath("b.hmt");
  ASSERT_EQ(RunHatmatch(
                {"compile", SourcePath("tests/conformance/rules.hat"), "-o", a})
                .exit_code,
            0);
  ASSERT_EQ(RunHatmatch({"compile", SourcePath("tests/conformance/rules.hat"),
                         "--output=" + b})
                .exit_code,
            0);
  EXPECT_EQ(ReadFile(a), ReadFile(b));
  unlink(a.c_str());
  unlink(b.c_str());
}

TEST(CompileCliTest, BadRulesWriteNothing) {
  const std::string table = TempPath("bad.hmt");
  testing::RunResult r = RunHatmatch(
      {"compile", SourcePath("tests/conformance/bad/leading-zero.hat"), "-o",
       table});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("leading-zero.hat:"), std::string::npos) << r.err;
  EXPECT_FALSE(Exists(table));
}

TEST(CompileCliTest, UsageErrors) {
  EXPECT_EQ(RunHatmatch({"compile"}).exit_code, 2);
  EXPECT_EQ(RunHatmatch({"compile", SourcePath("data/cres.hat")}).exit_code, 2);
  EXPECT_EQ(RunHatmatch({"compile", "-o"}).exit_code, 2);
}

TEST(CompileCliTest, DamagedTableIsAClearErrorEverywhere) {
  const std::string table = TempPath("dmg.hmt");
  ASSERT_EQ(RunHatmatch({"compile", SourcePath("data/cres.hat"), "-o", table})
                .exit_code,
            0);
  std::string bytes = ReadFile(table);
  bytes[bytes.size() / 2] ^= 0x04;
  {
    FILE* f = std::fopen(table.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    std::fwrite(bytes.data(), 1, bytes.size(), f);
    std::fclose(f);
  }
  for (const char* cmd : {"classify", "check", "stats"}) {
    testing::RunResult r = RunHatmatch({cmd, table}, "10.0.0.1\n");
    EXPECT_EQ(r.exit_code, 1) << cmd;
    EXPECT_EQ(r.err.rfind(table + ": checksum mismatch in section", 0), 0u)
        << cmd << ": " << r.err;
    EXPECT_EQ(r.out, "") << cmd;
  }
  unlink(table.c_str());
}

TEST(CompileCliTest, OutputMustBeARegularFileOtherThanTheInput) {
  testing::RunResult r = testing::RunShell(
      "cp \"$CRES\" self.hat\n"
      "ln self.hat hard.hat\n"
      "mkfifo fifo\nmkdir dir\nln -s target.hmt link.hmt\n"
      "for out in /dev/null fifo dir link.hmt self.hat ./self.hat hard.hat; "
      "do\n"
      "  $HATMATCH compile self.hat -o $out >/dev/null 2>err\n"
      "  echo \"$out rc=$? $(sed 's/.*: is //; s/;.*//; s/ itself.*//' err)\"\n"
      "done\n"
      "cmp -s self.hat \"$CRES\" && echo input-intact\n"
      "[ -c /dev/null ] && [ -p fifo ] && [ -L link.hmt ] && [ ! -e "
      "target.hmt ] && echo targets-intact\n"
      "$HATMATCH gen traffic --rules self.hat -o self.hat >/dev/null 2>&1; "
      "echo \"gen rc=$?\"\n");
  EXPECT_EQ(r.out,
            "/dev/null rc=1 a character device\n"
            "fifo rc=1 a FIFO\n"
            "dir rc=1 a directory\n"
            "link.hmt rc=1 a symbolic link\n"
            "self.hat rc=1 the input file \"self.hat\"\n"
            "./self.hat rc=1 the input file \"self.hat\"\n"
            "hard.hat rc=1 the input file \"self.hat\"\n"
            "input-intact\ntargets-intact\ngen rc=1\n")
      << r.err;
}

// `cp new.hmt live.hmt` rewrites the file in place (truncate, then write)
// while a classify is running on it: the running process must neither die
// nor change its answers.
TEST(CompileCliTest, RewritingATableInPlaceCannotHurtARunningClassify) {
  testing::RunResult r = testing::RunShell(
      "$HATMATCH compile \"$CRES\" -o live.hmt >/dev/null || exit 9\n"
      "printf '10.0.0.0/8\\n    REJECT\\n' > other.hat\n"
      "$HATMATCH compile other.hat -o other.hmt >/dev/null || exit 9\n"
      "mkfifo in\n"
      "exec 3<>in\n"
      "timeout 60 $HATMATCH classify live.hmt <in >out 2>err 3>&- &\n"
      "pid=$!\n"
      "echo 208.90.57.32 >&3\n"
      "for i in $(seq 400); do [ -s out ] && break; sleep 0.05; done\n"
      "cp other.hmt live.hmt\n"
      "truncate -s 100 live.hmt\n"
      "echo 208.90.57.32 >&3\n"
      "exec 3>&-\n"
      "wait $pid; echo \"rc=$?\"\n"
      "cat out\n");
  EXPECT_EQ(r.out, "rc=0\nCRES_TLS\tACCEPT\nCRES_TLS\tACCEPT\n") << r.err;
}

}  // namespace
}  // namespace hatmatch
