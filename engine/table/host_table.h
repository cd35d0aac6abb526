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
//   HostTableData data = BuildHostTable(entries);   // engine/compile
//   HostTable table(data);                          // or from mmapped spans
//   uint32_t prio = table.Lookup("MX1.Example.COM.");
//
// Lookup(name) returns the lowest priority among the matching entries, or
// kNoValue.  The name is raw input: any case, at most one trailing dot
// (ignored).  A name that is not a valid hostname (empty, empty label, label
// over 63 bytes, name over 253 bytes after the trailing dot is removed, a byte
// outside [A-Za-z0-9-_.], NUL, non-ASCII) matches nothing.  Lookups allocate
// nothing, cannot fail, and cost at most one hash-table probe per label
// boundary: the whole name against the exact set, then every proper suffix
// (the part after a '.') against the partial set, longest first, skipping
// label counts no entry has; Lookup() stops at the first name found.
//
// Folded priorities: a stored priority is not the item's own but the lowest
// among it and the partial entries strictly above it (for `mx.example.com`,
// `.example.com` and `.com`), which match every name the item matches.  The
// matches of a name are its longest matching suffix and partial entries
// above that, so the first name found, longest first, carries the answer.
// The batch lookup probes every suffix and takes the lowest, which folding
// leaves unchanged.  The answer is still the lowest matching *entry*
// (priorities are entry indices), which is what ClassifyWithEntry and
// explain report.
//
// How: each name is validated and case-folded once, 16 bytes at a time, into
// a stack buffer; the hash of every label-boundary suffix is computed
// incrementally from the right (H(label.rest) = Mix(H(rest), label)), so all
// probes together hash each byte once.  A probe reads one 64-byte bucket and
// compares the 28 (fingerprint, name length) pairs in it at once; a miss
// almost always ends there.  A candidate is confirmed by comparing the name
// bytes in the pool, and its priority is read in parallel.
//
// LookupBatch() is the fast path: it takes 16 names at a time through flat
// passes (fold, label walk noting probes and prefetching their buckets,
// bucket scans, candidate location with prefetches, name compares), so the
// cache misses of a group overlap and few branches depend on a name's
// shape.  Names of up to 32 bytes fold without a branch on their length;
// names over 64 bytes go through Lookup().  On x86-64 CPUs with AVX-512BW
// (checked once at load time) the same passes run on 64-byte registers: a
// whole name or bucket per masked load, mask-register compares.
//
// Zero-copy shape: BuildHostTable() (engine/compile/builders.h) produces a
// HostTableData, an owning struct of std::vectors of fixed-width PODs (no
// pointers, no padding) plus a fixed-width header, so the arrays can be written
// to a file as they are. HostTable is a trivially-copyable view over spans of
// those arrays.  A view over untrusted bytes must pass Validate() before its
// first lookup; after that, no lookup on any input reads outside the spans.
// Building is deterministic: the same entry set (in any order) gives
// byte-identical arrays; the hash is seeded by fixed constants.
//
// Memory layout of one set (the exact set and the partial set are two
// independent sets of this form).  N items (distinct names), H home buckets,
// H = ceil(N / (28 * 0.5)) as BuildHostTable() chooses it (the header
// carries H, and lookups and Validate() take any H >= 1, so tables built
// with another load, such as the 0.7 of earlier builds, read the same):
//
//   buckets     HostBucket[B], B >= H, 64 bytes each (one cache line):
//                 bytes  0..55  slot[28]    uint16: 0 = empty, else the
//                                           item's fingerprint (its hash's
//                                           low byte, 0 read as 1) | its name
//                                           length << 8; slots fill from 0,
//                                           so slot[27] != 0 means full
//                 bytes 56..59  first_item  items in all earlier buckets
//                 bytes 60..63  pool_base   pool bytes of all earlier buckets
//               One 16-bit compare per slot checks fingerprint and length.
//               An item's home bucket is (hash.hi32 * H) >> 32.  It sits in
//               the first bucket at or after its home that had room when it
//               was placed (bucket-level linear probing, no wrap-around), so
//               every bucket between its home and it is full, and at most
//               kMaxProbeBuckets - 1 buckets past its home; an item with no
//               room that close goes to the overflow (below).  A lookup
//               scans from the home bucket up to the first bucket that is
//               not full, at most kMaxProbeBuckets buckets; the last main
//               bucket is never full.  Item index = first_item + slot.
//               The last header.overflow_buckets buckets are the overflow:
//               its items sorted by folded name, 28 to a bucket (every
//               overflow bucket but the last full).
//   priorities  uint32[N]   in item order: bucket by bucket, slot by slot;
//                           folded (above).
//   pool        char[sum of lengths]  the names in item order, no separators;
//               the item in slot i of a bucket starts at pool_base plus
//               the lengths in slots 0..i-1.
//
// Size per set: 64 * B + 4 * N + name bytes, B ~ N / 14
//   = about 4.6 + 4 = 8.6 bytes per item plus its name (at least one bucket,
//   64 bytes, even when empty).
//
// Arrays hold native-endian integers (the format targets little-endian
// hosts; a file writer records that); buckets and priorities must be 4-byte
// aligned, which Validate() checks.
//
// Bounded work whatever the hash does.  The hash has fixed, public
// constants (tables must be byte-identical for the same rules), so names can
// be crafted to share one home bucket and one fingerprint.  So no lookup
// scans more than kMaxProbeBuckets buckets from the home: an item that finds
// no room within that distance goes to the overflow instead, buckets after
// the main ones whose items are sorted by name (bytes OR 0x20, as folded
// names compare), 28 to a bucket.  A lookup searches the overflow only when
// all kMaxProbeBuckets buckets from its home are full and hold no match:
// a binary search over the overflow buckets' first names, then one bucket.
// Per probe, at most
//   kMaxProbeBuckets * 28 fingerprint candidates (name compares),
//   + log2(overflow buckets) + 1 + 28 name compares in the overflow,
// so about 170 compares for the largest possible set, and with any real
// hash the overflow is empty and a probe reads one bucket.  Tests build
// tables with a degenerate hash (every name colliding) through
// host_table_testing::SetHashOverride and count the compares.
//
// Validate() recomputes first_item and pool_base from the tags and lengths,
// so every index a lookup derives is in range; it also checks that every
// stored name is a normalized hostname that a lookup of that name reaches
// (within kMaxProbeBuckets of its home, or in the sorted overflow behind
// kMaxProbeBuckets full buckets).

#ifndef HATMATCH_ENGINE_TABLE_HOST_TABLE_H_
#define HATMATCH_ENGINE_TABLE_HOST_TABLE_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <type_traits>
#include <vector>

#include "absl/status/status.h"
#include "engine/table/interval_map.h"

namespace hatmatch {

struct HostBucket {
  static constexpr size_t kSlots = 28;
  uint16_t slot[kSlots];  // fingerprint | name length << 8; 0 = empty
  uint32_t first_item;
  uint32_t pool_base;
};
static_assert(sizeof(HostBucket) == 64);
static_assert(std::is_trivially_copyable_v<HostBucket>);

struct HostSetHeader {
  uint32_t home_buckets = 0;  // H
  uint32_t item_count = 0;    // N, overflow items included
  // Bit k (k = 1..127) set when some item has k labels.  Suffixes with other
  // label counts are not probed.
  uint64_t label_mask[2] = {0, 0};
  // The last overflow_buckets buckets hold the overflow (see above).
  uint32_t overflow_buckets = 0;
  uint32_t reserved = 0;  // 0
};
static_assert(sizeof(HostSetHeader) == 32);
static_assert(std::is_trivially_copyable_v<HostSetHeader>);

struct HostSetData {
  HostSetHeader header;
  std::vector<HostBucket> buckets;
  std::vector<uint32_t> priorities;
  std::vector<char> pool;
  size_t bytes() const;
};

struct HostTableData {
  HostSetData exact;
  HostSetData partial;
  size_t bytes() const { return exact.bytes() + partial.bytes(); }
};

// How much one probe cost, for tests of the bound above.
struct HostProbeCost {
  size_t buckets = 0;   // main buckets scanned
  size_t compares = 0;  // names compared (candidates and overflow search)
};

// A read-only view of one set.  Default-constructed: the empty set.
class HostSetView {
 public:
  static constexpr size_t kMaxProbeBuckets = 4;

  HostSetView();
  HostSetView(const HostSetHeader& header, std::span<const HostBucket> buckets,
              std::span<const uint32_t> priorities, std::span<const char> pool);
  explicit HostSetView(const HostSetData& data);

  const HostSetHeader& header() const { return header_; }
  size_t bytes() const;
  // ValidateShape(), then ValidateNames(p) for every part p in order; the
  // first error.
  absl::Status Validate() const;

  // Validate() in pieces, so that threads can share it.  ValidateShape()
  // proves the header and the bucket array (each bucket's first item and
  // pool offset, slot tags and lengths; a linear pass over the buckets).
  // Once it has passed, the names' checks (re-hashing every stored name
  // to prove a lookup reaches it, which is most of the cost) may run as
  // NameParts() independent parts, in any order, on any threads; part p
  // covers a range of buckets after those of part p - 1, so the first
  // failing part's error is the one Validate() gives.  NameParts() and
  // ValidateNames() must not be called unless ValidateShape() returned OK.
  absl::Status ValidateShape() const;
  size_t NameParts() const;
  absl::Status ValidateNames(size_t part) const;

  // The arrays, for writing a table file from a view.
  std::span<const HostBucket> buckets() const {
    return {buckets_, bucket_count_};
  }
  std::span<const uint32_t> priorities() const {
    return {priorities_, priority_count_};
  }
  std::span<const char> pool() const { return {pool_, pool_size_}; }

  // The (folded) priority of the normalized `name` in this set (kNoValue
  // when absent), with what the probe cost, through the lookup's own code.
  uint32_t ProbeWithCost(std::string_view name, HostProbeCost* cost) const;

 private:
  friend class HostTable;

  // Where a fingerprint-and-length match points.
  struct Candidate {
    size_t item;
    size_t offset;  // of its name in the pool
  };

  // The priority of the item named [name, name + len) (folded, valid, in a
  // NameBuf: 32 zero bytes after it) whose hash is `hash`, or kNoValue.
  // Counts into *cost when given.
  uint32_t Probe(uint64_t hash, const char* name, size_t len,
                 HostProbeCost* cost = nullptr) const;
  // Calls visit(Candidate) for every slot of the (at most kMaxProbeBuckets)
  // buckets from `home` whose fingerprint and length equal `key`, until
  // visit returns true.  Returns true when the overflow may hold the name:
  // every bucket scanned was full and none matched.
  template <class Visit>
  bool ForEachCandidate(size_t home, uint16_t key, Visit&& visit,
                        HostProbeCost* cost) const;
  // Validate()'s check that the item in bucket `b` (main) or in the
  // overflow, with home bucket `home`, is reached by a lookup.
  absl::Status CheckReach(size_t home, size_t b, size_t item,
                          bool in_overflow) const;
  // Main buckets per part of ValidateNames(): at most 7,168 names, a few
  // hundred microseconds of hashing at most, so that two threads sharing
  // the parts finish within one part of each other.
  static constexpr size_t kNamePartBuckets = 256;
  size_t main_buckets() const {
    return bucket_count_ - header_.overflow_buckets;
  }
  bool MayHaveLabels(uint32_t labels) const {
    return (header_.label_mask[(labels >> 6) & 1] >> (labels & 63)) & 1;
  }
  size_t Home(uint64_t hash) const;

  HostSetHeader header_;
  const HostBucket* buckets_;
  size_t bucket_count_;
  const uint32_t* priorities_;
  size_t priority_count_;
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
  // up to 16 names at a time.  On x86-64 CPUs with AVX-512BW it runs code
  // for those (chosen once, at load time); the answers are the same.
  void LookupBatch(const std::string_view* names, uint32_t* out,
                   size_t n) const;
  // LookupBatch with the baseline code whatever the CPU, for tests.
  void LookupBatchBaseline(const std::string_view* names, uint32_t* out,
                           size_t n) const;

  const HostSetView& exact() const { return exact_; }
  const HostSetView& partial() const { return partial_; }
  size_t bytes() const { return exact_.bytes() + partial_.bytes(); }
  absl::Status Validate() const;

 private:
  void LookupBatchWith(bool baseline, const std::string_view* names,
                       uint32_t* out, size_t n) const;

  HostSetView exact_;
  HostSetView partial_;
};
static_assert(std::is_trivially_copyable_v<HostTable>);

// Test-only: replaces the hash every build, lookup and validation uses from
// here on by f(hash) (nullptr restores the real one), so that tests can
// build tables in which every name collides.  Not thread-safe; never set
// outside tests.
namespace host_table_testing {
using HashOverride = uint64_t (*)(uint64_t);
void SetHashOverride(HashOverride f);
}  // namespace host_table_testing

}  // namespace hatmatch

#endif  // HATMATCH_ENGINE_TABLE_HOST_TABLE_H_
