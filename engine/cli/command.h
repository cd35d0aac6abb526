// Copyright 2026 The hatmatch Authors.
//
// command.h: how `hatmatch SUBCOMMAND` finds its implementation.
//
// Each subcommand lives in engine/cli/<name>_command.cc and registers itself:
//
//   HATMATCH_REGISTER_COMMAND(check, "validate a rule file", RunCheck);
//
// where RunCheck(const CommandArgs&) returns the process exit status.  The
// args exclude the program and subcommand names.  Every command must answer
// --help (print usage on stdout, return 0).  Errors go to stderr; exit 1 for
// "the input was bad", 2 for usage errors.

#ifndef HATMATCH_ENGINE_CLI_COMMAND_H_
#define HATMATCH_ENGINE_CLI_COMMAND_H_

#include <string>
#include <string_view>
#include <vector>

namespace hatmatch::cli {

using CommandArgs = std::vector<std::string>;
using CommandFn = int (*)(const CommandArgs& args);

struct Command {
  std::string_view name;
  std::string_view summary;
  CommandFn run;
};

// Registers at static-initialization time; returns true so it can initialize
// a namespace-scope constant.
bool RegisterCommand(Command c);
const std::vector<Command>& Commands();  // sorted by name

// True when args contain -h or --help.
bool WantsHelp(const CommandArgs& args);

}  // namespace hatmatch::cli

#define HATMATCH_REGISTER_COMMAND(name, summary, fn)              \
  [[maybe_unused]] static const bool hatmatch_command_##name##_ = \
      ::hatmatch::cli::RegisterCommand({#name, summary, fn})

#endif  // HATMATCH_ENGINE_CLI_COMMAND_H_
