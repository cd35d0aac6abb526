// Copyright 2026 The hatmatch Authors.
//
// builders.h: the builder of every structure of a compiled table, each
// turning its part of a rule set into the flat arrays of its layout
// (engine/table/).  Called by CompileArrays() (compile.h); exposed for the
// tests that build one structure at a time.  Every builder is
// deterministic: the same input gives byte-identical arrays.

#ifndef HATMATCH_ENGINE_COMPILE_BUILDERS_H_
#define HATMATCH_ENGINE_COMPILE_BUILDERS_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "absl/status/statusor.h"
#include "engine/table/criteria.h"
#include "engine/table/host_table.h"
#include "engine/table/interval_map.h"
#include "engine/table/ipv4_trie.h"
#include "engine/table/ipv6_range_tree.h"
#include "engine/table/metadata.h"
#include "hatmatch/address.h"
#include "hatmatch/rules.h"

namespace hatmatch {

struct DecidingEntries;  // dimensions.h

// Linear in the map (poptrie_build.h).  Fails on a malformed map (not starting
// at 0, not increasing) or a value >= 2^31 other than kNoValue.
absl::StatusOr<Ipv4TrieData> BuildIpv4Trie(const IntervalMap<uint32_t>& map);
// The direct layout of `map` (ipv4_direct.h), or nullopt when it does not
// fit: a value of kNoValue16 - 1 or more, or over kMaxBlocks split blocks.
// BuildIpv4Trie() takes it for maps of 32,768 segments or more.
std::optional<Ipv4DirectData> BuildIpv4Direct(const IntervalMap<uint32_t>& map);

// Linear in the map (layout in ipv6_range_tree.h).  Fails on a malformed map
// (not starting at ::, not increasing) or a value >= 2^31 other than kNoValue.
absl::StatusOr<Ipv6RangeTreeData> BuildIpv6RangeTree(
    const IntervalMap<Ipv6Addr>& map);

// One hostname entry, as the parser normalized it: lowercase ASCII (A-labels),
// no leading or trailing dot, labels of 1..63 bytes of [a-z0-9-_], at most
// 253 bytes.  An entry not in that form could never equal a (normalized)
// looked-up name, so the builder drops it, as it drops priority kNoValue.
struct HostEntryInput {
  std::string_view name;
  bool partial = false;   // `.example.com`
  uint32_t priority = 0;  // lower wins; duplicates keep the lowest
};

// Builds both sets.  O(n log n).
// Precondition (checked, aborts): fewer than 2^31 distinct names per kind and
// less than 4 GiB of name bytes per kind.
HostTableData BuildHostTable(std::span<const HostEntryInput> entries);

// Test-only: from here on BuildHostTable() places percent / 100 items per
// home bucket instead of its own load (0 restores it), so that tests can
// check that lookups read tables built with other loads, such as the 0.7
// of earlier builds (a table's header carries its home bucket count).  Not
// thread-safe; never set outside tests.
namespace host_table_testing {
void SetLoadPercent(uint32_t percent);
}  // namespace host_table_testing

// Deterministic: the same RuleSet always gives the same arrays.  Fails only
// when the rule set is too large for the 32-bit offsets (4 GiB of text).
absl::StatusOr<MetadataData> BuildMetadata(const RuleSet& rules);

// The criteria (sbrs, SBO, DNS lists, DNS states) of the deciding entries;
// priorities are global entry indices.
CriteriaData BuildCriteria(const DecidingEntries& entries);
// The same from a whole rule set (split by SplitByDimension first).
CriteriaData BuildCriteria(const RuleSet& rules);

}  // namespace hatmatch

#endif  // HATMATCH_ENGINE_COMPILE_BUILDERS_H_
