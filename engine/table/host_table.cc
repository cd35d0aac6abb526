// Copyright 2026 The hatmatch Authors.
//
// The hostname suffix table: build, lookup, validation.  Layout and contract
// in host_table.h.

#include "engine/table/host_table.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

// A second batch lookup for x86-64 CPUs with AVX-512BW (byte-masked loads
// and compares into mask registers), chosen at run time.  GCC and clang
// compile it from the same template with a per-function target.
#if defined(__x86_64__) && defined(__GNUC__) && \
    !defined(HATMATCH_HOST_TABLE_PORTABLE)
#define HATMATCH_HOST_AVX512 1
#include <immintrin.h>
#define HATMATCH_AVX512_TARGET \
  __attribute__((target("avx512f,avx512bw,avx512vl,bmi,bmi2")))
#endif

// The lookup is a few small functions that only pay off inlined into each
// other; compilers give up on the nesting depth on their own.
#if defined(__GNUC__)
#define HATMATCH_ALWAYS_INLINE __attribute__((always_inline))
#else
#define HATMATCH_ALWAYS_INLINE
#endif

namespace hatmatch {
namespace {

constexpr size_t kMaxName = 253;
constexpr size_t kMaxLabel = 63;
constexpr size_t kSlots = HostBucket::kSlots;
constexpr uint32_t kSlotMask = (1u << kSlots) - 1;
// Items per home bucket: a load of 0.7 keeps full buckets (which make a
// lookup read the next one too) at a few percent.
constexpr uint64_t kLoadNum = 7, kLoadDen = 10;

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

host_table_testing::HashOverride g_hash_override = nullptr;

// The hash as builds, lookups and validation use it: the real one, or a
// test's replacement (host_table_testing::SetHashOverride).
HATMATCH_ALWAYS_INLINE inline uint64_t Used(uint64_t hash) {
  if (g_hash_override != nullptr) [[unlikely]] {
    return g_hash_override(hash);
  }
  return hash;
}

inline uint8_t TagOf(uint64_t hash) {
  uint8_t t = static_cast<uint8_t>(Used(hash));
  return t == 0 ? 1 : t;
}

// An item's home bucket among `home_buckets`.
inline size_t HomeOf(uint64_t hash, uint64_t home_buckets) {
  return static_cast<size_t>(((Used(hash) >> 32) * home_buckets) >> 32);
}

constexpr size_t kMaxProbe = HostSetView::kMaxProbeBuckets;

// A looked-up name, case-folded, at offset 16 of a buffer whose first 16
// bytes are zero, so any 16 bytes ending inside the name can be loaded.
// The 32 bytes after a name of up to 64 bytes are readable too (see
// BaselineOps::Equal).
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

#if defined(__SSE2__) && !defined(HATMATCH_HOST_TABLE_PORTABLE)
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
#else
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
#endif

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
[[gnu::noinline]] uint64_t MixLongLabel(uint64_t h, const char* b, size_t s,
                                        size_t e) {
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

// The priority of the folded name [q, q + len) in the overflow buckets
// ov[0..count) (items sorted by CompareFolded, 28 to a bucket), or kNoValue:
// a binary search over the buckets' first names, then one bucket.
uint32_t OverflowFind(const HostBucket* ov, size_t count,
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
  for (size_t i = 0; i < HostBucket::kSlots && b.slot[i] != 0; ++i) {
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

// For a name already in normalized form: its hash and label count.
// False when the name is not normalized (uppercase, dots at the ends, ...).
bool HashNormalized(std::string_view name, uint64_t* hash, uint32_t* labels) {
  if (name.empty() || name.back() == '.') return false;
  for (char c : name) {
    if (c >= 'A' && c <= 'Z') return false;
  }
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
  *hash = last;
  *labels = count;
  return true;
}

// Buckets fill from slot 0, so a bucket is full when its last slot is used.
bool IsFull(const HostBucket& b) { return b.slot[kSlots - 1] != 0; }

struct BuildItem {
  uint64_t hash;
  std::string_view name;
  uint32_t priority;
  uint32_t labels;
};

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "BuildHostTable: %s\n", what);
  std::abort();
}

HostSetData BuildSet(std::vector<BuildItem>& in) {
  // Sorting by hash sorts by home bucket (the home is monotone in the hash);
  // name and priority make the order total, so the layout depends only on
  // the entry set, and the first of equal names has the lowest priority.
  std::sort(in.begin(), in.end(), [](const BuildItem& a, const BuildItem& b) {
    const uint64_t ha = Used(a.hash), hb = Used(b.hash);
    if (ha != hb) return ha < hb;
    if (a.name != b.name) return a.name < b.name;
    return a.priority < b.priority;
  });
  in.erase(std::unique(in.begin(), in.end(),
                       [](const BuildItem& a, const BuildItem& b) {
                         return a.name == b.name;
                       }),
           in.end());
  const size_t n = in.size();
  if (n >= (size_t{1} << 31)) Die("too many names");
  uint64_t pool_bytes = 0;
  for (const BuildItem& it : in) pool_bytes += it.name.size();
  if (pool_bytes > UINT32_MAX) Die("name bytes over 4 GiB");

  HostSetData out;
  HostSetHeader& hdr = out.header;
  hdr.item_count = static_cast<uint32_t>(n);
  hdr.home_buckets = static_cast<uint32_t>(
      (uint64_t{n} * kLoadDen + kSlots * kLoadNum - 1) / (kSlots * kLoadNum));
  out.priorities.reserve(n);
  out.pool.reserve(pool_bytes);

  // Bucket-level linear probing in home order: each item goes to the first
  // bucket at or after its home with room, which is its home or the bucket
  // the previous item went to (homes ascend); when that is kMaxProbe or
  // more buckets past its home, it goes to the overflow instead.
  auto add_bucket = [&out] {
    HostBucket b{};
    b.first_item = static_cast<uint32_t>(out.priorities.size());
    b.pool_base = static_cast<uint32_t>(out.pool.size());
    out.buckets.push_back(b);
  };
  auto place = [&out](const BuildItem& it, size_t slot) {
    out.buckets.back().slot[slot] =
        static_cast<uint16_t>(TagOf(it.hash) | it.name.size() << 8);
    out.priorities.push_back(it.priority);
    out.pool.insert(out.pool.end(), it.name.begin(), it.name.end());
  };
  std::vector<const BuildItem*> overflow;
  size_t used = 0;  // slots used in the last bucket
  for (const BuildItem& it : in) {
    const size_t home = HomeOf(it.hash, hdr.home_buckets);
    // Buckets are appended in order and filled from slot 0.  A bucket left
    // behind is full, or no later item has its home at or before it.
    const size_t target = home >= out.buckets.size() ? home
                          : used == kSlots           ? out.buckets.size()
                                                     : out.buckets.size() - 1;
    if (target - home >= kMaxProbe) {
      overflow.push_back(&it);
      continue;
    }
    if (target >= out.buckets.size()) {
      while (target >= out.buckets.size()) add_bucket();
      used = 0;
    }
    place(it, used++);
  }
  // Every scan must stop inside the main buckets: cover the home range and
  // end with a bucket that has an empty slot.
  while (out.buckets.size() < std::max<size_t>(hdr.home_buckets, 1)) {
    add_bucket();
  }
  if (IsFull(out.buckets.back())) add_bucket();
  // The overflow, sorted as lookups search it, after the main buckets.
  std::sort(overflow.begin(), overflow.end(),
            [](const BuildItem* a, const BuildItem* b) {
              return CompareFolded(a->name.data(), a->name.size(),
                                   b->name.data(), b->name.size()) < 0;
            });
  for (size_t i = 0; i < overflow.size(); ++i) {
    if (i % kSlots == 0) add_bucket();
    place(*overflow[i], i % kSlots);
  }
  hdr.overflow_buckets =
      static_cast<uint32_t>((overflow.size() + kSlots - 1) / kSlots);
  for (const BuildItem& it : in) {
    hdr.label_mask[it.labels >> 6] |= uint64_t{1} << (it.labels & 63);
  }
  return out;
}

// The empty set, for default-constructed views: one bucket, all empty.
constexpr HostBucket kEmptyBuckets[1] = {};

}  // namespace

size_t HostSetData::bytes() const {
  return buckets.size() * sizeof(HostBucket) +
         priorities.size() * sizeof(uint32_t) + pool.size();
}

HostTableData BuildHostTable(std::span<const HostEntryInput> entries) {
  std::vector<BuildItem> exact, partial;
  for (const HostEntryInput& e : entries) {
    BuildItem it{0, e.name, e.priority, 0};
    if (e.priority == kNoValue) continue;
    if (!HashNormalized(e.name, &it.hash, &it.labels)) continue;
    (e.partial ? partial : exact).push_back(it);
  }
  HostTableData data;
  data.exact = BuildSet(exact);
  data.partial = BuildSet(partial);
  return data;
}

// --- HostSetView -------------------------------------------------------------

HostSetView::HostSetView()
    : HostSetView(HostSetHeader{}, kEmptyBuckets, {}, {}) {}

HostSetView::HostSetView(const HostSetHeader& header,
                         std::span<const HostBucket> buckets,
                         std::span<const uint32_t> priorities,
                         std::span<const char> pool)
    : header_(header),
      buckets_(buckets.data()),
      bucket_count_(buckets.size()),
      priorities_(priorities.data()),
      priority_count_(priorities.size()),
      pool_(pool.data()),
      pool_size_(pool.size()) {}

HostSetView::HostSetView(const HostSetData& d)
    : HostSetView(d.header, d.buckets, d.priorities, d.pool) {}

size_t HostSetView::bytes() const {
  return bucket_count_ * sizeof(HostBucket) +
         priority_count_ * sizeof(uint32_t) + pool_size_;
}

namespace {

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

}  // namespace

size_t HostSetView::Home(uint64_t hash) const {
  return HomeOf(hash, header_.home_buckets);
}

template <class Visit>
inline bool HostSetView::ForEachCandidate(size_t home, uint16_t key,
                                          Visit&& visit,
                                          HostProbeCost* cost) const {
  // The main buckets end with one that is not full, so the scan stays in
  // them; it stops after kMaxProbe buckets whatever the hash did.
  for (size_t b = home; b < home + kMaxProbe; ++b) {
    const HostBucket& bucket = buckets_[b];
    if (cost != nullptr) ++cost->buckets;
    for (uint32_t m = BucketScan(bucket, key).match; m != 0; m &= m - 1) {
      const size_t i = static_cast<size_t>(std::countr_zero(m));
      const Candidate c{bucket.first_item + i,
                        bucket.pool_base + BucketScan::SumLens(bucket, i)};
      if (visit(c)) return false;
    }
    if (!IsFull(bucket)) return false;
  }
  return true;
}

HATMATCH_ALWAYS_INLINE inline uint32_t HostSetView::Probe(
    uint64_t hash, const char* name, size_t len, HostProbeCost* cost) const {
  uint32_t found = kNoValue;
  const bool maybe_overflow = ForEachCandidate(
      Home(hash), static_cast<uint16_t>(TagOf(hash) | len << 8),
      [&](const Candidate& c) {
        if (cost != nullptr) ++cost->compares;
        if (!EqualFolded(name, pool_ + c.offset, len)) return false;
        found = priorities_[c.item];
        return true;
      },
      cost);
  if (maybe_overflow) [[unlikely]] {
    found = OverflowFind(buckets_ + main_buckets(), header_.overflow_buckets,
                         priorities_, pool_, name, len, cost);
  }
  return found;
}

uint32_t HostSetView::ProbeWithCost(std::string_view name,
                                    HostProbeCost* cost) const {
  uint64_t hash;
  uint32_t labels;
  if (!HashNormalized(name, &hash, &labels)) return kNoValue;
  std::string folded(name);
  for (char& c : folded) c = static_cast<char>(c | 0x20);
  return Probe(hash, folded.data(), folded.size(), cost);
}

absl::Status HostSetView::Validate() const {
  const auto bad = [](auto&&... what) {
    return absl::DataLossError(absl::StrCat("host set: ", what...));
  };
  const HostSetHeader& h = header_;
  // Mapped files may put the arrays anywhere; the fields are read directly.
  if (reinterpret_cast<uintptr_t>(buckets_) % alignof(HostBucket) != 0 ||
      reinterpret_cast<uintptr_t>(priorities_) % alignof(uint32_t) != 0) {
    return bad("misaligned array");
  }
  if (h.reserved != 0) return bad("reserved header field is not 0");
  if (bucket_count_ <
      std::max<uint64_t>(h.home_buckets, 1) + uint64_t{h.overflow_buckets}) {
    return bad(bucket_count_, " buckets for ", h.home_buckets,
               " home buckets and ", h.overflow_buckets, " overflow buckets");
  }
  if (IsFull(buckets_[main_buckets() - 1])) {
    return bad("the last main bucket is full");
  }
  if (priority_count_ != h.item_count) {
    return bad(priority_count_, " priorities for ", h.item_count, " items");
  }
  uint64_t items = 0, pool_end = 0;
  for (size_t b = 0; b < bucket_count_; ++b) {
    const HostBucket& bucket = buckets_[b];
    if (bucket.first_item != items) {
      return bad("bucket ", b, " starts at item ", bucket.first_item,
                 ", expected ", items);
    }
    if (bucket.pool_base != pool_end) {
      return bad("bucket ", b, " starts at pool byte ", bucket.pool_base,
                 ", expected ", pool_end);
    }
    for (size_t i = 0; i < kSlots; ++i) {
      const size_t tag = bucket.slot[i] & 0xff, len = bucket.slot[i] >> 8;
      if (tag == 0 ? len != 0 : len == 0 || len > kMaxName) {
        return bad("bucket ", b, " slot ", i, " has length ", len);
      }
      if (i > 0 && bucket.slot[i] != 0 && bucket.slot[i - 1] == 0) {
        return bad("bucket ", b, " has a used slot after an empty one");
      }
      items += bucket.slot[i] != 0;
      pool_end += len;
    }
  }
  if (items != h.item_count) {
    return bad(items, " occupied slots for ", h.item_count, " items");
  }
  if (pool_end != pool_size_) {
    return bad("names cover ", pool_end, " pool bytes of ", pool_size_);
  }
  // Structure is sound; now every item must be a normalized name that a
  // lookup of that name reaches: fingerprint, home and label count agree.
  size_t item = 0, off = 0;
  std::string_view previous_overflow;
  for (size_t b = 0; b < bucket_count_; ++b) {
    const HostBucket& bucket = buckets_[b];
    const bool in_overflow = b >= main_buckets();
    if (in_overflow && b + 1 < bucket_count_ && !IsFull(bucket)) {
      return bad("overflow bucket ", b, " is not full");
    }
    for (size_t i = 0; i < kSlots; ++i) {
      if (bucket.slot[i] == 0) continue;
      const std::string_view name(pool_ + off, bucket.slot[i] >> 8);
      uint64_t hash;
      uint32_t labels;
      if (!HashNormalized(name, &hash, &labels)) {
        return bad("item ", item, " is not a normalized hostname");
      }
      if (TagOf(hash) != (bucket.slot[i] & 0xff)) {
        return bad("item ", item, " has the wrong fingerprint");
      }
      if (absl::Status s =
              CheckReach(Home(hash), in_overflow ? 0 : b, item, in_overflow);
          !s.ok()) {
        return s;
      }
      if (in_overflow) {
        if (!previous_overflow.empty() &&
            CompareFolded(previous_overflow.data(), previous_overflow.size(),
                          name.data(), name.size()) >= 0) {
          return bad("overflow item ", item, " is out of order");
        }
        previous_overflow = name;
      }
      if (!MayHaveLabels(labels)) {
        return bad("item ", item, " has a label count not in the mask");
      }
      ++item;
      off += name.size();
    }
  }
  return absl::OkStatus();
}

absl::Status HostSetView::CheckReach(size_t home, size_t b, size_t item,
                                     bool in_overflow) const {
  const auto bad = [item](std::string_view what) {
    return absl::DataLossError(
        absl::StrCat("host set: item ", item, " ",
                     absl::string_view(what.data(), what.size())));
  };
  // A main item sits within kMaxProbe buckets of its home, every bucket
  // before it from the home being full; an overflow item is reached only
  // after kMaxProbe full buckets from its home.
  const size_t last = in_overflow ? home + kMaxProbe : b;
  if (!in_overflow && home > b) return bad("sits before its home bucket");
  if (!in_overflow && b - home >= kMaxProbe) {
    return bad("sits too far from its home bucket");
  }
  if (last > main_buckets()) return bad("has a home too close to the end");
  for (size_t x = home; x < last; ++x) {
    if (!IsFull(buckets_[x])) return bad("is cut off from its home bucket");
  }
  return absl::OkStatus();
}

// --- HostTable ---------------------------------------------------------------

absl::Status HostTable::Validate() const {
  if (absl::Status s = exact_.Validate(); !s.ok()) {
    return absl::DataLossError(absl::StrCat("exact ", s.message()));
  }
  if (absl::Status s = partial_.Validate(); !s.ok()) {
    return absl::DataLossError(absl::StrCat("partial ", s.message()));
  }
  return absl::OkStatus();
}

uint32_t HostTable::Lookup(std::string_view name) const {
  NameBuf buf;
  uint32_t best = kNoValue;
  const size_t n =
      WalkName(name, &buf,
               [&](uint64_t h, const char* suffix, size_t len, uint32_t labels,
                   bool whole) HATMATCH_ALWAYS_INLINE {
                 // Only the whole name is looked up among exact
                 // entries, only proper suffixes among partial
                 // ones.
                 const HostSetView& set = whole ? exact_ : partial_;
                 if (!set.MayHaveLabels(labels)) return;
                 best = std::min(best, set.Probe(h, suffix, len));
               });
  return n == 0 ? kNoValue : best;
}
namespace {

// What the batch lookup needs of one set, as plain values.
struct SetRef {
  const HostBucket* buckets;
  uint64_t home_buckets;
  // label_mask[0]: names the batch probes have at most 32 labels.
  uint64_t labels;
  const uint32_t* priorities;
  const char* pool;
  size_t pool_size;
  const HostBucket* overflow;  // the overflow buckets
  size_t overflow_count;

  const HostBucket* HomeBucket(uint64_t hash) const {
    return buckets + HomeOf(hash, home_buckets);
  }
};

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

#if HATMATCH_HOST_AVX512
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
#endif

// LookupBatch with the operations of `Ops`.
//
// Names go through in groups, in passes over flat arrays, so that every
// pass issues the loads of the next one for the whole group before any of
// them is needed, and the loops branch on a name's shape as little as
// possible:
//   1. validate, fold and hash each name; for every probe its label count
//      allows, prefetch the home bucket and note the probe;
//   2. scan each probe's bucket: its one matching slot, if any, becomes a
//      candidate.  A probe with several matching slots or a full bucket
//      (rare) is confirmed on the spot;
//   3. locate each candidate's name and priority, prefetch them;
//   4. compare each candidate's name, keep the lowest priority.
// Names over 64 bytes (rare) take table.Lookup() in pass 1.
template <class Ops>
HATMATCH_ALWAYS_INLINE inline void BatchLookup(const SetRef* sets,
                                               const HostTable& table,
                                               const std::string_view* names,
                                               uint32_t* out, size_t n) {
  constexpr size_t kGroup = 16;
  constexpr size_t kMaxLabels = 32;  // in 64 bytes
  constexpr size_t kProbes = kGroup * kMaxLabels;
  struct PendingProbe {
    const HostBucket* bucket;
    const char* suffix;
    uint32_t key;  // fingerprint | len << 8 | set << 16 | name << 24
  };
  struct PendingCandidate {
    uint32_t probe;
    uint32_t slot;  // in the bucket, then the item
    size_t offset;
  };
  NameBuf bufs[kGroup];
  PendingProbe probes[kProbes];
  PendingCandidate cands[kProbes];
  for (size_t base = 0; base < n; base += kGroup) {
    const size_t m = std::min(kGroup, n - base);
    // 1a. Validate and fold; starts[g] has bit 0 set when name g has
    // nothing to probe (invalid, or looked up whole because it is long).
    uint64_t starts[kGroup];
    uint32_t lens[kGroup];
    for (size_t g = 0; g < m; ++g) {
      const std::string_view in = names[base + g];
      // The names of the group after next: names often live in separate
      // heap blocks that the hardware prefetcher does not foresee.
      if (base + g + 2 * kGroup < n) {
        __builtin_prefetch(names[base + g + 2 * kGroup].data());
      }
      out[base + g] = kNoValue;
      size_t len = in.size();
      if (len != 0 && in[len - 1] == '.') --len;
      starts[g] = 1;
      lens[g] = static_cast<uint32_t>(len);
      if (len - 1 >= 64) [[unlikely]] {  // also len == 0
        if (len != 0) out[base + g] = table.Lookup(in);
        continue;
      }
      std::memset(bufs[g].bytes, 0, 16);
      starts[g] = Ops::Fold(in.data(), len, bufs[g].bytes + 16);
    }
    // 1b. Hash the suffixes; a separate loop, so that the label walk has
    // the registers to itself.
    size_t np = 0;
    for (size_t g = 0; g < m; ++g) {
      uint64_t left = starts[g];
      if (left & 1) continue;
      const char* b = bufs[g].bytes + 16;
      const size_t len = lens[g];
      // The key of the probe of the suffix at `start`, fingerprint aside.
      const uint32_t key_bits =
          static_cast<uint32_t>(g) << 24 | static_cast<uint32_t>(len) << 8;
      uint64_t h = kSeed;
      size_t end = len;
      uint32_t labels = 0;
      // Notes a probe of the suffix at `start` when some item of the set
      // has `labels` labels.  (The branch follows a pattern, such as "never
      // for one label", that predicts well.)
      auto note = [&](const SetRef& set, uint32_t set_bit,
                      size_t start) HATMATCH_ALWAYS_INLINE {
        if (((set.labels >> labels) & 1) == 0) return;
        const HostBucket* bucket = set.HomeBucket(h);
        __builtin_prefetch(bucket);
        probes[np++] = {bucket, b + start,
                        (key_bits | set_bit | TagOf(h)) -
                            (static_cast<uint32_t>(start) << 8)};
      };
      for (;;) {
        const size_t start = LastStart(left);
        h = MixLabel(h, b, start, end);
        ++labels;
        if (start == 0) break;
        note(sets[1], 1u << 16, start);
        left ^= uint64_t{1} << start;
        end = start - 1;
      }
      note(sets[0], 0, 0);
    }
    size_t nc = 0;
    for (size_t k = 0; k < np; ++k) {
      const PendingProbe& p = probes[k];
      const auto key = static_cast<uint16_t>(p.key);
      const uint32_t match = Ops::Match(*p.bucket, key);
      if (((match & (match - 1)) | p.bucket->slot[kSlots - 1]) != 0)
          [[unlikely]] {
        const SetRef& set = sets[(p.key >> 16) & 1];
        uint32_t& best = out[base + (p.key >> 24)];
        // As HostSetView::Probe: at most kMaxProbe buckets, then the
        // overflow when they were all full.
        bool all_full = true;
        const HostBucket* bucket = p.bucket;
        for (size_t d = 0; d < kMaxProbe && all_full; ++d, ++bucket) {
          for (uint32_t mm = Ops::Match(*bucket, key); mm != 0; mm &= mm - 1) {
            const size_t i = static_cast<size_t>(std::countr_zero(mm));
            if (Ops::Equal(set, p.suffix,
                           bucket->pool_base + Ops::SumLens(*bucket, i),
                           key >> 8)) {
              best = std::min(best, set.priorities[bucket->first_item + i]);
            }
          }
          all_full = IsFull(*bucket);
        }
        if (all_full) {
          best = std::min(best, OverflowFind(set.overflow, set.overflow_count,
                                             set.priorities, set.pool, p.suffix,
                                             key >> 8, nullptr));
        }
        continue;
      }
      cands[nc] = {static_cast<uint32_t>(k),
                   static_cast<uint32_t>(std::countr_zero(match | 1u << 31)),
                   0};
      nc += match != 0;
    }
    for (size_t k = 0; k < nc; ++k) {
      PendingCandidate& c = cands[k];
      const PendingProbe& p = probes[c.probe];
      const SetRef& set = sets[(p.key >> 16) & 1];
      c.offset = p.bucket->pool_base + Ops::SumLens(*p.bucket, c.slot);
      c.slot += p.bucket->first_item;
      __builtin_prefetch(set.pool + c.offset);
      __builtin_prefetch(set.priorities + c.slot);
    }
    for (size_t k = 0; k < nc; ++k) {
      const PendingCandidate& c = cands[k];
      const PendingProbe& p = probes[c.probe];
      const SetRef& set = sets[(p.key >> 16) & 1];
      if (Ops::Equal(set, p.suffix, c.offset, (p.key >> 8) & 0xff)) {
        uint32_t& best = out[base + (p.key >> 24)];
        best = std::min(best, set.priorities[c.slot]);
      }
    }
  }
}

using BatchFn = void (*)(const SetRef*, const HostTable&,
                         const std::string_view*, uint32_t*, size_t);

void BatchBaseline(const SetRef* sets, const HostTable& table,
                   const std::string_view* names, uint32_t* out, size_t n) {
  BatchLookup<BaselineOps>(sets, table, names, out, n);
}

#if HATMATCH_HOST_AVX512
// flatten: the template and the operations are inlined here, where the
// target allows their instructions.
HATMATCH_AVX512_TARGET __attribute__((flatten)) void BatchAvx512(
    const SetRef* sets, const HostTable& table, const std::string_view* names,
    uint32_t* out, size_t n) {
  BatchLookup<Avx512Ops>(sets, table, names, out, n);
}
#endif

BatchFn ChooseBatch() {
#if HATMATCH_HOST_AVX512
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("bmi2")) {
    return BatchAvx512;
  }
#endif
  return BatchBaseline;
}

const BatchFn kBatch = ChooseBatch();

}  // namespace

void HostTable::LookupBatchWith(bool baseline, const std::string_view* names,
                                uint32_t* out, size_t n) const {
  auto ref = [](const HostSetView& v) {
    return SetRef{v.buckets_,
                  v.header_.home_buckets,
                  v.header_.label_mask[0],
                  v.priorities_,
                  v.pool_,
                  v.pool_size_,
                  v.buckets_ + v.main_buckets(),
                  v.header_.overflow_buckets};
  };
  const SetRef sets[2] = {ref(exact_), ref(partial_)};
  (baseline ? BatchBaseline : kBatch)(sets, *this, names, out, n);
}

void HostTable::LookupBatch(const std::string_view* names, uint32_t* out,
                            size_t n) const {
  LookupBatchWith(false, names, out, n);
}

void HostTable::LookupBatchBaseline(const std::string_view* names,
                                    uint32_t* out, size_t n) const {
  LookupBatchWith(true, names, out, n);
}

namespace host_table_testing {
void SetHashOverride(HashOverride f) { g_hash_override = f; }
}  // namespace host_table_testing

}  // namespace hatmatch
