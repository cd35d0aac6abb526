// Copyright 2026 The hatmatch Authors.
//
// common.h: pieces every subcommand shares: JSON escaping, line-by-line
// streaming input that tells a read error from the end of input, and
// warnings.  Loading RULES is load.h; flags are flags.h.

#ifndef HATMATCH_ENGINE_CLI_COMMON_H_
#define HATMATCH_ENGINE_CLI_COMMON_H_

#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "engine/cli/load.h"
#include "hatmatch/decision.h"
#include "hatmatch/rules.h"
#include "hatmatch/table.h"

namespace hatmatch::cli {

// A status message as std::string_view (Debian's absl::string_view is a
// distinct type).
inline std::string_view Msg(const absl::Status& s) {
  return {s.message().data(), s.message().size()};
}

// Appends `s` as a JSON string literal (with quotes) to *out.
void AppendJsonString(std::string_view s, std::string* out);

// Appends a JSON object describing a decision (rule, action, policy,
// params, entry, entry_line, file) without braces' trailing newline.
void AppendDecisionJson(const DecisionDetail& d, std::string* out);

// Reads lines from a descriptor without the trailing \n or \r\n.  A line
// longer than kMaxInputLine is consumed but not kept (*too_long is set), so
// memory stays bounded whatever the input.  A read error ends the lines like
// the end of input does, but is remembered: callers check error()
// afterwards, so a failed read is never taken for a complete batch.
//
// Before each read that may wait for more input, standard output is
// flushed: every decided line is out before the process waits (a gateway
// feeding connections one by one gets each answer at once) and before
// anything later could go wrong.
inline constexpr size_t kMaxInputLine = 64 * 1024;
class LineReader {
 public:
  explicit LineReader(int fd) : fd_(fd) {}
  // False at end of input or on a read error.
  bool Next(std::string* line, bool* too_long);
  // 0, or the errno of the read that failed.
  int error() const { return error_; }

 private:
  bool Refill();  // false at end of input or on an error

  int fd_;
  int error_ = 0;
  char buf_[1 << 16];
  size_t pos_ = 0, end_ = 0;
};

// Prints "hatmatch COMMAND: reading standard input: ..." when `reader` saw
// a read error, and returns true then.
bool ReportReadError(std::string_view command, const LineReader& reader);

// True once a write to standard output failed (/dev/full, a closed pipe or
// descriptor): a streaming command stops instead of computing output that
// cannot be written.  main() reports the failure for every command.
inline bool StdoutFailed() { return std::ferror(stdout) != 0; }

// Prints the parser's warnings of `rules` to stderr, one per line, as
// "FILE:LINE:COL: warning: MESSAGE".
void PrintWarnings(const RuleSet& rules);

}  // namespace hatmatch::cli

#endif  // HATMATCH_ENGINE_CLI_COMMON_H_
