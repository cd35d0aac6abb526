// Copyright 2026 The hatmatch Authors.
//
// In a sanitizer build, a sanitizer report must not pass for hatmatch's own
// exit 1 ("bad input"): the programs the tests run get each sanitizer its
// own exit status (tests/testing/run.h), and RunHatmatch fails any test
// whose hatmatch run printed a report.  A deliberately broken probe program
// (sanitizer_probe.cc) shows both.  Compiled only into sanitizer builds.

#include <string>

#include "gtest/gtest.h"
#include "tests/testing/run.h"

namespace hatmatch {
namespace {

#ifdef HATMATCH_SANITIZER_PROBE

// The control: no defect, so the probe's own exit 1 and no report.
TEST(SanitizerExitTest, ProbeWithoutDefectExitsOne) {
  testing::RunResult r =
      testing::RunProgram(HATMATCH_SANITIZER_PROBE, {"none"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(testing::SanitizerReport(r.err), "") << r.err;
}

#ifdef HATMATCH_SANITIZE_ADDRESS
TEST(SanitizerExitTest, HeapOverflowIsASanitizerFailureNotExitOne) {
  testing::RunResult r =
      testing::RunProgram(HATMATCH_SANITIZER_PROBE, {"heap-overflow"});
  EXPECT_EQ(r.exit_code, testing::kAsanExitCode) << r.err;
  EXPECT_NE(testing::SanitizerReport(r.err).find("AddressSanitizer"),
            std::string::npos)
      << r.err;
}
#endif

#ifdef HATMATCH_SANITIZE_UNDEFINED
TEST(SanitizerExitTest, SignedOverflowIsASanitizerFailureNotExitOne) {
  testing::RunResult r =
      testing::RunProgram(HATMATCH_SANITIZER_PROBE, {"signed-overflow"});
  EXPECT_EQ(r.exit_code, testing::kUbsanExitCode) << r.err;
  EXPECT_NE(testing::SanitizerReport(r.err).find("runtime error"),
            std::string::npos)
      << r.err;
}
#endif

#endif  // HATMATCH_SANITIZER_PROBE

}  // namespace
}  // namespace hatmatch
