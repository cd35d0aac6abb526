// Copyright 2026 The hatmatch Authors.
//
// Reloader: a rule file written in place is published only once it is
// whole.  The polls are driven by hand (Reloader::Poll on a Reloader that
// was not started), so no test depends on timing.

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "engine/serve/reloader.h"
#include "gtest/gtest.h"
#include "hatmatch/connection.h"
#include "hatmatch/matcher.h"
#include "hatmatch/parse.h"
#include "hatmatch/table.h"

namespace hatmatch::serve {
namespace {

constexpr char kOld[] = "OLD:\n    REJECT\n    192.0.2.0/24\n";
// Cut after "10.1.2.0/2" this is a valid rule file of its own, whose one
// entry covers 0.0.0.0 - 63.255.255.255.
constexpr char kNew[] = "NEW:\n    REJECT\n    10.1.2.0/24\n";
constexpr size_t kCut = sizeof "NEW:\n    REJECT\n    10.1.2.0/2" - 1;

class ReloaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = ::testing::TempDir() + "reloader_test_" + std::to_string(getpid()) +
            ".hat";
    WriteInPlace(kOld, /*truncate=*/true);
    auto rules = ParseRuleFile(path_);
    ASSERT_TRUE(rules.ok()) << rules.status();
    auto table = Table::Compile(*rules);
    ASSERT_TRUE(table.ok()) << table.status();
    matcher_.Swap(*table);
    generation_ = matcher_.generation();
  }
  void TearDown() override { std::remove(path_.c_str()); }

  // Writes `text` into the existing file (its inode kept), as an editor's
  // save or `cp` does: truncated first, or appended to.
  void WriteInPlace(std::string_view text, bool truncate) {
    std::ofstream f(path_, truncate ? std::ios::trunc | std::ios::binary
                                    : std::ios::app | std::ios::binary);
    f << text;
  }

  // The deciding rule's name for `address`, "-" for none.
  std::string RuleFor(const char* address) {
    auto conn = ParseConnection(address);
    EXPECT_TRUE(conn.ok());
    std::shared_ptr<const Table> t = matcher_.Get();
    const Decision d = t->Classify(*conn);
    return d.matched() ? std::string(t->rule_name(d.rule)) : "-";
  }
  uint64_t reloads() const { return matcher_.generation() - generation_; }

  std::string path_;
  Matcher matcher_;
  uint64_t generation_ = 0;
  int done_ = 0;
};

TEST_F(ReloaderTest, AFileWrittenInPlaceIsLoadedOnlyOnceItHoldsStill) {
  Reloader r(&matcher_, path_, std::chrono::hours(1),
             [this](bool) { ++done_; });
  // The writer has written part of the new file and is still at it.
  WriteInPlace(std::string_view(kNew, kCut), /*truncate=*/true);
  r.Poll(false);
  EXPECT_EQ(reloads(), 0u) << "a half-written file was published";
  EXPECT_EQ(RuleFor("10.200.0.1"), "-");
  EXPECT_EQ(RuleFor("192.0.2.1"), "OLD");
  // It finishes; the file changed since the last poll, so still no load.
  WriteInPlace(kNew + kCut, /*truncate=*/false);
  r.Poll(false);
  EXPECT_EQ(reloads(), 0u);
  // One interval without a change: the whole file is loaded, once.
  r.Poll(false);
  EXPECT_EQ(reloads(), 1u);
  EXPECT_EQ(RuleFor("10.1.2.3"), "NEW");
  EXPECT_EQ(RuleFor("10.200.0.1"), "-");
  r.Poll(false);
  EXPECT_EQ(reloads(), 1u);
  EXPECT_EQ(done_, 1);
}

TEST_F(ReloaderTest, AFileReplacedByRenameIsLoadedAtTheNextPoll) {
  Reloader r(&matcher_, path_, std::chrono::hours(1), nullptr);
  const std::string tmp = path_ + ".new";
  std::ofstream(tmp) << kNew;
  std::filesystem::rename(tmp, path_);
  r.Poll(false);
  EXPECT_EQ(reloads(), 1u);
  EXPECT_EQ(RuleFor("10.1.2.3"), "NEW");
}

TEST_F(ReloaderTest, ARequestLoadsAtOnce) {
  Reloader r(&matcher_, path_, std::chrono::hours(1), nullptr);
  WriteInPlace(kNew, /*truncate=*/true);
  r.Poll(true);  // SIGHUP: the administrator says the file is ready
  EXPECT_EQ(reloads(), 1u);
  EXPECT_EQ(RuleFor("10.1.2.3"), "NEW");
}

}  // namespace
}  // namespace hatmatch::serve
