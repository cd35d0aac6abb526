// Copyright 2026 The hatmatch Authors.
//
// command.h: how `hatmatch SUBCOMMAND` finds its implementation.
//
// Each subcommand lives in engine/cli/<name>_command.cc and registers itself:
//
//   HATMATCH_REGISTER_COMMAND(check, "validate a rule file", RunCheck, 1);
//
// where RunCheck(const CommandArgs&) returns the process exit status.  The
// args exclude the program and subcommand names.  Every command parses them
// with Flags (flags.h), so every command answers --help (usage on stdout,
// exit 0) and refuses unknown flags (exit 2).  Errors go to stderr; exit 1
// for "the input was bad", 2 for usage errors.
//
// Standard output is checked once for every command, after it returns: if a
// write failed (a full disk, a closed descriptor, a broken pipe), main()
// reports it and exits with the command's error status (the last macro
// argument: 1, or 2 for commands whose 1 means a finding).

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
  int error_status;  // the exit status when standard output cannot be written
};

// Registers at static-initialization time; returns true so it can initialize
// a namespace-scope constant.
bool RegisterCommand(Command c);
const std::vector<Command>& Commands();  // sorted by name

}  // namespace hatmatch::cli

#define HATMATCH_REGISTER_COMMAND(name, summary, fn, error_status) \
  [[maybe_unused]] static const bool hatmatch_command_##name##_ =  \
      ::hatmatch::cli::RegisterCommand({#name, summary, fn, error_status})

#endif  // HATMATCH_ENGINE_CLI_COMMAND_H_
