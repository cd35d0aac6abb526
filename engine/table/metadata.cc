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
namespace {

class Builder {
 public:
  explicit Builder(MetadataData* d) : d_(d) {}

  StrRef Add(std::string_view s) {
    if (s.size() > std::numeric_limits<uint32_t>::max() ||
        d_->pool.size() > std::numeric_limits<uint32_t>::max() - s.size()) {
      overflow_ = true;
      return {};
    }
    StrRef r{static_cast<uint32_t>(d_->pool.size()),
             static_cast<uint32_t>(s.size())};
    d_->pool.insert(d_->pool.end(), s.begin(), s.end());
    return r;
  }

  uint32_t Value(ValueKind kind, size_t index) {
    if (index > kValueIndexMask) overflow_ = true;
    return (uint32_t{static_cast<uint8_t>(kind)} << kValueIndexBits) |
           static_cast<uint32_t>(index & kValueIndexMask);
  }

  uint32_t EntryValue(const hatmatch::EntryValue& v) {
    MetadataData& d = *d_;
    if (auto* r = std::get_if<Ipv4Range>(&v)) {
      d.ipv4.push_back({r->lo, r->hi});
      return Value(ValueKind::kIpv4, d.ipv4.size() - 1);
    }
    if (auto* r = std::get_if<Ipv6Range>(&v)) {
      d.ipv6.push_back({r->lo, r->hi});
      return Value(ValueKind::kIpv6, d.ipv6.size() - 1);
    }
    if (auto* h = std::get_if<HostPattern>(&v)) {
      d.hosts.push_back({Add(h->name), h->partial ? 1u : 0u});
      return Value(ValueKind::kHost, d.hosts.size() - 1);
    }
    if (auto* s = std::get_if<SbrsRange>(&v)) {
      d.sbrs.push_back(
          {std::bit_cast<uint64_t>(s->lo), std::bit_cast<uint64_t>(s->hi)});
      return Value(ValueKind::kSbrs, d.sbrs.size() - 1);
    }
    if (std::holds_alternative<SbrsNone>(v)) {
      return Value(ValueKind::kSbrsNone, 0);
    }
    if (auto* o = std::get_if<OwnerId>(&v)) {
      d.owners.push_back(o->id);
      return Value(ValueKind::kOwner, d.owners.size() - 1);
    }
    if (auto* z = std::get_if<DnsListZone>(&v)) {
      d.dnslists.push_back(Add(z->zone));
      return Value(ValueKind::kDnsList, d.dnslists.size() - 1);
    }
    const auto& s = std::get<DnsStateIs>(v);
    return Value(ValueKind::kDnsState, static_cast<size_t>(s.state));
  }

  bool overflow() const { return overflow_; }

 private:
  MetadataData* d_;
  bool overflow_ = false;
};

uint32_t U32(size_t n) { return static_cast<uint32_t>(n); }

}  // namespace

absl::StatusOr<MetadataData> BuildMetadata(const RuleSet& rules) {
  MetadataData d;
  Builder b(&d);
  d.info.file = b.Add(rules.file());
  d.info.all_rule = kNoRule;
  for (const Policy& p : rules.policies()) {
    PolicyRecord r;
    r.name = b.Add(p.name);
    r.action = static_cast<uint8_t>(p.action);
    r.first_param = U32(d.params.size());
    r.param_count = U32(p.params.size());
    r.line = p.loc.line;
    r.col = p.loc.col;
    for (const PolicyParam& pp : p.params) {
      d.params.push_back({b.Add(pp.key), b.Add(pp.value), pp.quoted ? 1u : 0u});
    }
    d.policies.push_back(r);
  }
  for (uint32_t i = 0; i < rules.rules().size(); ++i) {
    const Rule& rule = rules.rules()[i];
    RuleRecord r;
    r.name = b.Add(rule.name);
    r.comment = b.Add(rule.comment);
    r.policy = rule.policy;
    r.first_entry = rule.first_entry;
    r.entry_count = rule.entry_count;
    r.line = rule.loc.line;
    r.col = rule.loc.col;
    r.kind = static_cast<uint8_t>(rule.kind);
    const Action action = rules.action_of(i);
    r.action = static_cast<uint8_t>(action);
    if (rule.kind == RuleKind::kAll && action != Action::kContinue &&
        d.info.all_rule == kNoRule) {
      d.info.all_rule = i;
    }
    d.rules.push_back(r);
  }
  for (const Entry& e : rules.entries()) {
    EntryRecord r;
    r.text = b.Add(e.text);
    r.line = e.loc.line;
    r.col = e.loc.col;
    r.rule = e.rule;
    r.value = b.EntryValue(e.value);
    d.entries.push_back(r);
    if (rules.action_of(e.rule) == Action::kContinue) continue;
    if (std::holds_alternative<Ipv4Range>(e.value)) ++d.info.ipv4_entries;
    if (std::holds_alternative<Ipv6Range>(e.value)) ++d.info.ipv6_entries;
    if (std::holds_alternative<HostPattern>(e.value)) ++d.info.host_entries;
  }
  for (const Diagnostic& w : rules.warnings()) {
    d.warnings.push_back(
        {b.Add(w.file), b.Add(w.message), w.loc.line, w.loc.col});
  }
  if (b.overflow() || rules.entries().size() > kNoRule - 1) {
    return absl::ResourceExhaustedError(
        "rule set too large for a table (over 4 GiB of text or 2^28 entries "
        "of one kind)");
  }
  return d;
}

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

absl::Status MetadataView::Validate() const {
  auto bad = [](std::string what) {
    return absl::DataLossError(fmt::format("metadata: {}", what));
  };
  auto str_ok = [this](StrRef r) {
    return r.offset <= pool.size() && r.length <= pool.size() - r.offset;
  };
  if (!str_ok(info.file)) return bad("file name outside the string pool");
  if (info.reserved[0] != 0 || info.reserved[1] != 0) {
    return bad("reserved fields are not zero");
  }
  if (info.all_rule != kNoRule) {
    if (info.all_rule >= rules.size() ||
        rules[info.all_rule].kind != static_cast<uint8_t>(RuleKind::kAll) ||
        rules[info.all_rule].action ==
            static_cast<uint8_t>(Action::kContinue)) {
      return bad(
          fmt::format("ALL rule {} is not a deciding ALL rule", info.all_rule));
    }
  }
  const uint8_t max_action = static_cast<uint8_t>(Action::kContinue);
  for (size_t i = 0; i < policies.size(); ++i) {
    const PolicyRecord& p = policies[i];
    if (!str_ok(p.name)) return bad(fmt::format("policy {}: name", i));
    if (p.action > max_action) return bad(fmt::format("policy {}: action", i));
    if (p.first_param > params.size() ||
        p.param_count > params.size() - p.first_param) {
      return bad(fmt::format("policy {}: parameters out of range", i));
    }
    if (p.pad[0] || p.pad[1] || p.pad[2]) return bad("policy padding");
  }
  for (size_t i = 0; i < params.size(); ++i) {
    if (!str_ok(params[i].key) || !str_ok(params[i].value) ||
        params[i].quoted > 1) {
      return bad(fmt::format("parameter {}", i));
    }
  }
  // Rules own consecutive runs of entries, in order, covering all of them.
  uint64_t next_entry = 0;
  for (size_t i = 0; i < rules.size(); ++i) {
    const RuleRecord& r = rules[i];
    if (!str_ok(r.name) || !str_ok(r.comment)) {
      return bad(fmt::format("rule {}: name or comment", i));
    }
    // classify prints `name<TAB>action` lines: a name with a tab, a newline
    // or another control byte (which no rule file can give) would break
    // them, so a forged one is refused here.
    const std::string_view name = Str(r.name);
    if (name.empty() || std::any_of(name.begin(), name.end(), [](char c) {
          return static_cast<unsigned char>(c) < 0x20 || c == 0x7F;
        })) {
      return bad(fmt::format("rule {}: empty name or control byte in it", i));
    }
    if (r.kind > static_cast<uint8_t>(RuleKind::kAll)) {
      return bad(fmt::format("rule {}: kind {}", i, r.kind));
    }
    if (r.policy >= policies.size()) {
      return bad(fmt::format("rule {}: policy {} out of range", i, r.policy));
    }
    if (r.action != policies[r.policy].action) {
      return bad(fmt::format("rule {}: action differs from its policy's", i));
    }
    if (r.first_entry != next_entry) {
      return bad(
          fmt::format("rule {}: entries do not follow the previous "
                      "rule's",
                      i));
    }
    next_entry += r.entry_count;
    if (next_entry > entries.size()) {
      return bad(fmt::format("rule {}: entries out of range", i));
    }
    if (r.pad[0] || r.pad[1]) return bad("rule padding");
  }
  if (next_entry != entries.size()) return bad("entries without a rule");
  for (size_t i = 0; i < entries.size(); ++i) {
    const EntryRecord& e = entries[i];
    if (!str_ok(e.text)) return bad(fmt::format("entry {}: text", i));
    if (e.rule >= rules.size() || i < rules[e.rule].first_entry ||
        i - rules[e.rule].first_entry >= rules[e.rule].entry_count) {
      return bad(fmt::format("entry {}: rule {} does not own it", i, e.rule));
    }
    const uint32_t index = e.value & kValueIndexMask;
    size_t limit = 0;
    switch (static_cast<ValueKind>(e.value >> kValueIndexBits)) {
      case ValueKind::kIpv4:
        limit = ipv4.size();
        break;
      case ValueKind::kIpv6:
        limit = ipv6.size();
        break;
      case ValueKind::kHost:
        limit = hosts.size();
        break;
      case ValueKind::kSbrs:
        limit = sbrs.size();
        break;
      case ValueKind::kSbrsNone:
        limit = 1;
        break;
      case ValueKind::kOwner:
        limit = owners.size();
        break;
      case ValueKind::kDnsList:
        limit = dnslists.size();
        break;
      case ValueKind::kDnsState:
        limit = static_cast<size_t>(DnsState::kMismatch) + 1;
        break;
      default:
        return bad(fmt::format("entry {}: value kind {}", i,
                               e.value >> kValueIndexBits));
    }
    if (index >= limit) {
      return bad(
          fmt::format("entry {}: value index {} out of range", i, index));
    }
  }
  for (size_t i = 0; i < warnings.size(); ++i) {
    if (!str_ok(warnings[i].file) || !str_ok(warnings[i].message)) {
      return bad(fmt::format("warning {}", i));
    }
  }
  for (size_t i = 0; i < hosts.size(); ++i) {
    if (!str_ok(hosts[i].name) || hosts[i].partial > 1) {
      return bad(fmt::format("hostname value {}", i));
    }
  }
  for (size_t i = 0; i < dnslists.size(); ++i) {
    if (!str_ok(dnslists[i])) return bad(fmt::format("dnslist value {}", i));
  }
  for (size_t i = 0; i < sbrs.size(); ++i) {
    const double lo = std::bit_cast<double>(sbrs[i].lo_bits);
    const double hi = std::bit_cast<double>(sbrs[i].hi_bits);
    if (!(lo <= hi)) return bad(fmt::format("sbrs value {}", i));
  }
  for (size_t i = 0; i < ipv4.size(); ++i) {
    if (ipv4[i].lo > ipv4[i].hi) return bad(fmt::format("ipv4 value {}", i));
  }
  for (size_t i = 0; i < ipv6.size(); ++i) {
    if (ipv6[i].hi < ipv6[i].lo) return bad(fmt::format("ipv6 value {}", i));
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
