// Copyright 2026 The hatmatch Authors.
//
// `hatmatch compile RULES -o TABLE`: parse and compile a rule file into a
// table file (docs/TABLE-FORMAT.md), written atomically.

#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include "engine/cli/command.h"
#include "engine/cli/common.h"
#include "fmt/format.h"

namespace hatmatch::cli {
namespace {

constexpr char kUsage[] =
    "usage: hatmatch compile RULES -o TABLE\n\n"
    "Parses and compiles the HAT rule file RULES into the table file TABLE,\n"
    "which every command taking RULES accepts in its place and which a\n"
    "gateway maps in milliseconds (Table::Open, Matcher::Reload).\n\n"
    "TABLE is written atomically: a temporary file in the same directory,\n"
    "fsync, rename, fsync of the directory, so a crash never leaves a partial\n"
    "table under that name and readers of the old file are not disturbed.\n"
    "The same rules always give the same bytes. On a rule error nothing is\n"
    "written and the exit status is 1.\n\n"
    "options:\n"
    "  -o, --output TABLE   the table file to write (required)\n";

int RunCompile(const CommandArgs& args) {
  if (WantsHelp(args)) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  std::optional<std::string> rules_path, table_path;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "-o" || a == "--output") {
      if (i + 1 == args.size() || table_path) {
        std::fputs(kUsage, stderr);
        return 2;
      }
      table_path = args[++i];
    } else if (a.rfind("--output=", 0) == 0 && !table_path) {
      table_path = a.substr(9);
    } else if (IsFlag(a) || rules_path) {
      std::fputs(kUsage, stderr);
      return 2;
    } else {
      rules_path = a;
    }
  }
  if (!rules_path || !table_path || table_path->empty()) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  std::optional<Loaded> loaded = LoadRules(*rules_path, /*compile=*/true);
  if (!loaded) return 1;
  if (loaded->rules) {
    for (const Diagnostic& w : loaded->rules->warnings()) {
      fmt::print(stderr, "{}: warning: {}\n",
                 fmt::format("{}:{}:{}", w.file, w.loc.line, w.loc.col),
                 w.message);
    }
  }
  const std::string bytes = loaded->table->Serialize();
  if (absl::Status s = loaded->table->Write(*table_path); !s.ok()) {
    fmt::print(stderr, "hatmatch compile: {}\n", Msg(s));
    return 1;
  }
  const TableStats st = loaded->table->Stats();
  fmt::print("{}: {} rules, {} entries, {} bytes\n", *table_path, st.rules,
             st.entries, bytes.size());
  return 0;
}

}  // namespace

HATMATCH_REGISTER_COMMAND(compile, "compile a rule file into a table file",
                          RunCompile);

}  // namespace hatmatch::cli
