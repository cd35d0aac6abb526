// Copyright 2026 The hatmatch Authors.
//
// `hatmatch explain RULES [CONNECTION...]`: why a connection gets its
// decision (analysis.h, Explain).

#include <unistd.h>

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "engine/cli/command.h"
#include "engine/cli/common.h"
#include "engine/cli/flags.h"
#include "fmt/format.h"
#include "hatmatch/analysis.h"
#include "hatmatch/connection.h"

namespace hatmatch::cli {
namespace {

constexpr char kUsage[] =
    "usage: hatmatch explain [--json] RULES [CONNECTION...]\n\n"
    "Explains the decision for each connection: the deciding rule and entry\n"
    "with FILE:LINE:COL, every other matching entry and why it did not\n"
    "decide (an earlier rule won; its policy is CONTINUE; an earlier entry of\n"
    "the same rule decided), and the inputs that were ignored and why (PTR\n"
    "not verified, IPv4-mapped address, no score, unknown DNS list, ...).\n\n"
    "A CONNECTION is a classify input line:\n"
    "  ADDRESS [ptr=NAME] [dns=nx|servfail|mismatch] [sbrs=NUMBER|none]\n"
    "          [sbo=N] [dnslist=ZONE[,ZONE...]]\n"
    "given as one quoted argument, or as separate words (a word with `=`\n"
    "belongs to the address before it). Without CONNECTION, lines are read\n"
    "from standard input.\n\n"
    "RULES may be a compiled table: it carries its rules, and locations name\n"
    "the rule file it was compiled from.\n\n"
    "options:\n"
    "  --json  one JSON object per connection and line\n\n"
    "exit status: 0 when every connection was explained, 1 when RULES has\n"
    "errors or a connection is malformed, 2 on usage errors.\n";

// Groups argument words into connection lines.
std::vector<std::string> ConnectionLines(const std::vector<std::string>& w) {
  std::vector<std::string> lines;
  for (const std::string& word : w) {
    const bool field = word.find('=') != std::string::npos &&
                       word.find(' ') == std::string::npos;
    if (field && !lines.empty()) {
      lines.back() += " " + word;
    } else {
      lines.push_back(word);
    }
  }
  return lines;
}

int RunExplain(const CommandArgs& args) {
  bool json = false;
  Flags flags("explain", kUsage);
  flags.Switch({"--json"}, &json);
  std::vector<std::string> words;
  if (std::optional<int> done = flags.Parse(args, &words)) return *done;
  if (words.empty()) return flags.UsageError("expected RULES");
  std::optional<Loaded> loaded = LoadRules(words[0], {.rules = true});
  if (!loaded) return 1;
  words.erase(words.begin());
  const RuleSet& rules = *loaded->rules;
  // Indexed once: each connection then costs what it matches.
  const Explainer explainer(rules);
  int status = 0;
  bool first = true;
  auto explain_line = [&](const std::string& line, const std::string& where) {
    absl::StatusOr<Connection> conn = ParseConnection(line);
    if (!conn.ok()) {
      fmt::print(stderr, "{}: {}\n", where, Msg(conn.status()));
      if (json) {
        std::string out = "{\"input\":";
        AppendJsonString(line, &out);
        out += ",\"error\":";
        AppendJsonString(Msg(conn.status()), &out);
        out += "}\n";
        std::fputs(out.c_str(), stdout);
      }
      status = 1;
      return;
    }
    // The address as written: Explain tells when an IPv6 spelling was read
    // as an IPv4 host.
    const size_t start = line.find_first_not_of(" \t");
    const size_t end = line.find_first_of(" \t", start);
    const std::string address =
        start == std::string::npos ? "" : line.substr(start, end - start);
    const Explanation ex = explainer.Explain(*conn, address);
    std::string out = json ? ExplanationJson(rules, *conn, ex) + "\n"
                           : ExplanationText(rules, *conn, ex);
    if (!json && !first) std::fputs("\n", stdout);
    first = false;
    std::fwrite(out.data(), 1, out.size(), stdout);
  };
  if (!words.empty()) {
    const std::vector<std::string> lines = ConnectionLines(words);
    for (size_t i = 0; i < lines.size(); ++i) {
      explain_line(lines[i], fmt::format("connection {}", i + 1));
    }
  } else {
    LineReader reader(STDIN_FILENO);
    std::string line;
    bool too_long = false;
    uint64_t lineno = 0;
    while (!StdoutFailed() && reader.Next(&line, &too_long)) {
      ++lineno;
      if (too_long) {
        fmt::print(stderr, "stdin:{}: line longer than {} bytes\n", lineno,
                   kMaxInputLine);
        status = 1;
        continue;
      }
      if (IsSkippedConnectionLine(line)) continue;
      explain_line(line, fmt::format("stdin:{}", lineno));
    }
    if (ReportReadError("explain", reader)) status = 1;
  }
  return status;
}

}  // namespace

HATMATCH_REGISTER_COMMAND(explain,
                          "explain why connections get their decisions",
                          RunExplain, 1);

}  // namespace hatmatch::cli
