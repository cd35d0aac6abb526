// Copyright 2026 The hatmatch Authors.
//
// `hatmatch serve RULES`: the long-running policy service for mail gateways
// (engine/serve/, docs/SERVE.md).  This file only turns the command line
// into a ServeConfig and runs the Server until SIGTERM.

#include <sched.h>

#include <charconv>
#include <cstdio>
#include <optional>
#include <string>
#include <thread>

#include "engine/cli/command.h"
#include "engine/cli/common.h"
#include "engine/serve/log.h"
#include "engine/serve/server.h"
#include "fmt/format.h"
#include "hatmatch/matcher.h"

namespace hatmatch::cli {
namespace {

using serve::ProtocolKind;

constexpr char kUsage[] =
    "usage: hatmatch serve RULES --listen ADDR [--listen ADDR ...]\n"
    "                      [--line ADDR ...] [--metrics ADDR] [options]\n\n"
    "Serves the sender-group decisions of RULES (a rule file or a compiled\n"
    "table file) to mail gateways, until SIGTERM or SIGINT.  ADDR is\n"
    "inet:HOST:PORT (IPv6 in brackets) or unix:PATH.\n\n"
    "listeners:\n"
    "  --listen ADDR        Postfix policy delegation (check_policy_service)\n"
    "  --line ADDR          the `hatmatch classify` line format (Exim\n"
    "                       ${readsocket}, scripts)\n"
    "  --metrics ADDR       Prometheus text over HTTP: counters per group and\n"
    "                       reply, latency histogram, table generation\n\n"
    "options:\n"
    "  --threads N          worker threads (default: the cores available)\n"
    "  --max-connections N  client connections at once (default 16384)\n"
    "  --idle-timeout S     close a connection silent for S seconds (300)\n"
    "  --request-timeout S  close a connection whose request is not\n"
    "                       complete S seconds after it began (60)\n"
    "  --watch-interval S   check RULES for changes every S seconds (1)\n"
    "  --drain-timeout S    on SIGTERM, wait at most S seconds for\n"
    "                       requests in flight (5)\n"
    "  --action NAME=TEXT   the Postfix action for NAME: ACCEPT, RELAY,\n"
    "                       REJECT, TCPREFUSE, CONTINUE, NOMATCH, STARTTLS,\n"
    "                       ERROR; {group} is replaced by the group's name\n"
    "  --prepend-header H   answer `PREPEND H: GROUP` instead of DUNNO for a\n"
    "                       matched group\n"
    "  --log-level L        debug (a line per decision), info, error (info)\n\n"
    "SIGHUP reloads RULES; so does a change of the file.  A failed reload\n"
    "keeps the old table.  docs/SERVE.md has the action table and details.\n\n"
    "exit status: 0 after a graceful shutdown, 1 when RULES has errors or a\n"
    "listener cannot be bound, 2 on usage errors.\n";

int UsageError(std::string_view message) {
  fmt::print(stderr, "hatmatch serve: {}\n\n{}", message, kUsage);
  return 2;
}

std::optional<double> ParseNumber(std::string_view text) {
  double v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < 0) {
    return std::nullopt;
  }
  return v;
}

int CoresAvailable() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0) return CPU_COUNT(&set);
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

// Applies one option (its value already split off); an error message or "".
std::string ApplyOption(std::string_view name, std::string_view value,
                        serve::ServeConfig* c) {
  auto listener = [&](ProtocolKind kind) -> std::string {
    absl::StatusOr<serve::ListenAddress> a = serve::ParseListenAddress(value);
    if (!a.ok()) return std::string(Msg(a.status()));
    c->listeners.push_back({kind, *a});
    return "";
  };
  auto seconds = [&](std::chrono::milliseconds* out) -> std::string {
    std::optional<double> s = ParseNumber(value);
    if (!s) return fmt::format("{} expects seconds, got '{}'", name, value);
    *out = std::chrono::milliseconds(static_cast<int64_t>(*s * 1000));
    return "";
  };
  if (name == "--listen") return listener(ProtocolKind::kPolicy);
  if (name == "--line") return listener(ProtocolKind::kLine);
  if (name == "--metrics") return listener(ProtocolKind::kMetrics);
  if (name == "--idle-timeout") return seconds(&c->session.idle_timeout);
  if (name == "--request-timeout") return seconds(&c->session.request_timeout);
  if (name == "--watch-interval") return seconds(&c->watch_interval);
  if (name == "--drain-timeout") return seconds(&c->drain_timeout);
  if (name == "--threads" || name == "--max-connections") {
    std::optional<double> n = ParseNumber(value);
    if (!n || *n < 1 || *n != static_cast<int64_t>(*n)) {
      return fmt::format("{} expects a positive integer, got '{}'", name,
                         value);
    }
    if (name == "--threads") c->threads = static_cast<int>(*n);
    if (name == "--max-connections") c->max_connections = size_t(*n);
    return "";
  }
  if (name == "--action") {
    absl::Status s = c->actions.Override(value);
    return s.ok() ? "" : std::string(Msg(s));
  }
  if (name == "--prepend-header") {
    c->actions.set_prepend_header(std::string(value));
    return "";
  }
  if (name == "--log-level") {
    absl::StatusOr<serve::LogLevel> level = serve::ParseLogLevel(value);
    if (!level.ok()) return std::string(Msg(level.status()));
    serve::SetLogLevel(*level);
    return "";
  }
  return fmt::format("unknown option '{}'", name);
}

// Fills *c from the arguments; an error message or "".
std::string ParseArgs(const CommandArgs& args, serve::ServeConfig* c) {
  c->threads = CoresAvailable();
  for (size_t i = 0; i < args.size(); ++i) {
    std::string_view a = args[i];
    if (!IsFlag(a)) {
      if (!c->rules_path.empty()) return fmt::format("unexpected '{}'", a);
      c->rules_path = std::string(a);
      continue;
    }
    std::string_view name = a, value;
    if (size_t eq = a.find('='); eq != std::string_view::npos) {
      name = a.substr(0, eq);
      value = a.substr(eq + 1);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return fmt::format("{} needs a value", a);
    }
    if (std::string e = ApplyOption(name, value, c); !e.empty()) return e;
  }
  if (c->rules_path.empty()) return "no RULES given";
  if (c->listeners.empty()) return "no listener (--listen, --line)";
  return "";
}

int RunServe(const CommandArgs& args) {
  if (WantsHelp(args)) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  serve::ServeConfig config;
  if (std::string e = ParseArgs(args, &config); !e.empty()) {
    return UsageError(e);
  }
  std::optional<Loaded> loaded = LoadRules(config.rules_path, true);
  if (!loaded) return 1;
  Matcher matcher(loaded->table);
  loaded.reset();  // the Matcher holds the table; the RuleSet is not needed
  serve::Server server(std::move(config), &matcher);
  if (absl::Status s = server.Start(); !s.ok()) {
    serve::Log(serve::LogLevel::kError, "start_failed", {{"error", Msg(s)}});
    return 1;
  }
  server.Wait();
  serve::Log(serve::LogLevel::kInfo, "stopped", {});
  return 0;
}

}  // namespace

HATMATCH_REGISTER_COMMAND(serve, "the policy service for Postfix, Exim, ...",
                          RunServe);

}  // namespace hatmatch::cli
