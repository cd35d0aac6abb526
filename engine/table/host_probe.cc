// Copyright 2026 The hatmatch Authors.
//
// The hostname suffix table's views: a set's probe, the scalar lookup and
// validation.  Layout and contract in host_table.h; the batch lookup is
// host_batch.cc, the builder engine/compile/host_table_build.cc.

#include <algorithm>
#include <bit>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "engine/table/host_name.h"
#include "engine/table/host_table.h"

namespace hatmatch {

using namespace host;  // NOLINT: this file is the host table's own code

namespace {

// The empty set, for default-constructed views: one bucket, all empty.
constexpr HostBucket kEmptyBuckets[1] = {};

}  // namespace

size_t HostSetData::bytes() const {
  return buckets.size() * sizeof(HostBucket) +
         priorities.size() * sizeof(uint32_t) + pool.size();
}

// --- HostSetView -------------------------------------------------------------

HostSetView::HostSetView()
    : HostSetView(HostSetHeader{}, kEmptyBuckets, {}, {}) {}

HostSetView::HostSetView(const HostSetHeader& header,
                         std::span<const HostBucket> buckets,
                         std::span<const uint32_t> priorities,
                         std::span<const char> pool)
    : header_(header),
      buckets_(buckets.data()),
      bucket_count_(buckets.size()),
      priorities_(priorities.data()),
      priority_count_(priorities.size()),
      pool_(pool.data()),
      pool_size_(pool.size()) {}

HostSetView::HostSetView(const HostSetData& d)
    : HostSetView(d.header, d.buckets, d.priorities, d.pool) {}

size_t HostSetView::bytes() const {
  return bucket_count_ * sizeof(HostBucket) +
         priority_count_ * sizeof(uint32_t) + pool_size_;
}

size_t HostSetView::Home(uint64_t hash) const {
  return HomeOf(hash, header_.home_buckets);
}

template <class Visit>
inline bool HostSetView::ForEachCandidate(size_t home, uint16_t key,
                                          Visit&& visit,
                                          HostProbeCost* cost) const {
  // The main buckets end with one that is not full, so the scan stays in
  // them; it stops after kMaxProbe buckets whatever the hash did.
  for (size_t b = home; b < home + kMaxProbe; ++b) {
    const HostBucket& bucket = buckets_[b];
    if (cost != nullptr) ++cost->buckets;
    for (uint32_t m = BucketScan(bucket, key).match; m != 0; m &= m - 1) {
      const size_t i = static_cast<size_t>(std::countr_zero(m));
      const Candidate c{bucket.first_item + i,
                        bucket.pool_base + BucketScan::SumLens(bucket, i)};
      if (visit(c)) return false;
    }
    if (!IsFull(bucket)) return false;
  }
  return true;
}

HATMATCH_ALWAYS_INLINE inline uint32_t HostSetView::Probe(
    uint64_t hash, const char* name, size_t len, HostProbeCost* cost) const {
  uint32_t found = kNoValue;
  const uint64_t used = Used(hash);
  const bool maybe_overflow = ForEachCandidate(
      HomeOfUsed(used, header_.home_buckets),
      static_cast<uint16_t>(TagOfUsed(used) | len << 8),
      [&](const Candidate& c) {
        if (cost != nullptr) ++cost->compares;
        if (!EqualPadded(name, pool_, pool_size_, c.offset, len)) {
          return false;
        }
        found = priorities_[c.item];
        return true;
      },
      cost);
  if (maybe_overflow) [[unlikely]] {
    found = OverflowFind(buckets_ + main_buckets(), header_.overflow_buckets,
                         priorities_, pool_, name, len, cost);
  }
  return found;
}

uint32_t HostSetView::ProbeWithCost(std::string_view name,
                                    HostProbeCost* cost) const {
  uint64_t hash;
  uint32_t labels;
  if (!HashNormalized(name, &hash, &labels)) return kNoValue;
  // Probe() reads the name from a NameBuf (32 zero bytes after it).
  NameBuf buf{};
  char* folded = buf.bytes + 16;
  for (size_t i = 0; i < name.size(); ++i) {
    folded[i] = static_cast<char>(name[i] | 0x20);
  }
  return Probe(hash, folded, name.size(), cost);
}

absl::Status HostSetView::Validate() const {
  absl::Status s = ValidateShape();
  for (size_t p = 0; s.ok() && p < NameParts(); ++p) s = ValidateNames(p);
  return s;
}

namespace {

absl::Status BadSet(auto&&... what) {
  return absl::DataLossError(absl::StrCat("host set: ", what...));
}

}  // namespace

absl::Status HostSetView::ValidateShape() const {
  const HostSetHeader& h = header_;
  // Mapped files may put the arrays anywhere; the fields are read directly.
  if (reinterpret_cast<uintptr_t>(buckets_) % alignof(HostBucket) != 0 ||
      reinterpret_cast<uintptr_t>(priorities_) % alignof(uint32_t) != 0) {
    return BadSet("misaligned array");
  }
  if (h.reserved != 0) return BadSet("reserved header field is not 0");
  if (bucket_count_ <
      std::max<uint64_t>(h.home_buckets, 1) + uint64_t{h.overflow_buckets}) {
    return BadSet(bucket_count_, " buckets for ", h.home_buckets,
                  " home buckets and ", h.overflow_buckets,
                  " overflow buckets");
  }
  if (IsFull(buckets_[main_buckets() - 1])) {
    return BadSet("the last main bucket is full");
  }
  if (priority_count_ != h.item_count) {
    return BadSet(priority_count_, " priorities for ", h.item_count, " items");
  }
  uint64_t items = 0, pool_end = 0;
  for (size_t b = 0; b < bucket_count_; ++b) {
    const HostBucket& bucket = buckets_[b];
    if (bucket.first_item != items) {
      return BadSet("bucket ", b, " starts at item ", bucket.first_item,
                    ", expected ", items);
    }
    if (bucket.pool_base != pool_end) {
      return BadSet("bucket ", b, " starts at pool byte ", bucket.pool_base,
                    ", expected ", pool_end);
    }
    for (size_t i = 0; i < kSlots; ++i) {
      const size_t tag = bucket.slot[i] & 0xff, len = bucket.slot[i] >> 8;
      if (tag == 0 ? len != 0 : len == 0 || len > kMaxName) {
        return BadSet("bucket ", b, " slot ", i, " has length ", len);
      }
      if (i > 0 && bucket.slot[i] != 0 && bucket.slot[i - 1] == 0) {
        return BadSet("bucket ", b, " has a used slot after an empty one");
      }
      items += bucket.slot[i] != 0;
      pool_end += len;
    }
  }
  if (items != h.item_count) {
    return BadSet(items, " occupied slots for ", h.item_count, " items");
  }
  if (pool_end != pool_size_) {
    return BadSet("names cover ", pool_end, " pool bytes of ", pool_size_);
  }
  return absl::OkStatus();
}

// Parts of whole kNamePartBuckets main buckets, then one for the overflow,
// whose order check runs across its buckets.
size_t HostSetView::NameParts() const {
  return (main_buckets() + kNamePartBuckets - 1) / kNamePartBuckets + 1;
}

// Every item must be a normalized name that a lookup of that name reaches:
// fingerprint, home and label count agree.  ValidateShape() has proved each
// bucket's first_item and pool_base to be the running counts, so a part
// starts from its first bucket's.
absl::Status HostSetView::ValidateNames(size_t part) const {
  const size_t main = main_buckets();
  const size_t main_parts = NameParts() - 1;
  const size_t begin = part < main_parts ? part * kNamePartBuckets : main;
  const size_t end = part < main_parts
                         ? std::min(main, begin + kNamePartBuckets)
                         : (part == main_parts ? bucket_count_ : main);
  if (begin >= end) return absl::OkStatus();
  size_t item = buckets_[begin].first_item;
  size_t off = buckets_[begin].pool_base;
  std::string_view previous_overflow;
  for (size_t b = begin; b < end; ++b) {
    const HostBucket& bucket = buckets_[b];
    const bool in_overflow = b >= main;
    if (in_overflow && b + 1 < bucket_count_ && !IsFull(bucket)) {
      return BadSet("overflow bucket ", b, " is not full");
    }
    for (size_t i = 0; i < kSlots; ++i) {
      if (bucket.slot[i] == 0) continue;
      const std::string_view name(pool_ + off, bucket.slot[i] >> 8);
      uint64_t hash;
      uint32_t labels;
      if (!HashNormalized(name, &hash, &labels)) {
        return BadSet("item ", item, " is not a normalized hostname");
      }
      if (TagOf(hash) != (bucket.slot[i] & 0xff)) {
        return BadSet("item ", item, " has the wrong fingerprint");
      }
      if (absl::Status s =
              CheckReach(Home(hash), in_overflow ? 0 : b, item, in_overflow);
          !s.ok()) {
        return s;
      }
      if (in_overflow) {
        if (!previous_overflow.empty() &&
            CompareFolded(previous_overflow.data(), previous_overflow.size(),
                          name.data(), name.size()) >= 0) {
          return BadSet("overflow item ", item, " is out of order");
        }
        previous_overflow = name;
      }
      if (!MayHaveLabels(labels)) {
        return BadSet("item ", item, " has a label count not in the mask");
      }
      ++item;
      off += name.size();
    }
  }
  return absl::OkStatus();
}

absl::Status HostSetView::CheckReach(size_t home, size_t b, size_t item,
                                     bool in_overflow) const {
  const auto bad = [item](std::string_view what) {
    return absl::DataLossError(
        absl::StrCat("host set: item ", item, " ",
                     absl::string_view(what.data(), what.size())));
  };
  // A main item sits within kMaxProbe buckets of its home, every bucket
  // before it from the home being full; an overflow item is reached only
  // after kMaxProbe full buckets from its home.
  const size_t last = in_overflow ? home + kMaxProbe : b;
  if (!in_overflow && home > b) return bad("sits before its home bucket");
  if (!in_overflow && b - home >= kMaxProbe) {
    return bad("sits too far from its home bucket");
  }
  if (last > main_buckets()) return bad("has a home too close to the end");
  for (size_t x = home; x < last; ++x) {
    if (!IsFull(buckets_[x])) return bad("is cut off from its home bucket");
  }
  return absl::OkStatus();
}

// --- HostTable ---------------------------------------------------------------

absl::Status HostTable::Validate() const {
  if (absl::Status s = exact_.Validate(); !s.ok()) {
    return absl::DataLossError(absl::StrCat("exact ", s.message()));
  }
  if (absl::Status s = partial_.Validate(); !s.ok()) {
    return absl::DataLossError(absl::StrCat("partial ", s.message()));
  }
  return absl::OkStatus();
}

uint32_t HostTable::Lookup(std::string_view name) const {
  // The walk hashes suffixes shortest first; the probes go longest first
  // and stop at the first name found, whose priority is folded with every
  // shorter match.  So the walk notes the probes the label masks allow, and
  // the probing follows it.
  struct Pending {
    uint64_t hash;
    const char* suffix;
    size_t len;
  };
  NameBuf buf;
  Pending partial[kMaxName / 2];  // proper suffixes: at most 126
  size_t np = 0;
  Pending whole{0, nullptr, 0};
  const size_t n =
      WalkName(name, &buf,
               [&](uint64_t h, const char* suffix, size_t len, uint32_t labels,
                   bool is_whole) HATMATCH_ALWAYS_INLINE {
                 // Only the whole name is looked up among exact entries,
                 // only proper suffixes among partial ones.
                 if (is_whole) {
                   if (exact_.MayHaveLabels(labels)) whole = {h, suffix, len};
                 } else if (partial_.MayHaveLabels(labels)) {
                   partial[np++] = {h, suffix, len};
                 }
               });
  if (n == 0) return kNoValue;
  if (whole.suffix != nullptr) {
    const uint32_t v = exact_.Probe(whole.hash, whole.suffix, whole.len);
    if (v != kNoValue) return v;
  }
  while (np != 0) {
    const Pending& p = partial[--np];
    const uint32_t v = partial_.Probe(p.hash, p.suffix, p.len);
    if (v != kNoValue) return v;
  }
  return kNoValue;
}

namespace host_table_testing {
void SetHashOverride(HashOverride f) { host::hash_override = f; }
}  // namespace host_table_testing

}  // namespace hatmatch
