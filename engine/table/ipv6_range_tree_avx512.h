// Copyright 2026 The hatmatch Authors.
//
// ipv6_range_tree_avx512.h: the tree search of Ipv6RangeTree::LookupBatch
// with AVX-512, for CPUs that have AVX-512F (chosen at run time; every
// x86-64 build carries it, other CPUs never call it).
//
// Thirty-two addresses at a time, level by level: each address's top half
// is broadcast once into a register, and a node is one unsigned 8-lane
// compare of its keys against it (vpcmpuq with the node as memory operand);
// the mask's popcount gives what it adds to the node's offset, so a level
// is six instructions per address and the thirty-two node loads of a level
// are independent.  The answers are
// the portable search's by construction: the same count of keys below the
// address, per node.

#ifndef HATMATCH_ENGINE_TABLE_IPV6_RANGE_TREE_AVX512_H_
#define HATMATCH_ENGINE_TABLE_IPV6_RANGE_TREE_AVX512_H_

#include <cstddef>
#include <cstdint>

#include "engine/table/ipv6_range_tree.h"
#include "hatmatch/address.h"

namespace hatmatch {

// True when this build carries the AVX-512 search and the CPU runs it.
bool Ipv6TreeAvx512Usable();

// out[j] = values[range index of a[j].hi] (refine marks left in place) for
// the first n rounded down to a multiple of sixteen (groups of thirty-two,
// then one of sixteen); returns that count.
// Only call when Ipv6TreeAvx512Usable().
size_t Ipv6TreeSearchAvx512(const ipv6_tree::SearchRef& t, const Ipv6Addr* a,
                            uint32_t* out, size_t n);

// Lists in `lanes` (room for n) the j < n where out[j] is a refine mark;
// returns how many.  Sixteen values per compare.  Only call when
// Ipv6TreeAvx512Usable().
size_t Ipv6FindRefinesAvx512(const uint32_t* out, size_t n, uint32_t* lanes);

}  // namespace hatmatch

#endif  // HATMATCH_ENGINE_TABLE_IPV6_RANGE_TREE_AVX512_H_
