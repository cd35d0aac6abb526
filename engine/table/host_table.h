// Copyright 2026 The hatmatch Authors.
//
// host_table.h: the hostname dimension of the compiled table.
//
// A host table answers "which is the lowest-priority hostname entry matching
// this PTR name?" for two kinds of entries (HAT-RULES.md §2, §3):
//
//   exact    `mx1.example.com`  matches that name only
//   partial  `.example.com`     matches every name strictly below
//                               example.com, not example.com itself
//
//   HostTableData data = BuildHostTable(entries);   // compile time
//   HostTable table(data);                          // or from mmapped spans
//   uint32_t prio = table.Lookup("MX1.Example.COM.");
//
// Lookup(name) returns the lowest priority among the matching entries, or
// kNoValue.  The name is raw input: any case, at most one trailing dot
// (ignored).  A name that is not a valid hostname (empty, empty label, label
// over 63 bytes, name over 253 bytes after the trailing dot is removed, a byte
// outside [A-Za-z0-9-_.], NUL, non-ASCII) matches nothing.  Lookups allocate
// nothing, cannot fail, and cost one hash-table probe per label boundary: the
// whole name against the exact set, every proper suffix (the part after a
// '.') against the partial set, skipping label counts no entry has.
//
// How: each name is walked once, lowercased into a stack buffer; the hash of
// every label-boundary suffix is computed incrementally from the right
// (H(label.rest) = Mix(H(rest), label)), so all probes together hash each
// byte once.  A probe reads one fingerprint byte per slot of an
// open-addressing table; most misses end on the first 8-byte window of
// fingerprints without touching anything else.  A fingerprint hit is
// confirmed by comparing the name bytes in the pool.
//
// Zero-copy shape: BuildHostTable() produces a HostTableData, an owning struct
// of std::vectors of fixed-width PODs (no pointers, no padding) plus a
// fixed-width header, so the arrays can be written to a file as they are.
// HostTable is a trivially-copyable view over spans of those arrays.  A view
// over untrusted bytes must pass Validate() before its first lookup; after
// that, no lookup on any input reads outside the spans.  Building is
// deterministic: the same entry set (in any order) gives byte-identical
// arrays; the hash is seeded by fixed constants.
//
// Memory layout of one set (the exact set and the partial set are two
// independent sets of this form).  N items (distinct names), S home slots,
// S = ceil(N / 0.7):
//
//   tags   uint8[T]       T = roundup64(max(S, last used slot + 1) + 16).
//                         0 = empty slot, else the item's fingerprint
//                         (1..255).  An item's home slot is
//                         (hash.hi32 * S) >> 32 in [0, S); it sits at its home
//                         or after it with no empty slot in between (linear
//                         probing without wrap-around: the array just runs
//                         past S).  The last 16 bytes are always 0, so a scan
//                         from any home stops inside the array.
//   ranks  uint32[T / 64] occupied slots before each 64-slot block.  Items are
//                         numbered in slot order, so the item in slot s is
//                         ranks[s / 64] + (occupied slots in [s & ~63, s)).
//   items  HostItemBlock[ceil(N / 8)]  44 bytes per 8 items:
//                           pool_base    uint32    pool offset of item 8k
//                           len[8]       uint8     name length, 1..253
//                           priority[8]  uint32
//                         item 8k + j starts at pool_base + len[0] + ... +
//                         len[j - 1]; unused trailing items have len 0 and
//                         priority kNoValue.
//   pool   char[sum len]  the names in item order, no separators.
//
// Size per set: T + T / 16 + 44 * ceil(N / 8) + pool bytes
//   ≈ N * (1 / 0.7 + 1 / 11.2 + 5.5) + pool ≈ 7.0 bytes per item + its name.
//
// Validate() recomputes ranks and pool bases from the tags and lengths, so
// every index a lookup derives is in range; it also checks that every stored
// name is a normalized hostname reachable from its own home slot.

#ifndef HATMATCH_ENGINE_TABLE_HOST_TABLE_H_
#define HATMATCH_ENGINE_TABLE_HOST_TABLE_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <type_traits>
#include <vector>

#include "absl/status/status.h"
#include "engine/compile/interval_map.h"

namespace hatmatch {

// One hostname entry, as the parser normalized it: lowercase ASCII (A-labels),
// no leading or trailing dot, labels of 1..63 bytes of [a-z0-9-_], at most
// 253 bytes.  An entry not in that form could never equal a (normalized)
// looked-up name, so the builder drops it, as it drops priority kNoValue.
struct HostEntryInput {
  std::string_view name;
  bool partial = false;   // `.example.com`
  uint32_t priority = 0;  // lower wins; duplicates keep the lowest
};

struct HostItemBlock {
  uint32_t pool_base;
  uint8_t len[8];
  uint32_t priority[8];
};
static_assert(sizeof(HostItemBlock) == 44);
static_assert(std::is_trivially_copyable_v<HostItemBlock>);

struct HostSetHeader {
  uint32_t home_slots = 0;  // S
  uint32_t item_count = 0;  // N
  // Bit k (k = 1..127) set when some item has k labels.  Suffixes with other
  // label counts are not probed.
  uint64_t label_mask[2] = {0, 0};
};
static_assert(sizeof(HostSetHeader) == 24);
static_assert(std::is_trivially_copyable_v<HostSetHeader>);

struct HostSetData {
  HostSetHeader header;
  std::vector<uint8_t> tags;
  std::vector<uint32_t> ranks;
  std::vector<HostItemBlock> items;
  std::vector<char> pool;
  size_t bytes() const;
};

struct HostTableData {
  HostSetData exact;
  HostSetData partial;
  size_t bytes() const { return exact.bytes() + partial.bytes(); }
};

// Builds both sets.  O(n log n); about 0.3 s for a million entries.
// Precondition (checked, aborts): fewer than 2^31 distinct names per kind and
// less than 4 GiB of name bytes per kind.
HostTableData BuildHostTable(std::span<const HostEntryInput> entries);

// A read-only view of one set.  Default-constructed: the empty set.
class HostSetView {
 public:
  HostSetView();
  HostSetView(const HostSetHeader& header, std::span<const uint8_t> tags,
              std::span<const uint32_t> ranks,
              std::span<const HostItemBlock> items, std::span<const char> pool);
  explicit HostSetView(const HostSetData& data);

  const HostSetHeader& header() const { return header_; }
  size_t bytes() const;
  absl::Status Validate() const;

  // The arrays, for writing a table file from a view.
  std::span<const uint8_t> tags() const { return {tags_, tag_count_}; }
  std::span<const uint32_t> ranks() const { return {ranks_, rank_count_}; }
  std::span<const HostItemBlock> items() const {
    return {items_, item_block_count_};
  }
  std::span<const char> pool() const { return {pool_, pool_size_}; }

 private:
  friend class HostTable;

  // The priority of the item named exactly [name, name + len), a valid name
  // of any case whose finalized hash is `hash`, or kNoValue.
  uint32_t Probe(uint64_t hash, const char* name, size_t len) const;
  // Calls visit(slot) for every slot of the probe sequence of `hash` whose
  // fingerprint matches, until visit returns true.
  template <class Visit>
  void ForEachCandidate(uint64_t hash, Visit&& visit) const;
  // Index of the item in an occupied slot.
  size_t ItemOf(size_t slot) const;
  // Pool offset of an item whose name is `len` bytes long, or SIZE_MAX when
  // its length differs.
  size_t NameOffset(size_t item, size_t len) const;
  void Prefetch(uint64_t hash) const;
  bool MayHaveLabels(uint32_t labels) const {
    return (header_.label_mask[(labels >> 6) & 1] >> (labels & 63)) & 1;
  }
  size_t Home(uint64_t hash) const {
    return static_cast<size_t>(((hash >> 32) * header_.home_slots) >> 32);
  }

  HostSetHeader header_;
  const uint8_t* tags_;
  size_t tag_count_;
  const uint32_t* ranks_;
  size_t rank_count_;
  const HostItemBlock* items_;
  size_t item_block_count_;
  const char* pool_;
  size_t pool_size_;
};

class HostTable {
 public:
  HostTable() = default;  // matches nothing
  HostTable(HostSetView exact, HostSetView partial)
      : exact_(exact), partial_(partial) {}
  explicit HostTable(const HostTableData& data)
      : exact_(data.exact), partial_(data.partial) {}

  // Lowest priority of the entries matching `name`, or kNoValue.
  uint32_t Lookup(std::string_view name) const;
  // out[i] = Lookup(names[i]) for i < n, overlapping the memory accesses of
  // up to 16 names at a time.
  void LookupBatch(const std::string_view* names, uint32_t* out,
                   size_t n) const;

  const HostSetView& exact() const { return exact_; }
  const HostSetView& partial() const { return partial_; }
  size_t bytes() const { return exact_.bytes() + partial_.bytes(); }
  absl::Status Validate() const;

 private:
  HostSetView exact_;
  HostSetView partial_;
};
static_assert(std::is_trivially_copyable_v<HostTable>);

}  // namespace hatmatch

#endif  // HATMATCH_ENGINE_TABLE_HOST_TABLE_H_
