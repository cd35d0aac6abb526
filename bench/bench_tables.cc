// Copyright 2026 The hatmatch Authors.
//
// bench_tables.cc: see bench_tables.h.

#include "bench/bench_tables.h"

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "engine/compile/dimensions.h"
#include "engine/gen/rule_gen.h"
#include "engine/table/priority_map.h"
#include "hatmatch/parse.h"

namespace hatmatch::bench {

std::unique_ptr<BenchTable> MakeBenchTable(std::string name, std::string origin,
                                           std::shared_ptr<const RuleSet> rs) {
  auto t = std::make_unique<BenchTable>();
  t->name = std::move(name);
  t->origin = std::move(origin);
  for (const Entry& e : rs->entries()) {  // every entry, CONTINUE ones too
    t->v4_entries += std::holds_alternative<Ipv4Range>(e.value);
    t->v6_entries += std::holds_alternative<Ipv6Range>(e.value);
    t->host_entries += std::holds_alternative<HostPattern>(e.value);
  }
  DecidingEntries d = SplitByDimension(*rs);
  auto to_rule = [&rs](uint32_t entry) { return rs->entries()[entry].rule; };
  for (const auto& r : d.ipv4)
    t->v4_ranges.push_back({r.lo, r.hi, to_rule(r.priority)});
  for (const auto& r : d.ipv6)
    t->v6_ranges.push_back({r.lo, r.hi, to_rule(r.priority)});
  for (const HostEntryInput& h : d.hosts) {
    t->hosts.push_back({std::string(h.name), h.partial, to_rule(h.priority)});
  }
  // Entries are numbered in file order, so the lowest entry belongs to the
  // lowest rule: relabelling entry -> rule keeps "first match wins".
  t->v4 = Relabel(BuildPriorityMap(std::move(d.ipv4)), to_rule);
  t->v6 = Relabel(BuildPriorityMap(std::move(d.ipv6)), to_rule);
  t->rules = std::move(rs);
  return t;
}

std::unique_ptr<BenchTable> GeneratedTable(std::string name,
                                           const gen::RuleGenOptions& o) {
  absl::StatusOr<RuleSet> rs = gen::GenerateRuleSet(o);
  if (!rs.ok()) std::abort();  // the harness only passes valid options
  return MakeBenchTable(
      std::move(name),
      absl::StrCat("hatmatch gen rules ", gen::DescribeRuleGenOptions(o)),
      std::make_shared<const RuleSet>(*std::move(rs)));
}

std::string RealDataDir() {
  if (const char* d = std::getenv("HATMATCH_DATA"); d && *d) {
    return absl::StrCat(d, "/hat");
  }
  std::string base;
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) {
    base = x;
  } else if (const char* h = std::getenv("HOME"); h && *h) {
    base = absl::StrCat(h, "/.cache");
  } else {
    base = ".cache";
  }
  return absl::StrCat(base, "/hatmatch/hat");
}

absl::StatusOr<std::unique_ptr<BenchTable>> RealTable(std::string name,
                                                      const std::string& file) {
  const std::string path = absl::StrCat(RealDataDir(), "/", file);
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return absl::NotFoundError(absl::StrCat(
        path, " not found (run bench/data/fetch_data.py to fetch it)"));
  }
  absl::StatusOr<RuleSet> rs = ParseRuleFile(path);
  if (!rs.ok()) return rs.status();
  return MakeBenchTable(std::move(name), path,
                        std::make_shared<const RuleSet>(*std::move(rs)));
}

uint32_t HostRuleScan(const std::vector<HostRule>& hosts,
                      std::string_view name) {
  for (const HostRule& h : hosts) {
    if (h.partial) {
      if (name.size() > h.name.size() + 1 && name.ends_with(h.name) &&
          name[name.size() - h.name.size() - 1] == '.') {
        return h.rule;
      }
    } else if (name == h.name) {
      return h.rule;
    }
  }
  return kNoValue;
}

}  // namespace hatmatch::bench
