// Copyright 2026 The hatmatch Authors.

#include "engine/format/crc32c.h"

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

#if defined(__x86_64__)
#include <nmmintrin.h>
#endif

namespace hatmatch {
namespace {

constexpr uint32_t kPoly = 0x82F63B78u;  // 0x1EDC6F41 bit-reversed

// kTables[0] is the classic byte-at-a-time table; kTables[k][b] is the CRC
// of byte b followed by k zero bytes, which lets slicing-by-8 fold eight
// input bytes with eight independent lookups.
using Tables = std::array<std::array<uint32_t, 256>, 8>;

constexpr Tables MakeTables() {
  Tables t{};
  for (uint32_t b = 0; b < 256; ++b) {
    uint32_t c = b;
    for (int i = 0; i < 8; ++i) c = (c >> 1) ^ (kPoly & (0u - (c & 1)));
    t[0][b] = c;
  }
  for (int k = 1; k < 8; ++k) {
    for (uint32_t b = 0; b < 256; ++b) {
      const uint32_t prev = t[k - 1][b];
      t[k][b] = (prev >> 8) ^ t[0][prev & 0xFF];
    }
  }
  return t;
}

constexpr Tables kTables = MakeTables();

inline uint64_t LoadLe64(const unsigned char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  if constexpr (std::endian::native == std::endian::big) {
    v = __builtin_bswap64(v);
  }
  return v;
}

// Multiplication modulo the CRC polynomial in the reflected representation
// (bit 31 is x^0), as zlib's crc32_combine does it.
uint32_t MultModP(uint32_t a, uint32_t b) {
  uint32_t m = uint32_t{1} << 31, p = 0;
  for (;;) {
    if (a & m) {
      p ^= b;
      if ((a & (m - 1)) == 0) break;
    }
    m >>= 1;
    b = (b & 1) ? (b >> 1) ^ kPoly : b >> 1;
  }
  return p;
}

// x^(8 * n) modulo the polynomial: appending n zero bytes.
uint32_t XPow8N(uint64_t n) {
  uint32_t result = uint32_t{1} << 31;        // x^0
  uint32_t square = uint32_t{1} << (31 - 8);  // x^8
  while (n != 0) {
    if (n & 1) result = MultModP(square, result);
    square = MultModP(square, square);
    n >>= 1;
  }
  return result;
}

// CRC of A followed by B, from crc(A), crc(B) and |B|.
uint32_t Combine(uint32_t crc_a, uint32_t crc_b, uint32_t shift_b) {
  return MultModP(shift_b, crc_a) ^ crc_b;
}

}  // namespace

namespace crc32c_internal {

uint32_t Portable(uint32_t crc, const void* data, size_t n) {
  const unsigned char* p = static_cast<const unsigned char*>(data);
  uint32_t c = ~crc;
  while (n > 0 && (reinterpret_cast<uintptr_t>(p) & 7) != 0) {
    c = (c >> 8) ^ kTables[0][(c ^ *p++) & 0xFF];
    --n;
  }
  while (n >= 8) {
    const uint64_t w = LoadLe64(p) ^ c;
    c = kTables[7][w & 0xFF] ^ kTables[6][(w >> 8) & 0xFF] ^
        kTables[5][(w >> 16) & 0xFF] ^ kTables[4][(w >> 24) & 0xFF] ^
        kTables[3][(w >> 32) & 0xFF] ^ kTables[2][(w >> 40) & 0xFF] ^
        kTables[1][(w >> 48) & 0xFF] ^ kTables[0][w >> 56];
    p += 8;
    n -= 8;
  }
  while (n-- > 0) c = (c >> 8) ^ kTables[0][(c ^ *p++) & 0xFF];
  return ~c;
}

#if defined(__x86_64__)

__attribute__((target("sse4.2"))) uint32_t Hardware(uint32_t crc,
                                                    const void* data,
                                                    size_t n) {
  const unsigned char* p = static_cast<const unsigned char*>(data);
  uint64_t c = ~crc;
  while (n > 0 && (reinterpret_cast<uintptr_t>(p) & 7) != 0) {
    c = _mm_crc32_u8(static_cast<uint32_t>(c), *p++);
    --n;
  }
  // The crc32 instruction has a latency of 3 cycles and a throughput of 1:
  // three independent streams over three consecutive blocks keep it busy,
  // and the block CRCs are then combined (two multiplications modulo the
  // polynomial per 3 blocks), about three times the single-stream speed.
  constexpr size_t kBlock = 4096;
  static const uint32_t kShift = XPow8N(kBlock);
  while (n >= 3 * kBlock) {
    uint64_t s0 = c, s1 = 0xFFFFFFFFu, s2 = 0xFFFFFFFFu;
    for (size_t i = 0; i < kBlock; i += 8) {
      uint64_t w0, w1, w2;
      std::memcpy(&w0, p + i, 8);
      std::memcpy(&w1, p + kBlock + i, 8);
      std::memcpy(&w2, p + 2 * kBlock + i, 8);
      s0 = _mm_crc32_u64(s0, w0);
      s1 = _mm_crc32_u64(s1, w1);
      s2 = _mm_crc32_u64(s2, w2);
    }
    const uint32_t c01 =
        Combine(~static_cast<uint32_t>(s0), ~static_cast<uint32_t>(s1), kShift);
    c = ~Combine(c01, ~static_cast<uint32_t>(s2), kShift);
    p += 3 * kBlock;
    n -= 3 * kBlock;
  }
  while (n >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    c = _mm_crc32_u64(c, w);
    p += 8;
    n -= 8;
  }
  while (n-- > 0) c = _mm_crc32_u8(static_cast<uint32_t>(c), *p++);
  return ~static_cast<uint32_t>(c);
}

bool HaveHardware() {
  static const bool have = __builtin_cpu_supports("sse4.2");
  return have;
}

#else

uint32_t Hardware(uint32_t crc, const void* data, size_t n) {
  return Portable(crc, data, n);
}
bool HaveHardware() { return false; }

#endif

}  // namespace crc32c_internal

uint32_t Crc32cCombine(uint32_t crc_a, uint32_t crc_b, uint64_t len_b) {
  return Combine(crc_a, crc_b, XPow8N(len_b));
}

uint32_t Crc32cExtend(uint32_t crc, const void* data, size_t n) {
  return crc32c_internal::HaveHardware()
             ? crc32c_internal::Hardware(crc, data, n)
             : crc32c_internal::Portable(crc, data, n);
}

}  // namespace hatmatch
