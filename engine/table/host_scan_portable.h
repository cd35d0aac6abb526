// Copyright 2026 The hatmatch Authors.
//
// host_scan_portable.h: the host table's byte-classifying kernels on 8-byte
// words (SWAR), for CPUs without SSE2 or builds with
// HATMATCH_HOST_TABLE_PORTABLE.  Included by host_name.h only.

#ifndef HATMATCH_ENGINE_TABLE_HOST_SCAN_PORTABLE_H_
#define HATMATCH_ENGINE_TABLE_HOST_SCAN_PORTABLE_H_

namespace hatmatch::host {

// Portable: the same on 8-byte words (SWAR).
constexpr uint64_t kLow7 = 0x7f7f7f7f7f7f7f7f;
constexpr uint64_t kHigh1 = 0x8080808080808080;
constexpr uint64_t kOnes = 0x0101010101010101;
// 0x80 in every byte of w that is zero (exact, no false positives).
inline uint64_t ZeroBytes(uint64_t w) {
  return ~(((w & kLow7) + kLow7) | w) & kHigh1;
}
inline uint64_t InRange(uint64_t x, uint8_t lo, uint8_t hi) {
  // x has no byte >= 0x80, so no sum carries into the next byte.
  return (x + (0x80 - lo) * kOnes) & ~(x + (0x7f - hi) * kOnes) & kHigh1;
}
inline uint32_t FlagBits(uint64_t flags) {  // 0x80 per byte -> bit per byte
  return static_cast<uint32_t>(((flags >> 7) * 0x0102040810204080) >> 56);
}
inline uint32_t ClassifyWord(uint64_t w, char* out, uint32_t* dots) {
  const uint64_t w7 = w & kLow7;
  const uint64_t folded = w | kFold;
  const uint64_t letter = InRange(folded & kLow7, 'a', 'z');
  const uint64_t digit = InRange(w7, '0', '9');
  const uint64_t dot = ZeroBytes(w7 ^ ('.' * kOnes));
  const uint64_t ok = (letter | digit | ZeroBytes(w7 ^ ('-' * kOnes)) |
                       ZeroBytes(w7 ^ ('_' * kOnes)) | dot) &
                      ~w;
  uint64_t store = folded;
  if constexpr (std::endian::native == std::endian::big) {
    store = __builtin_bswap64(store);
  }
  std::memcpy(out, &store, 8);
  *dots = FlagBits(dot);
  return FlagBits(~ok & kHigh1);
}
inline uint32_t ClassifyPair(Chunk c, char* out, uint32_t in, uint32_t* dots) {
  uint32_t d0, d1;
  const uint32_t bad =
      ClassifyWord(c.lo, out, &d0) | ClassifyWord(c.hi, out + 8, &d1) << 8;
  *dots = (d0 | d1 << 8) & in;
  return bad & in;
}
inline uint32_t ClassifyChunk(const char* src, char* out, uint32_t in,
                              uint32_t* dots) {
  return ClassifyPair({Load64(src), Load64(src + 8)}, out, in, dots);
}
inline uint32_t ClassifyShort(const char* src, size_t n, char* out,
                              uint32_t* dots) {
  return ClassifyPair(LoadShort(src, n), out, (1u << n) - 1, dots);
}
inline uint32_t Classify2(const char* a, const char* b, char* oa, char* ob,
                          uint32_t* dots) {
  char folded[16];
  const uint32_t bad =
      ClassifyPair({Load64(a), Load64(b)}, folded, 0xffff, dots);
  std::memcpy(oa, folded, 8);
  std::memcpy(ob, folded + 8, 8);
  return bad;
}

}  // namespace hatmatch::host

#endif  // HATMATCH_ENGINE_TABLE_HOST_SCAN_PORTABLE_H_
