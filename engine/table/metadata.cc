// Copyright 2026 The hatmatch Authors.

#include "engine/table/metadata.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "fmt/format.h"

namespace hatmatch {
MetadataView::MetadataView(const MetadataData& d)
    : info(d.info),
      pool(d.pool),
      policies(d.policies),
      params(d.params),
      rules(d.rules),
      entries(d.entries),
      warnings(d.warnings),
      ipv4(d.ipv4),
      ipv6(d.ipv6),
      hosts(d.hosts),
      sbrs(d.sbrs),
      owners(d.owners),
      dnslists(d.dnslists) {}

namespace {

absl::Status Bad(std::string_view what) {
  return absl::DataLossError(fmt::format("metadata: {}", what));
}

}  // namespace

bool MetadataView::InPool(StrRef r) const {
  return r.offset <= pool.size() && r.length <= pool.size() - r.offset;
}

absl::Status MetadataView::Validate() const {
  absl::Status s = ValidateInfo();
  if (s.ok()) s = ValidatePolicies();
  if (s.ok()) s = ValidateRules();
  if (s.ok()) s = ValidateEntries();
  if (s.ok()) s = ValidateValues();
  return s;
}

absl::Status MetadataView::ValidateInfo() const {
  if (!InPool(info.file)) return Bad("file name outside the string pool");
  if (info.reserved[0] != 0 || info.reserved[1] != 0) {
    return Bad("reserved fields are not zero");
  }
  if (info.all_rule != kNoRule) {
    if (info.all_rule >= rules.size() ||
        rules[info.all_rule].kind != static_cast<uint8_t>(RuleKind::kAll) ||
        !CanDecide(static_cast<Action>(rules[info.all_rule].action))) {
      return Bad(
          fmt::format("ALL rule {} is not a deciding ALL rule", info.all_rule));
    }
  }
  return absl::OkStatus();
}

absl::Status MetadataView::ValidatePolicies() const {
  const uint8_t max_action = static_cast<uint8_t>(Action::kContinue);
  for (size_t i = 0; i < policies.size(); ++i) {
    const PolicyRecord& p = policies[i];
    if (!InPool(p.name)) return Bad(fmt::format("policy {}: name", i));
    if (p.action > max_action) return Bad(fmt::format("policy {}: action", i));
    if (p.first_param > params.size() ||
        p.param_count > params.size() - p.first_param) {
      return Bad(fmt::format("policy {}: parameters out of range", i));
    }
    if (p.pad[0] || p.pad[1] || p.pad[2]) return Bad("policy padding");
  }
  for (size_t i = 0; i < params.size(); ++i) {
    if (!InPool(params[i].key) || !InPool(params[i].value) ||
        params[i].quoted > 1) {
      return Bad(fmt::format("parameter {}", i));
    }
  }
  return absl::OkStatus();
}

// Rules own consecutive runs of entries, in order, covering all of them.
absl::Status MetadataView::ValidateRules() const {
  uint64_t next_entry = 0;
  for (size_t i = 0; i < rules.size(); ++i) {
    const RuleRecord& r = rules[i];
    if (!InPool(r.name) || !InPool(r.comment)) {
      return Bad(fmt::format("rule {}: name or comment", i));
    }
    // classify prints `name<TAB>action` lines: a name with a tab, a newline
    // or another control byte (which no rule file can give) would break
    // them, so a forged one is refused here.
    const std::string_view name = Str(r.name);
    if (name.empty() || std::any_of(name.begin(), name.end(), [](char c) {
          return static_cast<unsigned char>(c) < 0x20 || c == 0x7F;
        })) {
      return Bad(fmt::format("rule {}: empty name or control byte in it", i));
    }
    if (r.kind > static_cast<uint8_t>(RuleKind::kAll)) {
      return Bad(fmt::format("rule {}: kind {}", i, r.kind));
    }
    if (r.policy >= policies.size()) {
      return Bad(fmt::format("rule {}: policy {} out of range", i, r.policy));
    }
    if (r.action != policies[r.policy].action) {
      return Bad(fmt::format("rule {}: action differs from its policy's", i));
    }
    if (r.first_entry != next_entry) {
      return Bad(
          fmt::format("rule {}: entries do not follow the previous "
                      "rule's",
                      i));
    }
    next_entry += r.entry_count;
    if (next_entry > entries.size()) {
      return Bad(fmt::format("rule {}: entries out of range", i));
    }
    if (r.pad[0] || r.pad[1]) return Bad("rule padding");
  }
  if (next_entry != entries.size()) return Bad("entries without a rule");
  return absl::OkStatus();
}

size_t MetadataView::ValueCount(ValueKind kind) const {
  switch (kind) {
    case ValueKind::kIpv4:
      return ipv4.size();
    case ValueKind::kIpv6:
      return ipv6.size();
    case ValueKind::kHost:
      return hosts.size();
    case ValueKind::kSbrs:
      return sbrs.size();
    case ValueKind::kSbrsNone:
      return 1;
    case ValueKind::kOwner:
      return owners.size();
    case ValueKind::kDnsList:
      return dnslists.size();
    case ValueKind::kDnsState:
      return static_cast<size_t>(DnsState::kMismatch) + 1;
  }
  return 0;  // not a kind: no index is in range
}

// The checks of ValidateEntries() in one branch-free pass per rule (the
// rules' ranges were checked to tile the entries): true when every entry is
// sound.  Then the per-entry loop below, which names the first bad entry,
// runs only on a damaged table.
bool MetadataView::EntriesSound() const {
  uint32_t count[8];
  for (uint32_t k = 0; k < 8; ++k) {
    const size_t n = ValueCount(static_cast<ValueKind>(k));
    count[k] = n > UINT32_MAX ? UINT32_MAX : static_cast<uint32_t>(n);
  }
  const uint64_t pool_size = pool.size();
  uint32_t bad = 0;
  for (size_t r = 0; r < rules.size(); ++r) {
    const EntryRecord* e = entries.data() + rules[r].first_entry;
    const uint32_t n = rules[r].entry_count;
    const uint32_t rule = static_cast<uint32_t>(r);
    for (uint32_t i = 0; i < n; ++i) {
      const uint32_t kind = e[i].value >> kValueIndexBits;
      bad |= static_cast<uint32_t>(
          uint64_t{e[i].text.offset} + e[i].text.length > pool_size);
      bad |= e[i].rule ^ rule;
      bad |= static_cast<uint32_t>(kind > 7 || (e[i].value & kValueIndexMask) >=
                                                   count[kind & 7]);
    }
  }
  return bad == 0;
}

absl::Status MetadataView::ValidateEntries() const {
  if (EntriesSound()) return absl::OkStatus();
  for (size_t i = 0; i < entries.size(); ++i) {
    const EntryRecord& e = entries[i];
    if (!InPool(e.text)) return Bad(fmt::format("entry {}: text", i));
    if (e.rule >= rules.size() || i < rules[e.rule].first_entry ||
        i - rules[e.rule].first_entry >= rules[e.rule].entry_count) {
      return Bad(fmt::format("entry {}: rule {} does not own it", i, e.rule));
    }
    const uint32_t kind = e.value >> kValueIndexBits;
    if (kind > static_cast<uint32_t>(ValueKind::kDnsState)) {
      return Bad(fmt::format("entry {}: value kind {}", i, kind));
    }
    const uint32_t index = e.value & kValueIndexMask;
    if (index >= ValueCount(static_cast<ValueKind>(kind))) {
      return Bad(
          fmt::format("entry {}: value index {} out of range", i, index));
    }
  }
  return absl::OkStatus();
}

// The warnings and entry values: strings in the pool, flags 0 or 1, ranges
// not reversed.
absl::Status MetadataView::ValidateValues() const {
  for (size_t i = 0; i < warnings.size(); ++i) {
    if (!InPool(warnings[i].file) || !InPool(warnings[i].message)) {
      return Bad(fmt::format("warning {}", i));
    }
  }
  for (size_t i = 0; i < hosts.size(); ++i) {
    if (!InPool(hosts[i].name) || hosts[i].partial > 1) {
      return Bad(fmt::format("hostname value {}", i));
    }
  }
  for (size_t i = 0; i < dnslists.size(); ++i) {
    if (!InPool(dnslists[i])) return Bad(fmt::format("dnslist value {}", i));
  }
  for (size_t i = 0; i < sbrs.size(); ++i) {
    const double lo = std::bit_cast<double>(sbrs[i].lo_bits);
    const double hi = std::bit_cast<double>(sbrs[i].hi_bits);
    if (!(lo <= hi)) return Bad(fmt::format("sbrs value {}", i));
  }
  for (size_t i = 0; i < ipv4.size(); ++i) {
    if (ipv4[i].lo > ipv4[i].hi) return Bad(fmt::format("ipv4 value {}", i));
  }
  for (size_t i = 0; i < ipv6.size(); ++i) {
    if (ipv6[i].hi < ipv6[i].lo) return Bad(fmt::format("ipv6 value {}", i));
  }
  return absl::OkStatus();
}

DecisionDetail MetadataView::Detail(const Decision& d) const {
  DecisionDetail out;
  out.file = Str(info.file);
  if (!d.matched() || d.rule >= rules.size()) {
    out.rule_name = "-";
    return out;
  }
  const RuleRecord& rule = rules[d.rule];
  const PolicyRecord& policy = policies[rule.policy];
  out.matched = true;
  out.rule_name = Str(rule.name);
  out.action = static_cast<Action>(policy.action);
  out.policy_name = Str(policy.name);
  for (uint32_t i = 0; i < policy.param_count; ++i) {
    const ParamRecord& p = params[policy.first_param + i];
    out.params.emplace_back(Str(p.key), Str(p.value));
  }
  out.rule_loc = {rule.line, rule.col};
  if (d.entry != kNoEntry && d.entry < entries.size()) {
    out.entry_text = Str(entries[d.entry].text);
    out.entry_loc = {entries[d.entry].line, entries[d.entry].col};
  }
  return out;
}

RuleSet MetadataView::Restore() const {
  std::vector<Policy> out_policies;
  out_policies.reserve(policies.size());
  for (const PolicyRecord& p : policies) {
    Policy q;
    q.name = std::string(Str(p.name));
    q.action = static_cast<Action>(p.action);
    q.loc = {p.line, p.col};
    for (uint32_t i = 0; i < p.param_count; ++i) {
      const ParamRecord& pr = params[p.first_param + i];
      q.params.push_back({std::string(Str(pr.key)), std::string(Str(pr.value)),
                          pr.quoted != 0});
    }
    out_policies.push_back(std::move(q));
  }
  std::vector<Rule> out_rules;
  out_rules.reserve(rules.size());
  for (const RuleRecord& r : rules) {
    Rule q;
    q.name = std::string(Str(r.name));
    q.kind = static_cast<RuleKind>(r.kind);
    q.policy = r.policy;
    q.first_entry = r.first_entry;
    q.entry_count = r.entry_count;
    q.comment = std::string(Str(r.comment));
    q.loc = {r.line, r.col};
    out_rules.push_back(std::move(q));
  }
  std::vector<Entry> out_entries;
  out_entries.reserve(entries.size());
  for (const EntryRecord& e : entries) {
    Entry q;
    q.text = std::string(Str(e.text));
    q.loc = {e.line, e.col};
    q.rule = e.rule;
    const uint32_t i = e.value & kValueIndexMask;
    switch (static_cast<ValueKind>(e.value >> kValueIndexBits)) {
      case ValueKind::kIpv4:
        q.value = Ipv4Range{ipv4[i].lo, ipv4[i].hi};
        break;
      case ValueKind::kIpv6:
        q.value = Ipv6Range{ipv6[i].lo, ipv6[i].hi};
        break;
      case ValueKind::kHost:
        q.value =
            HostPattern{std::string(Str(hosts[i].name)), hosts[i].partial != 0};
        break;
      case ValueKind::kSbrs:
        q.value = SbrsRange{std::bit_cast<double>(sbrs[i].lo_bits),
                            std::bit_cast<double>(sbrs[i].hi_bits)};
        break;
      case ValueKind::kSbrsNone:
        q.value = SbrsNone{};
        break;
      case ValueKind::kOwner:
        q.value = OwnerId{owners[i]};
        break;
      case ValueKind::kDnsList:
        q.value = DnsListZone{std::string(Str(dnslists[i]))};
        break;
      case ValueKind::kDnsState:
        q.value = DnsStateIs{static_cast<DnsState>(i)};
        break;
    }
    out_entries.push_back(std::move(q));
  }
  std::vector<Diagnostic> out_warnings;
  for (const WarningRecord& w : warnings) {
    out_warnings.push_back({std::string(Str(w.file)),
                            {w.line, w.col},
                            std::string(Str(w.message))});
  }
  return RuleSet(std::string(Str(info.file)), std::move(out_policies),
                 std::move(out_rules), std::move(out_entries),
                 std::move(out_warnings));
}

size_t MetadataView::bytes() const {
  return sizeof(info) + pool.size_bytes() + policies.size_bytes() +
         params.size_bytes() + rules.size_bytes() + entries.size_bytes() +
         warnings.size_bytes() + ipv4.size_bytes() + ipv6.size_bytes() +
         hosts.size_bytes() + sbrs.size_bytes() + owners.size_bytes() +
         dnslists.size_bytes();
}

}  // namespace hatmatch
