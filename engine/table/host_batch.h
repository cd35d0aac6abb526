// Copyright 2026 The hatmatch Authors.
//
// host_batch.h: the host table's batch lookup, as passes over a group of
// names, written once for every instruction set.  Internal to engine/table.
//
// Names go through in groups, in passes over flat arrays, so that every
// pass issues the loads of the next one for the whole group before any of
// them is needed, and the loops branch on a name's shape as little as
// possible:
//   1. FoldGroup:   validate and fold each name;
//   2. NoteProbes:  hash each name's suffixes; for every probe its label
//                   count allows, prefetch the home bucket and note it;
//   3. ScanBuckets: scan each probe's bucket: its one matching slot, if any,
//                   becomes a candidate.  A probe with several matching
//                   slots or a full bucket (rare) is confirmed on the spot,
//                   scanning at most kMaxProbe buckets and then, when all
//                   were full, the sorted overflow;
//   4. LocateCandidates: locate each candidate's name and priority,
//                   prefetch them;
//   5. CompareCandidates: compare each candidate's name, keep the lowest
//                   priority.
// Names over 64 bytes (rare) take HostTable::Lookup() in pass 1.
//
// `Ops` supplies the vector operations (Fold, Match, SumLens, Equal): one
// file per instruction set, host_batch_baseline.cc (SSE2 or portable) and
// host_batch_avx512.cc; host_batch.cc chooses between them once, at load
// time.  Every pass is always inlined into BatchLookup, and BatchLookup into
// the per-instruction-set entry point, so the passes cost no calls.

#ifndef HATMATCH_ENGINE_TABLE_HOST_BATCH_H_
#define HATMATCH_ENGINE_TABLE_HOST_BATCH_H_

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "engine/table/host_name.h"
#include "engine/table/host_table.h"

// A second batch lookup for x86-64 CPUs with AVX-512BW (byte-masked loads
// and compares into mask registers), chosen at run time.  GCC and clang
// compile it from the same template with a per-function target.
#if defined(__x86_64__) && defined(__GNUC__) && \
    !defined(HATMATCH_HOST_TABLE_PORTABLE)
#define HATMATCH_HOST_AVX512 1
#define HATMATCH_AVX512_TARGET \
  __attribute__((target("avx512f,avx512bw,avx512vl,bmi,bmi2")))
#endif

namespace hatmatch::host {

// What the batch lookup needs of one set, as plain values.
struct SetRef {
  const HostBucket* buckets;
  uint64_t home_buckets;
  // label_mask[0]: names the batch probes have at most 32 labels.
  uint64_t labels;
  const uint32_t* priorities;
  const char* pool;
  size_t pool_size;
  const HostBucket* overflow;  // the overflow buckets
  size_t overflow_count;

  const HostBucket* HomeBucket(uint64_t hash) const {
    return buckets + HomeOf(hash, home_buckets);
  }
};

// One batch lookup: sets[0] is the exact set, sets[1] the partial set.
using BatchFn = void (*)(const SetRef* sets, const HostTable& table,
                         const std::string_view* names, uint32_t* out,
                         size_t n);

void BatchBaseline(const SetRef* sets, const HostTable& table,
                   const std::string_view* names, uint32_t* out, size_t n);
#if HATMATCH_HOST_AVX512
void BatchAvx512(const SetRef* sets, const HostTable& table,
                 const std::string_view* names, uint32_t* out, size_t n);
// True when this CPU runs BatchAvx512.
bool CpuRunsAvx512Batch();
#endif

inline constexpr size_t kGroup = 16;
inline constexpr size_t kMaxBatchLabels = 32;  // in 64 bytes
inline constexpr size_t kGroupProbes = kGroup * kMaxBatchLabels;

struct PendingProbe {
  const HostBucket* bucket;
  const char* suffix;
  uint32_t key;  // fingerprint | len << 8 | set << 16 | name << 24
};

struct PendingCandidate {
  uint32_t probe;
  uint32_t slot;  // in the bucket, then the item
  size_t offset;
};

// Pass 1: validates and folds names[0, m) (of `total` from here on) into
// bufs; starts[g] has bit 0 set when name g has nothing to probe (invalid,
// or looked up whole because it is long).  Sets out[0, m).
template <class Ops>
HATMATCH_ALWAYS_INLINE inline void FoldGroup(const HostTable& table,
                                             const std::string_view* names,
                                             size_t m, size_t total,
                                             uint32_t* out, NameBuf* bufs,
                                             uint64_t* starts, uint32_t* lens) {
  for (size_t g = 0; g < m; ++g) {
    const std::string_view in = names[g];
    // The names of the group after next: names often live in separate
    // heap blocks that the hardware prefetcher does not foresee.
    if (g + 2 * kGroup < total) {
      __builtin_prefetch(names[g + 2 * kGroup].data());
    }
    out[g] = kNoValue;
    size_t len = in.size();
    if (len != 0 && in[len - 1] == '.') --len;
    starts[g] = 1;
    lens[g] = static_cast<uint32_t>(len);
    if (len - 1 >= 64) [[unlikely]] {  // also len == 0
      if (len != 0) out[g] = table.Lookup(in);
      continue;
    }
    std::memset(bufs[g].bytes, 0, 16);
    starts[g] = Ops::Fold(in.data(), len, bufs[g].bytes + 16);
  }
}

// Pass 2: hashes the suffixes of the folded names; a separate loop, so that
// the label walk has the registers to itself.  Returns the probe count.
HATMATCH_ALWAYS_INLINE inline size_t NoteProbes(const SetRef* sets,
                                                const NameBuf* bufs,
                                                const uint64_t* starts,
                                                const uint32_t* lens, size_t m,
                                                PendingProbe* probes) {
  size_t np = 0;
  for (size_t g = 0; g < m; ++g) {
    uint64_t left = starts[g];
    if (left & 1) continue;
    const char* b = bufs[g].bytes + 16;
    const size_t len = lens[g];
    // The key of the probe of the suffix at `start`, fingerprint aside.
    const uint32_t key_bits =
        static_cast<uint32_t>(g) << 24 | static_cast<uint32_t>(len) << 8;
    uint64_t h = kSeed;
    size_t end = len;
    uint32_t labels = 0;
    // Notes a probe of the suffix at `start` when some item of the set
    // has `labels` labels.  (The branch follows a pattern, such as "never
    // for one label", that predicts well.)
    auto note = [&](const SetRef& set, uint32_t set_bit, size_t start)
                    HATMATCH_ALWAYS_INLINE {
                      if (((set.labels >> labels) & 1) == 0) return;
                      const HostBucket* bucket = set.HomeBucket(h);
                      __builtin_prefetch(bucket);
                      probes[np++] = {bucket, b + start,
                                      (key_bits | set_bit | TagOf(h)) -
                                          (static_cast<uint32_t>(start) << 8)};
                    };
    for (;;) {
      const size_t start = LastStart(left);
      h = MixLabel(h, b, start, end);
      ++labels;
      if (start == 0) break;
      note(sets[1], 1u << 16, start);
      left ^= uint64_t{1} << start;
      end = start - 1;
    }
    note(sets[0], 0, 0);
  }
  return np;
}

// Pass 3, the rare case: confirms every matching slot of the probe
// sequence from p.bucket into *best.  As HostSetView::Probe: at most
// kMaxProbe buckets, then the overflow when they were all full.
template <class Ops>
HATMATCH_ALWAYS_INLINE inline void ConfirmProbe(const SetRef& set,
                                                const PendingProbe& p,
                                                uint32_t* best) {
  const auto key = static_cast<uint16_t>(p.key);
  bool all_full = true;
  const HostBucket* bucket = p.bucket;
  for (size_t d = 0; d < kMaxProbe && all_full; ++d, ++bucket) {
    for (uint32_t mm = Ops::Match(*bucket, key); mm != 0; mm &= mm - 1) {
      const size_t i = static_cast<size_t>(std::countr_zero(mm));
      if (Ops::Equal(set, p.suffix,
                     bucket->pool_base + Ops::SumLens(*bucket, i), key >> 8)) {
        *best = std::min(*best, set.priorities[bucket->first_item + i]);
      }
    }
    all_full = IsFull(*bucket);
  }
  if (all_full) [[unlikely]] {
    *best = std::min(
        *best, OverflowFind(set.overflow, set.overflow_count, set.priorities,
                            set.pool, p.suffix, key >> 8, nullptr));
  }
}

// Pass 3: scans each probe's home bucket; returns the candidate count.
template <class Ops>
HATMATCH_ALWAYS_INLINE inline size_t ScanBuckets(const SetRef* sets,
                                                 const PendingProbe* probes,
                                                 size_t np, uint32_t* out,
                                                 PendingCandidate* cands) {
  size_t nc = 0;
  for (size_t k = 0; k < np; ++k) {
    const PendingProbe& p = probes[k];
    const uint32_t match = Ops::Match(*p.bucket, static_cast<uint16_t>(p.key));
    if (((match & (match - 1)) | p.bucket->slot[kSlots - 1]) != 0)
        [[unlikely]] {
      ConfirmProbe<Ops>(sets[(p.key >> 16) & 1], p, &out[p.key >> 24]);
      continue;
    }
    cands[nc] = {static_cast<uint32_t>(k),
                 static_cast<uint32_t>(std::countr_zero(match | 1u << 31)), 0};
    nc += match != 0;
  }
  return nc;
}

// Pass 4: where each candidate's name and priority are; prefetches them.
template <class Ops>
HATMATCH_ALWAYS_INLINE inline void LocateCandidates(const SetRef* sets,
                                                    const PendingProbe* probes,
                                                    PendingCandidate* cands,
                                                    size_t nc) {
  for (size_t k = 0; k < nc; ++k) {
    PendingCandidate& c = cands[k];
    const PendingProbe& p = probes[c.probe];
    const SetRef& set = sets[(p.key >> 16) & 1];
    c.offset = p.bucket->pool_base + Ops::SumLens(*p.bucket, c.slot);
    c.slot += p.bucket->first_item;
    __builtin_prefetch(set.pool + c.offset);
    __builtin_prefetch(set.priorities + c.slot);
  }
}

// Pass 5: compares each candidate's name; keeps the lowest priority.
template <class Ops>
HATMATCH_ALWAYS_INLINE inline void CompareCandidates(
    const SetRef* sets, const PendingProbe* probes,
    const PendingCandidate* cands, size_t nc, uint32_t* out) {
  for (size_t k = 0; k < nc; ++k) {
    const PendingCandidate& c = cands[k];
    const PendingProbe& p = probes[c.probe];
    const SetRef& set = sets[(p.key >> 16) & 1];
    if (Ops::Equal(set, p.suffix, c.offset, (p.key >> 8) & 0xff)) {
      uint32_t& best = out[p.key >> 24];
      best = std::min(best, set.priorities[c.slot]);
    }
  }
}

// out[i] = table.Lookup(names[i]) for i < n, group by group.
template <class Ops>
HATMATCH_ALWAYS_INLINE inline void BatchLookup(const SetRef* sets,
                                               const HostTable& table,
                                               const std::string_view* names,
                                               uint32_t* out, size_t n) {
  NameBuf bufs[kGroup];
  PendingProbe probes[kGroupProbes];
  PendingCandidate cands[kGroupProbes];
  for (size_t base = 0; base < n; base += kGroup) {
    const size_t m = std::min(kGroup, n - base);
    uint64_t starts[kGroup];
    uint32_t lens[kGroup];
    FoldGroup<Ops>(table, names + base, m, n - base, out + base, bufs, starts,
                   lens);
    const size_t np = NoteProbes(sets, bufs, starts, lens, m, probes);
    const size_t nc = ScanBuckets<Ops>(sets, probes, np, out + base, cands);
    LocateCandidates<Ops>(sets, probes, cands, nc);
    CompareCandidates<Ops>(sets, probes, cands, nc, out + base);
  }
}

}  // namespace hatmatch::host

#endif  // HATMATCH_ENGINE_TABLE_HOST_BATCH_H_
