// Copyright 2026 The hatmatch Authors.
//
// ipv4_batch_avx512.h: the first two passes of Ipv4Trie::LookupBatch with
// AVX-512 gathers, for CPUs that have AVX-512F and AVX512_VPOPCNTDQ (chosen
// at run time; every x86-64 build carries it, other CPUs never call it).
//
// Sixteen addresses at a time: one 16-lane gather of their top-level
// entries; then, for the lanes whose entry names a terminal, two 8-lane
// gathers of the terminals' 64-bit leaf bitmaps, a variable shift and a
// vector popcount for the rank, and one gather of the leaf values.  The
// top-level gathers run eight groups ahead of the terminal gathers that
// depend on them, so that the core always has independent loads to start
// (EXPERIMENTS.md: twice the throughput of chaining them per sixteen).
// Lanes whose entry names an inner node are left to the scalar descent,
// exactly as in the portable passes, so the answers are the same by
// construction.

#ifndef HATMATCH_ENGINE_TABLE_IPV4_BATCH_AVX512_H_
#define HATMATCH_ENGINE_TABLE_IPV4_BATCH_AVX512_H_

#include <cstddef>
#include <cstdint>

namespace hatmatch {

// True when this build carries the AVX-512 passes and the CPU runs them.
bool Ipv4Avx512Usable();

// For j < m: o[j] = the answer for a[j] when the top entry of a[j] is a value
// or a terminal; otherwise o[j] = that (inner node) entry and j is appended
// to `pending`.  Returns the number of pending addresses.  Only call when
// Ipv4Avx512Usable().
size_t Ipv4TopAndTerminalsAvx512(const uint32_t* top, const uint32_t* terminals,
                                 unsigned top_bits, const uint32_t* a,
                                 uint32_t* o, size_t m, uint32_t* pending);

// The direct layout's batch (ipv4_direct.h), sixteen addresses at a time:
// one 16-lane gather of their 16-bit top entries, run eight groups ahead
// of one gather of the codes of the lanes whose entry names a block.  For
// j < m, o[j] = the answer for a[j], except where its code is the split
// code: then j is appended to `pending`, for the caller's split lookup.
// Returns the number of pending addresses.  Only call when
// Ipv4Avx512Usable().
class Ipv4Direct;
size_t Ipv4DirectAvx512(const Ipv4Direct& d, const uint32_t* a, uint32_t* o,
                        size_t m, uint32_t* pending);

}  // namespace hatmatch

#endif  // HATMATCH_ENGINE_TABLE_IPV4_BATCH_AVX512_H_
