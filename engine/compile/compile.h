// Copyright 2026 The hatmatch Authors.
//
// compile.h: the compile stage.  Its external interface is CompileArrays():
// a RuleSet in, the arrays of every structure of a table out.
// Table::Compile() (hatmatch/table.h) is CompileArrays() plus the views.
//
//   RuleSet --SplitByDimension (dimensions.h)--> DecidingEntries
//     ipv4, ipv6 --BuildPriorityMap (priority_map.h)--> side tables
//                --Relabel to rules, BuildIpv4Trie / BuildIpv6RangeTree-->
//                lookups
//     hosts      --BuildHostTable--> hostname table
//     the rest   --BuildCriteria--> criteria
//   RuleSet --BuildMetadata--> names, policies, texts, lines
//
// The builders are builders.h; the layouts they fill are engine/table/.

#ifndef HATMATCH_ENGINE_COMPILE_COMPILE_H_
#define HATMATCH_ENGINE_COMPILE_COMPILE_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/table/criteria.h"
#include "engine/table/host_table.h"
#include "engine/table/interval_map.h"
#include "engine/table/ipv4_trie.h"
#include "engine/table/ipv6_range_tree.h"
#include "engine/table/metadata.h"
#include "engine/table/table_impl.h"
#include "hatmatch/rules.h"

namespace hatmatch {

// The owning form behind a compiled (not opened) table.
struct CompiledArrays {
  std::vector<uint32_t> entry_rule;
  std::vector<Action> rule_action;
  Ipv4TrieData v4;
  Ipv6RangeTreeData v6;
  IntervalMap<uint32_t> v4_entries;
  IntervalMap<Ipv6Addr> v6_entries;
  HostTableData hosts;
  CriteriaData criteria;
  MetadataData meta;
};

// Compiles `rules`.  Deterministic: the same rules give byte-identical
// arrays.  Fails only when the rule set is too large for a table.
absl::StatusOr<std::unique_ptr<CompiledArrays>> CompileArrays(
    const RuleSet& rules);

// Points impl's views at `arrays` (which impl->storage must keep alive).
void ViewCompiledArrays(const CompiledArrays& arrays, Table::Impl* impl);

}  // namespace hatmatch

#endif  // HATMATCH_ENGINE_COMPILE_COMPILE_H_
