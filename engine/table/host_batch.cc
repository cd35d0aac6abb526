// Copyright 2026 The hatmatch Authors.
//
// HostTable::LookupBatch: picks the batch lookup for this CPU once, at load
// time, and hands it the two sets as plain values (host_batch.h).

#include "engine/table/host_batch.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "engine/table/host_table.h"

namespace hatmatch {

namespace {

host::BatchFn ChooseBatch() {
#if HATMATCH_HOST_AVX512
  if (host::CpuRunsAvx512Batch()) return host::BatchAvx512;
#endif
  return host::BatchBaseline;
}

const host::BatchFn kBatch = ChooseBatch();

}  // namespace

void HostTable::LookupBatchWith(bool baseline, const std::string_view* names,
                                uint32_t* out, size_t n) const {
  auto ref = [](const HostSetView& v) {
    return host::SetRef{v.buckets_,
                        v.header_.home_buckets,
                        v.header_.label_mask[0],
                        v.priorities_,
                        v.pool_,
                        v.pool_size_,
                        v.buckets_ + v.main_buckets(),
                        v.header_.overflow_buckets};
  };
  const host::SetRef sets[2] = {ref(exact_), ref(partial_)};
  (baseline ? host::BatchBaseline : kBatch)(sets, *this, names, out, n);
}

void HostTable::LookupBatch(const std::string_view* names, uint32_t* out,
                            size_t n) const {
  LookupBatchWith(false, names, out, n);
}

void HostTable::LookupBatchBaseline(const std::string_view* names,
                                    uint32_t* out, size_t n) const {
  LookupBatchWith(true, names, out, n);
}

}  // namespace hatmatch
