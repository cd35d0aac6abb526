// Copyright 2026 The hatmatch Authors.

#include "engine/table/metadata.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "engine/parse/ip_text.h"
#include "fmt/format.h"

namespace hatmatch {
MetadataView::MetadataView(const MetadataData& d)
    : info(d.info),
      pool(d.pool),
      policies(d.policies),
      params(d.params),
      rules(d.rules),
      entries(d.entries),
      entry_texts(d.entry_texts),
      entry_lines(d.entry_lines),
      entry_locs(d.entry_locs),
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

using U128 = unsigned __int128;
U128 Wide(const Ipv6Addr& a) { return (U128{a.hi} << 64) | a.lo; }

// The prefix length of [lo, hi] when it is one aligned prefix, else -1.
int PrefixLength(uint32_t lo, uint32_t hi) {
  const uint32_t x = lo ^ hi;
  if ((x & (x + 1)) != 0 || (lo & x) != 0) return -1;
  return 32 - std::popcount(x);
}
int PrefixLength(const Ipv6Addr& lo, const Ipv6Addr& hi) {
  const U128 x = Wide(lo) ^ Wide(hi);
  if ((x & (x + 1)) != 0 || (Wide(lo) & x) != 0) return -1;
  return 128 - std::popcount(static_cast<uint64_t>(x >> 64)) -
         std::popcount(static_cast<uint64_t>(x));
}

// Which text forms each value kind may have (bit = EntryText).
constexpr uint8_t kIpForms = 1u << static_cast<int>(EntryText::kListed) |
                             1u << static_cast<int>(EntryText::kPrefix) |
                             1u << static_cast<int>(EntryText::kAddress);
constexpr uint8_t kHostForms = 1u << static_cast<int>(EntryText::kListed) |
                               1u << static_cast<int>(EntryText::kHostName) |
                               1u << static_cast<int>(EntryText::kDotHostName);
constexpr uint8_t kListedOnly = 1u << static_cast<int>(EntryText::kListed);
constexpr uint8_t kFormsOfKind[8] = {kIpForms,    kIpForms,    kHostForms,
                                     kListedOnly, kListedOnly, kListedOnly,
                                     kListedOnly, kListedOnly};

}  // namespace

size_t DerivedIpv4Text(EntryText form, const Ipv4Value& v,
                       char out[kDerivedIpv4Chars]) {
  int len = -1;
  if (form == EntryText::kPrefix) {
    len = PrefixLength(v.lo, v.hi);
    if (len < 0) return 0;
  } else if (form != EntryText::kAddress || v.lo != v.hi) {
    return 0;
  }
  char* p = parse_internal::WriteIpv4(v.lo, out);
  if (len >= 0) {  // 0..32
    *p++ = '/';
    if (len >= 10) *p++ = static_cast<char>('0' + len / 10);
    *p++ = static_cast<char>('0' + len % 10);
  }
  return static_cast<size_t>(p - out);
}

std::string DerivedIpText(EntryText form, const Ipv4Value& v) {
  char buf[kDerivedIpv4Chars];
  return std::string(buf, DerivedIpv4Text(form, v, buf));
}

std::string DerivedIpText(EntryText form, const Ipv6Value& v) {
  if (form == EntryText::kAddress) {
    return v.lo == v.hi ? FormatIpv6(v.lo) : std::string();
  }
  const int len = PrefixLength(v.lo, v.hi);
  if (form != EntryText::kPrefix || len < 0) return std::string();
  return fmt::format("{}/{}", FormatIpv6(v.lo), len);
}

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

namespace {

// Which derived text forms a value can take (EntriesSound()'s table).
constexpr uint8_t kFitsPrefix = 1, kFitsAddress = 2, kFitsDotted = 4;

// The fit each text form needs (bit of kFits*; none for a listed text or a
// hostname's plain name, which any value of its kind may have).
constexpr uint8_t kFitNeeded[8] = {
    0, kFitsPrefix, kFitsAddress, 0, kFitsDotted, 0, 0, 0};

template <class V>
uint8_t IpFits(const V& v) {
  return static_cast<uint8_t>(
      (PrefixLength(v.lo, v.hi) >= 0 ? kFitsPrefix : 0) |
      (v.lo == v.hi ? kFitsAddress : 0));
}

}  // namespace

// The checks of ValidateEntries() in one branch-free pass: true when every
// entry's value kind and index are in range, its text form is one its kind
// may have and fits its value (ValidateEntryForms()), its reserved byte is
// zero, and as many entries are marked listed as there are listed texts
// and locations.  Then the per-entry loops, which name the first bad
// entry, run only on a damaged table.  The fits are computed per value
// first (a sequential pass over the values: the entries index them in
// order) and looked up per entry, where a per-entry switch on the kind
// mispredicted on every change of kind.
bool MetadataView::EntriesSound() const {
  uint32_t count[8];
  for (uint32_t k = 0; k < 8; ++k) {
    const size_t n = ValueCount(static_cast<ValueKind>(k));
    count[k] = n > UINT32_MAX ? UINT32_MAX : static_cast<uint32_t>(n);
  }
  // fits: one byte per IPv4, IPv6 and hostname value in that order, then
  // one that fits every form, for the entries of other kinds and for those
  // whose index is out of range (refused by the range check anyway).
  const size_t n4 = ipv4.size(), n6 = ipv6.size(), nh = hosts.size();
  const size_t any = n4 + n6 + nh;
  std::unique_ptr<uint8_t[]> fits(new uint8_t[any + 1]);
  for (size_t i = 0; i < n4; ++i) fits[i] = IpFits(ipv4[i]);
  for (size_t i = 0; i < n6; ++i) fits[n4 + i] = IpFits(ipv6[i]);
  for (size_t i = 0; i < nh; ++i) {
    const StrRef name = hosts[i].name;
    fits[n4 + n6 + i] = name.offset >= 1 && name.offset <= pool.size() &&
                                pool[name.offset - 1] == '.'
                            ? kFitsDotted
                            : 0;
  }
  fits[any] = kFitsPrefix | kFitsAddress | kFitsDotted;
  // Per value kind (the 4 bits above the index; 8-15 name none): how many
  // values an entry may index (0: none is in range), where their fits
  // bytes start, and which indices select a fits byte of their own.
  uint32_t limit[16] = {};
  size_t first[16];
  uint32_t own[16] = {};
  for (uint32_t k = 0; k < 16; ++k) first[k] = any;
  for (uint32_t k = 0; k < 8; ++k) limit[k] = count[k];
  first[0] = 0, first[1] = n4, first[2] = n4 + n6;
  own[0] = own[1] = own[2] = kValueIndexMask;
  // For kind k and text form t < 8: 0x80 (a bit no fits byte has) when t
  // is not a form its kind may have, else the fit the form needs.
  uint8_t needs[16 * 8];
  for (uint32_t k = 0; k < 16; ++k) {
    for (uint32_t t = 0; t < 8; ++t) {
      const bool allowed = k < 8 && ((kFormsOfKind[k] >> t) & 1) != 0;
      needs[k * 8 + t] = allowed ? kFitNeeded[t] : 0x80;
    }
  }

  uint32_t bad = 0;
  uint64_t listed_texts = 0, listed_locs = 0;
  for (const EntryRecord& e : entries) {
    const uint32_t kind = e.value >> kValueIndexBits;
    const uint32_t index = e.value & kValueIndexMask;
    const bool in_range = index < limit[kind];
    bad |= static_cast<uint32_t>(!in_range) | e.reserved | (e.text >> 3);
    const size_t at = first[kind] + (in_range ? index & own[kind] : 0);
    bad |= needs[kind * 8 + (e.text & 7)] & ~fits[at];
    listed_texts += e.text == static_cast<uint8_t>(EntryText::kListed);
    listed_locs += e.loc == kLocListed;
  }
  return bad == 0 && listed_texts == entry_texts.size() &&
         listed_locs == entry_locs.size();
}

absl::Status MetadataView::ValidateEntries() const {
  if (entry_lines.size() != (entries.size() + kEntryBlock - 1) / kEntryBlock) {
    return Bad(fmt::format("{} entry line blocks for {} entries",
                           entry_lines.size(), entries.size()));
  }
  if (!EntriesSound()) {
    uint64_t listed_texts = 0, listed_locs = 0;
    for (size_t i = 0; i < entries.size(); ++i) {
      const EntryRecord& e = entries[i];
      const uint32_t kind = e.value >> kValueIndexBits;
      if (kind > static_cast<uint32_t>(ValueKind::kDnsState)) {
        return Bad(fmt::format("entry {}: value kind {}", i, kind));
      }
      const uint32_t index = e.value & kValueIndexMask;
      if (index >= ValueCount(static_cast<ValueKind>(kind))) {
        return Bad(
            fmt::format("entry {}: value index {} out of range", i, index));
      }
      if (e.text >= 8 || !((kFormsOfKind[kind] >> e.text) & 1)) {
        return Bad(fmt::format("entry {}: text form {} for value kind {}", i,
                               e.text, kind));
      }
      if (e.reserved != 0) return Bad(fmt::format("entry {}: reserved", i));
      listed_texts += e.text == static_cast<uint8_t>(EntryText::kListed);
      listed_locs += e.loc == kLocListed;
    }
    if (listed_texts != entry_texts.size()) {
      return Bad(fmt::format("{} entries with a listed text, {} listed texts",
                             listed_texts, entry_texts.size()));
    }
    if (listed_locs != entry_locs.size()) {
      return Bad(fmt::format("{} entries with a listed location, {} listed",
                             listed_locs, entry_locs.size()));
    }
    absl::Status s = ValidateEntryForms();
    // EntriesSound() found something: one of the above names it.
    return s.ok() ? Bad("entries: unsound") : s;
  }
  return ValidateListed();
}

// Each derived text form fits its value: a prefix form a prefix, an
// address form a single address, a dotted hostname a dot before its name.
// (EntriesSound() proves the same; this names the first that does not.)
absl::Status MetadataView::ValidateEntryForms() const {
  for (size_t i = 0; i < entries.size(); ++i) {
    const EntryRecord& e = entries[i];
    const EntryText form = static_cast<EntryText>(e.text);
    if (form == EntryText::kListed || form == EntryText::kHostName) continue;
    const uint32_t index = e.value & kValueIndexMask;
    bool fits = true;
    switch (static_cast<ValueKind>(e.value >> kValueIndexBits)) {
      case ValueKind::kIpv4: {
        const Ipv4Value& v = ipv4[index];
        fits = form == EntryText::kAddress ? v.lo == v.hi
                                           : PrefixLength(v.lo, v.hi) >= 0;
        break;
      }
      case ValueKind::kIpv6: {
        const Ipv6Value& v = ipv6[index];
        fits = form == EntryText::kAddress ? v.lo == v.hi
                                           : PrefixLength(v.lo, v.hi) >= 0;
        break;
      }
      case ValueKind::kHost: {  // kDotHostName
        const StrRef name = hosts[index].name;
        fits = name.offset >= 1 && name.offset <= pool.size() &&
               pool[name.offset - 1] == '.';
        break;
      }
      default:
        fits = false;  // EntriesSound() allows no other form
        break;
    }
    if (!fits) {
      return Bad(fmt::format("entry {}: text form {} does not fit its value", i,
                             e.text));
    }
  }
  return absl::OkStatus();
}

// The listed texts and locations name, in ascending order, entries marked
// listed (with EntriesSound()'s counts: exactly those entries).
absl::Status MetadataView::ValidateListed() const {
  uint64_t next = 0;
  for (size_t i = 0; i < entry_texts.size(); ++i) {
    const EntryTextRecord& t = entry_texts[i];
    if (t.entry < next || t.entry >= entries.size() ||
        entries[t.entry].text != static_cast<uint8_t>(EntryText::kListed) ||
        !InPool(t.text)) {
      return Bad(fmt::format("listed text {} (entry {})", i, t.entry));
    }
    next = uint64_t{t.entry} + 1;
  }
  next = 0;
  for (size_t i = 0; i < entry_locs.size(); ++i) {
    const EntryLocRecord& l = entry_locs[i];
    if (l.entry < next || l.entry >= entries.size() ||
        entries[l.entry].loc != kLocListed) {
      return Bad(fmt::format("listed location {} (entry {})", i, l.entry));
    }
    next = uint64_t{l.entry} + 1;
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

const EntryTextRecord* MetadataView::ListedText(uint32_t e) const {
  auto it = std::lower_bound(
      entry_texts.begin(), entry_texts.end(), e,
      [](const EntryTextRecord& t, uint32_t x) { return t.entry < x; });
  return it != entry_texts.end() && it->entry == e ? &*it : nullptr;
}

namespace {

// Entry locations decoded forward from the start of a block: each is a
// delta from the previous entry's (the block's first from the block's
// line) unless it is listed, and the listed ones are read in order.
class LocWalk {
 public:
  LocWalk(const MetadataView& m, uint32_t block_start)
      : m_(m),
        next_(block_start),
        listed_(std::lower_bound(
            m.entry_locs.begin(), m.entry_locs.end(), block_start,
            [](const EntryLocRecord& l, uint32_t x) { return l.entry < x; })) {}

  // The location of the next entry.
  SourceLoc Next() {
    const uint32_t e = next_++;
    if (e % kEntryBlock == 0) loc_ = {m_.entry_lines[e / kEntryBlock], 0};
    const uint16_t packed = m_.entries[e].loc;
    if (packed == kLocListed) {
      loc_ = {listed_->line, listed_->col};
      ++listed_;
    } else {
      loc_ = {loc_.line + (packed >> kLocColumnBits), packed & kLocMaxColumn};
    }
    return loc_;
  }

 private:
  const MetadataView& m_;
  uint32_t next_;
  std::span<const EntryLocRecord>::iterator listed_;
  SourceLoc loc_;
};

}  // namespace

SourceLoc MetadataView::LocOf(uint32_t e) const {
  LocWalk walk(*this, e - e % kEntryBlock);
  SourceLoc loc;
  for (uint32_t i = e - e % kEntryBlock; i <= e; ++i) loc = walk.Next();
  return loc;
}

bool MetadataView::HasDerivedText(uint32_t e) const {
  const EntryText form = static_cast<EntryText>(entries[e].text);
  return form == EntryText::kPrefix || form == EntryText::kAddress;
}

std::string_view MetadataView::StoredText(uint32_t e) const {
  const EntryRecord& r = entries[e];
  const uint32_t i = r.value & kValueIndexMask;
  switch (static_cast<EntryText>(r.text)) {
    case EntryText::kListed:
      return Str(ListedText(e)->text);
    case EntryText::kHostName:
      return Str(hosts[i].name);
    case EntryText::kDotHostName:
      return Str({hosts[i].name.offset - 1, hosts[i].name.length + 1});
    case EntryText::kPrefix:
    case EntryText::kAddress:
      break;
  }
  return {};
}

std::string MetadataView::TextOf(uint32_t e) const {
  if (!HasDerivedText(e)) return std::string(StoredText(e));
  const EntryRecord& r = entries[e];
  const uint32_t i = r.value & kValueIndexMask;
  const EntryText form = static_cast<EntryText>(r.text);
  return static_cast<ValueKind>(r.value >> kValueIndexBits) == ValueKind::kIpv4
             ? DerivedIpText(form, ipv4[i])
             : DerivedIpText(form, ipv6[i]);
}

std::string_view MetadataView::TextViewOf(uint32_t e) const {
  if (!HasDerivedText(e)) return StoredText(e);
  // A derived IP text has no bytes in the table: it is formatted once and
  // kept in the cache, whose strings never move, for the view's lifetime.
  std::lock_guard<std::mutex> lock(text_cache_->mu);
  auto [it, inserted] = text_cache_->texts.try_emplace(e);
  if (inserted) it->second = TextOf(e);
  return it->second;
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
    out.entry_text = TextViewOf(d.entry);
    out.entry_loc = LocOf(d.entry);
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
  std::vector<Entry> out_entries(entries.size());
  for (uint32_t r = 0; r < rules.size(); ++r) {
    const RuleRecord& rr = rules[r];
    Rule q;
    q.name = std::string(Str(rr.name));
    q.kind = static_cast<RuleKind>(rr.kind);
    q.policy = rr.policy;
    q.first_entry = rr.first_entry;
    q.entry_count = rr.entry_count;
    q.comment = std::string(Str(rr.comment));
    q.loc = {rr.line, rr.col};
    out_rules.push_back(std::move(q));
    for (uint32_t e = rr.first_entry; e < rr.first_entry + rr.entry_count;
         ++e) {
      out_entries[e].rule = r;
    }
  }
  LocWalk locs(*this, 0);
  for (uint32_t e = 0; e < entries.size(); ++e) {
    const EntryRecord& er = entries[e];
    Entry& q = out_entries[e];
    q.text = TextOf(e);
    q.loc = locs.Next();
    const uint32_t i = er.value & kValueIndexMask;
    switch (static_cast<ValueKind>(er.value >> kValueIndexBits)) {
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
         entry_texts.size_bytes() + entry_lines.size_bytes() +
         entry_locs.size_bytes() + warnings.size_bytes() + ipv4.size_bytes() +
         ipv6.size_bytes() + hosts.size_bytes() + sbrs.size_bytes() +
         owners.size_bytes() + dnslists.size_bytes();
}

}  // namespace hatmatch
