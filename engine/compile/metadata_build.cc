// Copyright 2026 The hatmatch Authors.
//
// Building the metadata of a table (layout in engine/table/metadata.h): the
// names, policies, entry texts and values a table needs to explain a
// decision and to give back its RuleSet.

#include <algorithm>
#include <bit>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <variant>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/base/huge_pages.h"
#include "engine/compile/builders.h"
#include "engine/compile/dimensions.h"
#include "engine/table/metadata.h"
#include "hatmatch/rules.h"

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

  // `s` where it already lies in the pool inside `text` (at `at`), else a
  // new copy.  A hostname entry's normalized name is usually its text, or
  // its text without the leading dot of a partial name: 200k names are then
  // stored once, not twice (4 MB of a 1M-entry table).
  StrRef AddWithin(std::string_view s, std::string_view text, StrRef at) {
    const size_t pos = text.size() - std::min(text.size(), s.size());
    if (pos <= 1 && text.substr(pos) == s) {
      return {at.offset + static_cast<uint32_t>(pos),
              static_cast<uint32_t>(s.size())};
    }
    return Add(s);
  }

  uint32_t Value(ValueKind kind, size_t index) {
    if (index > kValueIndexMask) overflow_ = true;
    return (uint32_t{static_cast<uint8_t>(kind)} << kValueIndexBits) |
           static_cast<uint32_t>(index & kValueIndexMask);
  }

  // Adds entry `e`'s value and text; returns the value word and sets the
  // record's text form (and lists the text when it is not derived).
  uint32_t EntryValue(uint32_t e, const Entry& entry, EntryRecord* r) {
    MetadataData& d = *d_;
    const hatmatch::EntryValue& v = entry.value;
    const std::string_view text = entry.text;
    if (auto* x = std::get_if<Ipv4Range>(&v)) {
      d.ipv4.push_back({x->lo, x->hi});
      IpForm(e, text, d.ipv4.back(), r);
      return Value(ValueKind::kIpv4, d.ipv4.size() - 1);
    }
    if (auto* x = std::get_if<Ipv6Range>(&v)) {
      d.ipv6.push_back({x->lo, x->hi});
      IpForm(e, text, d.ipv6.back(), r);
      return Value(ValueKind::kIpv6, d.ipv6.size() - 1);
    }
    if (auto* h = std::get_if<HostPattern>(&v)) {
      StrRef name;
      if (text == h->name) {
        r->text = static_cast<uint8_t>(EntryText::kHostName);
        name = Add(h->name);
      } else if (text.size() == h->name.size() + 1 && text[0] == '.' &&
                 text.substr(1) == h->name) {
        r->text = static_cast<uint8_t>(EntryText::kDotHostName);
        const StrRef dotted = Add(text);
        name = {dotted.offset + 1, dotted.length - 1};
      } else {
        const StrRef listed = List(e, text);
        name = AddWithin(h->name, text, listed);
      }
      d.hosts.push_back({name, h->partial ? 1u : 0u});
      return Value(ValueKind::kHost, d.hosts.size() - 1);
    }
    List(e, text);
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

  // Entry e's location: delta-coded in the record, or listed.
  void Locate(uint32_t e, SourceLoc loc, EntryRecord* r) {
    if (e % kEntryBlock == 0) {
      d_->entry_lines.push_back(loc.line);
      prev_line_ = loc.line;
    }
    const uint64_t delta = uint64_t{loc.line} - prev_line_;
    if (loc.line >= prev_line_ && delta <= kLocMaxDelta &&
        loc.col <= kLocMaxColumn &&
        (delta << kLocColumnBits | loc.col) != kLocListed) {
      r->loc = static_cast<uint16_t>(delta << kLocColumnBits | loc.col);
    } else {
      r->loc = kLocListed;
      d_->entry_locs.push_back({e, loc.line, loc.col});
    }
    prev_line_ = loc.line;
  }

  bool overflow() const { return overflow_; }

 private:
  StrRef List(uint32_t e, std::string_view text) {
    const StrRef ref = Add(text);
    d_->entry_texts.push_back({e, ref});
    return ref;
  }

  // The derived form of an IP entry's text if formatting its value gives
  // the text back exactly (prefix first: `10.0.0.1/32` is a prefix too).
  void IpForm(uint32_t e, std::string_view text, const Ipv4Value& v,
              EntryRecord* r) {
    for (EntryText form : {EntryText::kPrefix, EntryText::kAddress}) {
      char derived[kDerivedIpv4Chars];
      const size_t n = DerivedIpv4Text(form, v, derived);
      if (n != 0 && std::string_view(derived, n) == text) {
        r->text = static_cast<uint8_t>(form);
        return;
      }
    }
    List(e, text);
  }
  void IpForm(uint32_t e, std::string_view text, const Ipv6Value& v,
              EntryRecord* r) {
    for (EntryText form : {EntryText::kPrefix, EntryText::kAddress}) {
      const std::string derived = DerivedIpText(form, v);
      if (!derived.empty() && derived == text) {
        r->text = static_cast<uint8_t>(form);
        return;
      }
    }
    List(e, text);
  }

  MetadataData* d_;
  bool overflow_ = false;
  uint32_t prev_line_ = 0;
};

uint32_t U32(size_t n) { return static_cast<uint32_t>(n); }

// Room for every entry record, value and entry text up front: growing
// arrays of a million records would copy them over and over.
void Reserve(const RuleSet& rules, MetadataData* d) {
  const EntryCounts n = CountEntries(rules);
  // On huge pages: the arrays of a large rule set are filled front to
  // back, a page fault every 4 KiB otherwise.
  base::ReserveHuge(d->entries, rules.entries().size());
  d->entry_lines.reserve(rules.entries().size() / kEntryBlock + 1);
  base::ReserveHuge(d->pool, n.text_bytes);
  base::ReserveHuge(d->ipv4, n.ipv4);
  base::ReserveHuge(d->ipv6, n.ipv6);
  base::ReserveHuge(d->hosts, n.hosts);
}

}  // namespace

absl::StatusOr<MetadataData> BuildMetadata(const RuleSet& rules) {
  MetadataData d;
  Reserve(rules, &d);
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
    if (rule.kind == RuleKind::kAll && CanDecide(action) &&
        d.info.all_rule == kNoRule) {
      d.info.all_rule = i;
    }
    d.rules.push_back(r);
  }
  for (uint32_t i = 0; i < rules.entries().size(); ++i) {
    const Entry& e = rules.entries()[i];
    EntryRecord r;
    r.value = b.EntryValue(i, e, &r);
    b.Locate(i, e.loc, &r);
    d.entries.push_back(r);
    if (!rules.can_decide(e.rule)) continue;
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

}  // namespace hatmatch
