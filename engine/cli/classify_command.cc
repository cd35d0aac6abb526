// Copyright 2026 The hatmatch Authors.
//
// `hatmatch classify RULES`: the batch contract of HAT-RULES.md section 5.
// Streams standard input to standard output in constant memory: one output
// line per connection line, `?` for a malformed one, which never stops the
// batch.

#include <cstdio>
#include <optional>
#include <string>

#include "engine/cli/command.h"
#include "engine/cli/common.h"
#include "engine/parse/batch_line.h"
#include "fmt/format.h"
#include "hatmatch/connection.h"
#include "hatmatch/reference.h"

namespace hatmatch::cli {
namespace {

constexpr char kUsage[] =
    "usage: hatmatch classify [--json] [--reference] RULES < CONNECTIONS\n\n"
    "Reads connections from standard input, one per line:\n"
    "  ADDRESS [ptr=NAME] [dns=nx|servfail|mismatch] [sbrs=NUMBER|none]\n"
    "          [sbo=N] [dnslist=ZONE[,ZONE...]]\n"
    "and prints, per line, the deciding rule's name and its action, tab-\n"
    "separated (`-\\t-` when no rule matches). Blank and `#` lines print\n"
    "nothing. A malformed line prints `?\\tERROR` (and the error, with its\n"
    "line number, on stderr); every other line is still classified.\n\n"
    "RULES is a rule file or a compiled table file (hatmatch compile).\n\n"
    "options:\n"
    "  --json       one JSON object per line with the full decision: rule,\n"
    "               action, policy, params, deciding entry and its line\n"
    "  --reference  use the linear reference classifier instead of the\n"
    "               compiled table (slow; for cross-checking)\n\n"
    "exit status: 0 when the batch ran (malformed lines included), 1 when\n"
    "RULES has errors, 2 on usage errors.\n";

int RunClassify(const CommandArgs& args) {
  if (WantsHelp(args)) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  bool json = false, reference = false;
  std::optional<std::string> rules_path;
  for (const std::string& a : args) {
    if (a == "--json") {
      json = true;
    } else if (a == "--reference") {
      reference = true;
    } else if (IsFlag(a) || rules_path) {
      fmt::print(stderr, "hatmatch classify: unexpected argument '{}'\n\n{}", a,
                 kUsage);
      return 2;
    } else {
      rules_path = a;
    }
  }
  if (!rules_path) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  std::optional<Loaded> loaded = LoadRules(*rules_path, !reference);
  if (!loaded) return 1;
  if (reference && !loaded->rules) {
    // A table carries its rules: the reference classifier runs on them, so
    // --reference cross-checks a table file against its own source.
    loaded->rules = loaded->table->RestoreRuleSet();
  }
  std::optional<ReferenceClassifier> ref;
  if (reference) ref.emplace(*loaded->rules);
  const Table* table = loaded->table.get();

  std::string line, out;
  bool too_long = false;
  uint64_t lineno = 0;
  while (ReadLine(stdin, &line, &too_long)) {
    ++lineno;
    std::optional<absl::StatusOr<Connection>> conn =
        ParseBatchLine(line, too_long, kMaxInputLine);
    if (!conn) continue;
    out.clear();
    if (!conn->ok()) {
      std::string_view msg = Msg(conn->status());
      fmt::print(stderr, "stdin:{}: {}\n", lineno, msg);
      if (json) {
        out.append(fmt::format("{{\"line\":{},\"error\":", lineno));
        AppendJsonString(msg, &out);
        out.append("}\n");
      } else {
        AppendBatchError(msg, &out);
      }
    } else if (json) {
      Decision d =
          ref ? ref->Classify(**conn) : table->ClassifyWithEntry(**conn);
      DecisionDetail detail = ref ? ref->Detail(d) : table->Detail(d);
      out.append(fmt::format("{{\"line\":{},", lineno));
      AppendDecisionJson(detail, &out);
      out.append("}\n");
    } else {
      Decision d = ref ? ref->Classify(**conn) : table->Classify(**conn);
      std::string_view name;
      if (d.matched()) {
        name = ref ? std::string_view(ref->rules().rules()[d.rule].name)
                   : table->rule_name(d.rule);
      }
      AppendBatchDecision(d, name, &out);
    }
    std::fwrite(out.data(), 1, out.size(), stdout);
  }
  if (std::fflush(stdout) != 0) {
    std::perror("hatmatch classify: writing output");
    return 1;
  }
  return 0;
}

}  // namespace

HATMATCH_REGISTER_COMMAND(classify,
                          "classify connections read from stdin (batch)",
                          RunClassify);

}  // namespace hatmatch::cli
