// Copyright 2026 The hatmatch Authors.
//
// `hatmatch lint RULES`: exact checks of a rule file (analysis.h, Lint).

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "engine/cli/command.h"
#include "engine/cli/common.h"
#include "fmt/format.h"
#include "hatmatch/analysis.h"
#include "hatmatch/parse.h"

namespace hatmatch::cli {
namespace {

constexpr char kUsage[] =
    "usage: hatmatch lint [--json] RULES\n"
    "       hatmatch lint --list-codes\n\n"
    "Checks a rule file and prints one warning per finding:\n"
    "  FILE:LINE:COL: warning[CODE]: MESSAGE\n"
    "Entries and rules that can never decide (computed exactly, including\n"
    "coverage by the union of several earlier rules), rules after a\n"
    "catch-all, duplicate and overlapping entries, CIDRs with host bits set,\n"
    "partial hostnames without their bare domain, unused policies.\n"
    "docs/ANALYSIS.md describes every code.\n\n"
    "options:\n"
    "  --json        one JSON document: {\"file\", \"warnings\": [...]}\n"
    "  --list-codes  print every code with a one-line summary\n\n"
    "exit status: 0 clean, 1 warnings, 2 errors (RULES does not parse, or a\n"
    "usage error).\n";

int RunLint(const CommandArgs& args) {
  if (WantsHelp(args)) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  bool json = false;
  std::optional<std::string> path;
  for (const std::string& a : args) {
    if (a == "--json") {
      json = true;
    } else if (a == "--list-codes") {
      for (const LintCode& c : LintCodes()) {
        fmt::print("{:<20} {}\n", c.code, c.summary);
      }
      return 0;
    } else if (IsFlag(a) || path) {
      fmt::print(stderr, "hatmatch lint: unexpected argument '{}'\n\n{}", a,
                 kUsage);
      return 2;
    } else {
      path = a;
    }
  }
  if (!path) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  if (Table::IsTableFile(*path)) {
    fmt::print(stderr,
               "hatmatch lint: needs a rule file, not a compiled "
               "table\n");
    return 2;
  }
  std::vector<Diagnostic> diagnostics;
  absl::StatusOr<RuleSet> rules = ParseRuleFile(*path, {}, &diagnostics);
  if (!rules.ok()) {
    fmt::print(stderr, "{}\n", Msg(rules.status()));
    if (json) {
      std::string out = "{\"file\":";
      AppendJsonString(*path, &out);
      out += ",\"errors\":[";
      if (diagnostics.empty()) {
        out += "{\"message\":";
        AppendJsonString(Msg(rules.status()), &out);
        out += "}";
      }
      for (size_t i = 0; i < diagnostics.size(); ++i) {
        const Diagnostic& d = diagnostics[i];
        out +=
            fmt::format("{}{{\"line\":{},\"col\":{},\"message\":", i ? "," : "",
                        d.loc.line, d.loc.col);
        AppendJsonString(d.message, &out);
        out += "}";
      }
      out += "]}\n";
      std::fputs(out.c_str(), stdout);
    }
    return 2;
  }
  const std::vector<LintWarning> warnings = Lint(*rules);
  const std::string out =
      json ? LintJson(*rules, warnings) + "\n" : LintText(*rules, warnings);
  std::fwrite(out.data(), 1, out.size(), stdout);
  if (!json && !warnings.empty()) {
    fmt::print(stderr, "{}: {} warning{}\n", *path, warnings.size(),
               warnings.size() == 1 ? "" : "s");
  }
  if (std::fflush(stdout) != 0) {
    std::perror("hatmatch lint: writing output");
    return 2;
  }
  return warnings.empty() ? 0 : 1;
}

}  // namespace

HATMATCH_REGISTER_COMMAND(lint, "check a rule file for rules that never decide",
                          RunLint);

}  // namespace hatmatch::cli
