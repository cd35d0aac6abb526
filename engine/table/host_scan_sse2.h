// Copyright 2026 The hatmatch Authors.
//
// host_scan_sse2.h: the host table's byte-classifying kernels on SSE2 (16 bytes
// per compare), the x86-64 baseline.  Included by host_name.h only.

#ifndef HATMATCH_ENGINE_TABLE_HOST_SCAN_SSE2_H_
#define HATMATCH_ENGINE_TABLE_HOST_SCAN_SSE2_H_

namespace hatmatch::host {

inline uint32_t ClassifyVector(__m128i v, char* out, uint32_t in,
                               uint32_t* dots) {
  auto bytes = [](char c) { return _mm_set1_epi8(c); };
  // x - lo <= hi - lo, unsigned: one range check in three instructions.
  auto in_range = [&](__m128i x, char lo, char hi) {
    const __m128i t = _mm_sub_epi8(x, bytes(lo));
    return _mm_cmpeq_epi8(_mm_min_epu8(t, bytes(static_cast<char>(hi - lo))),
                          t);
  };
  const __m128i folded = _mm_or_si128(v, bytes(0x20));
  const __m128i dot = _mm_cmpeq_epi8(v, bytes('.'));
  // '-' .. '9' is "-./0123456789": all valid but '/'.
  const __m128i ok =
      _mm_or_si128(_mm_or_si128(in_range(folded, 'a', 'z'),
                                _mm_andnot_si128(_mm_cmpeq_epi8(v, bytes('/')),
                                                 in_range(v, '-', '9'))),
                   _mm_cmpeq_epi8(v, bytes('_')));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out), folded);
  *dots = static_cast<uint32_t>(_mm_movemask_epi8(dot)) & in;
  return ~static_cast<uint32_t>(_mm_movemask_epi8(ok)) & in;
}
inline uint32_t ClassifyChunk(const char* src, char* out, uint32_t in,
                              uint32_t* dots) {
  return ClassifyVector(_mm_loadu_si128(reinterpret_cast<const __m128i*>(src)),
                        out, in, dots);
}
inline uint32_t ClassifyShort(const char* src, size_t n, char* out,
                              uint32_t* dots) {
  const Chunk c = LoadShort(src, n);
  return ClassifyVector(
      _mm_set_epi64x(static_cast<int64_t>(c.hi), static_cast<int64_t>(c.lo)),
      out, (1u << n) - 1, dots);
}
// Classify2: the 8 bytes at a and the 8 at b as one chunk (bits 0..7 and
// 8..15 of the masks); the folded bytes go to oa and ob.
inline uint32_t Classify2(const char* a, const char* b, char* oa, char* ob,
                          uint32_t* dots) {
  const __m128i v = _mm_castpd_si128(_mm_loadh_pd(
      _mm_castsi128_pd(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(a))),
      reinterpret_cast<const double*>(b)));
  alignas(16) char folded[16];
  const uint32_t bad = ClassifyVector(v, folded, 0xffff, dots);
  std::memcpy(oa, folded, 8);
  std::memcpy(ob, folded + 8, 8);
  return bad;
}

}  // namespace hatmatch::host

#endif  // HATMATCH_ENGINE_TABLE_HOST_SCAN_SSE2_H_
