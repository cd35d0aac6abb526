// Copyright 2026 The hatmatch Authors.
//
// `hatmatch compile RULES -o TABLE`: parse and compile a rule file into a
// table file (docs/TABLE-FORMAT.md), written atomically.

#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/cli/command.h"
#include "engine/cli/common.h"
#include "engine/cli/flags.h"
#include "engine/cli/output_path.h"
#include "engine/format/table_file.h"
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
    "TABLE must be a regular file or a name not yet taken: a directory, a\n"
    "device, a FIFO or a socket is refused, and so is a symbolic link (the\n"
    "rename would replace the link, not the file it points to: name the\n"
    "target). TABLE may not be RULES itself (the same file by inode).\n\n"
    "options:\n"
    "  -o, --output TABLE   the table file to write (required)\n";

int RunCompile(const CommandArgs& args) {
  std::string table_path;
  Flags flags("compile", kUsage);
  flags.String({"-o", "--output"}, &table_path);
  std::vector<std::string> paths;
  if (std::optional<int> done = flags.Parse(args, &paths)) return *done;
  if (paths.size() != 1) return flags.UsageError("expected one RULES file");
  if (table_path.empty()) return flags.UsageError("-o TABLE is required");
  if (absl::Status s = CheckOutputPath(paths[0], table_path); !s.ok()) {
    fmt::print(stderr, "hatmatch compile: {}\n", Msg(s));
    return 1;
  }
  std::optional<Loaded> loaded = LoadRules(paths[0], {.table = true});
  if (!loaded) return 1;
  if (loaded->rules) PrintWarnings(*loaded->rules);
  // Serialized once: its size is printed below, and Table::Write() would
  // serialize it again.
  const std::string bytes = loaded->table->Serialize();
  if (absl::Status s = WriteFileAtomically(table_path, bytes); !s.ok()) {
    fmt::print(stderr, "hatmatch compile: {}\n", Msg(s));
    return 1;
  }
  const TableStats st = loaded->table->Stats();
  fmt::print("{}: {} rules, {} entries, {} bytes\n", table_path, st.rules,
             st.entries, bytes.size());
  return 0;
}

}  // namespace

HATMATCH_REGISTER_COMMAND(compile, "compile a rule file into a table file",
                          RunCompile, 1);

}  // namespace hatmatch::cli
