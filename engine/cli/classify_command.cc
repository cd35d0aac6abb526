// Copyright 2026 The hatmatch Authors.
//
// `hatmatch classify RULES`: the batch contract of HAT-RULES.md section 5.
// Streams standard input to standard output in constant memory: one output
// line per connection line, `?` for a malformed one, which never stops the
// batch.

#include <unistd.h>

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "engine/cli/command.h"
#include "engine/cli/common.h"
#include "engine/cli/flags.h"
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
    "RULES has errors, standard input cannot be read to its end or the\n"
    "output cannot be written, 2 on usage errors.\n";

// One output line for one input line: the decision, or the error.
void AppendResult(const absl::StatusOr<Connection>& conn, uint64_t lineno,
                  bool json, const Table* table, const ReferenceClassifier* ref,
                  std::string* out) {
  if (!conn.ok()) {
    std::string_view msg = Msg(conn.status());
    fmt::print(stderr, "stdin:{}: {}\n", lineno, msg);
    if (json) {
      out->append(fmt::format("{{\"line\":{},\"error\":", lineno));
      AppendJsonString(msg, out);
      out->append("}\n");
    } else {
      AppendBatchError(msg, out);
    }
  } else if (json) {
    Decision d = ref ? ref->Classify(*conn) : table->ClassifyWithEntry(*conn);
    DecisionDetail detail = ref ? ref->Detail(d) : table->Detail(d);
    out->append(fmt::format("{{\"line\":{},", lineno));
    AppendDecisionJson(detail, out);
    out->append("}\n");
  } else {
    Decision d = ref ? ref->Classify(*conn) : table->Classify(*conn);
    std::string_view name;
    if (d.matched()) {
      name = ref ? std::string_view(ref->rules().rules()[d.rule].name)
                 : table->rule_name(d.rule);
    }
    AppendBatchDecision(d, name, out);
  }
}

int RunClassify(const CommandArgs& args) {
  bool json = false, reference = false;
  Flags flags("classify", kUsage);
  flags.Switch({"--json"}, &json);
  flags.Switch({"--reference"}, &reference);
  std::vector<std::string> paths;
  if (std::optional<int> done = flags.Parse(args, &paths)) return *done;
  if (paths.size() != 1) return flags.UsageError("expected one RULES file");
  // --reference on a table runs the reference classifier on the rules the
  // table carries: it cross-checks a table file against its own source.
  std::optional<Loaded> loaded =
      LoadRules(paths[0], {.rules = reference, .table = !reference});
  if (!loaded) return 1;
  std::optional<ReferenceClassifier> ref;
  if (reference) ref.emplace(*loaded->rules);
  const Table* table = loaded->table.get();

  LineReader reader(STDIN_FILENO);
  std::string line, out;
  bool too_long = false;
  uint64_t lineno = 0;
  while (!StdoutFailed() && reader.Next(&line, &too_long)) {
    ++lineno;
    std::optional<absl::StatusOr<Connection>> conn =
        ParseBatchLine(line, too_long, kMaxInputLine);
    if (!conn) continue;
    out.clear();
    AppendResult(*conn, lineno, json, table, ref ? &*ref : nullptr, &out);
    std::fwrite(out.data(), 1, out.size(), stdout);
  }
  return ReportReadError("classify", reader) ? 1 : 0;
}

}  // namespace

HATMATCH_REGISTER_COMMAND(classify,
                          "classify connections read from stdin (batch)",
                          RunClassify, 1);

}  // namespace hatmatch::cli
