// Copyright 2026 The hatmatch Authors.
//
// The compile stage's entry point (compile.h) and Table::Compile.

#include "engine/compile/compile.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <thread>
#include <utility>

#include "absl/status/statusor.h"
#include "engine/base/huge_pages.h"
#include "engine/compile/builders.h"
#include "engine/compile/dimensions.h"
#include "engine/table/priority_map.h"
#include "hatmatch/table.h"

namespace hatmatch {

namespace {

// The rule of every entry and the action of every rule.
void BuildRuleIndex(const RuleSet& rules, CompiledArrays* a) {
  base::ReserveHuge(a->entry_rule, rules.entries().size());
  for (const Entry& e : rules.entries()) a->entry_rule.push_back(e.rule);
  for (uint32_t r = 0; r < rules.rules().size(); ++r) {
    a->rule_action.push_back(rules.action_of(r));
  }
}

// The address dimension: entry-valued side tables, and the rule-valued
// lookup structures built from them.
absl::Status BuildAddressTables(DecidingEntries& d, CompiledArrays* a) {
  a->v4_entries = BuildPriorityMap(std::move(d.ipv4));
  a->v6_entries = BuildPriorityMap(std::move(d.ipv6));
  // Entries are numbered in file order, so the lowest entry belongs to the
  // lowest rule: relabelling entry -> rule keeps "first match wins".
  auto to_rule = [a](uint32_t e) { return a->entry_rule[e]; };
  absl::StatusOr<Ipv4TrieData> v4 =
      BuildIpv4Trie(Relabel(a->v4_entries, to_rule));
  if (!v4.ok()) return v4.status();
  a->v4 = *std::move(v4);
  absl::StatusOr<Ipv6RangeTreeData> v6 =
      BuildIpv6RangeTree(Relabel(a->v6_entries, to_rule));
  if (!v6.ok()) return v6.status();
  a->v6 = *std::move(v6);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<CompiledArrays>> CompileArrays(
    const RuleSet& rules) {
  auto a = std::make_unique<CompiledArrays>();
  // The metadata depends on nothing else built here: for a large rule set
  // it is built on a second thread beside the lookup structures (a fifth of
  // the compile time at 1M entries).
  constexpr size_t kParallelEntries = 100000;
  absl::StatusOr<MetadataData> meta;
  std::thread meta_builder;
  if (rules.entries().size() >= kParallelEntries) {
    meta_builder = std::thread([&] { meta = BuildMetadata(rules); });
  } else {
    meta = BuildMetadata(rules);
  }
  BuildRuleIndex(rules, a.get());
  DecidingEntries deciding = SplitByDimension(rules);
  absl::Status s = BuildAddressTables(deciding, a.get());
  if (s.ok()) {
    a->hosts = BuildHostTable(deciding.hosts);
    a->criteria = BuildCriteria(deciding);
  }
  if (meta_builder.joinable()) meta_builder.join();
  if (!meta.ok()) return meta.status();  // the metadata's error first
  if (!s.ok()) return s;
  a->meta = *std::move(meta);
  return a;
}

void ViewCompiledArrays(const CompiledArrays& a, Table::Impl* m) {
  m->entry_rule = a.entry_rule;
  m->rule_action = a.rule_action;
  m->v4 = Ipv4Trie(a.v4);
  m->v6 = Ipv6RangeTree(a.v6);
  m->SetSides({IntervalMapView<uint32_t>(a.v4_entries),
               IntervalMapView<Ipv6Addr>(a.v6_entries), nullptr});
  m->hosts = HostTable(a.hosts);
  m->criteria = Criteria(a.criteria);
  m->meta = MetadataView(a.meta);
  m->all_rule = a.meta.info.all_rule;
}

absl::StatusOr<std::shared_ptr<const Table>> Table::Compile(
    const RuleSet& rules) {
  const auto t0 = std::chrono::steady_clock::now();
  absl::StatusOr<std::unique_ptr<CompiledArrays>> arrays = CompileArrays(rules);
  if (!arrays.ok()) return arrays.status();
  auto impl = std::make_unique<Impl>();
  ViewCompiledArrays(**arrays, impl.get());
  impl->storage = std::shared_ptr<const CompiledArrays>(*std::move(arrays));
  impl->ComputeStats();
  impl->stats.compile_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
          .count();
  return std::shared_ptr<const Table>(new Table(std::move(impl)));
}

}  // namespace hatmatch
