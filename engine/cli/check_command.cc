// Copyright 2026 The hatmatch Authors.
//
// `hatmatch check RULES`: validate a rule file; print its errors, or a
// summary of what it holds.

#include <cstdio>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "engine/cli/command.h"
#include "engine/cli/common.h"
#include "engine/cli/flags.h"
#include "fmt/format.h"

namespace hatmatch::cli {
namespace {

constexpr char kUsage[] =
    "usage: hatmatch check RULES\n\n"
    "Validates a HAT rule file (or a compiled table file). Prints every error\n"
    "as FILE:LINE:COL: MESSAGE on stderr and exits 1, or prints a summary\n"
    "(rules, policies, entries by kind) and exits 0. Warnings (such as a\n"
    "CIDR with host bits set, or a group without entries) go to stderr and\n"
    "do not fail the check.\n\n"
    "RULES is a regular file or a pipe (`<(...)`), read once; directories\n"
    "and devices are refused.\n";

const char* KindName(const EntryValue& v) {
  struct Visitor {
    const char* operator()(const Ipv4Range&) { return "ipv4"; }
    const char* operator()(const Ipv6Range&) { return "ipv6"; }
    const char* operator()(const HostPattern& h) {
      return h.partial ? "hostname (partial)" : "hostname (exact)";
    }
    const char* operator()(const SbrsRange&) { return "sbrs range"; }
    const char* operator()(const SbrsNone&) { return "sbrs none"; }
    const char* operator()(const OwnerId&) { return "sbo"; }
    const char* operator()(const DnsListZone&) { return "dnslist"; }
    const char* operator()(const DnsStateIs&) { return "dns state"; }
  };
  return std::visit(Visitor{}, v);
}

int RunCheck(const CommandArgs& args) {
  const Flags flags("check", kUsage);
  std::vector<std::string> paths;
  if (std::optional<int> done = flags.Parse(args, &paths)) return *done;
  if (paths.size() != 1) return flags.UsageError("expected one RULES file");
  const std::string& path = paths[0];
  std::optional<Loaded> loaded = LoadRules(path, {});
  if (!loaded) return 1;
  if (loaded->is_table_file) {
    TableStats st = loaded->table->Stats();
    fmt::print("{}: compiled table, {} rules, {} entries: OK\n", path, st.rules,
               st.entries);
    return 0;
  }
  const RuleSet& rs = *loaded->rules;
  PrintWarnings(rs);
  std::map<std::string, size_t> kinds;
  for (const Entry& e : rs.entries()) ++kinds[KindName(e.value)];
  size_t named_policies = 0;
  for (const Policy& p : rs.policies()) named_policies += !p.name.empty();
  fmt::print("{}: OK\n", path);
  fmt::print("  rules:     {}\n", rs.rules().size());
  fmt::print("  policies:  {} named, {} inline\n", named_policies,
             rs.policies().size() - named_policies);
  fmt::print("  entries:   {}\n", rs.entries().size());
  for (const auto& [kind, n] : kinds) fmt::print("    {:<20} {}\n", kind, n);
  fmt::print("  warnings:  {}\n", rs.warnings().size());
  return 0;
}

}  // namespace

HATMATCH_REGISTER_COMMAND(check, "validate a rule file and summarize it",
                          RunCheck, 1);

}  // namespace hatmatch::cli
