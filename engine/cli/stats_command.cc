// Copyright 2026 The hatmatch Authors.
//
// `hatmatch stats RULES`: compile time and the bytes of each compiled
// structure, per entry.

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "engine/cli/command.h"
#include "engine/cli/common.h"
#include "engine/cli/flags.h"
#include "fmt/format.h"

namespace hatmatch::cli {
namespace {

constexpr char kUsage[] =
    "usage: hatmatch stats RULES\n\n"
    "Compiles RULES (or opens a compiled table) and prints the compile time,\n"
    "the bytes of each structure (IPv4 trie, IPv6 trie, hostname table,\n"
    "criteria, entry-rule and rule-action maps, metadata) and bytes per\n"
    "entry.\n";

double PerEntry(size_t bytes, size_t n) {
  return n ? static_cast<double>(bytes) / static_cast<double>(n) : 0.0;
}

int RunStats(const CommandArgs& args) {
  const Flags flags("stats", kUsage);
  std::vector<std::string> paths;
  if (std::optional<int> done = flags.Parse(args, &paths)) return *done;
  if (paths.size() != 1) return flags.UsageError("expected one RULES file");
  std::optional<Loaded> loaded = LoadRules(paths[0], {.table = true});
  if (!loaded) return 1;
  const TableStats s = loaded->table->Stats();
  fmt::print("rules            {}\n", s.rules);
  fmt::print("entries          {} (ipv4 {}, ipv6 {}, hostnames {})\n",
             s.entries, s.ipv4_entries, s.ipv6_entries, s.host_entries);
  fmt::print("compile time     {:.3f} s\n", s.compile_seconds);
  fmt::print("{:<16} {:>12} {:>14}\n", "structure", "bytes", "bytes/entry");
  auto row = [](const char* name, size_t bytes, size_t n) {
    fmt::print("{:<16} {:>12} {:>14.2f}\n", name, bytes, PerEntry(bytes, n));
  };
  row("ipv4 trie", s.ipv4_bytes, s.ipv4_entries);
  row("ipv6 trie", s.ipv6_bytes, s.ipv6_entries);
  row("hostnames", s.host_bytes, s.host_entries);
  row("criteria", s.criteria_bytes, s.entries);
  row("rule maps", s.side_bytes, s.entries);
  row("metadata", s.metadata_bytes, s.entries);
  row("total", s.total_bytes(), s.entries);
  return 0;
}

}  // namespace

HATMATCH_REGISTER_COMMAND(stats, "compile and print structure sizes", RunStats,
                          1);

}  // namespace hatmatch::cli
