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

// Room for the entries of the three large kinds (of deciding rules or
// not), so that no vector grows by copying itself into fresh pages, and
// those on huge pages.
void ReserveAddressesAndHosts(const std::vector<Entry>& entries,
                              DecidingEntries* d) {
  size_t v4 = 0, v6 = 0, hosts = 0;
  for (const Entry& e : entries) {
    v4 += std::holds_alternative<Ipv4Range>(e.value);
    v6 += std::holds_alternative<Ipv6Range>(e.value);
    hosts += std::holds_alternative<HostPattern>(e.value);
  }
  base::ReserveHuge(d->ipv4, v4);
  base::ReserveHuge(d->ipv6, v6);
  base::ReserveHuge(d->hosts, hosts);
}

}  // namespace

DecidingEntries SplitByDimension(const RuleSet& rules) {
  DecidingEntries d;
  d.dns_state.fill(kNoValue);
  const auto& entries = rules.entries();
  ReserveAddressesAndHosts(entries, &d);
  for (uint32_t e = 0; e < entries.size(); ++e) {
    if (!rules.can_decide(entries[e].rule)) continue;
    std::visit(Sorter{&d, e}, entries[e].value);
  }
  return d;
}

}  // namespace hatmatch
