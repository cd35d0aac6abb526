// Copyright 2026 The hatmatch Authors.
//
// common.h: pieces every subcommand shares: loading RULES (a rule file or a
// compiled table file), JSON escaping, and line-by-line streaming input.

#ifndef HATMATCH_ENGINE_CLI_COMMON_H_
#define HATMATCH_ENGINE_CLI_COMMON_H_

#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "hatmatch/decision.h"
#include "hatmatch/rules.h"
#include "hatmatch/table.h"

namespace hatmatch::cli {

// A status message as std::string_view (Debian's absl::string_view is a
// distinct type).
inline std::string_view Msg(const absl::Status& s) {
  return {s.message().data(), s.message().size()};
}

// What RULES named.  `rules` is set for a rule file (a table file carries no
// RuleSet); `table` is set when compiling was asked for or RULES was a table.
struct Loaded {
  std::optional<RuleSet> rules;
  std::shared_ptr<const Table> table;
};

// Loads RULES; on failure prints every error to stderr and returns nullopt.
// With compile=true a rule file is also compiled into a table.
std::optional<Loaded> LoadRules(const std::string& path, bool compile);

// Appends `s` as a JSON string literal (with quotes) to *out.
void AppendJsonString(std::string_view s, std::string* out);

// Appends a JSON object describing a decision (rule, action, policy,
// params, entry, entry_line, file) without braces' trailing newline.
void AppendDecisionJson(const DecisionDetail& d, std::string* out);

// Reads one line from `in` without the trailing \n or \r\n.  A line longer
// than kMaxInputLine is consumed but not kept (*too_long is set), so memory
// stays bounded whatever the input.  Returns false at end of input.
inline constexpr size_t kMaxInputLine = 64 * 1024;
bool ReadLine(FILE* in, std::string* line, bool* too_long);

// Splits "--flag=value" style options from positional arguments.
bool IsFlag(std::string_view arg);

}  // namespace hatmatch::cli

#endif  // HATMATCH_ENGINE_CLI_COMMON_H_
