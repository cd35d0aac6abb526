// Copyright 2026 The hatmatch Authors.
// The priority map against a brute-force label of every key in a small space.

#include <cstdint>
#include <random>
#include <vector>

#include "engine/table/priority_map.h"
#include "gtest/gtest.h"

namespace hatmatch {
namespace {

TEST(IntervalMapTest, EmptyInputIsOneUnlabelledSegment) {
  IntervalMap<uint32_t> m = BuildPriorityMap<uint32_t>({});
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m.starts[0], 0u);
  EXPECT_EQ(m.values[0], kNoValue);
}

TEST(IntervalMapTest, WholeSpaceAndNesting) {
  IntervalMap<uint32_t> m =
      BuildPriorityMap<uint32_t>({{0, UINT32_MAX, 9},
                                  {100, 200, 3},
                                  {150, 150, 1},
                                  {UINT32_MAX, UINT32_MAX, 0}});
  EXPECT_EQ(m.Lookup(0), 9u);
  EXPECT_EQ(m.Lookup(99), 9u);
  EXPECT_EQ(m.Lookup(100), 3u);
  EXPECT_EQ(m.Lookup(149), 3u);
  EXPECT_EQ(m.Lookup(150), 1u);
  EXPECT_EQ(m.Lookup(151), 3u);
  EXPECT_EQ(m.Lookup(200), 3u);
  EXPECT_EQ(m.Lookup(201), 9u);
  EXPECT_EQ(m.Lookup(UINT32_MAX - 1), 9u);
  EXPECT_EQ(m.Lookup(UINT32_MAX), 0u);
}

TEST(IntervalMapTest, RandomAgainstBruteForce) {
  for (uint32_t seed = 1; seed <= 200; ++seed) {
    std::mt19937 rng(seed);
    const uint32_t space = 64;
    std::vector<PrioritizedRange<uint32_t>> ranges;
    int n = rng() % 12;
    for (int i = 0; i < n; ++i) {
      uint32_t a = rng() % space, b = rng() % space;
      if (a > b) std::swap(a, b);
      ranges.push_back({a, b, static_cast<uint32_t>(rng() % 8)});
    }
    IntervalMap<uint32_t> m = BuildPriorityMap(ranges);
    for (size_t i = 1; i < m.size(); ++i) {
      ASSERT_LT(m.starts[i - 1], m.starts[i]) << "seed " << seed;
      ASSERT_NE(m.values[i - 1], m.values[i]) << "seed " << seed;
    }
    for (uint32_t k = 0; k < space + 2; ++k) {
      uint32_t want = kNoValue;
      for (const auto& r : ranges)
        if (r.lo <= k && k <= r.hi && r.priority < want) want = r.priority;
      ASSERT_EQ(m.Lookup(k), want) << "seed " << seed << " key " << k;
    }
  }
}

TEST(IntervalMapTest, Ipv6KeysCarryAcrossHalves) {
  using T = KeyTraits<Ipv6Addr>;
  Ipv6Addr a{1, ~uint64_t{0}};
  EXPECT_EQ(T::Next(a), (Ipv6Addr{2, 0}));
  EXPECT_EQ(T::Prev(Ipv6Addr{2, 0}), a);
  IntervalMap<Ipv6Addr> m =
      BuildPriorityMap<Ipv6Addr>({{Ipv6Addr{1, 5}, a, 4}});
  EXPECT_EQ(m.Lookup(Ipv6Addr{1, 4}), kNoValue);
  EXPECT_EQ(m.Lookup(Ipv6Addr{1, 5}), 4u);
  EXPECT_EQ(m.Lookup(a), 4u);
  EXPECT_EQ(m.Lookup(Ipv6Addr{2, 0}), kNoValue);
}

TEST(IntervalMapTest, RelabelMergesEqualNeighbours) {
  IntervalMap<uint32_t> m =
      BuildPriorityMap<uint32_t>({{10, 19, 0}, {20, 29, 1}, {30, 39, 5}});
  IntervalMap<uint32_t> r = Relabel(m, [](uint32_t v) { return v / 2; });
  EXPECT_EQ(r.Lookup(15), 0u);
  EXPECT_EQ(r.Lookup(25), 0u);
  EXPECT_EQ(r.Lookup(35), 2u);
  EXPECT_EQ(r.SegmentOf(10), r.SegmentOf(29));
}

}  // namespace
}  // namespace hatmatch
