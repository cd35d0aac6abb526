// Copyright 2026 The hatmatch Authors.

#include "tests/testing/run.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

namespace hatmatch::testing {
namespace {

std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

// Gives every sanitizer its own exit status and a stop at the first report
// in the programs the tests run (run.h).  Appended to whatever options are
// set already: the sanitizers let a later option override an earlier one.
void ExportSanitizerOptions() {
  const std::pair<const char*, std::string> options[] = {
      {"ASAN_OPTIONS", "exitcode=" + std::to_string(kAsanExitCode) +
                           ":halt_on_error=1:abort_on_error=0"},
      {"UBSAN_OPTIONS", "exitcode=" + std::to_string(kUbsanExitCode) +
                            ":halt_on_error=1:print_stacktrace=1"},
      {"TSAN_OPTIONS",
       "exitcode=" + std::to_string(kTsanExitCode) + ":halt_on_error=1"}};
  for (const auto& [name, ours] : options) {
    const char* set = std::getenv(name);
    const std::string value =
        set != nullptr && *set != '\0' ? std::string(set) + ":" + ours : ours;
    ::setenv(name, value.c_str(), 1);
  }
}

}  // namespace

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  EXPECT_TRUE(out.good()) << "cannot write " << path;
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::string line;
  std::istringstream in(text);
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

RunResult RunProgram(const std::string& binary,
                     const std::vector<std::string>& args,
                     const std::string& stdin_text) {
  namespace fs = std::filesystem;
  static const bool exported = (ExportSanitizerOptions(), true);
  (void)exported;
  const fs::path dir = fs::temp_directory_path() /
                       ("hatmatch_run_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path in = dir / "in", out = dir / "out", err = dir / "err";
  { std::ofstream(in, std::ios::binary) << stdin_text; }
  std::string cmd = ShellQuote(binary);
  for (const std::string& a : args) {
    cmd += ' ';  // not `" " + ...`: GCC 12 -Wrestrict false positive
    cmd += ShellQuote(a);
  }
  cmd +=
      " <" + ShellQuote(in) + " >" + ShellQuote(out) + " 2>" + ShellQuote(err);
  RunResult r;
  int status = std::system(cmd.c_str());
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = ReadFile(out);
  r.err = ReadFile(err);
  fs::remove_all(dir);
  return r;
}

RunResult RunHatmatch(const std::vector<std::string>& args,
                      const std::string& stdin_text) {
  RunResult r = RunProgram(HATMATCH_BINARY, args, stdin_text);
  const std::string report = SanitizerReport(r.err);
  const bool sanitizer_status = r.exit_code == kAsanExitCode ||
                                r.exit_code == kUbsanExitCode ||
                                r.exit_code == kTsanExitCode;
  if (!report.empty() || sanitizer_status) {
    ADD_FAILURE() << "hatmatch exited " << r.exit_code
                  << " with a sanitizer report: " << report
                  << "\nstandard error:\n"
                  << r.err;
  }
  return r;
}

std::string SanitizerReport(const std::string& err) {
  static const char* const kMarks[] = {
      "ERROR: AddressSanitizer", "ERROR: LeakSanitizer",
      "runtime error:", "WARNING: ThreadSanitizer", "ERROR: ThreadSanitizer"};
  for (const std::string& line : SplitLines(err)) {
    for (const char* mark : kMarks) {
      if (line.find(mark) != std::string::npos) return line;
    }
  }
  return "";
}

std::string SourcePath(const std::string& relative) {
  return std::string(HATMATCH_SOURCE_DIR) + "/" + relative;
}

std::vector<std::string> ConformanceDirs() {
  std::vector<std::string> dirs;
  const std::string shared = SourcePath("../shared/conformance");
  if (std::filesystem::exists(shared + "/expected")) dirs.push_back(shared);
  dirs.push_back(SourcePath("tests/conformance"));
  return dirs;
}

}  // namespace hatmatch::testing
