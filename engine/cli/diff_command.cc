// Copyright 2026 The hatmatch Authors.
//
// `hatmatch diff OLD NEW`: the exact semantic difference of two rule files
// (analysis.h, Diff).

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
    "usage: hatmatch diff [--json] OLD NEW\n\n"
    "Prints every connection whose decision (rule name, compared without\n"
    "case, and action) differs between two rule files, exactly:\n"
    "coalesced IPv4/IPv6 ranges, first for connections with only an address\n"
    "and then for each combination of the other inputs (ptr, dns, sbrs, sbo,\n"
    "dnslist) that leads somewhere different, with an example of it; the\n"
    "first rule per hostname, score, owner, DNS list and DNS state where\n"
    "that changed; and the number of addresses moved per action pair.\n\n"
    "OLD and NEW may be compiled tables: a table carries its rules.\n\n"
    "options:\n"
    "  --json  one JSON document with every range\n\n"
    "exit status: 0 equivalent, 1 not equivalent, 2 errors (a file does not\n"
    "parse, or a usage error).\n";

// Every range of every context, written as each context is computed, so
// that memory holds one context, not the whole document.  A failed write
// stops the diff; the exit path reports it.
int WriteJson(const RuleSet& o, const RuleSet& n) {
  DiffWalk walk(o, n);
  auto write = [](std::string_view piece) {
    return std::fwrite(piece.data(), 1, piece.size(), stdout) == piece.size();
  };
  if (!WriteDiffJson(o, n, walk, write) || !write("\n")) return 2;
  return walk.equivalent() ? 0 : 1;
}

int RunDiff(const CommandArgs& args) {
  bool json = false;
  Flags flags("diff", kUsage);
  flags.Switch({"--json"}, &json);
  std::vector<std::string> paths;
  if (std::optional<int> done = flags.Parse(args, &paths)) return *done;
  if (paths.size() != 2) return flags.UsageError("expected OLD and NEW");
  std::optional<Loaded> files[2];
  for (int i = 0; i < 2; ++i) {
    files[i] = LoadRules(paths[i], {.rules = true});
    if (!files[i]) return 2;
  }
  const RuleSet& o = *files[0]->rules;
  const RuleSet& n = *files[1]->rules;
  if (json) return WriteJson(o, n);
  // The text shows kDiffTextRanges ranges of a context: keep no more.
  const DiffResult d = Diff(o, n, DiffOptions{kDiffTextRanges});
  const std::string out = DiffText(o, n, d);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return d.equivalent() ? 0 : 1;
}

}  // namespace

HATMATCH_REGISTER_COMMAND(diff, "exact semantic difference of two rule files",
                          RunDiff, 2);

}  // namespace hatmatch::cli
