// Copyright 2026 The hatmatch Authors.
//
// run.h: run the built `hatmatch` binary from tests, and find test data.

#ifndef HATMATCH_TESTS_TESTING_RUN_H_
#define HATMATCH_TESTS_TESTING_RUN_H_

#include <string>
#include <vector>

namespace hatmatch::testing {

struct RunResult {
  int exit_code = -1;
  std::string out, err;
};

// Runs `hatmatch ARGS...` with standard input from `stdin_text`.
RunResult RunHatmatch(const std::vector<std::string>& args,
                      const std::string& stdin_text = "");

// Absolute path of a file in the source tree.
std::string SourcePath(const std::string& relative);

// Directories that hold the conformance cases: the shared copy beside the
// checkout when present (it may be newer), and the vendored copy.
std::vector<std::string> ConformanceDirs();

std::string ReadFile(const std::string& path);
std::vector<std::string> SplitLines(const std::string& text);

}  // namespace hatmatch::testing

#endif  // HATMATCH_TESTS_TESTING_RUN_H_
