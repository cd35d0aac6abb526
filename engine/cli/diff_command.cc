// Copyright 2026 The hatmatch Authors.
//
// `hatmatch diff OLD NEW`: the exact semantic difference of two rule files
// (analysis.h, Diff).

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "engine/cli/command.h"
#include "engine/cli/common.h"
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
    "options:\n"
    "  --json  one JSON document with every range\n\n"
    "exit status: 0 equivalent, 1 not equivalent, 2 errors (a file does not\n"
    "parse, or a usage error).\n";

int RunDiff(const CommandArgs& args) {
  if (WantsHelp(args)) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  bool json = false;
  std::vector<std::string> paths;
  for (const std::string& a : args) {
    if (a == "--json") {
      json = true;
    } else if (IsFlag(a)) {
      fmt::print(stderr, "hatmatch diff: unknown option '{}'\n\n{}", a, kUsage);
      return 2;
    } else {
      paths.push_back(a);
    }
  }
  if (paths.size() != 2) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  std::optional<Loaded> files[2];
  for (int i = 0; i < 2; ++i) {
    files[i] = LoadRules(paths[i], /*compile=*/false);
    if (!files[i]) return 2;
    if (!files[i]->rules) {
      fmt::print(stderr,
                 "hatmatch diff: {}: needs a rule file, not a compiled "
                 "table\n",
                 paths[i]);
      return 2;
    }
  }
  const RuleSet& o = *files[0]->rules;
  const RuleSet& n = *files[1]->rules;
  const DiffResult d = Diff(o, n);
  const std::string out = json ? DiffJson(o, n, d) + "\n" : DiffText(o, n, d);
  std::fwrite(out.data(), 1, out.size(), stdout);
  if (std::fflush(stdout) != 0) {
    std::perror("hatmatch diff: writing output");
    return 2;
  }
  return d.equivalent() ? 0 : 1;
}

}  // namespace

HATMATCH_REGISTER_COMMAND(diff, "exact semantic difference of two rule files",
                          RunDiff);

}  // namespace hatmatch::cli
