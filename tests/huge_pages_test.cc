// Copyright 2026 The hatmatch Authors.
// base::AdviseHugePages / base::ReserveHuge: large buffers ask the kernel for
// huge pages (seen in /proc/self/smaps), contents are untouched, small buffers
// are left alone; and the rule-file reader reserves once.

#include "engine/base/huge_pages.h"

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "engine/parse/input_file.h"
#include "gtest/gtest.h"
#include "hatmatch/parse.h"

namespace hatmatch {
namespace {

// Whether the kernel hands out transparent huge pages to regions that ask.
bool KernelAdvisesHugePages() {
  std::ifstream f("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string modes;
  std::getline(f, modes);
  return modes.find("[madvise]") != std::string::npos ||
         modes.find("[always]") != std::string::npos;
}

// The VmFlags of the mapping holding `p`, from /proc/self/smaps ("" when
// not found).
std::string VmFlagsAt(const void* p) {
  const uintptr_t a = reinterpret_cast<uintptr_t>(p);
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  bool inside = false;
  while (std::getline(smaps, line)) {
    unsigned long lo = 0, hi = 0;
    if (std::sscanf(line.c_str(), "%lx-%lx ", &lo, &hi) == 2 &&
        line.find(':') > line.find(' ')) {
      inside = lo <= a && a < hi;
      continue;
    }
    if (inside && line.rfind("VmFlags:", 0) == 0) return line.substr(8);
  }
  return "";
}

bool HasFlag(const std::string& flags, const std::string& flag) {
  std::istringstream words(flags);
  std::string w;
  while (words >> w) {
    if (w == flag) return true;
  }
  return false;
}

TEST(HugePagesTest, LargeVectorIsAdvisedAndKeepsItsContents) {
  std::vector<uint32_t> v;
  base::ReserveHuge(v, (size_t{8} << 20) / sizeof(uint32_t));
  for (uint32_t i = 0; i < v.capacity(); ++i) v.push_back(i * 2654435761u);
  for (uint32_t i = 0; i < v.size(); ++i) {
    ASSERT_EQ(v[i], i * 2654435761u) << i;
  }
  if (!KernelAdvisesHugePages()) {
    GTEST_SKIP() << "this kernel gives no transparent huge pages on advice";
  }
  // The middle of an 8 MiB buffer lies in one of its whole 2 MiB pages.
  const std::string flags = VmFlagsAt(v.data() + v.size() / 2);
  ASSERT_FALSE(flags.empty());
  EXPECT_TRUE(HasFlag(flags, "hg")) << "VmFlags:" << flags;
}

TEST(HugePagesTest, SmallBuffersAreLeftAlone) {
  // A buffer smaller than a huge page holds no whole huge page: no advice,
  // so its mapping (the heap) keeps its flags.
  std::vector<char> small(base::kHugePageBytes / 2, 'x');
  const std::string before = VmFlagsAt(small.data());
  base::AdviseHugePages(small.data(), small.size());
  base::AdviseHugePages(nullptr, size_t{64} << 20);
  EXPECT_EQ(VmFlagsAt(small.data()), before);
  EXPECT_EQ(small.front(), 'x');
  EXPECT_EQ(small.back(), 'x');
}

TEST(HugePagesTest, RuleFileIsReadIntoOneAllocation) {
  // A regular file is read into a string reserved for all of it and the
  // read that finds its end: no reallocation, which would copy the file
  // and double the string.
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() / "hatmatch_huge_pages_test.hat";
  std::string text;
  for (int i = 0; text.size() < (size_t{3} << 20); ++i) {
    text += "10." + std::to_string(i % 250) + ".0.0/16\n";
  }
  {
    std::ofstream f(path, std::ios::binary);
    f << text;
  }
  absl::StatusOr<parse_internal::InputFile> in =
      parse_internal::InputFile::Open(path.string(), "rule file");
  ASSERT_TRUE(in.ok()) << in.status();
  std::string out;
  ASSERT_TRUE(in->ReadRuleText(ParseOptions{}, &out).ok());
  std::filesystem::remove(path);
  EXPECT_EQ(out, text);
  EXPECT_LT(out.capacity(), text.size() + (size_t{2} << 20));
}

}  // namespace
}  // namespace hatmatch
