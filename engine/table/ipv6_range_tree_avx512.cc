// Copyright 2026 The hatmatch Authors.
//
// ipv6_range_tree_avx512.cc: see ipv6_range_tree_avx512.h.

#include "engine/table/ipv6_range_tree_avx512.h"

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>

#include "engine/table/ipv6_range_tree.h"
#include "hatmatch/address.h"

#if defined(__x86_64__) && defined(__GNUC__) && \
    !defined(HATMATCH_IPV6_TREE_PORTABLE)
#define HATMATCH_IPV6_TREE_AVX512 1
#include <immintrin.h>
#define HATMATCH_IPV6_TREE_AVX512_TARGET \
  __attribute__((target("avx512f,avx512dq,popcnt")))
#endif

namespace hatmatch {

#if HATMATCH_IPV6_TREE_AVX512

bool Ipv6TreeAvx512Usable() {
  static const bool usable = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") &&
           __builtin_cpu_supports("avx512dq") &&
           __builtin_cpu_supports("popcnt");
  }();
  return usable;
}

namespace {

using ipv6_tree::kFanout;
using ipv6_tree::kLeafKeys;

// Addresses searched in step.  Thirty-two rather than sixteen: a level is a
// chain of dependent operations (node load, compare, mask move, offset) per
// address, and more independent chains give the core more to overlap; 32
// measured 3-5% faster on bgp6 traffic (24 and 64 slower: a tail left to
// the scalar search, offsets that no longer fit in registers).  See
// docs/benchmarks/EXPERIMENTS.md.
constexpr size_t kGroup = 32;

// What a compare mask adds to a node's position: 8 per key below the address
// (kStep, in the 8-byte words of Position below), or 1 per key at the leaf
// (kCount).  Used at the root and the leaf, where a table load that folds
// into the add measured faster than popcount and shift; the internal levels
// use Step() instead.
constexpr std::array<uint64_t, 256> MaskTable(unsigned scale) {
  std::array<uint64_t, 256> t{};
  for (unsigned m = 0; m < 256; ++m) {
    t[m] = static_cast<uint64_t>(std::popcount(m)) * scale;
  }
  return t;
}
alignas(64) constexpr std::array<uint64_t, 256> kStep = MaskTable(kLeafKeys);
alignas(64) constexpr std::array<uint64_t, 256> kCount = MaskTable(1);

// The keys of the node at `node` below the broadcast key, as a mask: the key
// is the register operand so that the node folds into the compare as its
// memory operand.
HATMATCH_IPV6_TREE_AVX512_TARGET inline unsigned Below(const void* node,
                                                       __m512i key) {
  return _cvtmask8_u32(
      _mm512_cmp_epu64_mask(key, _mm512_loadu_si512(node), _MM_CMPINT_NLE));
}

// The keys of an internal node below the address, from its compare mask.
// Popcount rather than a table load: with thirty-two chains in flight the
// load ports are the scarcer resource, and this measured 2-4% faster
// (docs/benchmarks/EXPERIMENTS.md).
HATMATCH_IPV6_TREE_AVX512_TARGET inline uint64_t Count(unsigned mask) {
  return static_cast<uint64_t>(std::popcount(mask));
}

// Every address of the group in step through the levels.  A node is tracked
// by its position in its level in 8-byte words (index * 8: the index of its
// first key and, at the leaf, of its first value).  The node load is then
// the addressing mode level + position * 8, and the child's position,
// 9 * position + 8 * Count(mask), is position + 8 * (position + count): an
// add and a lea, five instructions per address and level with the compare,
// the mask move and the popcount (tracking byte offsets took six).  The
// root, the same node for every address, is compared in a register.
// kLanes is kGroup, or half of it once for a batch's tail.
template <size_t kLanes>
HATMATCH_IPV6_TREE_AVX512_TARGET void SearchGroup(const ipv6_tree::SearchRef& t,
                                                  const Ipv6Addr* a,
                                                  uint32_t* o) {
  __m512i key[kLanes];
#pragma GCC unroll 32
  for (size_t k = 0; k < kLanes; ++k) {
    key[k] = _mm512_set1_epi64(static_cast<long long>(a[k].hi));
  }
  const unsigned leaf_level = t.height - 1;
  uint64_t pos[kLanes];
  const __m512i root = _mm512_loadu_si512(t.tree);
#pragma GCC unroll 32
  for (size_t k = 0; k < kLanes; ++k) pos[k] = kStep[Below(&root, key[k])];
  if (leaf_level == 0) {  // the root is the only leaf
#pragma GCC unroll 32
    for (size_t k = 0; k < kLanes; ++k) o[k] = t.values[pos[k] / kLeafKeys];
    return;
  }
  for (unsigned l = 1; l < leaf_level; ++l) {
    const uint64_t* level = t.tree + t.level_start[l] * kLeafKeys;
    // One register for the level's address, so that each node load is the
    // addressing mode level + position * 8 (left to itself the compiler
    // keeps the tree and the level's start apart and adds a lea per node).
    asm("" : "+r"(level));
#pragma GCC unroll 32
    for (size_t k = 0; k < kLanes; ++k) {
      pos[k] += (pos[k] + Count(Below(level + pos[k], key[k]))) * kLeafKeys;
    }
  }
  const uint64_t* leaves = t.tree + t.level_start[leaf_level] * kLeafKeys;
#pragma GCC unroll 32
  for (size_t k = 0; k < kLanes; ++k) {
    o[k] = t.values[pos[k] + kCount[Below(leaves + pos[k], key[k])]];
  }
}

}  // namespace

HATMATCH_IPV6_TREE_AVX512_TARGET size_t Ipv6TreeSearchAvx512(
    const ipv6_tree::SearchRef& t, const Ipv6Addr* a, uint32_t* out, size_t n) {
  size_t j = 0;
  for (; j + kGroup <= n; j += kGroup) {
    SearchGroup<kGroup>(t, a + j, out + j);
  }
  if (j + kGroup / 2 <= n) {  // a tail of sixteen or more
    SearchGroup<kGroup / 2>(t, a + j, out + j);
    j += kGroup / 2;
  }
  return j;
}

HATMATCH_IPV6_TREE_AVX512_TARGET size_t
Ipv6FindRefinesAvx512(const uint32_t* out, size_t n, uint32_t* lanes) {
  const __m512i flag =
      _mm512_set1_epi32(static_cast<int>(ipv6_tree::kRefineFlag));
  const __m512i marks =
      _mm512_set1_epi32(static_cast<int>(kNoValue - ipv6_tree::kRefineFlag));
  const __m512i lane =
      _mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
  size_t found = 0, j = 0;
  for (; j + 16 <= n; j += 16) {
    const __m512i v = _mm512_sub_epi32(_mm512_loadu_si512(out + j), flag);
    const __mmask16 refine = _mm512_cmplt_epu32_mask(v, marks);
    if (refine) [[unlikely]] {
      _mm512_mask_compressstoreu_epi32(
          lanes + found, refine,
          _mm512_add_epi32(lane, _mm512_set1_epi32(static_cast<int>(j))));
      found += static_cast<size_t>(__builtin_popcount(refine));
    }
  }
  for (; j < n; ++j) {
    lanes[found] = static_cast<uint32_t>(j);
    found += ipv6_tree::IsRefine(out[j]);
  }
  return found;
}

#else  // !HATMATCH_IPV6_TREE_AVX512

bool Ipv6TreeAvx512Usable() { return false; }

size_t Ipv6TreeSearchAvx512(const ipv6_tree::SearchRef&, const Ipv6Addr*,
                            uint32_t*, size_t) {
  return 0;
}

size_t Ipv6FindRefinesAvx512(const uint32_t*, size_t, uint32_t*) { return 0; }

#endif

}  // namespace hatmatch
