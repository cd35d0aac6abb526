// Copyright 2026 The hatmatch Authors.
// The range -> CIDR split that feeds the DPDK peers: the blocks are aligned,
// contiguous, cover the range exactly, and are as few as possible.

#include <cstdint>
#include <random>
#include <vector>

#include "bench/peers/cidr.h"
#include "gtest/gtest.h"

namespace hatmatch::bench {
namespace {

using u128 = unsigned __int128;

struct Block4 {
  uint32_t base;
  int depth;
};

std::vector<Block4> Split4(uint32_t lo, uint32_t hi) {
  std::vector<Block4> out;
  ForEachCidr4(lo, hi, [&](uint32_t b, int d) { out.push_back({b, d}); });
  return out;
}

void CheckCover4(uint32_t lo, uint32_t hi) {
  const std::vector<Block4> blocks = Split4(lo, hi);
  ASSERT_FALSE(blocks.empty());
  uint64_t next = lo;
  for (const Block4& b : blocks) {
    ASSERT_GE(b.depth, 1);
    ASSERT_LE(b.depth, 32);
    const uint64_t size = uint64_t{1} << (32 - b.depth);
    ASSERT_EQ(b.base % size, 0u) << "unaligned block";
    ASSERT_EQ(b.base, next) << "gap or overlap in [" << lo << ", " << hi << "]";
    next = b.base + size;
  }
  ASSERT_EQ(next, uint64_t{hi} + 1);
  // A range needs at most 2 * 31 blocks, and every split of an aligned
  // block is one block.
  ASSERT_LE(blocks.size(), 62u);
}

TEST(CidrSplitTest, Ipv4EdgesAndRandomRanges) {
  CheckCover4(0, UINT32_MAX);
  EXPECT_EQ(Split4(0, UINT32_MAX).size(), 2u);  // two /1: LPM has no /0
  CheckCover4(0, 0);
  CheckCover4(UINT32_MAX, UINT32_MAX);
  CheckCover4(1, UINT32_MAX - 1);
  EXPECT_EQ(Split4(1, UINT32_MAX - 1).size(), 62u);
  EXPECT_EQ(Split4(0x0a000000, 0x0affffff).size(), 1u);  // 10.0.0.0/8
  const uint64_t seed = 20261127;
  std::mt19937_64 rng(seed);
  for (int i = 0; i < 2000; ++i) {
    uint32_t a = static_cast<uint32_t>(rng()), b = static_cast<uint32_t>(rng());
    if (i % 2) b = a + static_cast<uint32_t>(rng() % 5000);
    if (a > b) std::swap(a, b);
    SCOPED_TRACE(testing::Message() << "seed " << seed << " case " << i);
    CheckCover4(a, b);
  }
}

TEST(CidrSplitTest, Ipv6CoversExactly) {
  auto check = [](u128 lo, u128 hi) {
    std::vector<std::pair<u128, int>> blocks;
    ForEachCidr6(
        Ipv6Addr{static_cast<uint64_t>(lo >> 64), static_cast<uint64_t>(lo)},
        Ipv6Addr{static_cast<uint64_t>(hi >> 64), static_cast<uint64_t>(hi)},
        [&](u128 b, int d) {
          blocks.push_back({b, d});
        });
    ASSERT_FALSE(blocks.empty());
    ASSERT_LE(blocks.size(), 254u);
    u128 next = lo;
    for (size_t k = 0; k < blocks.size(); ++k) {
      const auto [b, d] = blocks[k];
      ASSERT_GE(d, 1);
      ASSERT_LE(d, 128);
      const u128 mask = d == 128 ? 0 : (~u128{0} >> d);
      ASSERT_TRUE((b & mask) == 0) << "unaligned";
      ASSERT_TRUE(b == next) << "gap or overlap at block " << k;
      const u128 last = b | mask;
      if (k + 1 == blocks.size()) {
        ASSERT_TRUE(last == hi);
      } else {
        next = last + 1;
      }
    }
  };
  check(0, ~u128{0});
  check(0, 0);
  check(~u128{0}, ~u128{0});
  check(1, ~u128{0} - 1);
  check(u128{0x20010db8} << 96, (u128{0x20010db8} << 96) | (~u128{0} >> 32));
  const uint64_t seed = 7;
  std::mt19937_64 rng(seed);
  for (int i = 0; i < 500; ++i) {
    u128 a = (u128{rng()} << 64) | rng(), b = (u128{rng()} << 64) | rng();
    if (i % 2) b = a + rng() % 100000;
    if (a > b) std::swap(a, b);
    SCOPED_TRACE(testing::Message() << "seed " << seed << " case " << i);
    check(a, b);
  }
}

}  // namespace
}  // namespace hatmatch::bench
