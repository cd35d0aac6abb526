// Copyright 2026 The hatmatch Authors.
//
// `hatmatch explain RULES [CONNECTION...]`: why a connection gets its
// decision (analysis.h, Explain).

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "engine/cli/command.h"
#include "engine/cli/common.h"
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
  if (WantsHelp(args)) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  bool json = false;
  std::optional<std::string> rules_path;
  std::vector<std::string> words;
  for (const std::string& a : args) {
    if (a == "--json") {
      json = true;
    } else if (!rules_path) {
      if (IsFlag(a)) {
        fmt::print(stderr, "hatmatch explain: unknown option '{}'\n\n{}", a,
                   kUsage);
        return 2;
      }
      rules_path = a;
    } else {
      words.push_back(a);
    }
  }
  if (!rules_path) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  std::optional<Loaded> loaded = LoadRules(*rules_path, /*compile=*/false);
  if (!loaded) return 1;
  if (!loaded->rules) {
    fmt::print(stderr,
               "hatmatch explain: needs a rule file, not a compiled table\n");
    return 2;
  }
  const RuleSet& rules = *loaded->rules;
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
    const Explanation ex = Explain(rules, *conn, address);
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
    std::string line;
    bool too_long = false;
    uint64_t lineno = 0;
    while (ReadLine(stdin, &line, &too_long)) {
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
  }
  if (std::fflush(stdout) != 0) {
    std::perror("hatmatch explain: writing output");
    return 1;
  }
  return status;
}

}  // namespace

HATMATCH_REGISTER_COMMAND(explain,
                          "explain why connections get their decisions",
                          RunExplain);

}  // namespace hatmatch::cli
