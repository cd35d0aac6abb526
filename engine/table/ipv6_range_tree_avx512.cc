// Copyright 2026 The hatmatch Authors.
//
// ipv6_range_tree_avx512.cc: see ipv6_range_tree_avx512.h.

#include "engine/table/ipv6_range_tree_avx512.h"

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

constexpr size_t kGroup = 16;

// The number of keys of the node at `node` below the broadcast key: the key
// is the register operand so that the node folds into the compare as its
// memory operand.
HATMATCH_IPV6_TREE_AVX512_TARGET inline uint64_t Count(const void* node,
                                                       __m512i key) {
  const __mmask8 below =
      _mm512_cmp_epu64_mask(key, _mm512_loadu_si512(node), _MM_CMPINT_NLE);
  return static_cast<uint64_t>(_mm_popcnt_u32(_cvtmask8_u32(below)));
}

// Every address of the group in step through the levels.  A node is tracked
// by its byte offset in its level (index * 64), so that the child's offset
// is offset * 9 + count * 64 and the node load needs no further arithmetic;
// the root, the same node for every address, is compared in a register.
HATMATCH_IPV6_TREE_AVX512_TARGET void SearchGroup(const ipv6_tree::SearchRef& t,
                                                  const Ipv6Addr* a,
                                                  uint32_t* o) {
  __m512i key[kGroup];
#pragma GCC unroll 16
  for (size_t k = 0; k < kGroup; ++k) {
    key[k] = _mm512_set1_epi64(static_cast<long long>(a[k].hi));
  }
  const unsigned leaf_level = t.height - 1;
  uint64_t off[kGroup];
  const __m512i root = _mm512_loadu_si512(t.tree);
#pragma GCC unroll 16
  for (size_t k = 0; k < kGroup; ++k) off[k] = Count(&root, key[k]) << 6;
  if (leaf_level == 0) {  // the root is the only leaf
#pragma GCC unroll 16
    for (size_t k = 0; k < kGroup; ++k) o[k] = t.values[off[k] >> 6];
    return;
  }
  for (unsigned l = 1; l < leaf_level; ++l) {
    const char* level =
        reinterpret_cast<const char*>(t.tree + t.level_start[l] * kLeafKeys);
#pragma GCC unroll 16
    for (size_t k = 0; k < kGroup; ++k) {
      off[k] = off[k] * kFanout + (Count(level + off[k], key[k]) << 6);
    }
  }
  const char* leaves = reinterpret_cast<const char*>(
      t.tree + t.level_start[leaf_level] * kLeafKeys);
#pragma GCC unroll 16
  for (size_t k = 0; k < kGroup; ++k) {
    o[k] = t.values[(off[k] >> 3) + Count(leaves + off[k], key[k])];
  }
}

}  // namespace

HATMATCH_IPV6_TREE_AVX512_TARGET size_t Ipv6TreeSearchAvx512(
    const ipv6_tree::SearchRef& t, const Ipv6Addr* a, uint32_t* out, size_t n) {
  size_t j = 0;
  for (; j + kGroup <= n; j += kGroup) SearchGroup(t, a + j, out + j);
  return j;
}

#else  // !HATMATCH_IPV6_TREE_AVX512

bool Ipv6TreeAvx512Usable() { return false; }

size_t Ipv6TreeSearchAvx512(const ipv6_tree::SearchRef&, const Ipv6Addr*,
                            uint32_t*, size_t) {
  return 0;
}

#endif

}  // namespace hatmatch
