// Copyright 2026 The hatmatch Authors.
//
// The direct IPv4 layout's batch with AVX-512 gathers: see
// ipv4_batch_avx512.h.

#include <cstddef>
#include <cstdint>

#include "engine/table/ipv4_batch_avx512.h"
#include "engine/table/ipv4_direct.h"

#if defined(__x86_64__) && defined(__GNUC__) && \
    !defined(HATMATCH_IPV4_BATCH_PORTABLE)
#define HATMATCH_IPV4_DIRECT_AVX512 1
#include <immintrin.h>
#define HATMATCH_IPV4_DIRECT_TARGET __attribute__((target("avx512f")))
#endif

namespace hatmatch {

#if HATMATCH_IPV4_DIRECT_AVX512

// GCC 12's intrinsics start some results from _mm512_undefined_epi32(),
// which -Wmaybe-uninitialized reports once inlined here (a known false
// positive of those headers).
#if !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

namespace {

// Groups of sixteen addresses between a group's top-level gather and its
// code gather, which depends on it: the core has independent gathers to
// start while a group's dependent one waits.
constexpr size_t kLag = 8;

// The answers of sixteen addresses whose top entries `e` (zero-extended)
// are known; the lanes whose code is the split code are returned.
HATMATCH_IPV4_DIRECT_TARGET inline __mmask16 Answer16(const Ipv4Direct& d,
                                                      __m512i addr, __m512i e,
                                                      uint32_t* o) {
  const __m512i flag = _mm512_set1_epi32(Ipv4Direct::kBlockFlag16);
  const __mmask16 block = _mm512_test_epi32_mask(e, flag);
  // Values as they are, kNoValue16 as kNoValue.
  __m512i r = _mm512_mask_mov_epi32(
      e, _mm512_cmpeq_epi32_mask(e, _mm512_set1_epi32(Ipv4Direct::kNoValue16)),
      _mm512_set1_epi32(-1));
  __mmask16 split = 0;
  if (block) {
    // Code index (e - flag) * 64 + the /24 within the block; its bit
    // offset; a 32-bit gather at its first byte, shifted and masked.
    const __m512i index = _mm512_add_epi32(
        _mm512_slli_epi32(_mm512_sub_epi32(e, flag), 6),
        _mm512_and_si512(_mm512_srli_epi32(addr, 8), _mm512_set1_epi32(63)));
    const __m512i bit = _mm512_mullo_epi32(
        index, _mm512_set1_epi32(static_cast<int>(d.code_bits())));
    const __m512i word = _mm512_mask_i32gather_epi32(
        e, block, _mm512_srli_epi32(bit, 3), d.codes().data(), 1);
    const __m512i code_mask =
        _mm512_set1_epi32(static_cast<int>(d.SplitCode()));
    const __m512i code = _mm512_and_si512(
        _mm512_srlv_epi32(word, _mm512_and_si512(bit, _mm512_set1_epi32(7))),
        code_mask);
    split = _mm512_mask_cmpeq_epi32_mask(block, code, code_mask);
    r = _mm512_mask_sub_epi32(r, block, code, _mm512_set1_epi32(1));
  }
  _mm512_storeu_si512(o, r);
  return split;
}

}  // namespace

HATMATCH_IPV4_DIRECT_TARGET size_t Ipv4DirectAvx512(const Ipv4Direct& d,
                                                    const uint32_t* a,
                                                    uint32_t* o, size_t m,
                                                    uint32_t* pending) {
  const uint16_t* top = d.top().data();
  const size_t vectors = m / 16;
  size_t np = 0;
  for (size_t v = 0; v < vectors + kLag; ++v) {
    if (v < vectors) {
      // 16-bit entries read as 32-bit words (the top level's padding keeps
      // the last one inside), the upper half dropped.
      const __m512i addr = _mm512_loadu_si512(a + 16 * v);
      const __m512i words = _mm512_i32gather_epi32(
          _mm512_srli_epi32(addr, 32 - Ipv4Direct::kTopBits), top, 2);
      _mm512_storeu_si512(o + 16 * v,
                          _mm512_and_si512(words, _mm512_set1_epi32(0xFFFF)));
    }
    if (v < kLag) continue;
    const size_t j = 16 * (v - kLag);
    for (__mmask16 split = Answer16(d, _mm512_loadu_si512(a + j),
                                    _mm512_loadu_si512(o + j), o + j);
         split != 0; split &= static_cast<__mmask16>(split - 1)) {
      pending[np++] = static_cast<uint32_t>(j) + __builtin_ctz(split);
    }
  }
  // The tail, one address at a time.
  for (size_t j = vectors * 16; j < m; ++j) {
    bool split;
    o[j] = d.Answer(top[a[j] >> (32 - Ipv4Direct::kTopBits)], a[j], &split);
    if (split) pending[np++] = static_cast<uint32_t>(j);
  }
  return np;
}

#if !defined(__clang__)
#pragma GCC diagnostic pop
#endif

#else  // !HATMATCH_IPV4_DIRECT_AVX512

size_t Ipv4DirectAvx512(const Ipv4Direct&, const uint32_t*, uint32_t*, size_t,
                        uint32_t*) {
  return 0;
}

#endif

}  // namespace hatmatch
