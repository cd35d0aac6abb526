// Copyright 2026 The hatmatch Authors.
//
// explain_index.h: every entry of a rule set that matches a connection,
// found without looking at the entries that do not.
//
// ReferenceClassifier::MatchingEntries tests every entry against the
// connection, and a `dnslist[]` entry re-reads every `dnslist=` zone of the
// connection: O(entries x zones) per connection, so `hatmatch explain` over a
// batch of connections cost O(connections x entries).  This index is built
// once per rule set (O(n log n)) and answers one connection in
// O((1 + matches) log n) plus the size of the connection (one normalization
// of its PTR name and of each zone).  Its answer is exactly the set
// EntryMatches (reference.h) accepts, in file order; tests hold it to that.

#ifndef HATMATCH_ENGINE_ANALYSIS_EXPLAIN_INDEX_H_
#define HATMATCH_ENGINE_ANALYSIS_EXPLAIN_INDEX_H_

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "hatmatch/address.h"
#include "hatmatch/connection.h"
#include "hatmatch/rules.h"

namespace hatmatch::analysis {

// Inclusive intervals [lo, hi] with ids, answering "which contain x" in
// O((1 + answers) log n): sorted by lo, with a max-of-hi tree over that
// order; a query walks only subtrees of intervals starting at or before x
// whose largest hi reaches x.
template <typename Key>
class StabbingIndex {
 public:
  struct Interval {
    Key lo, hi;
    uint32_t id;
  };
  explicit StabbingIndex(std::vector<Interval> intervals);
  // Appends the ids of the intervals containing x (in no particular order)
  // and adds the tree nodes visited to *work.
  void Stab(const Key& x, std::vector<uint32_t>* out, size_t* work) const;

 private:
  std::vector<Interval> items_;  // by lo
  std::vector<Key> max_hi_;      // heap layout over leaves [size_, 2 size_)
  size_t size_ = 1;              // leaves: a power of two >= items_.size()
};

class ExplainIndex {
 public:
  explicit ExplainIndex(const RuleSet& rules);

  // The entries EntryMatches accepts for `conn`, ascending (file order).
  std::vector<uint32_t> MatchingEntries(const Connection& conn) const;

  // Whether some dnslist[] entry names `zone` (normalized as EntryMatches
  // compares zones).
  bool NamesZone(const std::string& zone) const { return zone_.contains(zone); }

  // Entries, index nodes and zones looked at by all MatchingEntries calls so
  // far: a measure of work for tests (it must follow the matches, not the
  // size of the rule set).
  size_t work() const { return work_.load(std::memory_order_relaxed); }

 private:
  StabbingIndex<uint32_t> v4_;
  StabbingIndex<Ipv6Addr> v6_;
  StabbingIndex<double> sbrs_;
  absl::flat_hash_map<std::string, std::vector<uint32_t>> exact_host_;
  absl::flat_hash_map<std::string, std::vector<uint32_t>> partial_host_;
  absl::flat_hash_map<std::string, std::vector<uint32_t>> zone_;
  absl::flat_hash_map<uint64_t, std::vector<uint32_t>> owner_;
  std::vector<uint32_t> sbrs_none_;
  std::array<std::vector<uint32_t>, kDnsStateCount> dns_state_;
  mutable std::atomic<size_t> work_{0};
};

}  // namespace hatmatch::analysis

#endif  // HATMATCH_ENGINE_ANALYSIS_EXPLAIN_INDEX_H_
