// Copyright 2026 The hatmatch Authors.
//
// Building the hostname suffix table (layout in engine/table/host_table.h):
// every item's priority folded with those of the partial entries above it,
// items sorted by hash, placed by bucket-level linear probing at most
// kMaxProbeBuckets from their home, the rest in the sorted overflow.

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/base/huge_pages.h"
#include "engine/compile/builders.h"
#include "engine/table/host_name.h"
#include "engine/table/host_table.h"

namespace hatmatch {

using namespace host;  // NOLINT: the builder of the host table's layout

namespace {

// Items per home bucket.  A full bucket makes a lookup read the next one
// too, and sends the batch lookup's probe down its slow path (a branch
// that mispredicts, compares that were not prefetched).  At a load of 0.5
// about 0.2-0.3% of the benchmarks' probes meet one, against 5.5% at 0.7,
// for 1.3 more bytes per item (docs/benchmarks/EXPERIMENTS.md).
constexpr uint64_t kLoadPercent = 50;
// A test's load (host_table_testing::SetLoadPercent), or 0.
uint32_t load_percent_override = 0;

struct BuildItem {
  uint64_t hash;
  std::string_view name;
  uint32_t priority;
  uint32_t labels;
};

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "BuildHostTable: %s\n", what);
  std::abort();
}

HostSetData BuildSet(std::vector<BuildItem>& in) {
  // Sorting by hash sorts by home bucket (the home is monotone in the hash);
  // name and priority make the order total, so the layout depends only on
  // the entry set, and the first of equal names has the lowest priority.
  std::sort(in.begin(), in.end(), [](const BuildItem& a, const BuildItem& b) {
    const uint64_t ha = Used(a.hash), hb = Used(b.hash);
    if (ha != hb) return ha < hb;
    if (a.name != b.name) return a.name < b.name;
    return a.priority < b.priority;
  });
  in.erase(std::unique(in.begin(), in.end(),
                       [](const BuildItem& a, const BuildItem& b) {
                         return a.name == b.name;
                       }),
           in.end());
  const size_t n = in.size();
  if (n >= (size_t{1} << 31)) Die("too many names");
  uint64_t pool_bytes = 0;
  for (const BuildItem& it : in) pool_bytes += it.name.size();
  if (pool_bytes > UINT32_MAX) Die("name bytes over 4 GiB");

  HostSetData out;
  HostSetHeader& hdr = out.header;
  hdr.item_count = static_cast<uint32_t>(n);
  const uint64_t load =
      load_percent_override != 0 ? load_percent_override : kLoadPercent;
  hdr.home_buckets = static_cast<uint32_t>(
      (uint64_t{n} * 100 + kSlots * load - 1) / (kSlots * load));
  base::ReserveHuge(out.priorities, n);
  base::ReserveHuge(out.pool, pool_bytes);

  // Bucket-level linear probing in home order: each item goes to the first
  // bucket at or after its home with room, which is its home or the bucket
  // the previous item went to (homes ascend); when that is kMaxProbe or
  // more buckets past its home, it goes to the overflow instead.
  auto add_bucket = [&out] {
    HostBucket b{};
    b.first_item = static_cast<uint32_t>(out.priorities.size());
    b.pool_base = static_cast<uint32_t>(out.pool.size());
    out.buckets.push_back(b);
  };
  auto place = [&out](const BuildItem& it, size_t slot) {
    out.buckets.back().slot[slot] =
        static_cast<uint16_t>(TagOf(it.hash) | it.name.size() << 8);
    out.priorities.push_back(it.priority);
    out.pool.insert(out.pool.end(), it.name.begin(), it.name.end());
  };
  std::vector<const BuildItem*> overflow;
  size_t used = 0;  // slots used in the last bucket
  for (const BuildItem& it : in) {
    const size_t home = HomeOf(it.hash, hdr.home_buckets);
    // Buckets are appended in order and filled from slot 0.  A bucket left
    // behind is full, or no later item has its home at or before it.
    const size_t target = home >= out.buckets.size() ? home
                          : used == kSlots           ? out.buckets.size()
                                                     : out.buckets.size() - 1;
    if (target - home >= kMaxProbe) {
      overflow.push_back(&it);
      continue;
    }
    if (target >= out.buckets.size()) {
      while (target >= out.buckets.size()) add_bucket();
      used = 0;
    }
    place(it, used++);
  }
  // Every scan must stop inside the main buckets: cover the home range and
  // end with a bucket that has an empty slot.
  while (out.buckets.size() < std::max<size_t>(hdr.home_buckets, 1)) {
    add_bucket();
  }
  if (IsFull(out.buckets.back())) add_bucket();
  // The overflow, sorted as lookups search it, after the main buckets.
  std::sort(overflow.begin(), overflow.end(),
            [](const BuildItem* a, const BuildItem* b) {
              return CompareFolded(a->name.data(), a->name.size(),
                                   b->name.data(), b->name.size()) < 0;
            });
  for (size_t i = 0; i < overflow.size(); ++i) {
    if (i % kSlots == 0) add_bucket();
    place(*overflow[i], i % kSlots);
  }
  hdr.overflow_buckets =
      static_cast<uint32_t>((overflow.size() + kSlots - 1) / kSlots);
  for (const BuildItem& it : in) {
    hdr.label_mask[it.labels >> 6] |= uint64_t{1} << (it.labels & 63);
  }
  return out;
}

// Folded priorities (host_table.h): every item, exact or partial, takes the
// lowest priority among itself and the partial entries strictly above it
// (`.example.com` and `.com` for `mx.example.com`).  Those entries match
// every name the item matches, so a lookup can stop at its longest matching
// suffix.  The partial entries are taken unfolded: each item looks at all
// its ancestors itself.
void FoldAncestors(std::vector<BuildItem>& exact,
                   std::vector<BuildItem>& partial) {
  // The partial names sorted by hash, then name and priority, so that the
  // first of equal names has the lowest priority; then an open-addressing
  // index on the hash over the first of each name.  A name's suffixes come
  // with their hashes from WalkName(), so a search is one or two probes,
  // and names are compared only on a hash match.  (Vectors, not a hash map:
  // the allocation-failure tests need every container on the compile path
  // to be exception-safe.)
  struct Ancestor {
    uint64_t hash;
    std::string_view name;
    uint32_t priority;
  };
  std::vector<Ancestor> above;
  above.reserve(partial.size());
  for (const BuildItem& it : partial) {
    above.push_back(Ancestor{it.hash, it.name, it.priority});
  }
  if (above.empty()) return;
  std::sort(above.begin(), above.end(),
            [](const Ancestor& a, const Ancestor& b) {
              if (a.hash != b.hash) return a.hash < b.hash;
              if (a.name != b.name) return a.name < b.name;
              return a.priority < b.priority;
            });
  // At most half full; a slot holds an index into `above` plus one, 0 when
  // empty.  The probe starts at the hash's high bits (the low ones also
  // chose the host table's tags, which does not matter here).
  const size_t slots = std::bit_ceil(above.size() * 2);
  const int shift = 64 - std::countr_zero(slots);
  std::vector<uint32_t> index(slots, 0);
  for (size_t i = 0; i < above.size(); ++i) {
    if (i > 0 && above[i].hash == above[i - 1].hash &&
        above[i].name == above[i - 1].name) {
      continue;  // a later, higher priority of the same name
    }
    size_t k = static_cast<size_t>(above[i].hash >> shift);
    while (index[k] != 0) k = (k + 1) & (slots - 1);
    index[k] = static_cast<uint32_t>(i + 1);
  }
  auto lowest = [&](uint64_t hash, std::string_view name) {
    for (size_t k = static_cast<size_t>(hash >> shift); index[k] != 0;
         k = (k + 1) & (slots - 1)) {
      const Ancestor& a = above[index[k] - 1];
      if (a.hash == hash && a.name == name) return a.priority;
    }
    return kNoValue;
  };
  // Every item passed HashNormalized(), so WalkName() accepts its name; the
  // suffixes it visits before the whole name are those after each dot.
  auto fold = [&lowest](BuildItem& it) {
    const std::string_view name = it.name;
    NameBuf buf;
    WalkName(name, &buf,
             [&](uint64_t h, const char*, size_t len, uint32_t, bool whole) {
               if (whole) return;
               it.priority = std::min(
                   it.priority, lowest(h, name.substr(name.size() - len)));
             });
  };
  for (BuildItem& it : exact) fold(it);
  for (BuildItem& it : partial) fold(it);
}

}  // namespace

HostTableData BuildHostTable(std::span<const HostEntryInput> entries) {
  std::vector<BuildItem> exact, partial;
  for (const HostEntryInput& e : entries) {
    BuildItem it{0, e.name, e.priority, 0};
    if (e.priority == kNoValue) continue;
    if (!HashNormalized(e.name, &it.hash, &it.labels)) continue;
    (e.partial ? partial : exact).push_back(it);
  }
  FoldAncestors(exact, partial);
  HostTableData data;
  data.exact = BuildSet(exact);
  data.partial = BuildSet(partial);
  return data;
}

namespace host_table_testing {
void SetLoadPercent(uint32_t percent) { load_percent_override = percent; }
}  // namespace host_table_testing

}  // namespace hatmatch
