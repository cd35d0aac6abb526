// Copyright 2026 The hatmatch Authors.
//
// `hatmatch lint RULES`: exact checks of a rule file (analysis.h, Lint).

#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/cli/command.h"
#include "engine/cli/common.h"
#include "engine/cli/flags.h"
#include "fmt/format.h"
#include "hatmatch/analysis.h"

namespace hatmatch::cli {
namespace {

constexpr char kUsage[] =
    "usage: hatmatch lint [--json] [--max-warnings N] RULES\n"
    "       hatmatch lint --list-codes\n\n"
    "Checks a rule file and prints one warning per finding:\n"
    "  FILE:LINE:COL: warning[CODE]: MESSAGE\n"
    "Entries and rules that can never decide (computed exactly, including\n"
    "coverage by the union of several earlier rules), rules after a\n"
    "catch-all, duplicate and overlapping entries, CIDRs with host bits set,\n"
    "partial hostnames without their bare domain, unused policies.\n"
    "docs/ANALYSIS.md describes every code. RULES may be a compiled table:\n"
    "it carries its rules, and locations name the rule file it was compiled\n"
    "from.\n\n"
    "options:\n"
    "  --json        one JSON document: {\"file\", \"warnings\": [...]}\n"
    "  --max-warnings N\n"
    "                print the first N warnings by position (default 100000;\n"
    "                0: all), then one line with how many more there are\n"
    "                (with --json: \"total\", \"omitted\" and per-code\n"
    "                \"totals\"); the rest are counted, not kept in memory\n"
    "  --list-codes  print every code with a one-line summary\n\n"
    "exit status: 0 clean, 1 warnings (shown or not), 2 errors (RULES does\n"
    "not parse, or a usage error).\n";

// With --json, the document that carries the errors of a RULES that does
// not load (they are on stderr already).
void PrintLoadErrorsJson(const std::string& path, const LoadErrors& errors) {
  std::string out = "{\"file\":";
  AppendJsonString(path, &out);
  out += ",\"errors\":[";
  if (errors.diagnostics.empty()) {
    out += "{\"message\":";
    AppendJsonString(errors.message, &out);
    out += "}";
  }
  for (size_t i = 0; i < errors.diagnostics.size(); ++i) {
    const Diagnostic& d = errors.diagnostics[i];
    out += fmt::format("{}{{\"line\":{},\"col\":{},\"message\":", i ? "," : "",
                       d.loc.line, d.loc.col);
    AppendJsonString(d.message, &out);
    out += "}";
  }
  out += "]}\n";
  std::fputs(out.c_str(), stdout);
}

int RunLint(const CommandArgs& args) {
  bool json = false, list_codes = false;
  LintOptions options;
  Flags flags("lint", kUsage);
  flags.Switch({"--json"}, &json);
  flags.Value({"--max-warnings"}, CountValue(&options.max_warnings));
  flags.Switch({"--list-codes"}, &list_codes);
  std::vector<std::string> paths;
  if (std::optional<int> done = flags.Parse(args, &paths)) return *done;
  if (list_codes) {
    if (!paths.empty()) return flags.UsageError("--list-codes takes no RULES");
    for (const LintCode& c : LintCodes()) {
      fmt::print("{:<20} {}\n", c.code, c.summary);
    }
    return 0;
  }
  if (paths.size() != 1) return flags.UsageError("expected one RULES file");
  const std::string& path = paths[0];
  LoadErrors errors;
  std::optional<Loaded> loaded = LoadRules(path, {.rules = true}, &errors);
  if (!loaded) {
    if (json) PrintLoadErrorsJson(path, errors);
    return 2;
  }
  const std::optional<RuleSet>& rules = loaded->rules;
  const LintResult result = Lint(*rules, options);
  const std::string out =
      json ? LintJson(*rules, result) + "\n" : LintText(*rules, result);
  std::fwrite(out.data(), 1, out.size(), stdout);
  if (!json && result.total) {
    fmt::print(stderr, "{}: {} warning{}\n", path, result.total,
               result.total == 1 ? "" : "s");
  }
  return result.total ? 1 : 0;
}

}  // namespace

HATMATCH_REGISTER_COMMAND(lint, "check a rule file for rules that never decide",
                          RunLint, 2);

}  // namespace hatmatch::cli
