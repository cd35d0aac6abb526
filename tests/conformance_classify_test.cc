// Copyright 2026 The hatmatch Authors.
//
// The conformance cases of HAT-RULES.md, through the real binary:
// `hatmatch classify rules.hat < connections` must print, in its first two
// columns, exactly `expected` (for `?` lines only the `?` is compared); and
// each bad/*.hat must be refused with an error on the line its first line
// names.  Run with the compiled table and with the reference classifier.

#include <filesystem>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/testing/run.h"

namespace hatmatch {
namespace {

using testing::ConformanceDirs;
using testing::ReadFile;
using testing::RunHatmatch;
using testing::SplitLines;

std::string FirstTwoColumns(const std::string& line) {
  if (line.rfind("?", 0) == 0) return "?";
  size_t tab = line.find('\t');
  if (tab == std::string::npos) return line;
  size_t tab2 = line.find('\t', tab + 1);
  return tab2 == std::string::npos ? line : line.substr(0, tab2);
}

class ConformanceTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ConformanceTest, ClassifyMatchesExpected) {
  for (const std::string& dir : ConformanceDirs()) {
    SCOPED_TRACE(dir);
    std::vector<std::string> args = {"classify"};
    if (!GetParam().empty()) args.push_back(GetParam());
    args.push_back(dir + "/rules.hat");
    testing::RunResult r = RunHatmatch(args, ReadFile(dir + "/connections"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::vector<std::string> got = SplitLines(r.out);
    std::vector<std::string> want = SplitLines(ReadFile(dir + "/expected"));
    ASSERT_EQ(got.size(), want.size()) << r.out;
    for (size_t i = 0; i < want.size(); ++i) {
      EXPECT_EQ(FirstTwoColumns(got[i]), FirstTwoColumns(want[i]))
          << "output line " << i + 1;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Engines, ConformanceTest,
                         ::testing::Values("", "--reference"),
                         [](const auto& info) {
                           return info.param.empty() ? "compiled" : "reference";
                         });

TEST(ConformanceBadTest, EachBadFileIsRefusedOnItsLine) {
  for (const std::string& dir : ConformanceDirs()) {
    int files = 0;
    for (const auto& f : std::filesystem::directory_iterator(dir + "/bad")) {
      ++files;
      const std::string path = f.path().string();
      SCOPED_TRACE(path);
      // The first line says "# error: line N (why)".
      const std::string first = SplitLines(ReadFile(path)).at(0);
      const size_t at = first.find("line ");
      ASSERT_NE(at, std::string::npos) << first;
      const std::string line = std::to_string(std::stoi(first.substr(at + 5)));
      testing::RunResult r = RunHatmatch({"check", path});
      EXPECT_EQ(r.exit_code, 1);
      EXPECT_NE(r.err.find(path + ":" + line + ":"), std::string::npos)
          << r.err;
      EXPECT_TRUE(r.out.empty()) << r.out;
    }
    EXPECT_GE(files, 15);
  }
}

}  // namespace
}  // namespace hatmatch
