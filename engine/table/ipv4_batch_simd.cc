// Copyright 2026 The hatmatch Authors.
// The AVX-512 top-and-terminal pass of the IPv4 batch lookup, and the
// run-time choice of it (see ipv4_batch_simd.h).

#include "engine/table/ipv4_batch_simd.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "engine/table/poptrie.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define HATMATCH_HAVE_AVX512_KERNEL 1
// GCC 12's AVX-512 intrinsics start some results from _mm512_undefined_*(),
// which -Wmaybe-uninitialized reports once inlined (GCC bug 105593); the
// values are fully written.  Silenced for this file only.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>
#endif

namespace hatmatch::ipv4_simd {

#ifdef HATMATCH_HAVE_AVX512_KERNEL
namespace {

#define HATMATCH_AVX512                                       \
  __attribute__((target("avx512f,avx512vl,avx512bw,avx512dq," \
                        "avx512vpopcntdq")))

// The leaf runs read for eight terminal lanes: index t (32-bit, in words),
// and the chunk's inv (63 - child) per lane.  Returns the eight values.
HATMATCH_AVX512 inline __m256i TerminalValues8(__mmask8 lanes, __m256i t,
                                               __m256i inv,
                                               const uint32_t* terminals) {
  // Each leafvec is two words at t, read as one (unaligned) qword.
  const __m512i leafvec = _mm512_mask_i32gather_epi64(_mm512_setzero_si512(),
                                                      lanes, t, terminals, 4);
  const __m512i rank = _mm512_popcnt_epi64(
      _mm512_sllv_epi64(leafvec, _mm512_cvtepu32_epi64(inv)));
  // The run: terminals[t + 1 + rank], rank >= 1 (bit 0 of leafvec is set).
  const __m512i at = _mm512_add_epi64(
      _mm512_add_epi64(_mm512_cvtepu32_epi64(t), rank), _mm512_set1_epi64(1));
  return _mm512_mask_i64gather_epi32(_mm256_setzero_si256(), lanes, at,
                                     terminals, 4);
}

HATMATCH_AVX512 size_t TopPassAvx512(const uint32_t* top, unsigned top_bits,
                                     const uint32_t* terminals,
                                     const uint32_t* addrs, uint32_t* out,
                                     size_t n, uint32_t* pending) {
  const __m128i top_shift = _mm_cvtsi32_si128(static_cast<int>(32 - top_bits));
  // The chunk below the top level: 6 bits starting top_bits from the top.
  const __m128i chunk_shift =
      _mm_cvtsi32_si128(static_cast<int>(32 - top_bits - 6));
  const __m512i one = _mm512_set1_epi32(1);
  const __m512i node_flag = _mm512_set1_epi32(poptrie::kNodeFlag);
  const __m512i terminal_flag = _mm512_set1_epi32(poptrie::kTerminalFlag);
  const __m512i sixty_three = _mm512_set1_epi32(63);
  const __m512i lane =
      _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  size_t np = 0;
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const __m512i a = _mm512_loadu_si512(addrs + i);
    __m512i e = _mm512_i32gather_epi32(_mm512_srl_epi32(a, top_shift), top, 4);
    // Not a value: e + 1 > 0x80000000 (kNoValue wraps to 0).
    const __mmask16 link =
        _mm512_cmpgt_epu32_mask(_mm512_add_epi32(e, one), node_flag);
    // Validate() admits no blocks in IPv4: past the nodes are terminals.
    const __mmask16 term = _mm512_mask_cmpge_epu32_mask(link, e, terminal_flag);
    const __mmask16 node = link & ~term;
    if (term != 0) {
      const __m512i t = _mm512_sub_epi32(e, terminal_flag);
      const __m512i inv = _mm512_sub_epi32(
          sixty_three,
          _mm512_and_si512(_mm512_srl_epi32(a, chunk_shift), sixty_three));
      const __m256i lo = TerminalValues8(
          static_cast<__mmask8>(term), _mm512_castsi512_si256(t),
          _mm512_castsi512_si256(inv), terminals);
      const __m256i hi = TerminalValues8(
          static_cast<__mmask8>(term >> 8), _mm512_extracti64x4_epi64(t, 1),
          _mm512_extracti64x4_epi64(inv, 1), terminals);
      e = _mm512_mask_blend_epi32(
          term, e, _mm512_inserti64x4(_mm512_castsi256_si512(lo), hi, 1));
    }
    _mm512_storeu_si512(out + i, e);
    if (node != 0) {
      _mm512_mask_compressstoreu_epi32(
          pending + np, node,
          _mm512_add_epi32(lane, _mm512_set1_epi32(static_cast<int>(i))));
      np += static_cast<size_t>(__builtin_popcount(node));
    }
  }
  // The tail, one address at a time.
  for (; i < n; ++i) {
    const uint32_t e = top[addrs[i] >> (32 - top_bits)];
    out[i] = e;
    if (!poptrie::IsNodeEntry(e)) continue;
    if (poptrie::IsTerminalOrBlock(e)) {
      out[i] = poptrie::TerminalValue(
          terminals, e - poptrie::kTerminalFlag,
          poptrie::InvChunk(uint64_t{addrs[i]} << 32, top_bits));
    } else {
      pending[np++] = static_cast<uint32_t>(i);
    }
  }
  return np;
}

bool CpuRunsAvx512() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") &&
         __builtin_cpu_supports("avx512vl") &&
         __builtin_cpu_supports("avx512bw") &&
         __builtin_cpu_supports("avx512dq") &&
         __builtin_cpu_supports("avx512vpopcntdq");
}

}  // namespace

TopPassFn Avx512TopPassIfSupported() {
  static const bool supported = CpuRunsAvx512();
  return supported ? &TopPassAvx512 : nullptr;
}

TopPassFn DispatchedTopPass() {
  static const TopPassFn chosen = [] {
    const char* off = std::getenv("HATMATCH_NO_AVX512");
    if (off != nullptr && *off != '\0' && std::strcmp(off, "0") != 0) {
      return static_cast<TopPassFn>(nullptr);
    }
    return Avx512TopPassIfSupported();
  }();
  return chosen;
}

#else  // no AVX-512 kernel on this target

TopPassFn Avx512TopPassIfSupported() { return nullptr; }
TopPassFn DispatchedTopPass() { return nullptr; }

#endif

}  // namespace hatmatch::ipv4_simd
