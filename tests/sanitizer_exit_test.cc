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

#if defined(HATMATCH_SANITIZE_ADDRESS) || defined(HATMATCH_SANITIZE_UNDEFINED)
// The probe with `defect` must exit with the sanitizer's own status and print
// a report containing `report_marker`.
void ExpectSanitizerFailure(const std::string& defect, int exit_code,
                            const std::string& report_marker) {
  testing::RunResult r =
      testing::RunProgram(HATMATCH_SANITIZER_PROBE, {defect});
  EXPECT_EQ(r.exit_code, exit_code) << r.err;
  EXPECT_NE(testing::SanitizerReport(r.err).find(report_marker),
            std::string::npos)
      << r.err;
}
#endif

#ifdef HATMATCH_SANITIZE_ADDRESS
TEST(SanitizerExitTest, HeapOverflowIsASanitizerFailureNotExitOne) {
  ExpectSanitizerFailure("heap-overflow", testing::kAsanExitCode,
                         "AddressSanitizer");
}
#endif

#ifdef HATMATCH_SANITIZE_UNDEFINED
TEST(SanitizerExitTest, SignedOverflowIsASanitizerFailureNotExitOne) {
  ExpectSanitizerFailure("signed-overflow", testing::kUbsanExitCode,
                         "runtime error");
}
#endif

#endif  // HATMATCH_SANITIZER_PROBE

}  // namespace
}  // namespace hatmatch
