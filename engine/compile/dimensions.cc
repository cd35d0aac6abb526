// Copyright 2026 The hatmatch Authors.

#include "engine/compile/dimensions.h"

#include <algorithm>
#include <cstdint>
#include <variant>
#include <vector>

#include "engine/base/huge_pages.h"

namespace hatmatch {

namespace {

// Files entry `e` under its dimension.
struct Sorter {
  DecidingEntries* d;
  uint32_t e;

  void operator()(const Ipv4Range& r) const {
    d->ipv4.push_back({r.lo, r.hi, e});
  }
  void operator()(const Ipv6Range& r) const {
    d->ipv6.push_back({r.lo, r.hi, e});
  }
  void operator()(const HostPattern& h) const {
    d->hosts.push_back({h.name, h.partial, e});
  }
  void operator()(const SbrsRange& s) const {
    d->sbrs.push_back({s.lo, s.hi, e});
  }
  void operator()(const SbrsNone&) const {
    d->sbrs_none = std::min(d->sbrs_none, e);
  }
  void operator()(const OwnerId& o) const { d->owners.emplace_back(o.id, e); }
  void operator()(const DnsListZone& z) const {
    d->zones.emplace_back(z.zone, e);
  }
  void operator()(const DnsStateIs& s) const {
    uint32_t& first = d->dns_state[static_cast<size_t>(s.state)];
    first = std::min(first, e);
  }
};

}  // namespace

EntryCounts CountEntries(const RuleSet& rules) {
  EntryCounts n;
  for (const Entry& e : rules.entries()) {
    n.ipv4 += std::holds_alternative<Ipv4Range>(e.value);
    n.ipv6 += std::holds_alternative<Ipv6Range>(e.value);
    n.hosts += std::holds_alternative<HostPattern>(e.value);
    n.text_bytes += e.text.size();
  }
  return n;
}

DecidingEntries SplitByDimension(const RuleSet& rules) {
  DecidingEntries d;
  d.dns_state.fill(kNoValue);
  // Room for the three large kinds, on huge pages.
  const EntryCounts n = CountEntries(rules);
  base::ReserveHuge(d.ipv4, n.ipv4);
  base::ReserveHuge(d.ipv6, n.ipv6);
  base::ReserveHuge(d.hosts, n.hosts);
  const auto& entries = rules.entries();
  for (uint32_t e = 0; e < entries.size(); ++e) {
    if (!rules.can_decide(entries[e].rule)) continue;
    std::visit(Sorter{&d, e}, entries[e].value);
  }
  return d;
}

}  // namespace hatmatch
