// Copyright 2026 The hatmatch Authors.
// Every tests/conformance/bad/*.hat is refused, with its error (and only
// errors) on the line its first line names: "# error: line N (why)".

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "hatmatch/parse.h"

namespace hatmatch {
namespace {

TEST(ConformanceBadTest, EachFileIsRefusedOnItsStatedLine) {
  const std::filesystem::path dir =
      std::filesystem::path(HATMATCH_SOURCE_DIR "/tests/conformance") / "bad";
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() == ".hat") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  ASSERT_GE(files.size(), 15u) << dir;
  for (const auto& f : files) {
    SCOPED_TRACE(f.filename().string());
    std::ifstream in(f);
    std::string first;
    std::getline(in, first);
    const std::string tag = "# error: line ";
    ASSERT_EQ(first.rfind(tag, 0), 0u) << first;
    const uint32_t want =
        static_cast<uint32_t>(std::stoul(first.substr(tag.size())));

    std::vector<Diagnostic> errors;
    absl::StatusOr<RuleSet> rs = ParseRuleFile(f.string(), {}, &errors);
    ASSERT_FALSE(rs.ok());
    EXPECT_EQ(rs.status().code(), absl::StatusCode::kInvalidArgument);
    ASSERT_FALSE(errors.empty());
    for (const Diagnostic& d : errors) {
      EXPECT_EQ(d.loc.line, want) << d.ToString();
      EXPECT_EQ(d.file, f.string());
      EXPECT_GE(d.loc.col, 1u);
    }
    // The status message is the diagnostics, one per line.
    std::string joined;
    for (const Diagnostic& d : errors) {
      if (!joined.empty()) joined += '\n';
      joined += d.ToString();
    }
    EXPECT_EQ(rs.status().message(), joined);
    EXPECT_EQ(joined.rfind(f.string() + ":" + std::to_string(want) + ":", 0),
              0u)
        << joined;
  }
}

}  // namespace
}  // namespace hatmatch
