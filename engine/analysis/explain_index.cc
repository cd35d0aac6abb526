// Copyright 2026 The hatmatch Authors.
//
// The explain index: one lookup structure per kind of entry, each keyed the
// way EntryMatches (engine/reference/reference.cc) compares that kind, so the
// union of the lookups is exactly the set of matching entries.

#include "engine/analysis/explain_index.h"

#include <algorithm>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "hatmatch/parse.h"

namespace hatmatch::analysis {

template <typename Key>
StabbingIndex<Key>::StabbingIndex(std::vector<Interval> intervals)
    : items_(std::move(intervals)) {
  std::sort(items_.begin(), items_.end(),
            [](const Interval& a, const Interval& b) { return a.lo < b.lo; });
  while (size_ < items_.size()) size_ *= 2;
  if (items_.empty()) return;
  // Padding leaves repeat the last interval's hi: never below a real one,
  // and a query never enters them (they lie past every count of starts).
  max_hi_.assign(2 * size_, items_.back().hi);
  for (size_t i = 0; i < items_.size(); ++i) max_hi_[size_ + i] = items_[i].hi;
  for (size_t n = size_ - 1; n >= 1; --n) {
    max_hi_[n] = std::max(max_hi_[2 * n], max_hi_[2 * n + 1]);
  }
}

template <typename Key>
void StabbingIndex<Key>::Stab(const Key& x, std::vector<uint32_t>* out,
                              size_t* work) const {
  // The intervals starting at or before x are the prefix [0, starts).
  const size_t starts = std::upper_bound(items_.begin(), items_.end(), x,
                                         [](const Key& k, const Interval& i) {
                                           return k < i.lo;
                                         }) -
                        items_.begin();
  if (starts == 0) return;
  // Depth-first over the nodes whose leaves begin inside the prefix; a node
  // whose largest hi is below x holds no answer.  Every node visited either
  // holds an answer below it or is a child of one that does (or lies on the
  // prefix boundary path), hence O((1 + answers) log n).
  struct Node {
    size_t node, first, width;
  };
  std::vector<Node> stack = {{1, 0, size_}};
  while (!stack.empty()) {
    const Node n = stack.back();
    stack.pop_back();
    ++*work;
    if (n.first >= starts || max_hi_[n.node] < x) continue;
    if (n.width == 1) {
      out->push_back(items_[n.first].id);
      continue;
    }
    const size_t half = n.width / 2;
    stack.push_back({2 * n.node + 1, n.first + half, half});
    stack.push_back({2 * n.node, n.first, half});
  }
}

template class StabbingIndex<uint32_t>;
template class StabbingIndex<Ipv6Addr>;
template class StabbingIndex<double>;

namespace {

// The entries holding a `Range` (Ipv4Range, Ipv6Range, SbrsRange), as
// intervals of its bounds.
template <typename Range, typename Key>
std::vector<typename StabbingIndex<Key>::Interval> Intervals(
    const RuleSet& rules) {
  std::vector<typename StabbingIndex<Key>::Interval> out;
  const std::vector<Entry>& entries = rules.entries();
  for (uint32_t e = 0; e < entries.size(); ++e) {
    if (auto* r = std::get_if<Range>(&entries[e].value)) {
      out.push_back({r->lo, r->hi, e});
    }
  }
  return out;
}

}  // namespace

ExplainIndex::ExplainIndex(const RuleSet& rules)
    : v4_(Intervals<Ipv4Range, uint32_t>(rules)),
      v6_(Intervals<Ipv6Range, Ipv6Addr>(rules)),
      sbrs_(Intervals<SbrsRange, double>(rules)) {
  const std::vector<Entry>& entries = rules.entries();
  for (uint32_t e = 0; e < entries.size(); ++e) {
    const EntryValue& v = entries[e].value;
    if (auto* h = std::get_if<HostPattern>(&v)) {
      (h->partial ? partial_host_ : exact_host_)[h->name].push_back(e);
    } else if (auto* z = std::get_if<DnsListZone>(&v)) {
      zone_[z->zone].push_back(e);
    } else if (auto* o = std::get_if<OwnerId>(&v)) {
      owner_[o->id].push_back(e);
    } else if (std::holds_alternative<SbrsNone>(v)) {
      sbrs_none_.push_back(e);
    } else if (auto* d = std::get_if<DnsStateIs>(&v)) {
      dns_state_[static_cast<size_t>(d->state)].push_back(e);
    }
  }
}

std::vector<uint32_t> ExplainIndex::MatchingEntries(
    const Connection& conn) const {
  std::vector<uint32_t> out;
  size_t work = 0;
  auto add = [&](const std::vector<uint32_t>& ids) {
    work += 1 + ids.size();
    out.insert(out.end(), ids.begin(), ids.end());
  };
  auto add_found = [&](const auto& map, const auto& key) {
    ++work;
    if (auto it = map.find(key); it != map.end()) add(it->second);
  };
  const IpAddress addr = NormalizeEmbeddedIpv4(conn.address);
  if (addr.is_v4()) {
    v4_.Stab(addr.v4(), &out, &work);
  } else {
    v6_.Stab(addr.v6(), &out, &work);
  }
  // Hostnames: the verified name equals an exact pattern, or lies strictly
  // below a partial one, i.e. a partial's base is what follows one of its
  // dots other than a leading one.
  std::string name;
  if (conn.dns == DnsState::kVerified &&
      NormalizeHostname(conn.ptr, /*allow_idna=*/false, &name)) {
    add_found(exact_host_, name);
    for (size_t dot = name.find('.', 1); dot != std::string::npos;
         dot = name.find('.', dot + 1)) {
      add_found(partial_host_, name.substr(dot + 1));
    }
  }
  if (conn.sbrs.has_value()) {
    // A NaN score is inside no range (every comparison with it is false),
    // but it would pass the tree's "not below" tests: keep it out.
    if (*conn.sbrs == *conn.sbrs) sbrs_.Stab(*conn.sbrs, &out, &work);
  } else {
    add(sbrs_none_);
  }
  if (conn.sbo.has_value()) add_found(owner_, *conn.sbo);
  for (const std::string& listed : conn.dnslists) {
    std::string zone;  // zones compare like hostnames
    if (NormalizeHostname(listed, /*allow_idna=*/false, &zone)) {
      add_found(zone_, zone);
    }
  }
  add(dns_state_[static_cast<size_t>(conn.dns)]);
  // File order; the one source of repeats is a zone listed twice.
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  // Summed per call, so that threads sharing the index do not race on it.
  work_.fetch_add(work, std::memory_order_relaxed);
  return out;
}

}  // namespace hatmatch::analysis
