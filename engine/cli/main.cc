// Copyright 2026 The hatmatch Authors.
//
// main.cc: `hatmatch SUBCOMMAND [ARGS]` dispatch, --help and --version.

#include <algorithm>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "engine/cli/command.h"

namespace hatmatch::cli {
namespace {

std::vector<Command>& Registry() {
  static std::vector<Command> commands;
  return commands;
}

void PrintUsage(FILE* out) {
  std::fprintf(out,
               "usage: hatmatch COMMAND [ARGS]\n\n"
               "Classifies SMTP connections into sender groups of a Host "
               "Access Table.\n\ncommands:\n");
  for (const Command& c : Commands()) {
    std::fprintf(out, "  %-10.*s %.*s\n", static_cast<int>(c.name.size()),
                 c.name.data(), static_cast<int>(c.summary.size()),
                 c.summary.data());
  }
  std::fprintf(out,
               "\n`hatmatch COMMAND --help` describes one command.\n"
               "`hatmatch --version` prints the version.\n");
}

}  // namespace

bool RegisterCommand(Command c) {
  auto& r = Registry();
  r.push_back(c);
  std::sort(r.begin(), r.end(),
            [](const Command& a, const Command& b) { return a.name < b.name; });
  return true;
}

const std::vector<Command>& Commands() { return Registry(); }

bool WantsHelp(const CommandArgs& args) {
  return std::any_of(args.begin(), args.end(), [](const std::string& a) {
    return a == "-h" || a == "--help";
  });
}

}  // namespace hatmatch::cli

int main(int argc, char** argv) {
  using namespace hatmatch::cli;
  if (argc < 2) {
    PrintUsage(stderr);
    return 2;
  }
  std::string_view first = argv[1];
  if (first == "-h" || first == "--help" || first == "help") {
    PrintUsage(stdout);
    return 0;
  }
  if (first == "--version" || first == "version") {
    std::printf("hatmatch %s\n", HATMATCH_VERSION);
    return 0;
  }
  for (const Command& c : Commands()) {
    if (c.name == first) return c.run(CommandArgs(argv + 2, argv + argc));
  }
  std::fprintf(stderr, "hatmatch: unknown command '%s'\n\n", argv[1]);
  PrintUsage(stderr);
  return 2;
}
