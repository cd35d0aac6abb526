// Copyright 2026 The hatmatch Authors.
//
// ipv4_batch_simd.h: the first two levels of Ipv4Trie::LookupBatch (top[]
// and terminals), sixteen addresses at a time with AVX-512, chosen at run
// time.  Internal to engine/table.
//
// Builds for any x86-64 (and any other target): the kernel is compiled with
// a function-level target attribute, never with -mavx512*, and is called
// only when the running CPU and OS support AVX-512F, VL, BW, DQ and
// VPOPCNTDQ (AMD Zen 4, Intel Ice Lake and later).  Elsewhere, or when the
// environment variable HATMATCH_NO_AVX512 is set to anything but "0" or ""
// (to compare the paths, or to rule the kernel out when in doubt), the
// scalar passes of Ipv4Trie::LookupBatch run instead.
//
// Both paths give the same answers on every address: tests/ip_trie_test.cc
// runs them side by side on random and routing-table-shaped tries, and the
// differential tests run whichever this machine dispatches to.
//
// Safety: the kernel reads top[] at addr >> (32 - top_bits) and a terminal's
// words only in lanes whose top entry names it, with masked gathers, so it
// reads exactly what the scalar path reads: in bounds for any trie that
// passed Ipv4Trie::Validate().

#ifndef HATMATCH_ENGINE_TABLE_IPV4_BATCH_SIMD_H_
#define HATMATCH_ENGINE_TABLE_IPV4_BATCH_SIMD_H_

#include <cstddef>
#include <cstdint>

namespace hatmatch::ipv4_simd {

// Resolves addrs[0..n) through top[] and terminals[].  out[i] gets the
// answer, except for addresses whose top entry is a node: for those out[i]
// holds the entry and i is appended to `pending` (in increasing order).
// Returns how many were appended; `pending` must have room for n.
using TopPassFn = size_t (*)(const uint32_t* top, unsigned top_bits,
                             const uint32_t* terminals, const uint32_t* addrs,
                             uint32_t* out, size_t n, uint32_t* pending);

// The AVX-512 kernel if this CPU runs it and HATMATCH_NO_AVX512 is unset,
// else nullptr.  Decided once per process.
TopPassFn DispatchedTopPass();

// The kernel itself when this CPU can run it (regardless of the environment
// variable), else nullptr: for tests that compare it with the scalar path.
TopPassFn Avx512TopPassIfSupported();

}  // namespace hatmatch::ipv4_simd

#endif  // HATMATCH_ENGINE_TABLE_IPV4_BATCH_SIMD_H_
