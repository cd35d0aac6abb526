// Copyright 2026 The hatmatch Authors.
//
// run.h: run the built `hatmatch` binary from tests, and find test data.
//
// The programs run here get sanitizer options (ASAN_OPTIONS, UBSAN_OPTIONS,
// TSAN_OPTIONS, appended to any already set) that give each sanitizer its
// own exit status and stop it at the first report, so that in a sanitizer
// build a report never looks like one of hatmatch's own statuses (0
// success, 1 bad input, 2 usage).  RunHatmatch also fails the calling test
// when the run printed a sanitizer report or exited with one of those
// statuses, whatever the test then expects.

#ifndef HATMATCH_TESTS_TESTING_RUN_H_
#define HATMATCH_TESTS_TESTING_RUN_H_

#include <string>
#include <vector>

namespace hatmatch::testing {

struct RunResult {
  int exit_code = -1;
  std::string out, err;
};

// Exit statuses of sanitizer reports in the programs run here.
inline constexpr int kAsanExitCode = 86;
inline constexpr int kUbsanExitCode = 87;
inline constexpr int kTsanExitCode = 88;

// Runs `binary ARGS...` with standard input from `stdin_text`.
RunResult RunProgram(const std::string& binary,
                     const std::vector<std::string>& args,
                     const std::string& stdin_text = "");

// Runs `hatmatch ARGS...` with standard input from `stdin_text`; a
// sanitizer report adds a test failure (above).
RunResult RunHatmatch(const std::vector<std::string>& args,
                      const std::string& stdin_text = "");

// The first line of a sanitizer report (AddressSanitizer, LeakSanitizer,
// UndefinedBehaviorSanitizer, ThreadSanitizer) in `err`, or "" when none.
std::string SanitizerReport(const std::string& err);

// Absolute path of a file in the source tree.
std::string SourcePath(const std::string& relative);

// Directories that hold the conformance cases: the shared copy beside the
// checkout when present (it may be newer), and the vendored copy.
std::vector<std::string> ConformanceDirs();

std::string ReadFile(const std::string& path);
// Writes `text` to `path` (replacing it); a failure fails the calling test.
void WriteFile(const std::string& path, const std::string& text);
std::vector<std::string> SplitLines(const std::string& text);

}  // namespace hatmatch::testing

#endif  // HATMATCH_TESTS_TESTING_RUN_H_
