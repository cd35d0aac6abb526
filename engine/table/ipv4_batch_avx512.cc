// Copyright 2026 The hatmatch Authors.
//
// ipv4_batch_avx512.cc: see ipv4_batch_avx512.h.

#include "engine/table/ipv4_batch_avx512.h"

#include <cstddef>
#include <cstdint>

#include "engine/table/poptrie.h"

#if defined(__x86_64__) && defined(__GNUC__) && \
    !defined(HATMATCH_IPV4_BATCH_PORTABLE)
#define HATMATCH_IPV4_AVX512 1
#include <immintrin.h>
#define HATMATCH_IPV4_AVX512_TARGET \
  __attribute__((target("avx512f,avx512vl,avx512vpopcntdq")))
#endif

namespace hatmatch {

#if HATMATCH_IPV4_AVX512

// GCC 12's intrinsics start some results from _mm512_undefined_epi32(),
// which -Wmaybe-uninitialized reports once inlined here (a known false
// positive of those headers).
#if !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

bool Ipv4Avx512Usable() {
  static const bool usable = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") &&
           __builtin_cpu_supports("avx512vl") &&
           __builtin_cpu_supports("avx512vpopcntdq");
  }();
  return usable;
}

namespace {

// Groups of sixteen addresses between a group's top-level gather and its
// terminal gathers.
constexpr size_t kLag = 8;

// Ranks of 8 terminals: popcount(leafvec << inv), leafvec gathered as 64-bit
// words at terminals + t (t in 32-bit units, hence scale 4).
HATMATCH_IPV4_AVX512_TARGET inline __m256i Ranks8(__mmask8 k, __m256i t,
                                                  __m256i inv,
                                                  const uint32_t* terminals) {
  const __m512i leafvec =
      _mm512_mask_i32gather_epi64(_mm512_setzero_si512(), k, t, terminals, 4);
  const __m512i shifted =
      _mm512_sllv_epi64(leafvec, _mm512_cvtepu32_epi64(inv));
  return _mm512_cvtepi64_epi32(_mm512_popcnt_epi64(shifted));
}

// The terminal lanes of sixteen addresses whose top entries `e` are known:
// their answers replace their entries; returns the lanes whose entry names
// an inner node (left as they are).
HATMATCH_IPV4_AVX512_TARGET inline __mmask16 Terminals16(
    const uint32_t* terminals, __m128i chunk_shift, __m512i addr, __m512i e,
    uint32_t* o) {
  // IsNodeEntry: e + 1 > kNodeFlag; IsTerminalOrBlock: e >= kTerminalFlag.
  const __mmask16 node = _mm512_cmpgt_epu32_mask(
      _mm512_add_epi32(e, _mm512_set1_epi32(1)),
      _mm512_set1_epi32(static_cast<int>(poptrie::kNodeFlag)));
  const __mmask16 term = _mm512_mask_cmpge_epu32_mask(
      node, e, _mm512_set1_epi32(static_cast<int>(poptrie::kTerminalFlag)));
  if (term) {
    const __m512i t = _mm512_sub_epi32(
        e, _mm512_set1_epi32(static_cast<int>(poptrie::kTerminalFlag)));
    // inv = 63 - the 6 address bits after the top level.
    const __m512i inv =
        _mm512_sub_epi32(_mm512_set1_epi32(63),
                         _mm512_and_si512(_mm512_srl_epi32(addr, chunk_shift),
                                          _mm512_set1_epi32(63)));
    const __m256i lo =
        Ranks8(static_cast<__mmask8>(term), _mm512_castsi512_si256(t),
               _mm512_castsi512_si256(inv), terminals);
    const __m256i hi = Ranks8(static_cast<__mmask8>(term >> 8),
                              _mm512_extracti64x4_epi64(t, 1),
                              _mm512_extracti64x4_epi64(inv, 1), terminals);
    const __m512i rank = _mm512_inserti64x4(_mm512_castsi256_si512(lo), hi, 1);
    // TerminalValue: terminals[t + 1 + rank].
    const __m512i at =
        _mm512_add_epi32(t, _mm512_add_epi32(rank, _mm512_set1_epi32(1)));
    _mm512_storeu_si512(o,
                        _mm512_mask_i32gather_epi32(e, term, at, terminals, 4));
  }
  return static_cast<__mmask16>(node & ~term);
}

}  // namespace

HATMATCH_IPV4_AVX512_TARGET size_t Ipv4TopAndTerminalsAvx512(
    const uint32_t* top, const uint32_t* terminals, unsigned top_bits,
    const uint32_t* a, uint32_t* o, size_t m, uint32_t* pending) {
  const __m128i shift = _mm_cvtsi32_si128(static_cast<int>(32 - top_bits));
  const __m128i chunk_shift =
      _mm_cvtsi32_si128(static_cast<int>(32 - top_bits - 6));
  const size_t vectors = m / 16;
  const size_t whole = vectors * 16;
  // The top-level gather of each group of sixteen runs kLag groups ahead of
  // its terminal gathers, which depend on it: the core has independent
  // gathers to start while a group's dependent ones wait, where chaining
  // them group by group left it idle (EXPERIMENTS.md).
  size_t np = 0;
  for (size_t v = 0; v < vectors + kLag; ++v) {
    if (v < vectors) {
      const __m512i addr = _mm512_loadu_si512(a + 16 * v);
      _mm512_storeu_si512(
          o + 16 * v,
          _mm512_i32gather_epi32(_mm512_srl_epi32(addr, shift), top, 4));
    }
    if (v < kLag) continue;
    const size_t j = 16 * (v - kLag);
    for (__mmask16 inner =
             Terminals16(terminals, chunk_shift, _mm512_loadu_si512(a + j),
                         _mm512_loadu_si512(o + j), o + j);
         inner != 0; inner &= static_cast<__mmask16>(inner - 1)) {
      pending[np++] = static_cast<uint32_t>(j) + __builtin_ctz(inner);
    }
  }
  // The tail, one address at a time, as the portable passes do it.
  for (size_t j = whole; j < m; ++j) {
    const uint32_t e = top[a[j] >> (32 - top_bits)];
    if (!poptrie::IsNodeEntry(e)) {
      o[j] = e;
    } else if (poptrie::IsTerminalOrBlock(e)) {
      o[j] = poptrie::TerminalValue(
          terminals, e - poptrie::kTerminalFlag,
          poptrie::InvChunk(uint64_t{a[j]} << 32, top_bits));
    } else {
      o[j] = e;
      pending[np++] = static_cast<uint32_t>(j);
    }
  }
  return np;
}

#if !defined(__clang__)
#pragma GCC diagnostic pop
#endif

#else  // !HATMATCH_IPV4_AVX512

bool Ipv4Avx512Usable() { return false; }

size_t Ipv4TopAndTerminalsAvx512(const uint32_t*, const uint32_t*, unsigned,
                                 const uint32_t*, uint32_t*, size_t,
                                 uint32_t*) {
  return 0;
}

#endif

}  // namespace hatmatch
