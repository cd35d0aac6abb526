// Copyright 2026 The hatmatch Authors.
//
// The host table's batch lookup on x86-64 CPUs with AVX-512BW, chosen at
// run time (host_batch.cc).  The passes are host_batch.h; this file holds
// only the operations on 64-byte registers and the CPU check.

#include "engine/table/host_batch.h"

#if HATMATCH_HOST_AVX512

#include <immintrin.h>

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "engine/table/host_name.h"
#include "engine/table/host_table.h"

namespace hatmatch::host {

namespace {

// The same on one 64-byte register: a whole name (at most 64 bytes in the
// batch) or a whole bucket.  Masked loads neither fault nor read past the
// mask, so no padding and no bounds checks are needed.
struct Avx512Ops {
  HATMATCH_AVX512_TARGET static uint64_t Fold(const char* p, size_t n,
                                              char* out) {
    const __mmask64 in = _bzhi_u64(~uint64_t{0}, static_cast<unsigned>(n));
    const __m512i v = _mm512_maskz_loadu_epi8(in, p);
    const __m512i folded = _mm512_or_si512(v, _mm512_set1_epi8(0x20));
    // Bytes past the name are folded zeros, never read as name bytes.
    _mm512_storeu_si512(out, folded);
    // Letters after folding; '-' .. '9' but '/'; '_'.
    const __mmask64 ok =
        _mm512_cmple_epu8_mask(_mm512_sub_epi8(folded, _mm512_set1_epi8('a')),
                               _mm512_set1_epi8('z' - 'a')) |
        _mm512_mask_cmpneq_epi8_mask(
            _mm512_cmple_epu8_mask(_mm512_sub_epi8(v, _mm512_set1_epi8('-')),
                                   _mm512_set1_epi8('9' - '-')),
            v, _mm512_set1_epi8('/')) |
        _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('_'));
    const uint64_t dots =
        _cvtmask64_u64(_mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('.')));
    const uint64_t bad = _cvtmask64_u64(_kandn_mask64(ok, in));
    const uint64_t empty =
        (dots & 1) | (dots >> (n - 1)) | (dots & (dots >> 1));
    if ((bad | empty) != 0 || (n == 64 && dots == 0)) return ~uint64_t{0};
    return dots << 1;
  }
  HATMATCH_AVX512_TARGET static uint32_t Match(const HostBucket& b,
                                               uint16_t key) {
    return _cvtmask32_u32(_mm512_cmpeq_epi16_mask(
               _mm512_loadu_si512(&b),
               _mm512_set1_epi16(static_cast<int16_t>(key)))) &
           kSlotMask;
  }
  HATMATCH_AVX512_TARGET static uint32_t SumLens(const HostBucket& b,
                                                 size_t i) {
    // Slots 0..15 and 16..31 (the trailer, never below i), lengths of the
    // slots below i shifted down, summed per 8 bytes with psadbw.
    const auto* p = reinterpret_cast<const __m256i*>(&b);
    const uint32_t keep = _bzhi_u32(~0u, static_cast<unsigned>(i));
    const __m256i z = _mm256_setzero_si256();
    auto sums = [&](int k) HATMATCH_AVX512_TARGET {
      return _mm256_sad_epu8(
          _mm256_maskz_srli_epi16(static_cast<__mmask16>(keep >> (16 * k)),
                                  _mm256_loadu_si256(p + k), 8),
          z);
    };
    const __m256i s = _mm256_add_epi64(sums(0), sums(1));
    const __m128i t = _mm_add_epi64(_mm256_castsi256_si128(s),
                                    _mm256_extracti128_si256(s, 1));
    return static_cast<uint32_t>(
        _mm_cvtsi128_si32(_mm_add_epi64(t, _mm_unpackhi_epi64(t, t))));
  }
  HATMATCH_AVX512_TARGET static bool Equal(const SetRef& set, const char* q,
                                           size_t offset, size_t len) {
    const __mmask64 m = _bzhi_u64(~uint64_t{0}, static_cast<unsigned>(len));
    const __m512i a = _mm512_maskz_loadu_epi8(m, q);
    const __m512i b = _mm512_maskz_loadu_epi8(m, set.pool + offset);
    return _mm512_mask_cmpneq_epi8_mask(
               m, a, _mm512_or_si512(b, _mm512_set1_epi8(0x20))) == 0;
  }
};

}  // namespace

// flatten: the template and the operations are inlined here, where the
// target allows their instructions.
HATMATCH_AVX512_TARGET __attribute__((flatten)) void BatchAvx512(
    const SetRef* sets, const HostTable& table, const std::string_view* names,
    uint32_t* out, size_t n) {
  BatchLookup<Avx512Ops>(sets, table, names, out, n);
}

bool CpuRunsAvx512Batch() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") &&
         __builtin_cpu_supports("avx512bw") &&
         __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("bmi2");
}

}  // namespace hatmatch::host

#endif  // HATMATCH_HOST_AVX512
