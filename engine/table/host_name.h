// Copyright 2026 The hatmatch Authors.
//
// host_name.h: what the host table's builder, probe and batch lookup share:
// the hash (its fixed constants and label mixing, and the test-only
// override of it), name validation and case folding, the label walk, the
// bucket scan, the name compare and the overflow search.  Internal to
// engine/table and engine/compile.  Layout and contract: host_table.h.
//
// The byte-classifying kernels under FoldShortName come in one file per
// instruction set, chosen when compiling: host_scan_sse2.h on x86-64 (SSE2
// is part of the baseline), host_scan_portable.h elsewhere or when
// HATMATCH_HOST_TABLE_PORTABLE is defined.  The AVX-512 batch lookup, chosen
// at run time, is host_batch_avx512.cc.

#ifndef HATMATCH_ENGINE_TABLE_HOST_NAME_H_
#define HATMATCH_ENGINE_TABLE_HOST_NAME_H_

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "engine/table/host_table.h"

#if defined(__SSE2__) && !defined(HATMATCH_HOST_TABLE_PORTABLE)
#define HATMATCH_HOST_SSE2 1
#include <emmintrin.h>
#endif

// The lookup is a few small functions that only pay off inlined into each
// other; compilers give up on the nesting depth on their own.
#if defined(__GNUC__)
#define HATMATCH_ALWAYS_INLINE __attribute__((always_inline))
#else
#define HATMATCH_ALWAYS_INLINE
#endif

namespace hatmatch::host {

constexpr size_t kMaxName = 253;
constexpr size_t kMaxLabel = 63;
constexpr size_t kSlots = HostBucket::kSlots;
constexpr uint32_t kSlotMask = (1u << kSlots) - 1;

// Fixed hash constants (odd, high entropy).  Changing any of them changes
// every compiled table; table files carry a format version for that.
constexpr uint64_t kSeed = 0x243f6a8885a308d3;
constexpr uint64_t kWordMul = 0x9e3779b97f4a7c15;
constexpr uint64_t kLastMul = 0xd6e8feb86659fd93;

// Case folding for hostname bytes: OR 0x20 maps A-Z to a-z and leaves
// digits, '-' and '.' alone; it maps '_' to 0x7f, which no other valid byte
// reaches.  So on valid names, folded words compare equal exactly when the
// lowercased names do, and the hash (over folded words) ignores case.
constexpr uint64_t kFold = 0x2020202020202020;

inline uint64_t Load64(const void* p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof v);
  if constexpr (std::endian::native == std::endian::big) {
    v = __builtin_bswap64(v);
  }
  return v;
}

inline uint32_t Load32(const void* p) {
  uint32_t v;
  std::memcpy(&v, p, sizeof v);
  if constexpr (std::endian::native == std::endian::big) {
    v = __builtin_bswap32(v);
  }
  return v;
}

// Folded 64x64->128 multiply: the mixing step of the hash.
inline uint64_t Mum(uint64_t a, uint64_t b) {
#if defined(__x86_64__) && defined(__GNUC__)
  // GCC routes the 128-bit product through the stack, which puts a store
  // and a load on the hash's dependency chain; one mul leaves it in rdx:rax.
  uint64_t hi;
  __asm__("mulq %2" : "+a"(a), "=d"(hi) : "rm"(b) : "cc");
  return a ^ hi;
#else
  unsigned __int128 r = static_cast<unsigned __int128>(a) * b;
  return static_cast<uint64_t>(r) ^ static_cast<uint64_t>(r >> 64);
#endif
}

// A test's replacement of the hash (host_table_testing::SetHashOverride), or
// nullptr.  One variable for the builder, the lookups and validation alike.
inline host_table_testing::HashOverride hash_override = nullptr;

// The hash as builds, lookups and validation use it: the real one, or a
// test's replacement.
HATMATCH_ALWAYS_INLINE inline uint64_t Used(uint64_t hash) {
  if (hash_override != nullptr) [[unlikely]] {
    return hash_override(hash);
  }
  return hash;
}

// The fingerprint and the home bucket (among `home_buckets`) of an item
// whose hash, as Used() gives it, is `used`.
inline uint8_t TagOfUsed(uint64_t used) {
  const auto t = static_cast<uint8_t>(used);
  return t == 0 ? 1 : t;
}
inline size_t HomeOfUsed(uint64_t used, uint64_t home_buckets) {
  return static_cast<size_t>(((used >> 32) * home_buckets) >> 32);
}

inline uint8_t TagOf(uint64_t hash) { return TagOfUsed(Used(hash)); }

// An item's home bucket among `home_buckets`.
inline size_t HomeOf(uint64_t hash, uint64_t home_buckets) {
  return HomeOfUsed(Used(hash), home_buckets);
}

constexpr size_t kMaxProbe = HostSetView::kMaxProbeBuckets;

// A looked-up name, case-folded, at offset 16 of a buffer whose first 16
// bytes are zero, so any 16 bytes ending inside the name can be loaded.
// The 32 bytes after the name are zero too once it is folded (see
// EqualPadded).
struct NameBuf {
  alignas(16) char bytes[16 + 256 + 32];
};

// 16 bytes of a name: lo = bytes 0..7, hi = bytes 8..15.
struct Chunk {
  uint64_t lo, hi;
};

// Bytes [p, p + n), 1 <= n <= 16, zero-padded, read without leaving them.
inline Chunk LoadShort(const char* p, size_t n) {
  if (n >= 8) {
    // The window [n - 8, n) shifted down to start at byte 8; two shifts
    // because n == 8 shifts everything out.
    const size_t shift = 4 * (16 - n);
    return {Load64(p), (Load64(p + n - 8) >> shift) >> shift};
  }
  if (n >= 4) {
    return {Load32(p) | uint64_t{Load32(p + n - 4)} << (8 * (n - 4)), 0};
  }
  const auto* u = reinterpret_cast<const uint8_t*>(p);
  return {u[0] | uint64_t{u[n / 2]} << (8 * (n / 2)) |
              uint64_t{u[n - 1]} << (8 * (n - 1)),
          0};
}

// Checks 16 name bytes (those flagged in `in`, one bit per byte): every one
// must be a letter, digit, '-', '_' or '.'.  Stores the 16 case-folded bytes
// at `out` and returns the bits of the bad bytes; sets *dots to the bits of
// the '.' bytes.
inline uint32_t ClassifyChunk(const char* src, char* out, uint32_t in,
                              uint32_t* dots);

}  // namespace hatmatch::host

#if HATMATCH_HOST_SSE2
#include "engine/table/host_scan_sse2.h"
#else
#include "engine/table/host_scan_portable.h"
#endif

namespace hatmatch::host {

// Masks that keep the last n (0..16) bytes of a 16-byte window, as (low
// word, high word) of a little-endian load.
struct PieceMask {
  uint64_t lo, hi;
};
constexpr std::array<PieceMask, 17> kPieceMask = [] {
  std::array<PieceMask, 17> m{};
  for (size_t n = 0; n <= 16; ++n) {
    const size_t hi = n < 8 ? n : 8, lo = n - hi;
    m[n].hi = hi == 0 ? 0 : ~uint64_t{0} << (64 - 8 * hi);
    m[n].lo = lo == 0 ? 0 : ~uint64_t{0} << (64 - 8 * lo);
  }
  return m;
}();

// Hash of `label.rest` from the hash of `rest`; the label is [s, e) of the
// folded name `b` (16 readable bytes before it), 1..63 valid bytes.  The
// label is taken from the right in 16-byte pieces, each mixed in with one
// 64x64 multiply of (h ^ high word) by (constant ^ low word); in a label's
// last (leftmost) piece the bytes before the label are masked to 0, and it
// uses another constant.  Folded bytes are never 0 and below 0x80, so a
// piece's length shows in its words and the constants never cancel.
inline uint64_t MixLastPiece(uint64_t h, const char* b, size_t s, size_t e) {
  const PieceMask& m = kPieceMask[e - s];
  return Mum(h ^ (Load64(b + e - 8) & m.hi),
             kLastMul ^ (Load64(b + e - 16) & m.lo));
}
// Labels over 16 bytes are rare; out of line, their loop does not crowd the
// registers of the label walks.
[[gnu::noinline]] inline uint64_t MixLongLabel(uint64_t h, const char* b,
                                               size_t s, size_t e) {
  for (; e - s > 16; e -= 16) {
    h = Mum(h ^ Load64(b + e - 8), kWordMul ^ Load64(b + e - 16));
  }
  return MixLastPiece(h, b, s, e);
}
inline uint64_t MixLabel(uint64_t h, const char* b, size_t s, size_t e) {
  if (e - s > 16) [[unlikely]] {
    return MixLongLabel(h, b, s, e);
  }
  return MixLastPiece(h, b, s, e);
}

// Validates a name of 1..64 bytes (trailing dot removed) and folds it into
// `out`.  Returns a bitmap with bit i set when a label starts at byte i > 0
// (just after a dot), or ~0 when the name is invalid (a valid bitmap never
// has bit 0 set).
HATMATCH_ALWAYS_INLINE inline uint64_t FoldShortName(const char* p, size_t n,
                                                     char* out) {
  uint32_t bad = 0, d;
  uint64_t dots;
  if (n < 8) [[unlikely]] {
    bad = ClassifyShort(p, n, out, &d);
    dots = d;
  } else if (n <= 32) {
    // Four 8-byte words at 0, a, b and n - 8 cover the name without leaving
    // it, with no branch on the length: for n >= 16 they are 0, 8, n - 16,
    // n - 8; below, 0, n - 8, 0, n - 8.
    const size_t a = n >= 16 ? 8 : n - 8, b = n >= 16 ? n - 16 : 0;
    uint32_t e;
    bad = Classify2(p, p + a, out, out + a, &d) |
          Classify2(p + b, p + n - 8, out + b, out + n - 8, &e);
    dots = (d & 0xff) | uint64_t{d >> 8} << a | uint64_t{e & 0xff} << b |
           uint64_t{e >> 8} << (n - 8);
  } else {
    dots = 0;
    for (size_t c = 0;; c += 16) {
      if (c + 16 > n) c = n - 16;
      bad |= ClassifyChunk(p + c, out + c, 0xffff, &d);
      dots |= uint64_t{d} << c;
      if (c + 16 >= n) break;
    }
  }
  // No empty label (a dot first, last or next to another), and no label
  // over 63 bytes, which in 64 bytes means one dotless 64-byte label.
  const uint64_t empty = (dots & 1) | (dots >> (n - 1)) | (dots & (dots >> 1));
  if ((bad | empty) != 0 || (n == 64 && dots == 0)) return ~uint64_t{0};
  return dots << 1;  // the last byte is no dot: nothing shifts out
}

// The start of the rightmost label in `starts` (a FoldShortName bitmap), 0
// when no start is left.  Bit 0 stands in for an empty map, so the bit scan
// needs no zero test.
inline size_t LastStart(uint64_t starts) {
  return static_cast<size_t>(63 ^ __builtin_clzll(starts | 1));
}

// Validates a raw name (one trailing dot allowed), folds it into `buf` and
// walks its label boundaries from the right, calling
//   visit(hash, suffix, suffix_len, labels, whole)
// for every suffix: `hash` is the chained label hash of the
// suffix, which has `labels` labels and lies in `buf`; the whole name comes
// last (whole == true).  Returns the name length without the trailing dot,
// or 0 when the name is invalid; the caller then discards what it saw, since
// a bad label may show up after some suffixes were visited.
template <class Visit>
inline size_t WalkName(std::string_view in, NameBuf* buf, Visit&& visit) {
  size_t n = in.size();
  if (n != 0 && in[n - 1] == '.') --n;
  if (n - 1 >= kMaxName) return 0;  // also n == 0
  std::memset(buf->bytes, 0, 16);
  char* out = buf->bytes + 16;
  uint64_t h = kSeed;
  uint32_t labels = 0;
  size_t end = n;
  // The label [start, end), the next to the left; its length was checked.
  auto take = [&](size_t start) HATMATCH_ALWAYS_INLINE {
    h = MixLabel(h, out, start, end);
    visit(h, out + start, n - start, ++labels, start == 0);
    end = start - 1;
  };
  // Pass 1: every byte valid, a bitmap of the dots.  Pass 2: labels from
  // the right.
  if (n <= 64) {  // almost every name: the bitmap is one word
    uint64_t starts = FoldShortName(in.data(), n, out);
    if (starts & 1) return 0;
    std::memset(out + n, 0, 32);  // for EqualPadded
    for (;;) {
      const size_t start = LastStart(starts);
      take(start);
      if (start == 0) return n;
      starts ^= uint64_t{1} << start;
    }
  } else [[unlikely]] {
    // 16 bytes at a time (the last chunk may overlap the one before).
    uint32_t bad = 0, d;
    uint64_t dots[5] = {0, 0, 0, 0, 0};
    for (size_t c = 0;; c += 16) {
      if (c + 16 > n) c = n - 16;
      bad |= ClassifyChunk(in.data() + c, out + c, 0xffff, &d);
      const unsigned __int128 bits = static_cast<unsigned __int128>(d)
                                     << (c & 63);
      dots[c >> 6] |= static_cast<uint64_t>(bits);
      dots[(c >> 6) + 1] |= static_cast<uint64_t>(bits >> 64);
      if (c + 16 >= n) break;
    }
    if (bad != 0) return 0;
    std::memset(out + n, 0, 32);  // for EqualPadded
    for (size_t wi = (n - 1) >> 6; wi != size_t(-1); --wi) {
      for (uint64_t m = dots[wi]; m != 0;) {
        const size_t b = 63 - std::countl_zero(m);
        m ^= uint64_t{1} << b;
        const size_t start = wi * 64 + b + 1;
        if (end - start - 1 >= kMaxLabel) return 0;  // also empty
        take(start);
      }
    }
    if (end - 1 >= kMaxLabel) return 0;
    take(0);
    return n;
  }
}

// Compares a folded looked-up suffix with a stored (lowercase) name, both
// `len` valid bytes, without reading outside the stored name.
inline bool EqualFolded(const char* q, const char* s, size_t len) {
  if (len >= 8) {
    for (size_t i = 0; i + 8 < len; i += 8) {
      if (Load64(q + i) != (Load64(s + i) | kFold)) return false;
    }
    return Load64(q + len - 8) == (Load64(s + len - 8) | kFold);
  }
  if (len >= 4) {
    return Load32(q) == (Load32(s) | 0x20202020u) &&
           Load32(q + len - 4) == (Load32(s + len - 4) | 0x20202020u);
  }
  return q[0] == (s[0] | 0x20) && q[len / 2] == (s[len / 2] | 0x20) &&
         q[len - 1] == (s[len - 1] | 0x20);
}

// EqualFolded for a looked-up suffix q in a NameBuf (32 defined bytes
// readable after it) against the stored name at pool[offset]: up to 32
// bytes in two 16-byte compares, with no branch on the length, unless the
// stored name ends within 32 bytes of the pool's end.
inline bool EqualPadded(const char* q, const char* pool, size_t pool_size,
                        size_t offset, size_t len) {
#if HATMATCH_HOST_SSE2
  if (len <= 32 && offset + 32 <= pool_size) [[likely]] {
    const __m128i fold = _mm_set1_epi8(0x20);
    auto eq16 = [&](size_t k) {
      const __m128i a =
          _mm_loadu_si128(reinterpret_cast<const __m128i*>(q + k));
      const __m128i b =
          _mm_loadu_si128(reinterpret_cast<const __m128i*>(pool + offset + k));
      return static_cast<uint32_t>(
          _mm_movemask_epi8(_mm_cmpeq_epi8(a, _mm_or_si128(b, fold))));
    };
    const uint32_t same = eq16(0) | eq16(16) << 16;
    return (~same & (~uint32_t{0} >> (32 - len))) == 0;
  }
#endif
  return EqualFolded(q, pool + offset, len);
}

// The order of the overflow: names compared byte by byte as folded (OR
// 0x20, which is one-to-one on valid hostname bytes), a prefix first.
inline int CompareFolded(const char* q, size_t qlen, const char* s,
                         size_t slen) {
  const size_t n = std::min(qlen, slen);
  for (size_t i = 0; i < n; ++i) {
    const auto a = static_cast<uint8_t>(q[i] | 0x20);
    const auto b = static_cast<uint8_t>(s[i] | 0x20);
    if (a != b) return a < b ? -1 : 1;
  }
  return qlen == slen ? 0 : qlen < slen ? -1 : 1;
}

// For a name already in normalized form: its hash and label count.
// False when the name is not normalized (uppercase, dots at the ends, ...).
inline bool HashNormalized(std::string_view name, uint64_t* hash,
                           uint32_t* labels) {
  if (name.empty() || name.back() == '.') return false;
  NameBuf buf;
  uint64_t last = 0;
  uint32_t count = 0;
  if (WalkName(name, &buf,
               [&](uint64_t h, const char*, size_t, uint32_t k, bool) {
                 last = h;
                 count = k;
               }) == 0) {
    return false;
  }
  // WalkName() accepted every byte and left them folded (byte | 0x20) in
  // buf: unchanged for lower-case letters, digits, '-' and '.', changed for
  // upper-case letters and '_'.  So only a name that folding changed is
  // scanned for upper case (validation hashes every stored name; this
  // spares it a loop per byte).
  if (std::memcmp(buf.bytes + 16, name.data(), name.size()) != 0) {
    for (char c : name) {
      if (c >= 'A' && c <= 'Z') return false;
    }
  }
  *hash = last;
  *labels = count;
  return true;
}

// Buckets fill from slot 0, so a bucket is full when its last slot is used.
inline bool IsFull(const HostBucket& b) { return b.slot[kSlots - 1] != 0; }

// For one bucket: bit i of `match` set when slot i holds `key` (fingerprint
// and length).  SumLens(b, i) is the length of the names in slots 0..i-1.
struct BucketScan {
  uint32_t match;

  BucketScan(const HostBucket& bucket, uint16_t key) {
#if defined(__SSE2__) && !defined(HATMATCH_HOST_TABLE_PORTABLE)
    const auto* p = reinterpret_cast<const __m128i*>(&bucket);
    const __m128i k = _mm_set1_epi16(static_cast<int16_t>(key));
    auto eq = [&](int i) { return _mm_cmpeq_epi16(_mm_loadu_si128(p + i), k); };
    // 16-bit compares, narrowed to one byte per slot.
    const __m128i lo = _mm_packs_epi16(eq(0), eq(1));
    const __m128i hi = _mm_packs_epi16(eq(2), eq(3));
    match = (static_cast<uint32_t>(_mm_movemask_epi8(lo)) |
             static_cast<uint32_t>(_mm_movemask_epi8(hi)) << 16) &
            kSlotMask;
#else
    match = 0;
    for (size_t i = 0; i < kSlots; ++i) {
      match |= uint32_t{bucket.slot[i] == key} << i;
    }
#endif
  }

  static uint32_t SumLens(const HostBucket& bucket, size_t i) {
#if defined(__SSE2__) && !defined(HATMATCH_HOST_TABLE_PORTABLE)
    // The lengths are the high bytes of the slots: narrow them to bytes
    // (slots 0..15, 16..27 and 4 bytes of the trailer), keep the bytes of
    // slots < i, add them with psadbw.
    const auto* p = reinterpret_cast<const __m128i*>(&bucket);
    auto lens = [&](int k) {
      return _mm_packus_epi16(_mm_srli_epi16(_mm_loadu_si128(p + k), 8),
                              _mm_srli_epi16(_mm_loadu_si128(p + k + 1), 8));
    };
    const __m128i n = _mm_set1_epi8(static_cast<char>(i));
    const __m128i z = _mm_setzero_si128();
    const __m128i iota =
        _mm_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    const __m128i keep0 = _mm_cmpgt_epi8(n, iota);
    const __m128i keep1 =
        _mm_cmpgt_epi8(n, _mm_add_epi8(iota, _mm_set1_epi8(16)));
    const __m128i sum =
        _mm_add_epi64(_mm_sad_epu8(_mm_and_si128(lens(0), keep0), z),
                      _mm_sad_epu8(_mm_and_si128(lens(2), keep1), z));
    return static_cast<uint32_t>(_mm_cvtsi128_si32(sum) +
                                 _mm_cvtsi128_si32(_mm_srli_si128(sum, 8)));
#else
    uint32_t s = 0;
    for (size_t k = 0; k < i; ++k) s += bucket.slot[k] >> 8;
    return s;
#endif
  }
};

// The priority of the folded name [q, q + len) in the overflow buckets
// ov[0..count) (items sorted by CompareFolded, 28 to a bucket), or kNoValue:
// a binary search over the buckets' first names, then one bucket.  Counts
// the names compared into *cost when given.
inline uint32_t OverflowFind(const HostBucket* ov, size_t count,
                             const uint32_t* priorities, const char* pool,
                             const char* q, size_t len, HostProbeCost* cost) {
  if (count == 0) return kNoValue;
  size_t lo = 0, hi = count;  // the answer's bucket is in [lo, hi)
  while (hi - lo > 1) {
    const size_t mid = lo + (hi - lo) / 2;
    if (cost != nullptr) ++cost->compares;
    const bool at_or_before = CompareFolded(pool + ov[mid].pool_base,
                                            ov[mid].slot[0] >> 8, q, len) <= 0;
    (at_or_before ? lo : hi) = mid;
  }
  const HostBucket& b = ov[lo];
  size_t offset = b.pool_base;
  for (size_t i = 0; i < kSlots && b.slot[i] != 0; ++i) {
    const size_t n = b.slot[i] >> 8;
    if (n == len) {
      if (cost != nullptr) ++cost->compares;
      if (EqualFolded(q, pool + offset, len)) {
        return priorities[b.first_item + i];
      }
    }
    offset += n;
  }
  return kNoValue;
}

}  // namespace hatmatch::host

#endif  // HATMATCH_ENGINE_TABLE_HOST_NAME_H_
