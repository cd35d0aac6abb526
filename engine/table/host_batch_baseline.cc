// Copyright 2026 The hatmatch Authors.
//
// The host table's batch lookup on the baseline instruction set: SSE2 on
// x86-64 (host_scan_sse2.h), 8-byte words elsewhere (host_scan_portable.h).
// The passes are host_batch.h.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "engine/table/host_batch.h"
#include "engine/table/host_name.h"
#include "engine/table/host_table.h"

namespace hatmatch::host {

namespace {

// The vector operations of the batch lookup, baseline x86-64 (SSE2) or
// portable.
struct BaselineOps {
  // FoldShortName, plus 32 defined bytes after the name for Equal.
  static uint64_t Fold(const char* p, size_t n, char* out) {
    const uint64_t starts = FoldShortName(p, n, out);
    std::memset(out + n, 0, 32);
    return starts;
  }
  static uint32_t Match(const HostBucket& b, uint16_t key) {
    return BucketScan(b, key).match;
  }
  static uint32_t SumLens(const HostBucket& b, size_t i) {
    return BucketScan::SumLens(b, i);
  }
  // Whether the folded name q (len <= 64 bytes, 32 readable after it)
  // equals the stored name at `offset`.
  static bool Equal(const SetRef& set, const char* q, size_t offset,
                    size_t len) {
#if defined(__SSE2__) && !defined(HATMATCH_HOST_TABLE_PORTABLE)
    if (len <= 32 && offset + 32 <= set.pool_size) [[likely]] {
      const __m128i fold = _mm_set1_epi8(0x20);
      auto eq16 = [&](size_t k) {
        const __m128i a =
            _mm_loadu_si128(reinterpret_cast<const __m128i*>(q + k));
        const __m128i b = _mm_loadu_si128(
            reinterpret_cast<const __m128i*>(set.pool + offset + k));
        return static_cast<uint32_t>(
            _mm_movemask_epi8(_mm_cmpeq_epi8(a, _mm_or_si128(b, fold))));
      };
      const uint32_t same = eq16(0) | eq16(16) << 16;
      return (~same & (~uint32_t{0} >> (32 - len))) == 0;
    }
#endif
    return EqualFolded(q, set.pool + offset, len);
  }
};

}  // namespace

void BatchBaseline(const SetRef* sets, const HostTable& table,
                   const std::string_view* names, uint32_t* out, size_t n) {
  BatchLookup<BaselineOps>(sets, table, names, out, n);
}

}  // namespace hatmatch::host
