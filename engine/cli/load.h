// Copyright 2026 The hatmatch Authors.
//
// load.h: the one way every command reads RULES, a rule file or a compiled
// table file.
//
// Each input is read exactly once, from one descriptor: the first bytes
// decide whether it is a table (the table magic) or rule text, and reading
// goes on from there.  So `hatmatch classify <(cat rules.hat)`, a FIFO and a
// pipe work like a regular file.  Directories, devices and sockets are
// refused before anything is read.  Memory is bounded by the documented
// limits, not by the input: rule text by ParseOptions (1 GiB per file, 1 MiB
// per line; reading stops at the first line over the limit), a table by
// Table::kMaxFileBytes.
//
// A table carries its whole rule set (names, policies, parameters, entries
// with their source lines, warnings), so a command that works on rules
// (explain, lint, diff, classify --reference) takes a table too: the rules are
// rebuilt from it (Table::RestoreRuleSet) and locations name the rule file it
// was compiled from.

#ifndef HATMATCH_ENGINE_CLI_LOAD_H_
#define HATMATCH_ENGINE_CLI_LOAD_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hatmatch/rules.h"
#include "hatmatch/table.h"

namespace hatmatch::cli {

// What a command needs from RULES.
struct LoadNeeds {
  bool rules = false;  // a RuleSet (rebuilt from a table file)
  bool table = false;  // a Table (compiled from a rule file)
};

// What RULES named.  `rules` and `table` are set as asked; `rules` is also
// set for a rule file and `table` for a table file.
struct Loaded {
  bool is_table_file = false;
  std::optional<RuleSet> rules;
  std::shared_ptr<const Table> table;
};

// Why loading failed, for commands that report it in their own format too.
struct LoadErrors {
  std::string message;                  // what was printed to stderr
  std::vector<Diagnostic> diagnostics;  // each rule-file error, if any
};

// Loads RULES; on failure prints every error to stderr (each naming the
// file), fills *errors when given, and returns nullopt.
std::optional<Loaded> LoadRules(const std::string& path, LoadNeeds needs,
                                LoadErrors* errors = nullptr);

}  // namespace hatmatch::cli

#endif  // HATMATCH_ENGINE_CLI_LOAD_H_
