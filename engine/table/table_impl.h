// Copyright 2026 The hatmatch Authors.
//
// table_impl.h: what a compiled Table holds.  Internal.
//
// Every structure is a view (spans, no ownership) over flat arrays of
// fixed-width PODs.  `storage` owns the arrays: after Compile() it is a
// CompiledArrays (the builders' vectors), after Open() the mapped table file
// (TableImage).  Lookups cannot tell the difference, and Write() serializes
// from the views, so a table opened from a file writes back byte-identical.
//
// Hot-path structures are rule-valued (a lookup yields a rule index
// directly); the side tables, the host table and the criteria are
// entry-valued (the lowest matching entry index; entry_rule maps it to its
// rule).  The IP side tables, consulted only to name the deciding entry, are
// not stored in a table file: an opened table builds them from the
// metadata's values on first use (Sides()).  Metadata (names, policies,
// texts, lines) is cold.
//
// Adding a structure: its layout and view here in engine/table/, its
// builder in engine/compile/ (called from CompileArrays()), its sections in
// engine/format/sections.cc (SerializeImpl() and ViewSections()), its
// cross-checks in ValidateImpl() (engine/format/validate.cc), and a new
// kTableFormatVersion (docs/TABLE-FORMAT.md).

#ifndef HATMATCH_ENGINE_TABLE_TABLE_IMPL_H_
#define HATMATCH_ENGINE_TABLE_TABLE_IMPL_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "engine/table/criteria.h"
#include "engine/table/host_table.h"
#include "engine/table/interval_map.h"
#include "engine/table/interval_map_view.h"
#include "engine/table/ipv4_trie.h"
#include "engine/table/ipv6_range_tree.h"
#include "engine/table/metadata.h"
#include "hatmatch/rules.h"
#include "hatmatch/table.h"

namespace hatmatch {

struct HATMATCH_INTERNAL Table::Impl {
  // Owns what every span below points into; never touched by lookups.
  std::shared_ptr<const void> storage;

  uint32_t all_rule = kNoRule;           // first non-CONTINUE ALL, if any
  std::span<const uint32_t> entry_rule;  // entry index -> rule index
  std::span<const Action> rule_action;   // rule index -> action

  // IP dimension (rule-valued, hot path).
  Ipv4Trie v4;
  Ipv6RangeTree v6;
  // Hostname dimension (entry-valued).
  HostTable hosts;
  // sbrs, SBO, DNS lists, DNS states (entry-valued).
  Criteria criteria;
  // Names, policies, entry texts and lines, the rule set's entry values.
  MetadataView meta;

  TableStats stats;

  // The IP side tables (entry-valued interval maps: the lowest matching
  // entry per address), for the deciding entry only.
  struct SideTables {
    IntervalMapView<uint32_t> v4;
    IntervalMapView<Ipv6Addr> v6;
    std::shared_ptr<const void> storage;  // owns the maps, when built here
  };
  // A compiled table hands in the maps it built the lookups from.
  void SetSides(SideTables sides);
  // The side tables; built from the metadata on the first call (thread-safe,
  // O(IP entries log IP entries), once per table) unless SetSides() gave
  // them.  Never called by Classify() or the other lookups.
  const SideTables& Sides() const;

  Impl();

  uint32_t RuleOfEntry(uint32_t e) const {
    return e == kNoValue ? kNoRule : entry_rule[e];
  }
  uint32_t HostEntry(std::string_view name) const { return hosts.Lookup(name); }
  // The Impl behind `t`, for the engine's own callers that classify through
  // classify_block.h (the C API) rather than through Table's members.
  static const Impl& Of(const Table& t) { return *t.impl_; }
  // Fills stats from the views (compile_seconds excepted).
  void ComputeStats();

 private:
  mutable std::once_flag sides_once_;
  mutable SideTables sides_;
  bool sides_given_ = false;
};

}  // namespace hatmatch

#endif  // HATMATCH_ENGINE_TABLE_TABLE_IMPL_H_
