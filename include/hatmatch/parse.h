// Copyright 2026 The hatmatch Authors.
//
// parse.h: reading HAT rule files (HAT-RULES.md sections 1, 2 and 4).
//
//   absl::StatusOr<RuleSet> rs = ParseRuleFile("rules.hat");
//   if (!rs.ok()) { std::cerr << rs.status().message(); return 1; }
//
// On failure the status is InvalidArgument and its message holds every error
// of the file (at most ParseOptions::max_errors), one per line, each as
// "file:line:col: what was found, what was expected".  A file with errors
// yields no RuleSet at all.  Warnings (host bits set in a CIDR, ...) do not
// fail the parse; they are kept in RuleSet::warnings().
//
// Limits (errors, not crashes): ParseOptions bounds the file size, the line
// length and the number of entries.  Parsing is linear in the input and uses
// no recursion.

#ifndef HATMATCH_PARSE_H_
#define HATMATCH_PARSE_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "hatmatch/export.h"
#include "hatmatch/rules.h"

namespace hatmatch {

struct ParseOptions {
  size_t max_errors = 100;
  size_t max_file_bytes = size_t{1} << 30;  // 1 GiB
  size_t max_line_bytes = size_t{1} << 20;  // 1 MiB
  size_t max_entries = size_t{1} << 26;     // 64 M
};

// `file` is used only in messages.  `errors`, when given, receives every
// error (the lines of the status message, including a final "too many
// errors" one) as a structured Diagnostic as well; warnings are not errors
// and are only in RuleSet::warnings().
HATMATCH_EXPORT absl::StatusOr<RuleSet> ParseRules(
    std::string_view text, std::string_view file,
    const ParseOptions& options = {},
    std::vector<Diagnostic>* errors = nullptr);

HATMATCH_EXPORT absl::StatusOr<RuleSet> ParseRuleFile(
    const std::string& path, const ParseOptions& options = {},
    std::vector<Diagnostic>* errors = nullptr);

// Parses one sender entry as it would appear in a rule file (used by tests,
// fuzzers and tools).  The error message has no file:line prefix.
HATMATCH_EXPORT absl::StatusOr<EntryValue> ParseEntry(
    std::string_view text, std::vector<std::string>* warnings = nullptr);

// Hostname normalization shared by rules and connections: lowercase, strip
// one trailing dot, and the checks of HAT-RULES.md section 2.  allow_idna is
// for names written in rule files: A-label conversion of non-ASCII names,
// and each label checked as IDNA2008 and RFC 1123 do (no '-' at either end
// of a label; an `xn--` label must be a valid A-label).  Returns false (with
// a reason in *why when non-null) when the name is not a valid hostname.
HATMATCH_EXPORT bool NormalizeHostname(std::string_view in, bool allow_idna,
                                       std::string* out,
                                       std::string* why = nullptr);

}  // namespace hatmatch

#endif  // HATMATCH_PARSE_H_
