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
    "usage: hatmatch diff [--json] [--max-contexts N] [--max-work N] OLD "
    "NEW\n\n"
    "Prints every connection whose decision (rule name, compared without\n"
    "case, and action) differs between two rule files, exactly:\n"
    "coalesced IPv4/IPv6 ranges, first for connections with only an address\n"
    "and then for each combination of the other inputs (ptr, dns, sbrs, sbo,\n"
    "dnslist) that leads somewhere different, with an example of it; the\n"
    "first rule per hostname, score, owner, DNS list and DNS state where\n"
    "that changed; and the number of addresses moved per action pair.\n\n"
    "OLD and NEW may be compiled tables: a table carries its rules.\n\n"
    "options:\n"
    "  --json            one JSON document with every range\n"
    "  --max-contexts N  stop (exit status 2) when the files realize more\n"
    "                    than N contexts, i.e. distinct pairs of first rules\n"
    "                    that a connection's non-address inputs bring in\n"
    "                    (default 100000; 0: no limit)\n"
    "  --max-work N      stop (exit status 2) when the diff needs more than N\n"
    "                    units of work: contexts x address pairs plus the\n"
    "                    address segments swept, decided before the sweeps\n"
    "                    (default 1000000000: under a minute; 0: no limit)\n\n"
    "Contexts, and so the work, can grow as the product of the two files'\n"
    "rule counts: a crafted pair of a few hundred rules each reaches the\n"
    "limits and fails fast instead of running for hours.  Realistic files\n"
    "stay far below them (docs/ANALYSIS.md).\n\n"
    "exit status: 0 equivalent, 1 not equivalent, 2 errors (a file does not\n"
    "parse, a limit was reached, or a usage error).\n";

// Past a limit nothing has been written: one line on standard error naming
// the figure reached and the flag that raises the limit.
int LimitError(const absl::Status& status, DiffLimit limit) {
  const absl::string_view m = status.message();
  fmt::print(stderr,
             "hatmatch diff: {}; raise the limit with {} N (0: no limit)\n",
             std::string_view(m.data(), m.size()),
             limit == DiffLimit::kContexts ? "--max-contexts" : "--max-work");
  return 2;
}

// Every range of every context, written as each context is computed, so
// that memory holds one context, not the whole document.  A failed write
// stops the diff; the exit path reports it.
int WriteJson(const RuleSet& o, const RuleSet& n, const DiffOptions& options) {
  DiffWalk walk(o, n, options);
  if (!walk.status().ok()) return LimitError(walk.status(), walk.exceeded());
  auto write = [](std::string_view piece) {
    return std::fwrite(piece.data(), 1, piece.size(), stdout) == piece.size();
  };
  if (!WriteDiffJson(o, n, walk, write) || !write("\n")) return 2;
  return walk.equivalent() ? 0 : 1;
}

int RunDiff(const CommandArgs& args) {
  bool json = false;
  DiffOptions options;
  Flags flags("diff", kUsage);
  flags.Switch({"--json"}, &json);
  flags.Value({"--max-contexts"}, CountValue(&options.max_contexts));
  flags.Value({"--max-work"}, CountValue(&options.max_work));
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
  if (json) return WriteJson(o, n, options);
  // The text shows kDiffTextRanges ranges of a context: keep no more.
  options.max_ranges = kDiffTextRanges;
  const DiffResult d = Diff(o, n, options);
  if (!d.status.ok()) return LimitError(d.status, d.exceeded);
  const std::string out = DiffText(o, n, d);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return d.equivalent() ? 0 : 1;
}

}  // namespace

HATMATCH_REGISTER_COMMAND(diff, "exact semantic difference of two rule files",
                          RunDiff, 2);

}  // namespace hatmatch::cli
