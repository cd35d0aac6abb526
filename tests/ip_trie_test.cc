// Copyright 2026 The hatmatch Authors.
// The IPv4 trie and the IPv6 range tree against their oracle,
// IntervalMap::Lookup, on randomized maps, plus Validate() against corrupted
// arrays.

#include <arpa/inet.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "engine/compile/builders.h"
#include "engine/table/ipv4_trie.h"
#include "engine/table/ipv6_range_tree.h"
#include "engine/table/poptrie.h"
#include "engine/table/priority_map.h"
#include "gtest/gtest.h"
#include "hatmatch/address.h"
#include "tests/testing/real_data.h"

namespace hatmatch {
namespace {

__extension__ typedef unsigned __int128 U128;

std::string Hex(uint64_t x) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%llx", static_cast<unsigned long long>(x));
  return buf;
}
std::string Hex(const Ipv6Addr& a) { return Hex(a.hi) + ":" + Hex(a.lo); }

U128 ToU128(const Ipv6Addr& a) { return U128{a.hi} << 64 | a.lo; }
Ipv6Addr FromU128(U128 x) {
  return Ipv6Addr{static_cast<uint64_t>(x >> 64), static_cast<uint64_t>(x)};
}

// LookupBatch on the first n keys, for batch sizes around the tries' rounds
// (64 and 128 addresses, 16-address vectors) and odd ones, equals Lookup key
// by key and writes nothing past n.  Where there is a portable and a vector
// batch, both are checked.
template <class Trie, class Key>
void ExpectBatchesEqualSingles(const Trie& trie, const std::vector<Key>& q) {
  ASSERT_GE(q.size(), 450u);
  std::vector<std::function<void(const Key*, uint32_t*, size_t)>> batches = {
      [&](const Key* k, uint32_t* o, size_t n) { trie.LookupBatch(k, o, n); }};
  if constexpr (requires { trie.LookupBatchPortable(q.data(), nullptr, 0); }) {
    batches.push_back([&trie](const Key* k, uint32_t* o, size_t n) {
      trie.LookupBatchPortable(k, o, n);
    });
  }
  if constexpr (requires {
                  trie.LookupBatchWith(true, q.data(), nullptr, 0);
                }) {
    for (bool portable : {true, false}) {
      batches.push_back([&trie, portable](const Key* k, uint32_t* o, size_t n) {
        trie.LookupBatchWith(portable, k, o, n);
      });
    }
  }
  for (size_t b = 0; b < batches.size(); ++b) {
    for (size_t n : {0, 1, 7, 16, 17, 31, 32, 33, 47, 48, 49, 63, 64, 65, 127,
                     128, 129, 200, 450}) {
      std::vector<uint32_t> out(n + 1, 777);
      batches[b](q.data(), out.data(), n);
      for (size_t i = 0; i < n; ++i) {
        ASSERT_EQ(out[i], trie.Lookup(q[i]))
            << "batch " << b << " n " << n << " i " << i;
      }
      EXPECT_EQ(out[n], 777u) << "batch " << b << " n " << n;
    }
  }
}

// ---------------------------------------------------------------- IPv4 maps

uint32_t PrefixMask32(int len) {
  return len == 0 ? 0 : ~uint32_t{0} << (32 - len);
}

// A random rule set: CIDR prefixes of every length (with /0 and /32), nested
// clusters, arbitrary ranges and dense runs of single addresses.
IntervalMap<uint32_t> RandomMap4(std::mt19937_64& rng) {
  std::vector<PrioritizedRange<uint32_t>> ranges;
  const int n = static_cast<int>(rng() % 400);
  const uint32_t priorities = 1 + static_cast<uint32_t>(rng() % 1000);
  // A few cluster centres, so that prefixes nest and boundaries crowd.
  std::vector<uint32_t> centres;
  for (int i = 0; i < 4; ++i) centres.push_back(static_cast<uint32_t>(rng()));
  auto prio = [&] { return static_cast<uint32_t>(rng() % priorities); };
  for (int i = 0; i < n; ++i) {
    uint32_t base = rng() % 3 == 0 ? static_cast<uint32_t>(rng())
                                   : centres[rng() % centres.size()] ^
                                         static_cast<uint32_t>(rng() % 4096);
    switch (rng() % 6) {
      case 0:
      case 1: {  // prefix, any length
        int len = static_cast<int>(rng() % 33);
        uint32_t lo = base & PrefixMask32(len);
        ranges.push_back({lo, lo | ~PrefixMask32(len), prio()});
        break;
      }
      case 2: {  // long prefix
        int len = 20 + static_cast<int>(rng() % 13);
        uint32_t lo = base & PrefixMask32(len);
        ranges.push_back({lo, lo | ~PrefixMask32(len), prio()});
        break;
      }
      case 3: {  // arbitrary range
        uint32_t span = static_cast<uint32_t>(rng()) >> (rng() % 32);
        uint32_t hi = base > UINT32_MAX - span ? UINT32_MAX : base + span;
        ranges.push_back({base, hi, prio()});
        break;
      }
      case 4: {  // dense run of single addresses
        int k = static_cast<int>(rng() % 40);
        for (int j = 0; j < k && base + j >= base; ++j) {
          ranges.push_back({base + j, base + j, prio()});
        }
        break;
      }
      case 5:  // single address
        ranges.push_back({base, base, prio()});
        break;
    }
  }
  switch (rng() % 8) {
    case 0:
      ranges.push_back({0, UINT32_MAX, prio()});
      break;
    case 1:
      ranges.push_back({0, 0, prio()});
      ranges.push_back({UINT32_MAX, UINT32_MAX, prio()});
      break;
    case 2:  // the largest value a trie holds
      ranges.push_back({0x7F000000, 0x7F0000FF, poptrie::kMaxValue});
      break;
    default:
      break;
  }
  IntervalMap<uint32_t> m = BuildPriorityMap(std::move(ranges));
  if (rng() % 3 == 0) {  // group entries into rules, as the compiler does
    return Relabel(m, [](uint32_t v) { return v / 16; });
  }
  return m;
}

// Every segment's first and last address, their neighbours, and randoms.
std::vector<uint32_t> Queries4(const IntervalMap<uint32_t>& m,
                               std::mt19937_64& rng, int randoms) {
  std::vector<uint32_t> q;
  for (size_t i = 0; i < m.size(); ++i) {
    uint32_t first = m.starts[i], last = m.last_of(i);
    q.insert(q.end(), {first, last, first - 1, first + 1, last - 1, last + 1});
  }
  for (int i = 0; i < randoms; ++i) q.push_back(static_cast<uint32_t>(rng()));
  // And randoms near boundaries, where the deep nodes are.
  for (int i = 0; i < randoms; ++i) {
    q.push_back(m.starts[rng() % m.size()] + static_cast<uint32_t>(rng() % 64) -
                32);
  }
  return q;
}

void CheckTrie4(const IntervalMap<uint32_t>& m, const Ipv4Trie& trie,
                const std::vector<uint32_t>& q, const std::string& what,
                size_t* total) {
  for (uint32_t a : q) {
    ASSERT_EQ(trie.Lookup(a), m.Lookup(a)) << what << " address " << Hex(a);
  }
  std::vector<uint32_t> out(q.size() + 1, 12345);
  trie.LookupBatch(q.data(), out.data(), q.size());
  for (size_t i = 0; i < q.size(); ++i) {
    ASSERT_EQ(out[i], m.Lookup(q[i])) << what << " batch index " << i;
  }
  ASSERT_EQ(out[q.size()], 12345u) << what << " batch wrote past n";
  *total += 2 * q.size();
}

TEST(Ipv4TrieTest, EmptyMapIsOneTopLevelAnswer) {
  IntervalMap<uint32_t> m = BuildPriorityMap<uint32_t>({});
  absl::StatusOr<Ipv4TrieData> d = BuildIpv4Trie(m);
  ASSERT_TRUE(d.ok()) << d.status();
  Ipv4Trie trie(*d);
  ASSERT_TRUE(trie.Validate().ok());
  EXPECT_EQ(d->top_bits, 16u);
  EXPECT_TRUE(d->nodes.empty());
  for (uint32_t a : {0u, 1u, 0x80000000u, UINT32_MAX}) {
    EXPECT_EQ(trie.Lookup(a), kNoValue);
  }
  EXPECT_EQ(trie.bytes(), d->bytes());
  EXPECT_EQ(trie.bytes(), 65536 * 4 + 4u);
}

TEST(Ipv4TrieTest, FullSpaceAndSingleAddresses) {
  IntervalMap<uint32_t> m = BuildPriorityMap<uint32_t>({
      {0, UINT32_MAX, 9},
      {0, 0, 1},
      {UINT32_MAX, UINT32_MAX, 2},
      {0x0A000001, 0x0A000001, 3},
      {0x0A000000, 0x0A0000FF, 4},
      {0x0A000003, 0x0A000006, 0},
  });
  absl::StatusOr<Ipv4TrieData> d = BuildIpv4Trie(m);
  ASSERT_TRUE(d.ok()) << d.status();
  Ipv4Trie trie(*d);
  ASSERT_TRUE(trie.Validate().ok());
  EXPECT_EQ(trie.Lookup(0), 1u);
  EXPECT_EQ(trie.Lookup(1), 9u);
  EXPECT_EQ(trie.Lookup(UINT32_MAX), 2u);
  EXPECT_EQ(trie.Lookup(UINT32_MAX - 1), 9u);
  EXPECT_EQ(trie.Lookup(0x09FFFFFF), 9u);
  EXPECT_EQ(trie.Lookup(0x0A000000), 4u);
  EXPECT_EQ(trie.Lookup(0x0A000001), 3u);
  EXPECT_EQ(trie.Lookup(0x0A000002), 4u);
  for (uint32_t a = 0x0A000003; a <= 0x0A000006; ++a) {
    EXPECT_EQ(trie.Lookup(a), 0u);
  }
  EXPECT_EQ(trie.Lookup(0x0A000007), 4u);
  EXPECT_EQ(trie.Lookup(0x0A0000FF), 4u);
  EXPECT_EQ(trie.Lookup(0x0A000100), 9u);
}

TEST(Ipv4TrieTest, RejectsUnencodableValuesAndBadMaps) {
  IntervalMap<uint32_t> m =
      BuildPriorityMap<uint32_t>({{5, 10, poptrie::kMaxValue + 1}});
  EXPECT_FALSE(BuildIpv4Trie(m).ok());
  m = BuildPriorityMap<uint32_t>({{5, 10, poptrie::kMaxValue}});
  ASSERT_TRUE(BuildIpv4Trie(m).ok());
  EXPECT_EQ(Ipv4Trie(*BuildIpv4Trie(m)).Lookup(7), poptrie::kMaxValue);

  IntervalMap<uint32_t> bad;
  EXPECT_FALSE(BuildIpv4Trie(bad).ok());  // no segment at all
  bad.starts = {0, 7, 7};
  bad.values = {1, 2, 3};
  EXPECT_FALSE(BuildIpv4Trie(bad).ok());  // not increasing
  bad.starts = {1};
  bad.values = {1};
  EXPECT_FALSE(BuildIpv4Trie(bad).ok());  // does not start at 0
}

TEST(Ipv4TrieTest, RandomMapsMatchTheIntervalMap) {
  size_t total = 0;
  for (uint64_t seed = 1; seed <= 300; ++seed) {
    std::mt19937_64 rng(seed);
    IntervalMap<uint32_t> m = RandomMap4(rng);
    absl::StatusOr<Ipv4TrieData> d = BuildIpv4Trie(m);
    ASSERT_TRUE(d.ok()) << "seed " << seed << ": " << d.status();
    Ipv4Trie trie(*d);
    ASSERT_TRUE(trie.Validate().ok()) << "seed " << seed;
    CheckTrie4(m, trie, Queries4(m, rng, 500), "seed " + std::to_string(seed),
               &total);
    if (HasFatalFailure()) return;
  }
  EXPECT_GT(total, 300000u);
}

TEST(Ipv4TrieTest, EveryAddressOfADenseRegion) {
  // Every address of a /18 with a boundary every few addresses: all three
  // node levels, runs of every length, each checked exhaustively.
  for (uint64_t seed = 1; seed <= 3; ++seed) {
    std::mt19937_64 rng(seed);
    std::vector<PrioritizedRange<uint32_t>> ranges;
    const uint32_t base = 0xC0A80000;
    for (uint32_t a = base; a < base + (1u << 18);) {
      uint32_t len = 1 + static_cast<uint32_t>(rng() % (rng() % 2 ? 4 : 300));
      ranges.push_back({a, a + len - 1, static_cast<uint32_t>(rng() % 5)});
      a += len + static_cast<uint32_t>(rng() % 3);
    }
    IntervalMap<uint32_t> m = BuildPriorityMap(std::move(ranges));
    absl::StatusOr<Ipv4TrieData> d = BuildIpv4Trie(m);
    ASSERT_TRUE(d.ok()) << d.status();
    Ipv4Trie trie(*d);
    ASSERT_TRUE(trie.Validate().ok());
    std::vector<uint32_t> q;
    for (uint32_t a = base - 70; a < base + (1u << 18) + 70; ++a)
      q.push_back(a);
    size_t total = 0;
    CheckTrie4(m, trie, q, "seed " + std::to_string(seed), &total);
    if (HasFatalFailure()) return;
  }
}

TEST(Ipv4TrieTest, BatchOfEverySizeEqualsSingleLookups) {
  std::mt19937_64 rng(77);
  IntervalMap<uint32_t> m = RandomMap4(rng);
  while (m.size() < 50) m = RandomMap4(rng);
  absl::StatusOr<Ipv4TrieData> d = BuildIpv4Trie(m);
  ASSERT_TRUE(d.ok());
  Ipv4Trie trie(*d);
  std::vector<uint32_t> q = Queries4(m, rng, 100);
  ExpectBatchesEqualSingles(trie, q);
}

// Batches longer than one block of LookupBatch (512 addresses), whose
// vector passes run ahead of the terminal gathers across the block: both
// passes, every address, nothing written past n.
TEST(Ipv4TrieTest, BatchesAcrossBlocksEqualSingleLookups) {
  std::mt19937_64 rng(79);
  IntervalMap<uint32_t> m = RandomMap4(rng);
  while (m.size() < 50) m = RandomMap4(rng);
  absl::StatusOr<Ipv4TrieData> d = BuildIpv4Trie(m);
  ASSERT_TRUE(d.ok());
  Ipv4Trie trie(*d);
  std::vector<uint32_t> q = Queries4(m, rng, 1000);
  ASSERT_GE(q.size(), 2000u);
  for (bool portable : {true, false}) {
    for (size_t n : {size_t{511}, size_t{512}, size_t{513}, size_t{1024},
                     size_t{1100}, q.size()}) {
      std::vector<uint32_t> out(n + 1, 777);
      trie.LookupBatchWith(portable, q.data(), out.data(), n);
      for (size_t i = 0; i < n; ++i) {
        ASSERT_EQ(out[i], trie.Lookup(q[i]))
            << "portable " << portable << " n " << n << " i " << i;
      }
      EXPECT_EQ(out[n], 777u) << "portable " << portable << " n " << n;
    }
  }
}

TEST(Ipv4TrieTest, BigMapsTakeTheWideTopLevel) {
  // 60,000 scattered /24s: the 16-bit top level would need a node for most
  // /22s holding one, so the builder takes 18 bits, where a /24 is a leaf.
  std::mt19937_64 rng(18);
  std::vector<PrioritizedRange<uint32_t>> ranges;
  for (uint32_t i = 0; i < 60000; ++i) {
    uint32_t lo = static_cast<uint32_t>(rng()) & 0xFFFFFF00;
    ranges.push_back({lo, lo | 0xFF, i});
  }
  IntervalMap<uint32_t> m = BuildPriorityMap(std::move(ranges));
  absl::StatusOr<Ipv4TrieData> d = BuildIpv4Trie(m);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->top_bits, 18u);
  EXPECT_EQ(d->top.size(), size_t{1} << 18);
  Ipv4Trie trie(*d);
  ASSERT_TRUE(trie.Validate().ok());
  size_t total = 0;
  CheckTrie4(m, trie, Queries4(m, rng, 20000), "wide top", &total);
  // A view of 18-bit arrays that claims 16 bits is rejected.
  EXPECT_FALSE(
      Ipv4Trie(16, d->top, d->nodes, d->leaves, d->terminals).Validate().ok());
  // Every /18 holding a /24 is split by its next 6 bits alone: a terminal,
  // never a node.
  EXPECT_TRUE(d->nodes.empty());
  EXPECT_FALSE(d->terminals.empty());
}

// ---------------------------------------------------------------- IPv6 maps

U128 Mask128(int len) { return len == 0 ? U128{0} : ~U128{0} << (128 - len); }

// Prefixes of every length around a few sites, ranges that straddle the
// boundary between the halves, runs of /128s, ::/0 and the extremes.
IntervalMap<Ipv6Addr> RandomMap6(std::mt19937_64& rng) {
  std::vector<PrioritizedRange<Ipv6Addr>> ranges;
  const int n = static_cast<int>(rng() % 300);
  const uint32_t priorities = 1 + static_cast<uint32_t>(rng() % 1000);
  auto prio = [&] { return static_cast<uint32_t>(rng() % priorities); };
  auto random128 = [&] { return U128{rng()} << 64 | rng(); };
  std::vector<U128> centres;
  for (int i = 0; i < 4; ++i) {
    U128 c = random128();
    if (rng() % 2) c = (c & ~Mask128(3)) | U128{0x2000} << 112;    // 2000::/3
    if (rng() % 3 == 0) c = (c & Mask128(64)) | (~U128{0} >> 64);  // x:..:ffff
    centres.push_back(c);
  }
  auto add = [&](U128 lo, U128 hi) {
    ranges.push_back({FromU128(lo), FromU128(hi), prio()});
  };
  for (int i = 0; i < n; ++i) {
    U128 centre = centres[rng() % centres.size()];
    U128 base =
        rng() % 4 == 0 ? random128() : centre ^ (random128() >> (rng() % 128));
    switch (rng() % 6) {
      case 0:
      case 1: {  // prefix, any length
        int len = static_cast<int>(rng() % 129);
        U128 lo = base & Mask128(len);
        add(lo, lo | ~Mask128(len));
        break;
      }
      case 2: {  // a routing-table-like prefix
        int len = 24 + static_cast<int>(rng() % 41);
        U128 lo = base & Mask128(len);
        add(lo, lo | ~Mask128(len));
        break;
      }
      case 3: {  // arbitrary range, often across the hi/lo boundary
        U128 span = random128() >> (rng() % 128);
        U128 lo = base;
        if (rng() % 2) lo = (centre & Mask128(64)) - (rng() % 1000);
        U128 hi = lo > ~U128{0} - span ? ~U128{0} : lo + span;
        add(lo, hi);
        break;
      }
      case 4: {  // dense run of /128s
        int k = static_cast<int>(rng() % 40);
        for (int j = 0; j < k && base + j >= base; ++j) add(base + j, base + j);
        break;
      }
      case 5:
        add(base, base);
        break;
    }
  }
  if (rng() % 4 == 0) {
    // A busy /16, big enough to be given a block.
    U128 site = centres[0] & Mask128(16);
    for (int i = 0; i < 600; ++i) {
      int len = 20 + static_cast<int>(rng() % 45);
      U128 lo = (site | (random128() >> 16)) & Mask128(len);
      add(lo, lo | ~Mask128(len));
    }
  }
  switch (rng() % 8) {
    case 0:
      add(0, ~U128{0});
      break;
    case 1:
      add(0, 0);
      add(~U128{0}, ~U128{0});
      break;
    case 2:
      ranges.push_back({Ipv6Addr{1, 0}, Ipv6Addr{1, 9}, poptrie::kMaxValue});
      break;
    default:
      break;
  }
  IntervalMap<Ipv6Addr> m = BuildPriorityMap(std::move(ranges));
  if (rng() % 3 == 0) {
    return Relabel(m, [](uint32_t v) { return v / 16; });
  }
  return m;
}

std::vector<Ipv6Addr> Queries6(const IntervalMap<Ipv6Addr>& m,
                               std::mt19937_64& rng, int randoms) {
  std::vector<Ipv6Addr> q;
  for (size_t i = 0; i < m.size(); ++i) {
    U128 first = ToU128(m.starts[i]), last = ToU128(m.last_of(i));
    for (U128 x : {first, last, first - 1, first + 1, last - 1, last + 1}) {
      q.push_back(FromU128(x));
    }
  }
  for (int i = 0; i < randoms; ++i) q.push_back(Ipv6Addr{rng(), rng()});
  for (int i = 0; i < randoms; ++i) {
    U128 s = ToU128(m.starts[rng() % m.size()]);
    // Near a boundary at every scale: +- up to 2^k for a random k.
    U128 d = (U128{rng()} << 64 | rng()) >> (rng() % 128);
    q.push_back(FromU128(rng() % 2 ? s + d : s - d));
  }
  return q;
}

void CheckTree6(const IntervalMap<Ipv6Addr>& m, const Ipv6RangeTree& tree,
                const std::vector<Ipv6Addr>& q, const std::string& what,
                size_t* total) {
  for (const Ipv6Addr& a : q) {
    ASSERT_EQ(tree.Lookup(a), m.Lookup(a)) << what << " address " << Hex(a);
  }
  for (bool portable : {false, true}) {
    std::vector<uint32_t> out(q.size() + 1, 12345);
    if (portable) {
      tree.LookupBatchPortable(q.data(), out.data(), q.size());
    } else {
      tree.LookupBatch(q.data(), out.data(), q.size());
    }
    for (size_t i = 0; i < q.size(); ++i) {
      ASSERT_EQ(out[i], m.Lookup(q[i]))
          << what << " batch index " << i << " portable " << portable;
    }
    ASSERT_EQ(out[q.size()], 12345u) << what << " batch wrote past n";
  }
  *total += 3 * q.size();
}

Ipv6RangeTreeData BuildTree6(const IntervalMap<Ipv6Addr>& m) {
  absl::StatusOr<Ipv6RangeTreeData> d = BuildIpv6RangeTree(m);
  EXPECT_TRUE(d.ok()) << d.status();
  return d.ok() ? *std::move(d) : Ipv6RangeTreeData{};
}

size_t Height(const Ipv6RangeTreeData& d) {
  return ipv6_tree::ShapeFor((d.values.size() - 1) / 8).height;
}

TEST(Ipv6RangeTreeTest, EmptyMapIsOneLeaf) {
  IntervalMap<Ipv6Addr> m = BuildPriorityMap<Ipv6Addr>({});
  const Ipv6RangeTreeData d = BuildTree6(m);
  Ipv6RangeTree tree(d);
  ASSERT_TRUE(tree.Validate().ok()) << tree.Validate();
  EXPECT_EQ(tree.Lookup(Ipv6Addr{0, 0}), kNoValue);
  EXPECT_EQ(tree.Lookup(Ipv6Addr{~0ull, ~0ull}), kNoValue);
  // One leaf of padding, its 9 values, one run offset.
  EXPECT_EQ(tree.bytes(), 64 + 9 * 4 + 4u);
}

TEST(Ipv6RangeTreeTest, DeepBoundariesAndTheHalves) {
  const Ipv6Addr host{0x20010db800000000, 0x0000000000000001};
  const Ipv6Addr top_of_hi{0x20010db8ffffffff, ~0ull};
  IntervalMap<Ipv6Addr> m = BuildPriorityMap<Ipv6Addr>({
      {Ipv6Addr{0, 0}, Ipv6Addr{~0ull, ~0ull}, 9},
      {Ipv6Addr{0x20010db800000000, 0}, top_of_hi, 4},  // 2001:db8::/32
      {host, host, 1},                                  // a /128
      {Ipv6Addr{0x20010db8ffffffff, ~0ull - 1}, Ipv6Addr{0x20010db900000000, 2},
       2},  // straddles a /32 boundary
      {Ipv6Addr{~0ull, ~0ull}, Ipv6Addr{~0ull, ~0ull}, 3},
  });
  const Ipv6RangeTreeData d = BuildTree6(m);
  Ipv6RangeTree tree(d);
  ASSERT_TRUE(tree.Validate().ok());
  // Refine runs for the host's /64, both ends of the straddling range, and
  // the last address.
  EXPECT_EQ(d.refine_runs.size(), 5u);
  EXPECT_EQ(tree.Lookup(Ipv6Addr{0x20010db800000000, 0}), 4u);
  EXPECT_EQ(tree.Lookup(host), 1u);
  EXPECT_EQ(tree.Lookup(Ipv6Addr{0x20010db800000000, 2}), 4u);
  EXPECT_EQ(tree.Lookup(Ipv6Addr{0x20010db800000001, 0}), 4u);
  EXPECT_EQ(tree.Lookup(Ipv6Addr{0x20010db8ffffffff, ~0ull - 2}), 4u);
  EXPECT_EQ(tree.Lookup(Ipv6Addr{0x20010db8ffffffff, ~0ull - 1}), 2u);
  EXPECT_EQ(tree.Lookup(top_of_hi), 2u);
  EXPECT_EQ(tree.Lookup(Ipv6Addr{0x20010db900000000, 2}), 2u);
  EXPECT_EQ(tree.Lookup(Ipv6Addr{0x20010db900000000, 3}), 9u);
  EXPECT_EQ(tree.Lookup(Ipv6Addr{0x20010db900000001, 0}), 9u);
  EXPECT_EQ(tree.Lookup(Ipv6Addr{~0ull, ~0ull}), 3u);
  EXPECT_EQ(tree.Lookup(Ipv6Addr{~0ull, ~0ull - 1}), 9u);
}

TEST(Ipv6RangeTreeTest, RandomMapsMatchTheIntervalMap) {
  size_t total = 0, runs = 0, tall = 0;
  for (uint64_t seed = 1; seed <= 200; ++seed) {
    std::mt19937_64 rng(seed);
    IntervalMap<Ipv6Addr> m = RandomMap6(rng);
    const Ipv6RangeTreeData d = BuildTree6(m);
    Ipv6RangeTree tree(d);
    ASSERT_TRUE(tree.Validate().ok()) << "seed " << seed;
    runs += d.refine_runs.size() - 1;
    tall += Height(d) >= 3;
    CheckTree6(m, tree, Queries6(m, rng, 500), "seed " + std::to_string(seed),
               &total);
    if (HasFatalFailure()) return;
  }
  EXPECT_GT(total, 300000u);
  // The random maps do exercise refine runs and internal levels.
  EXPECT_GT(runs, 1000u);
  EXPECT_GT(tall, 10u);
}

TEST(Ipv6RangeTreeTest, EveryShapeUpToThreeLevels) {
  // n /64s spread over the space: 2n + 1 ranges, so leaves and internal
  // nodes of every fill, and the full-node boundaries 8, 72 and 648 keys.
  std::mt19937_64 rng(64);
  size_t total = 0;
  for (uint64_t n = 0; n < 700; n += n < 100 ? 1 : 37) {
    std::vector<PrioritizedRange<Ipv6Addr>> ranges;
    for (uint64_t i = 0; i < n; ++i) {
      const uint64_t hi = (~uint64_t{0} / (n + 1)) * (i + 1);
      ranges.push_back(
          {Ipv6Addr{hi, 0}, Ipv6Addr{hi, ~0ull}, static_cast<uint32_t>(i)});
    }
    IntervalMap<Ipv6Addr> m = BuildPriorityMap(std::move(ranges));
    const Ipv6RangeTreeData d = BuildTree6(m);
    Ipv6RangeTree tree(d);
    ASSERT_TRUE(tree.Validate().ok()) << "n " << n;
    EXPECT_EQ(d.refine_runs.size(), 1u);
    CheckTree6(m, tree, Queries6(m, rng, 50), "n " + std::to_string(n), &total);
    if (HasFatalFailure()) return;
  }
}

TEST(Ipv6RangeTreeTest, BatchOfEverySizeEqualsSingleLookups) {
  std::mt19937_64 rng(78);
  IntervalMap<Ipv6Addr> m = RandomMap6(rng);
  while (m.size() < 50) m = RandomMap6(rng);
  const Ipv6RangeTreeData d = BuildTree6(m);
  Ipv6RangeTree tree(d);
  std::vector<Ipv6Addr> q = Queries6(m, rng, 100);
  ExpectBatchesEqualSingles(tree, q);
}

// The edges of the address space in every lane of the batch's groups
// (thirty-two with AVX-512, sixteen portable, a tail of sixteen, single
// lookups), on trees of one leaf (no range, a single range over everything,
// a few edge ranges) and of several levels (edge ranges among many /48s).
TEST(Ipv6RangeTreeTest, EdgeAddressesInEveryLane) {
  const Ipv6Addr kMin{0, 0}, kMax{~0ull, ~0ull};
  const Ipv6Addr mapped_lo{0, 0x0000ffff00000000};  // ::ffff:0.0.0.0
  const Ipv6Addr mapped_hi{0, 0x0000ffffffffffff};  // ::ffff:255.255.255.255
  std::vector<std::vector<PrioritizedRange<Ipv6Addr>>> maps = {
      {},
      {{kMin, kMax, 7}},
      {{kMin, kMin, 1},
       {mapped_lo, mapped_hi, 2},
       {Ipv6Addr{0x2000000000000000, 0}, Ipv6Addr{0x3fffffffffffffff, ~0ull},
        50},
       {Ipv6Addr{0xffff000000000000, 0}, kMax, 5},
       {kMax, kMax, 4}},
  };
  maps.push_back(maps.back());
  // /48s under 2000::/3, which they win (lower priority): four levels.
  for (uint32_t i = 0; i < 2000; ++i) {
    const uint64_t hi = 0x2001000000000000 | uint64_t{i} << 20;
    maps.back().push_back(
        {Ipv6Addr{hi, 0}, Ipv6Addr{hi | 0xFFFF, ~0ull}, 10 + i % 7});
  }
  std::vector<Ipv6Addr> edges = {kMin,
                                 Ipv6Addr{0, 1},
                                 Ipv6Addr{0, 0x0000fffeffffffff},
                                 mapped_lo,
                                 Ipv6Addr{0, 0x0000ffffc0000201},
                                 mapped_hi,
                                 Ipv6Addr{0, 0x0001000000000000},
                                 Ipv6Addr{0x1fffffffffffffff, ~0ull},
                                 Ipv6Addr{0x2000000000000000, 0},
                                 Ipv6Addr{0x2001000000000000, 0},
                                 Ipv6Addr{0x2001000000300000, 5},
                                 Ipv6Addr{0x3fffffffffffffff, ~0ull},
                                 Ipv6Addr{0x4000000000000000, 0},
                                 Ipv6Addr{0xfffeffffffffffff, ~0ull},
                                 Ipv6Addr{0xffff000000000000, 0},
                                 Ipv6Addr{~0ull, ~0ull - 1},
                                 kMax};
  const Ipv6Addr filler{0x2001000000100000, 9};
  for (size_t k = 0; k < maps.size(); ++k) {
    IntervalMap<Ipv6Addr> m = BuildPriorityMap(maps[k]);
    const Ipv6RangeTreeData d = BuildTree6(m);
    Ipv6RangeTree tree(d);
    ASSERT_TRUE(tree.Validate().ok()) << tree.Validate();
    EXPECT_EQ(Height(d), k < 3 ? 1u : 4u)
        << "map " << k << " size " << m.size();
    for (const Ipv6Addr& e : edges) {
      ASSERT_EQ(tree.Lookup(e), m.Lookup(e)) << "map " << k << " " << Hex(e);
      for (size_t n : {1, 15, 16, 17, 31, 32, 33, 48, 49, 64, 65}) {
        for (size_t lane = 0; lane < n; ++lane) {
          std::vector<Ipv6Addr> q(n, filler);
          q[lane] = e;
          for (bool portable : {false, true}) {
            std::vector<uint32_t> out(n + 1, 777);
            if (portable) {
              tree.LookupBatchPortable(q.data(), out.data(), n);
            } else {
              tree.LookupBatch(q.data(), out.data(), n);
            }
            for (size_t i = 0; i < n; ++i) {
              ASSERT_EQ(out[i], m.Lookup(q[i]))
                  << "map " << k << " " << Hex(e) << " batch of " << n
                  << " lane " << lane << " portable " << portable;
            }
            ASSERT_EQ(out[n], 777u);
          }
        }
      }
    }
  }
}

TEST(Ipv6RangeTreeTest, HostsInOneSlash64AreOneRefineRun) {
  // 3,000 /128s in one /64 and a /64 beside it: one range of the tree each
  // for the /64s, one run holding the hosts.
  std::mt19937_64 rng(3);
  const uint64_t net = 0x20010db800000001;
  std::vector<PrioritizedRange<Ipv6Addr>> ranges = {
      {Ipv6Addr{net + 1, 0}, Ipv6Addr{net + 1, ~0ull}, 7}};
  for (uint32_t i = 0; i < 3000; ++i) {
    const Ipv6Addr a{net, rng()};
    ranges.push_back({a, a, i % 5});
  }
  IntervalMap<Ipv6Addr> m = BuildPriorityMap(std::move(ranges));
  const Ipv6RangeTreeData d = BuildTree6(m);
  Ipv6RangeTree tree(d);
  ASSERT_TRUE(tree.Validate().ok());
  EXPECT_EQ(d.refine_runs.size(), 2u);
  EXPECT_EQ(Height(d), 1u);
  std::vector<Ipv6Addr> q = Queries6(m, rng, 5000);
  for (int i = 0; i < 5000; ++i) q.push_back(Ipv6Addr{net, rng()});
  size_t total = 0;
  CheckTree6(m, tree, q, "hosts in a /64", &total);
}

TEST(Ipv6RangeTreeTest, ManyPrefixesMakeATallTree) {
  // 100,000 random /48s and /128s: five levels, and about 13 bytes a range.
  std::mt19937_64 rng(2);
  std::vector<PrioritizedRange<Ipv6Addr>> ranges;
  for (uint32_t i = 0; i < 100000; ++i) {
    const uint64_t hi = 0x2000000000000000 | (rng() >> 3 & ~0xFFFFull);
    if (i % 10 == 0) {
      const Ipv6Addr a{hi, rng()};
      ranges.push_back({a, a, i});
    } else {
      ranges.push_back({Ipv6Addr{hi, 0}, Ipv6Addr{hi | 0xFFFF, ~0ull}, i});
    }
  }
  IntervalMap<Ipv6Addr> m = BuildPriorityMap(std::move(ranges));
  const Ipv6RangeTreeData d = BuildTree6(m);
  Ipv6RangeTree tree(d);
  ASSERT_TRUE(tree.Validate().ok());
  EXPECT_GE(Height(d), 5u);
  EXPECT_LT(d.tree.size() * 8 + d.values.size() * 4, 200000u * 16);
  size_t total = 0;
  CheckTree6(m, tree, Queries6(m, rng, 5000), "many prefixes", &total);
}

TEST(Ipv6RangeTreeTest, RejectsUnencodableValuesAndBadMaps) {
  IntervalMap<Ipv6Addr> m = BuildPriorityMap<Ipv6Addr>(
      {{Ipv6Addr{1, 0}, Ipv6Addr{1, 5}, kNoValue - 1}});
  EXPECT_FALSE(BuildIpv6RangeTree(m).ok());
  IntervalMap<Ipv6Addr> bad;
  bad.starts = {Ipv6Addr{0, 1}};
  bad.values = {1};
  EXPECT_FALSE(BuildIpv6RangeTree(bad).ok());
  bad.starts = {Ipv6Addr{0, 0}, Ipv6Addr{5, 0}, Ipv6Addr{5, 0}};
  bad.values = {1, 2, 3};
  EXPECT_FALSE(BuildIpv6RangeTree(bad).ok());
  bad.starts = {Ipv6Addr{0, 0}};
  bad.values = {};
  EXPECT_FALSE(BuildIpv6RangeTree(bad).ok());
}

// ---------------------------------------------------------------- Validate

// A trie with nodes at every IPv4 level, as mutable arrays.
Ipv4TrieData DeepTrie4() {
  std::mt19937_64 rng(5);
  std::vector<PrioritizedRange<uint32_t>> ranges;
  for (int i = 0; i < 2000; ++i) {
    uint32_t a = 0x0A000000 | static_cast<uint32_t>(rng() % (1u << 20));
    ranges.push_back({a, a + static_cast<uint32_t>(rng() % 8),
                      static_cast<uint32_t>(rng() % 50)});
  }
  // /22s in 11.0.0.0/16: a top entry split by its next 6 bits, a terminal.
  for (uint32_t i = 0; i < 20; ++i) {
    const uint32_t lo = 0x0B000000 | i * 3 << 10;
    ranges.push_back({lo, lo | 0x3FF, i});
  }
  return *BuildIpv4Trie(BuildPriorityMap(std::move(ranges)));
}

size_t FirstInnerNode(const std::vector<PoptrieNode>& nodes) {
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (!poptrie::IsSkip(nodes[i]) && nodes[i].inner != 0) return i;
  }
  return nodes.size();
}
size_t LastLeafNode(const std::vector<PoptrieNode>& nodes) {
  for (size_t i = nodes.size(); i-- > 0;) {
    if (!poptrie::IsSkip(nodes[i]) && nodes[i].inner == 0) return i;
  }
  return nodes.size();
}

// Corruptions that apply to either family's arrays.
struct Arrays {
  std::vector<uint32_t>& top;
  std::vector<PoptrieNode>& nodes;
  std::vector<uint32_t>& leaves;
  std::vector<uint32_t>& terminals;
};
uint32_t& FirstTerminalEntry(std::vector<uint32_t>& top) {
  for (uint32_t& e : top) {
    if (poptrie::IsTerminalEntry(e)) return e;
  }
  ADD_FAILURE() << "no terminal";
  return top[0];
}
using Corruption = std::pair<const char*, void (*)(Arrays)>;
const Corruption kCommonCorruptions[] = {
    {"short top", [](Arrays d) { d.top.pop_back(); }},
    {"long top", [](Arrays d) { d.top.push_back(0); }},
    {"no leaves", [](Arrays d) { d.leaves.clear(); }},
    {"no nodes", [](Arrays d) { d.nodes.clear(); }},
    {"top names node past the end",
     [](Arrays d) {
       for (uint32_t& e : d.top) {
         if (poptrie::IsNodeEntry(e)) {
           e = poptrie::NodeEntry(static_cast<uint32_t>(d.nodes.size()));
           return;
         }
       }
     }},
    {"top names the largest node index",
     [](Arrays d) { d.top[77] = poptrie::NodeEntry(0x3FFFFFFF); }},
    {"children past the end",
     [](Arrays d) {
       PoptrieNode& n = d.nodes[FirstInnerNode(d.nodes)];
       n.inner_base = static_cast<uint32_t>(d.nodes.size()) - 1;
       n.inner |= 3;  // at least two children
     }},
    {"huge inner base (overflow)",
     [](Arrays d) {
       d.nodes[FirstInnerNode(d.nodes)].inner_base = UINT32_MAX;
     }},
    {"leaf runs past the end",
     [](Arrays d) {
       d.nodes[LastLeafNode(d.nodes)].leaf_base =
           static_cast<uint32_t>(d.leaves.size());
     }},
    {"huge leaf base (overflow)",
     [](Arrays d) { d.nodes[LastLeafNode(d.nodes)].leaf_base = UINT32_MAX; }},
    {"terminal named past its start",
     [](Arrays d) { FirstTerminalEntry(d.top) += 1; }},
    {"terminal named past the end",
     [](Arrays d) {
       FirstTerminalEntry(d.top) =
           poptrie::TerminalEntry(static_cast<uint32_t>(d.terminals.size()));
     }},
    {"truncated terminals", [](Arrays d) { d.terminals.pop_back(); }},
    {"terminals with a trailing word",
     [](Arrays d) { d.terminals.push_back(1); }},
    {"terminal without its first run",
     [](Arrays d) { d.terminals[0] &= ~uint32_t{1}; }},
    {"terminal with more runs than words",
     [](Arrays d) { d.terminals[1] = ~uint32_t{0}; }},
    {"more leaf runs than leaves",
     [](Arrays d) {
       PoptrieNode& n = d.nodes[LastLeafNode(d.nodes)];
       n.leaf_base = static_cast<uint32_t>(d.leaves.size()) - 2;
       n.leafvec = ~uint64_t{0};
     }},
};

TEST(TrieValidateTest, RejectsCorruptIpv4Arrays) {
  const Ipv4TrieData good = DeepTrie4();
  ASSERT_TRUE(Ipv4Trie(good).Validate().ok());
  ASSERT_LT(FirstInnerNode(good.nodes), good.nodes.size());
  ASSERT_FALSE(good.terminals.empty());
  for (const auto& [name, corrupt] : kCommonCorruptions) {
    Ipv4TrieData bad = good;
    corrupt(Arrays{bad.top, bad.nodes, bad.leaves, bad.terminals});
    EXPECT_FALSE(Ipv4Trie(bad).Validate().ok()) << name;
  }
  {
    Ipv4TrieData bad = good;
    bad.top[5] = poptrie::BlockEntry(0);
    EXPECT_FALSE(Ipv4Trie(bad).Validate().ok()) << "block entry in IPv4";
  }
  // IPv4 only: the top width, and skip nodes (which IPv4 lookups do not
  // understand).
  for (uint32_t bits : {0u, 15u, 17u, 20u, 40u}) {
    Ipv4TrieData bad = good;
    bad.top_bits = bits;
    if (bits < 32) bad.top.resize(size_t{1} << bits);
    EXPECT_FALSE(Ipv4Trie(bad).Validate().ok()) << "top bits " << bits;
  }
  Ipv4TrieData bad = good;
  bad.nodes[LastLeafNode(bad.nodes)].leafvec &= ~uint64_t{1};
  EXPECT_FALSE(Ipv4Trie(bad).Validate().ok()) << "skip node in IPv4";
}

// An IPv6 range tree of three levels with refine runs, as mutable arrays.
Ipv6RangeTreeData TallTree6() {
  std::mt19937_64 rng(6);
  std::vector<PrioritizedRange<Ipv6Addr>> ranges;
  for (int i = 0; i < 1000; ++i) {
    Ipv6Addr a{0x20010db800000000 | (rng() % 4096) << 20,
               rng() % 3 == 0 ? rng() : 0};
    Ipv6Addr b = a;
    b.lo += rng() % 1000;
    ranges.push_back({a, b, static_cast<uint32_t>(rng() % 50)});
  }
  return *BuildIpv6RangeTree(BuildPriorityMap(std::move(ranges)));
}

// The index in tree[] of a slot that names no child (its key must be the
// padding), in the level above the leaves.
size_t MissingChildSlot(const Ipv6RangeTreeData& d) {
  const ipv6_tree::Shape s = ipv6_tree::ShapeFor((d.values.size() - 1) / 8);
  const unsigned l = s.height - 2;
  const uint64_t last = s.nodes[l] - 1;
  return (s.start[l] + last) * 8 + 7;
}

size_t FirstRefineMark(const Ipv6RangeTreeData& d) {
  for (size_t i = 0; i < d.values.size(); ++i) {
    if (ipv6_tree::IsRefine(d.values[i])) return i;
  }
  ADD_FAILURE() << "no refine mark";
  return 0;
}

TEST(TrieValidateTest, RejectsCorruptIpv6RangeTrees) {
  const Ipv6RangeTreeData good = TallTree6();
  ASSERT_TRUE(Ipv6RangeTree(good).Validate().ok());
  ASSERT_GE(Height(good), 3u);
  ASSERT_GT(good.refine_runs.size(), 2u);
  ASSERT_EQ(good.tree[MissingChildSlot(good)], ipv6_tree::kPad);
  using TreeCorruption = std::pair<const char*, void (*)(Ipv6RangeTreeData&)>;
  const TreeCorruption corruptions[] = {
      {"no values", [](Ipv6RangeTreeData& d) { d.values.clear(); }},
      {"values not 8 per leaf plus one",
       [](Ipv6RangeTreeData& d) { d.values.pop_back(); }},
      {"values for one leaf more",
       [](Ipv6RangeTreeData& d) { d.values.resize(d.values.size() + 8); }},
      {"short tree", [](Ipv6RangeTreeData& d) { d.tree.pop_back(); }},
      {"long tree",
       [](Ipv6RangeTreeData& d) { d.tree.resize(d.tree.size() + 8, ~0ull); }},
      {"no tree", [](Ipv6RangeTreeData& d) { d.tree.clear(); }},
      {"slot names a missing child",
       [](Ipv6RangeTreeData& d) { d.tree[MissingChildSlot(d)] = 1; }},
      {"values for fewer leaves",
       [](Ipv6RangeTreeData& d) { d.values.resize(9 * 8 + 1); }},
      {"refine mark past the runs",
       [](Ipv6RangeTreeData& d) {
         d.values[FirstRefineMark(d)] =
             ipv6_tree::kRefineFlag +
             static_cast<uint32_t>(d.refine_runs.size() - 1);
       }},
      {"largest refine mark",
       [](Ipv6RangeTreeData& d) {
         d.values[FirstRefineMark(d)] = kNoValue - 1;
       }},
      {"no run offsets", [](Ipv6RangeTreeData& d) { d.refine_runs.clear(); }},
      {"runs not from 0", [](Ipv6RangeTreeData& d) { d.refine_runs[0] = 1; }},
      {"runs short of the arrays",
       [](Ipv6RangeTreeData& d) { d.refine_runs.back() -= 1; }},
      {"runs past the arrays",
       [](Ipv6RangeTreeData& d) { d.refine_runs.back() += 1; }},
      {"empty run",
       [](Ipv6RangeTreeData& d) { d.refine_runs[2] = d.refine_runs[1]; }},
      {"reversed runs",
       [](Ipv6RangeTreeData& d) { d.refine_runs[1] = d.refine_runs[2] + 1; }},
      {"refine lows and values differ",
       [](Ipv6RangeTreeData& d) { d.refine_lo.push_back(7); }},
      {"refine mark inside a run",
       [](Ipv6RangeTreeData& d) {
         d.refine_values[0] = ipv6_tree::kRefineFlag;
       }},
  };
  for (const auto& [name, corrupt] : corruptions) {
    Ipv6RangeTreeData bad = good;
    corrupt(bad);
    EXPECT_FALSE(Ipv6RangeTree(bad).Validate().ok()) << name;
  }
  // Keys and values are not checked against the map (the table's
  // validation checks values against the rules): wrong answers, in bounds.
  Ipv6RangeTreeData odd = good;
  odd.tree[odd.tree.size() - 12] = 0;  // a leaf key
  odd.values[1] = 123456;
  odd.refine_lo[0] = 99;
  EXPECT_TRUE(Ipv6RangeTree(odd).Validate().ok());
}

// Random corruption of the range tree: whatever Validate() accepts is safe to
// query (ASan), and the three searches agree.
TEST(TrieValidateTest, AcceptedIpv6RangeTreeCorruptionsStayInBounds) {
  const Ipv6RangeTreeData good = TallTree6();
  std::mt19937_64 rng(7);
  std::vector<Ipv6Addr> q;
  for (int i = 0; i < 4000; ++i) {
    q.push_back(Ipv6Addr{(0x20010db800000000 | (rng() % 4096) << 20) ^
                             (rng() % 8 == 0 ? rng() : 0),
                         rng() % 2 ? rng() % 1000 : rng()});
  }
  int accepted = 0, rejected = 0;
  for (int round = 0; round < 300; ++round) {
    Ipv6RangeTreeData bad = good;
    for (int k = 0; k < 4; ++k) {
      switch (rng() % 4) {
        case 0:
          bad.tree[rng() % bad.tree.size()] ^= uint64_t{1} << (rng() % 64);
          break;
        case 1:
          bad.values[rng() % bad.values.size()] ^= 1u << (rng() % 32);
          break;
        case 2:
          bad.refine_runs[rng() % bad.refine_runs.size()] ^= 1u << (rng() % 4);
          break;
        default:
          bad.refine_lo[rng() % bad.refine_lo.size()] = rng();
          break;
      }
    }
    Ipv6RangeTree tree(bad);
    if (!tree.Validate().ok()) {
      ++rejected;
      continue;
    }
    ++accepted;
    std::vector<uint32_t> out(q.size()), portable(q.size());
    tree.LookupBatch(q.data(), out.data(), q.size());
    tree.LookupBatchPortable(q.data(), portable.data(), q.size());
    for (size_t i = 0; i < q.size(); ++i) {
      ASSERT_EQ(out[i], tree.Lookup(q[i])) << "round " << round;
      ASSERT_EQ(portable[i], out[i]) << "round " << round;
    }
  }
  EXPECT_GT(accepted, 10);
  EXPECT_GT(rejected, 10);
}

// Random bit flips: whatever Validate() accepts must be safe to query (under
// ASan any out-of-bounds read fails the test), and the batched path must
// agree with the single one.
template <class Data, class Trie, class Key>
void FlipBitsAndQuery(const Data& good, const std::vector<Key>& q,
                      uint64_t seed) {
  std::mt19937_64 rng(seed);
  int accepted = 0, rejected = 0;
  for (int round = 0; round < 300; ++round) {
    Data bad = good;
    for (int k = 0; k < 4; ++k) {
      auto* bytes = reinterpret_cast<unsigned char*>(bad.nodes.data());
      size_t i = rng() % (bad.nodes.size() * sizeof(PoptrieNode));
      bytes[i] ^= static_cast<unsigned char>(1u << (rng() % 8));
      if (rng() % 4 == 0) {
        bad.top[rng() % bad.top.size()] = static_cast<uint32_t>(rng());
      }
    }
    Trie trie(bad);
    if (!trie.Validate().ok()) {
      ++rejected;
      continue;
    }
    ++accepted;
    std::vector<uint32_t> out(q.size());
    trie.LookupBatch(q.data(), out.data(), q.size());
    for (size_t i = 0; i < q.size(); ++i) {
      ASSERT_EQ(out[i], trie.Lookup(q[i])) << "round " << round;
    }
  }
  // Both outcomes must actually occur for the test to mean anything.
  EXPECT_GT(accepted, 10);
  EXPECT_GT(rejected, 10);
}

TEST(TrieValidateTest, AcceptedCorruptionsStayInBounds) {
  std::mt19937_64 rng(99);
  std::vector<uint32_t> q4;
  for (int i = 0; i < 4000; ++i) {
    q4.push_back(0x0A000000 | static_cast<uint32_t>(rng() % (1u << 20)));
  }
  FlipBitsAndQuery<Ipv4TrieData, Ipv4Trie>(DeepTrie4(), q4, 1);
}

// ---------------------------------------------------------------- real data

// The 2015 global routing table shipped with pyasn, as unpacked by
// bench/data/fetch_data.py into its cache.
std::string BgpFile() {
  return testing::RealDataPath(
      "x/usr/lib/python3/dist-packages/data/ipasn6_20151101.dat.gz");
}

struct Bgp {
  std::vector<PrioritizedRange<uint32_t>> v4;
  std::vector<PrioritizedRange<Ipv6Addr>> v6;
};

bool ReadBgp(const std::string& path, Bgp* out) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return false;
  std::fclose(f);
  std::FILE* p = popen(("gzip -dc '" + path + "'").c_str(), "r");
  if (p == nullptr) return false;
  char line[256];
  uint32_t index = 0;
  while (std::fgets(line, sizeof line, p) != nullptr) {
    if (line[0] == ';') continue;
    char* slash = std::strchr(line, '/');
    if (slash == nullptr) continue;
    *slash = '\0';
    int len = std::atoi(slash + 1);
    unsigned char buf[16];
    if (inet_pton(AF_INET, line, buf) == 1 && len >= 0 && len <= 32) {
      uint32_t a = uint32_t{buf[0]} << 24 | uint32_t{buf[1]} << 16 |
                   uint32_t{buf[2]} << 8 | buf[3];
      uint32_t lo = a & PrefixMask32(len);
      out->v4.push_back({lo, lo | ~PrefixMask32(len), index++});
    } else if (inet_pton(AF_INET6, line, buf) == 1 && len >= 0 && len <= 128) {
      U128 a = 0;
      for (unsigned char b : buf) a = a << 8 | b;
      U128 lo = a & Mask128(len);
      out->v6.push_back({FromU128(lo), FromU128(lo | ~Mask128(len)), index++});
    }
  }
  return pclose(p) == 0 && !out->v4.empty();
}

TEST(IpTrieRealDataTest, GlobalRoutingTable) {
  Bgp bgp;
  const std::string path = BgpFile();
  if (!ReadBgp(path, &bgp)) {
    if (testing::RealDataRequired()) {
      FAIL() << path << " cannot be read, and HATMATCH_REQUIRE_DATA is set "
             << "(run bench/data/fetch_data.py)";
    }
    GTEST_SKIP() << path << " not available (bench/data/fetch_data.py)";
  }
  std::mt19937_64 rng(2015);

  IntervalMap<uint32_t> m4 = BuildPriorityMap(bgp.v4);
  absl::StatusOr<Ipv4TrieData> d4 = BuildIpv4Trie(m4);
  ASSERT_TRUE(d4.ok()) << d4.status();
  Ipv4Trie t4(*d4);
  ASSERT_TRUE(t4.Validate().ok());
  std::vector<uint32_t> q4;
  for (int i = 0; i < 1000000; ++i) q4.push_back(static_cast<uint32_t>(rng()));
  std::vector<uint32_t> out(q4.size());
  t4.LookupBatch(q4.data(), out.data(), q4.size());
  for (size_t i = 0; i < q4.size(); ++i) {
    ASSERT_EQ(t4.Lookup(q4[i]), m4.Lookup(q4[i])) << Hex(q4[i]);
    ASSERT_EQ(out[i], m4.Lookup(q4[i])) << Hex(q4[i]);
  }

  IntervalMap<Ipv6Addr> m6 = BuildPriorityMap(bgp.v6);
  absl::StatusOr<Ipv6RangeTreeData> d6 = BuildIpv6RangeTree(m6);
  ASSERT_TRUE(d6.ok()) << d6.status();
  Ipv6RangeTree t6(*d6);
  ASSERT_TRUE(t6.Validate().ok());
  std::vector<Ipv6Addr> q6;
  for (int i = 0; i < 200000; ++i) {
    // Inside a random prefix, near boundaries of every length.
    const auto& r = bgp.v6[rng() % bgp.v6.size()];
    U128 span = ToU128(r.hi) - ToU128(r.lo);
    U128 off = (U128{rng()} << 64 | rng()) & span;
    q6.push_back(FromU128(ToU128(r.lo) + off));
  }
  out.resize(q6.size());
  std::vector<uint32_t> portable(q6.size());
  t6.LookupBatch(q6.data(), out.data(), q6.size());
  t6.LookupBatchPortable(q6.data(), portable.data(), q6.size());
  for (size_t i = 0; i < q6.size(); ++i) {
    ASSERT_EQ(t6.Lookup(q6[i]), m6.Lookup(q6[i])) << Hex(q6[i]);
    ASSERT_EQ(out[i], m6.Lookup(q6[i])) << Hex(q6[i]);
    ASSERT_EQ(portable[i], m6.Lookup(q6[i])) << Hex(q6[i]);
  }
}

}  // namespace
}  // namespace hatmatch
