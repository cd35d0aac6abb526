// Copyright 2026 The hatmatch Authors.
//
// table_impl.h: what a compiled Table holds.  Internal.
//
// Hot-path structures are rule-valued (a lookup yields a rule index
// directly); side tables are entry-valued and consulted only to name the
// deciding entry.  Everything is built by CompileImpl() (compile.cc).

#ifndef HATMATCH_ENGINE_TABLE_TABLE_IMPL_H_
#define HATMATCH_ENGINE_TABLE_TABLE_IMPL_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "engine/compile/interval_map.h"
#include "engine/table/criteria.h"
#include "hatmatch/rules.h"
#include "hatmatch/table.h"

namespace hatmatch {

struct Table::Impl {
  RuleSet rules;                     // names, policies, entry texts and lines
  std::vector<uint32_t> entry_rule;  // entry index -> rule index
  std::vector<Action> rule_action;   // rule index -> action
  uint32_t all_rule = kNoRule;       // first non-CONTINUE ALL, if any

  // IP dimension (rule-valued, hot path).
  IntervalMap<uint32_t> v4_rules;
  IntervalMap<Ipv6Addr> v6_rules;
  // IP side tables (entry-valued, for the deciding entry only).
  IntervalMap<uint32_t> v4_entries;
  IntervalMap<Ipv6Addr> v6_entries;

  // Hostname dimension (entry-valued).
  absl::flat_hash_map<std::string, uint32_t> host_exact, host_partial;

  CriteriaData criteria_data;
  Criteria criteria;

  TableStats stats;

  uint32_t RuleOfEntry(uint32_t e) const {
    return e == kNoValue ? kNoRule : entry_rule[e];
  }
  uint32_t HostEntry(std::string_view name) const;
};

}  // namespace hatmatch

#endif  // HATMATCH_ENGINE_TABLE_TABLE_IMPL_H_
