// Copyright 2026 The hatmatch Authors.
//
// Whole-table validation on load: each structure's own Validate(), and the
// cross-references between them.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <utility>

#include "absl/status/status.h"
#include "engine/format/sections.h"
#include "engine/table/poptrie.h"
#include "engine/table/table_impl.h"
#include "fmt/format.h"

namespace hatmatch {

// --- Validation of a whole table ---------------------------------------------

namespace {

bool InRange(uint32_t v, size_t limit) { return v == kNoValue || v < limit; }

// True when every value is kNoValue or below `limit`: one branch-free pass
// the compiler vectorizes; the slow loop below runs only to name the culprit.
bool AllInRange(std::span<const uint32_t> vs, size_t limit) {
  if (limit > kNoValue) return true;
  const uint32_t lim = static_cast<uint32_t>(limit);
  uint32_t bad = 0;
  for (uint32_t v : vs) bad |= static_cast<uint32_t>(v != kNoValue && v >= lim);
  return bad == 0;
}

absl::Status CheckValues(std::string_view what, std::span<const uint32_t> vs,
                         size_t limit) {
  if (AllInRange(vs, limit)) return absl::OkStatus();
  for (size_t i = 0; i < vs.size(); ++i) {
    if (!InRange(vs[i], limit)) {
      return absl::DataLossError(fmt::format(
          "{}: value {} at {} out of range (limit {})", what, vs[i], i, limit));
    }
  }
  return absl::OkStatus();
}

// Every entry's rule in the entry-rule map is the rule whose run holds it:
// one branch-free pass per rule.  The runs are followed only while they
// tile the map (MetadataView::Validate(), which may run beside this, names
// a rule that breaks that), so a forged run costs no more than the map.
bool EntryRulesAgree(std::span<const uint32_t> entry_rule,
                     std::span<const RuleRecord> rules) {
  uint32_t diff = 0;
  uint64_t next = 0;
  for (size_t r = 0; r < rules.size(); ++r) {
    const uint64_t end = uint64_t{rules[r].first_entry} + rules[r].entry_count;
    if (rules[r].first_entry != next || end > entry_rule.size()) return false;
    next = end;
    const uint32_t* e = entry_rule.data() + rules[r].first_entry;
    const uint32_t rule = static_cast<uint32_t>(r);
    for (uint32_t i = 0; i < rules[r].entry_count; ++i) diff |= e[i] ^ rule;
  }
  return diff == 0;
}

// Every value a trie lookup can return: non-node top entries, leaves, the
// values skip nodes hold in leaf_base, and the runs of terminals (whose
// shape the trie's Validate() has already proved).
absl::Status CheckTrieValues(std::string_view what,
                             std::span<const uint32_t> top,
                             std::span<const PoptrieNode> nodes,
                             std::span<const uint32_t> leaves,
                             std::span<const uint32_t> terminals,
                             size_t limit) {
  for (uint32_t e : top) {
    if (!poptrie::IsNodeEntry(e) && !InRange(e, limit)) {
      return absl::DataLossError(fmt::format(
          "{}: top value {} out of range (limit {})", what, e, limit));
    }
  }
  if (!AllInRange(leaves, limit)) {
    return CheckValues(fmt::format("{} leaves", what), leaves, limit);
  }
  bool terminals_ok = true;
  poptrie::ForEachTerminalRun(terminals, [&](uint32_t v) {
    terminals_ok = terminals_ok && InRange(v, limit);
  });
  if (!terminals_ok) {
    return absl::DataLossError(
        fmt::format("{}: terminal value out of range (limit {})", what, limit));
  }
  for (const PoptrieNode& n : nodes) {
    if (poptrie::IsSkip(n) && !InRange(n.leaf_base, limit)) {
      return absl::DataLossError(
          fmt::format("{}: skip value {} out of range (limit {})", what,
                      n.leaf_base, limit));
    }
  }
  return absl::OkStatus();
}

// The range values of the IPv6 tree: rules, kNoValue or refine marks (whose
// runs the tree's Validate() has checked).
absl::Status CheckTreeValues(std::span<const uint32_t> values, size_t limit) {
  for (size_t i = 0; i < values.size(); ++i) {
    if (!ipv6_tree::IsRefine(values[i]) && !InRange(values[i], limit)) {
      return absl::DataLossError(fmt::format(
          "ipv6 tree values: value {} at {} out of range (limit {})", values[i],
          i, limit));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckHostValues(std::string_view what, const HostSetView& set,
                             size_t limit) {
  for (uint32_t p : set.priorities()) {
    if (!InRange(p, limit)) {
      return absl::DataLossError(fmt::format(
          "{}: priority {} out of range (limit {})", what, p, limit));
    }
  }
  return absl::OkStatus();
}

}  // namespace

namespace {

// Everything but the metadata's own Validate(): the maps and the lookup
// structures, each against the metadata's counts (which it only reads, so
// it may run beside MetadataView::Validate()).
absl::Status ValidateLookup(const Table::Impl& m) {
  const MetadataView& meta = m.meta;
  const size_t rules = meta.rules.size();
  const size_t entries = meta.entries.size();
  auto bad = [](std::string what) {
    return absl::DataLossError(std::move(what));
  };
  if (rules > poptrie::kMaxValue || entries > poptrie::kMaxValue) {
    return bad("too many rules or entries");
  }
  if (m.entry_rule.size() != entries) return bad("entry rules: wrong size");
  if (!EntryRulesAgree(m.entry_rule, meta.rules)) {
    uint64_t e = 0;
    for (size_t r = 0; r < rules; ++r) {
      const RuleRecord& rule = meta.rules[r];
      if (rule.first_entry != e) break;  // the metadata's error
      for (; e < uint64_t{rule.first_entry} + rule.entry_count; ++e) {
        if (e >= entries || m.entry_rule[e] != r) {
          return bad(fmt::format(
              "entry rules: entry {} disagrees with the rules' runs", e));
        }
      }
    }
    return bad("entry rules: the rules' runs do not tile the entries");
  }
  if (m.rule_action.size() != rules) return bad("rule actions: wrong size");
  for (size_t r = 0; r < rules; ++r) {
    if (static_cast<uint8_t>(m.rule_action[r]) != meta.rules[r].action) {
      return bad(
          fmt::format("rule actions: rule {} disagrees with metadata", r));
    }
  }
  if (m.all_rule != meta.info.all_rule) return bad("ALL rule");

  absl::Status s = m.v4.Validate();
  if (s.ok()) {
    s = CheckTrieValues("ipv4 trie", m.v4.top(), m.v4.nodes(), m.v4.leaves(),
                        m.v4.terminals(), rules);
  }
  if (s.ok()) s = m.v6.Validate();
  if (s.ok()) s = CheckTreeValues(m.v6.values(), rules);
  if (s.ok()) {
    s = CheckValues("ipv6 refine values", m.v6.refine_values(), rules);
  }
  if (s.ok()) s = m.hosts.Validate();
  if (s.ok()) s = CheckHostValues("exact hostnames", m.hosts.exact(), entries);
  if (s.ok()) {
    s = CheckHostValues("partial hostnames", m.hosts.partial(), entries);
  }
  if (s.ok()) s = m.criteria.Validate();
  if (s.ok()) s = CheckValues("sbrs values", m.criteria.sbrs_values, entries);
  if (s.ok()) s = CheckValues("sbo values", m.criteria.sbo_values, entries);
  if (s.ok())
    s = CheckValues("dnslist values", m.criteria.zone_values, entries);
  if (s.ok()) {
    s = CheckValues("criteria scalars", {&m.criteria.sbrs_none, size_t{1}},
                    entries);
  }
  if (s.ok()) {
    s = CheckValues("criteria scalars", m.criteria.dns_state, entries);
  }
  return s;
}

}  // namespace

absl::Status ValidateImpl(const Table::Impl& m) {
  // From this many entries on, the metadata (a third of the checking) is
  // checked on a second thread beside the rest; below, a thread costs more
  // than it saves.
  constexpr size_t kParallelEntries = 100000;
  if (m.meta.entries.size() < kParallelEntries) {
    absl::Status s = m.meta.Validate();
    return s.ok() ? ValidateLookup(m) : s;
  }
  absl::Status meta_status;
  std::thread meta_check([&] { meta_status = m.meta.Validate(); });
  absl::Status s = ValidateLookup(m);
  meta_check.join();
  return meta_status.ok() ? s : meta_status;  // the metadata's error first
}

}  // namespace hatmatch
