// Copyright 2026 The hatmatch Authors.
//
// Whole-table validation on load: each structure's own Validate(), and the
// cross-references between them.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

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

// The direct IPv4 layout's values, every top entry, code and split
// segment: each a rule index below `limit`.
absl::Status CheckDirectValues(const Ipv4Direct& direct, size_t limit) {
  // ForEachValue passes no kNoValue; a flag instead of a branch per value.
  uint32_t bad = 0;
  uint32_t example = 0;
  direct.ForEachValue([&](uint32_t v) {
    const bool out = v >= limit;
    bad |= static_cast<uint32_t>(out);
    example = out ? v : example;
  });
  if (bad != 0) {
    return absl::DataLossError(fmt::format(
        "ipv4 direct: value {} out of range (limit {})", example, limit));
  }
  return absl::OkStatus();
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
  // InRange(v, limit) without a branch on kNoValue (which the runs hold
  // unpredictably): v + 1 wraps kNoValue to 0.
  const uint32_t lim =
      limit > kNoValue ? kNoValue : static_cast<uint32_t>(limit);
  uint32_t terminals_bad = 0;
  poptrie::ForEachTerminalRun(terminals, [&](uint32_t v) {
    terminals_bad |= static_cast<uint32_t>(v + 1 > lim);
  });
  if (terminals_bad != 0) {
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

// The maps and the address structures, each against the metadata's counts
// (which it only reads, so it may run beside MetadataView::Validate()).
absl::Status ValidateMapsAndTries(const Table::Impl& m) {
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
  if (s.ok() && m.v4.direct().active()) {
    s = CheckDirectValues(m.v4.direct(), rules);
  } else if (s.ok()) {
    s = CheckTrieValues("ipv4 trie", m.v4.top(), m.v4.nodes(), m.v4.leaves(),
                        m.v4.terminals(), rules);
  }
  if (s.ok()) s = m.v6.Validate();
  if (s.ok()) s = CheckTreeValues(m.v6.values(), rules);
  if (s.ok()) {
    s = CheckValues("ipv6 refine values", m.v6.refine_values(), rules);
  }
  return s;
}

// The host sets' values and the criteria: range checks of their own
// arrays, independent of the host sets' shape.
absl::Status ValidateHostValuesAndCriteria(const Table::Impl& m) {
  const size_t entries = m.meta.entries.size();
  absl::Status s = CheckHostValues("exact hostnames", m.hosts.exact(), entries);
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

// HostTable::Validate() shared by two threads.  Re-hashing every stored
// name is the largest single check; done whole on one thread it left that
// thread the longer one by several milliseconds at 1M entries, and moved
// whole to the other it made that one the longer.  So Start() proves both
// sets' shapes and opens their names' checks as small parts, which Help(),
// on any thread, takes one at a time until none is left: the thread that
// finishes its own work first takes more of them.  status(), once no thread
// is inside Help(), is the error HostTable::Validate() gives.
class HostCheck {
 public:
  explicit HostCheck(const HostTable& t) : sets_{&t.exact(), &t.partial()} {}

  void Start() {
    for (size_t k = 0; k < 2; ++k) {
      shape_[k] = sets_[k]->ValidateShape();
      parts_[k] = shape_[k].ok() ? sets_[k]->NameParts() : 0;
    }
    names_.resize(parts_[0] + parts_[1]);
    started_.store(true, std::memory_order_release);
  }

  // A no-op before Start(): then the thread that calls Start() does it all.
  void Help() {
    if (!started_.load(std::memory_order_acquire)) return;
    for (size_t p;
         (p = next_.fetch_add(1, std::memory_order_relaxed)) < names_.size();) {
      names_[p] = p < parts_[0] ? sets_[0]->ValidateNames(p)
                                : sets_[1]->ValidateNames(p - parts_[0]);
    }
  }

  absl::Status status() const {
    static constexpr std::string_view kSet[2] = {"exact ", "partial "};
    size_t base = 0;
    for (size_t k = 0; k < 2; ++k) {
      absl::Status s = shape_[k];
      for (size_t p = 0; s.ok() && p < parts_[k]; ++p) s = names_[base + p];
      if (!s.ok()) {  // as HostTable::Validate() names the set
        return absl::DataLossError(fmt::format(
            "{}{}", kSet[k],
            std::string_view(s.message().data(), s.message().size())));
      }
      base += parts_[k];
    }
    return absl::OkStatus();
  }

 private:
  const HostSetView* sets_[2];
  absl::Status shape_[2];
  size_t parts_[2] = {0, 0};
  std::vector<absl::Status> names_;  // exact's parts, then partial's
  std::atomic<bool> started_{false};
  std::atomic<size_t> next_{0};
};

}  // namespace

absl::Status ValidateImpl(const Table::Impl& m) {
  // The metadata's checks (one thread) and the lookup structures' (the
  // other), with the host names' re-hashing shared by both (HostCheck).
  // The errors are reported in the order of one thread: the metadata's,
  // then the maps' and tries', the host sets', the rest; every check only
  // reads, and each is sound on its own, so none depends on another having
  // passed.
  absl::Status meta_status;
  HostCheck hosts(m.hosts);
  auto metadata_work = [&] {
    meta_status = m.meta.Validate();
    hosts.Help();
  };
  absl::Status tries_status, values_status;
  auto lookup_work = [&] {
    hosts.Start();
    tries_status = ValidateMapsAndTries(m);
    values_status = ValidateHostValuesAndCriteria(m);
    hosts.Help();
  };
  // From this many entries on, the two run on two threads; below, a thread
  // costs more than it saves.
  constexpr size_t kParallelEntries = 100000;
  if (m.meta.entries.size() < kParallelEntries) {
    metadata_work();  // before Start(): its Help() leaves the names to
    lookup_work();    // lookup_work's
  } else {
    std::thread meta_check(metadata_work);
    lookup_work();
    meta_check.join();
  }
  for (const absl::Status* s : {&meta_status, &tries_status}) {
    if (!s->ok()) return *s;
  }
  absl::Status s = hosts.status();
  return s.ok() ? values_status : s;
}

}  // namespace hatmatch
