// Copyright 2026 The hatmatch Authors.
//
// The direct IPv4 layout (engine/table/ipv4_direct.h): lookups against the
// interval map they are built from, on random maps, on dense split /24s and
// at every code width; the builder's choice between it and the poptrie;
// Validate() on every broken shape; and table files that carry it, forged.
// Randomized parts print their seed.

#include "engine/table/ipv4_direct.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/compile/builders.h"
#include "engine/format/table_file.h"
#include "engine/table/ipv4_trie.h"
#include "engine/table/priority_map.h"
#include "engine/table/table_impl.h"
#include "gtest/gtest.h"
#include "hatmatch/connection.h"
#include "hatmatch/parse.h"
#include "hatmatch/table.h"
#include "tests/testing/direct_layout_rules.h"
#include "tests/testing/seed.h"

namespace hatmatch {
namespace {

// Prefixes of every length from /8 to /32 (mostly /24 and longer, as on a
// routing table), clustered in a few /8s so that blocks fill up, with
// values below `max_value` and gaps with none.
IntervalMap<uint32_t> RandomMap(std::mt19937_64& rng, uint32_t max_value,
                                size_t prefixes) {
  std::vector<PrioritizedRange<uint32_t>> ranges;
  const uint32_t regions[] = {0x0A000000, 0xC0000000, 0x55000000, 0xFF000000};
  for (size_t i = 0; i < prefixes; ++i) {
    const uint32_t len = rng() % 4 == 0 ? 8 + static_cast<uint32_t>(rng() % 16)
                                        : 24 + static_cast<uint32_t>(rng() % 9);
    const uint32_t region = regions[rng() % 4];
    const uint32_t addr = region | (static_cast<uint32_t>(rng()) & 0x003FFFFF);
    const uint32_t mask = len == 32 ? ~0u : ~(~0u >> len);
    const uint32_t lo = addr & mask;
    ranges.push_back(
        {lo, lo | ~mask, static_cast<uint32_t>(rng() % max_value)});
  }
  return BuildPriorityMap(std::move(ranges));
}

// Segment edges, their neighbours, and random addresses.
std::vector<uint32_t> Queries(const IntervalMap<uint32_t>& m,
                              std::mt19937_64& rng, size_t randoms) {
  std::vector<uint32_t> q;
  for (size_t i = 0; i < m.size(); ++i) {
    const uint32_t first = m.starts[i], last = m.last_of(i);
    q.insert(q.end(), {first, last, first - 1, last + 1});
  }
  for (size_t i = 0; i < randoms; ++i)
    q.push_back(static_cast<uint32_t>(rng()));
  std::shuffle(q.begin(), q.end(), rng);
  return q;
}

// Single lookups, and batches of several sizes on both batch paths, equal
// the map; no batch writes past its end.
void ExpectMatchesMap(const IntervalMap<uint32_t>& m, const Ipv4Trie& trie,
                      const std::vector<uint32_t>& q, const std::string& what) {
  for (uint32_t a : q) {
    ASSERT_EQ(trie.Lookup(a), m.Lookup(a)) << what << " address " << a;
  }
  for (bool portable : {true, false}) {
    for (size_t n : {size_t{0}, size_t{1}, size_t{15}, size_t{16}, size_t{17},
                     size_t{200}, size_t{511}, size_t{513}, q.size()}) {
      n = std::min(n, q.size());
      std::vector<uint32_t> out(n + 1, 777);
      trie.LookupBatchWith(portable, q.data(), out.data(), n);
      for (size_t i = 0; i < n; ++i) {
        ASSERT_EQ(out[i], m.Lookup(q[i]))
            << what << " portable " << portable << " n " << n << " i " << i;
      }
      ASSERT_EQ(out[n], 777u) << what << " wrote past " << n;
    }
  }
}

Ipv4Trie DirectTrie(const Ipv4DirectData& d) { return Ipv4Trie(Ipv4Direct(d)); }

TEST(Ipv4DirectTest, RandomMapsMatchTheIntervalMap) {
  const uint64_t base = testing::TestSeed();
  size_t split_codes = 0;
  for (uint64_t seed = base; seed < base + 60; ++seed) {
    std::mt19937_64 rng(seed);
    const uint32_t max_value = seed % 3 == 0 ? 3 : seed % 3 == 1 ? 1000 : 30000;
    IntervalMap<uint32_t> m = RandomMap(rng, max_value, 3000);
    std::optional<Ipv4DirectData> d = BuildIpv4Direct(m);
    ASSERT_TRUE(d.has_value()) << "seed " << seed;
    Ipv4Trie trie = DirectTrie(*d);
    ASSERT_TRUE(trie.Validate().ok()) << "seed " << seed << trie.Validate();
    split_codes += d->split_starts.size();
    ExpectMatchesMap(m, trie, Queries(m, rng, 3000),
                     absl::StrCat("seed ", seed));
    if (HasFatalFailure()) return;
  }
  EXPECT_GT(split_codes, 1000u) << "the split /24s were not exercised";
}

// Every address of a /16 whose /24s are cut at every length: each /24 is
// split, uniform, or empty.
TEST(Ipv4DirectTest, EveryAddressOfSplitSlash24s) {
  std::mt19937_64 rng(24);
  std::vector<PrioritizedRange<uint32_t>> ranges;
  const uint32_t base = 0xC0A80000;
  for (uint32_t a = base; a < base + (1u << 16);) {
    const uint32_t len =
        1 + static_cast<uint32_t>(rng() % (rng() % 2 ? 5 : 600));
    ranges.push_back({a, a + len - 1, static_cast<uint32_t>(rng() % 7)});
    a += len + static_cast<uint32_t>(rng() % 3);
  }
  IntervalMap<uint32_t> m = BuildPriorityMap(std::move(ranges));
  std::optional<Ipv4DirectData> d = BuildIpv4Direct(m);
  ASSERT_TRUE(d.has_value());
  Ipv4Trie trie = DirectTrie(*d);
  ASSERT_TRUE(trie.Validate().ok()) << trie.Validate();
  std::vector<uint32_t> q;
  for (uint32_t a = base - 300; a < base + (1u << 16) + 300; ++a)
    q.push_back(a);
  ExpectMatchesMap(m, trie, q, "dense");
}

// The code width follows the largest value: 2 bits for values 0..1, 15 for
// the largest the layout takes (0x7FFD); lookups read codes that straddle
// bytes.
TEST(Ipv4DirectTest, CodeWidthFollowsTheLargestValue) {
  struct Case {
    uint32_t max_value;
    uint32_t bits;
  };
  for (const Case c : {Case{0, 2}, Case{1, 2}, Case{2, 3}, Case{5, 3},
                       Case{6, 4}, Case{1000, 10}, Case{0x7FFD, 15}}) {
    std::mt19937_64 rng(c.max_value);
    IntervalMap<uint32_t> m = RandomMap(rng, c.max_value + 1, 500);
    // The largest value somewhere, so that the width is the case's.
    std::vector<PrioritizedRange<uint32_t>> ranges;
    for (size_t i = 0; i < m.size(); ++i) {
      if (m.values[i] != kNoValue) {
        ranges.push_back({m.starts[i], m.last_of(i), m.values[i]});
      }
    }
    ranges.push_back({0x0B0B0B0B, 0x0B0B0B0B, c.max_value});  // no overlap
    m = BuildPriorityMap(std::move(ranges));
    std::optional<Ipv4DirectData> d = BuildIpv4Direct(m);
    ASSERT_TRUE(d.has_value()) << c.max_value;
    EXPECT_EQ(d->code_bits, c.bits) << c.max_value;
    Ipv4Trie trie = DirectTrie(*d);
    ASSERT_TRUE(trie.Validate().ok()) << c.max_value;
    ExpectMatchesMap(m, trie, Queries(m, rng, 1000),
                     absl::StrCat("max ", c.max_value));
    if (HasFatalFailure()) return;
  }
}

// Many /24s at even addresses of a few /8s: 49,152 segments in 3,072
// blocks.  Small values take the direct layout, a value too big for it the
// poptrie, and so do more split blocks than 16-bit entries can name.
std::vector<PrioritizedRange<uint32_t>> EveryOtherSlash24(uint32_t first,
                                                          uint32_t count) {
  std::vector<PrioritizedRange<uint32_t>> ranges;
  for (uint32_t i = 0; i < count; ++i) {
    const uint32_t lo = first + (i << 9);
    ranges.push_back({lo, lo | 0xFF, i % 1000});
  }
  return ranges;
}

TEST(Ipv4DirectTest, BigMapsWithSmallValuesTakeTheDirectLayout) {
  IntervalMap<uint32_t> m =
      BuildPriorityMap(EveryOtherSlash24(0x0A000000, 24576));
  ASSERT_GE(m.size(), 32768u);
  absl::StatusOr<Ipv4TrieData> d = BuildIpv4Trie(m);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_NE(d->direct.code_bits, 0u);
  EXPECT_EQ(d->top_bits, Ipv4Direct::kTopBits);
  EXPECT_TRUE(d->top.empty() && d->nodes.empty() && d->terminals.empty());
  Ipv4Trie trie(*d);
  ASSERT_TRUE(trie.Validate().ok()) << trie.Validate();
  EXPECT_TRUE(trie.direct().active());
  EXPECT_EQ(trie.bytes(), d->bytes());
  std::mt19937_64 rng(1);
  ExpectMatchesMap(m, trie, Queries(m, rng, 5000), "direct");

  // One value the 16-bit codes cannot hold: the poptrie.
  std::vector<PrioritizedRange<uint32_t>> ranges =
      EveryOtherSlash24(0x0A000000, 24576);
  ranges.push_back({0x0B000000, 0x0B0000FF, Ipv4Direct::kNoValue16 - 1});
  IntervalMap<uint32_t> big_value = BuildPriorityMap(std::move(ranges));
  EXPECT_FALSE(BuildIpv4Direct(big_value).has_value());
  d = BuildIpv4Trie(big_value);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->direct.code_bits, 0u);
  EXPECT_EQ(Ipv4Trie(*d).Lookup(0x0B000001), Ipv4Direct::kNoValue16 - 1);

  // /24s in 40,000 distinct blocks: more than the 32,768 it can name.
  ranges.clear();
  for (uint32_t b = 0; b < 40000; ++b) {
    const uint32_t lo = b << 14;
    ranges.push_back({lo, lo | 0xFF, b % 7});
  }
  IntervalMap<uint32_t> many_blocks = BuildPriorityMap(std::move(ranges));
  EXPECT_FALSE(BuildIpv4Direct(many_blocks).has_value());
  d = BuildIpv4Trie(many_blocks);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->direct.code_bits, 0u);
  EXPECT_EQ(d->top_bits, 18u);
}

TEST(Ipv4DirectTest, ValidateRejectsEveryBrokenShape) {
  std::mt19937_64 rng(5);
  const IntervalMap<uint32_t> m = RandomMap(rng, 1000, 3000);
  const std::optional<Ipv4DirectData> good = BuildIpv4Direct(m);
  ASSERT_TRUE(good.has_value());
  ASSERT_TRUE(DirectTrie(*good).Validate().ok());
  ASSERT_FALSE(good->split_starts.empty());
  // The first top entry naming a block, and a split code's /24.
  size_t block_entry = 0;
  while (good->top[block_entry] < Ipv4Direct::kBlockFlag16) ++block_entry;
  const size_t blocks =
      (good->codes.size() - 4) / (size_t{8} * good->code_bits);
  struct Forgery {
    const char* what;
    void (*forge)(Ipv4DirectData&, size_t, size_t);
  };
  const Forgery forgeries[] = {
      {"codes of 1 bit",
       [](Ipv4DirectData& d, size_t, size_t) { d.code_bits = 1; }},
      {"codes of 17 bits",
       [](Ipv4DirectData& d, size_t, size_t) { d.code_bits = 17; }},
      {"top entries",
       [](Ipv4DirectData& d, size_t, size_t) { d.top.pop_back(); }},
      {"top padding",
       [](Ipv4DirectData& d, size_t, size_t) { d.top.back() = 1; }},
      {"code bytes",
       [](Ipv4DirectData& d, size_t, size_t) { d.codes.pop_back(); }},
      {"code padding",
       [](Ipv4DirectData& d, size_t, size_t) { d.codes.back() = 1; }},
      {"names block",
       [](Ipv4DirectData& d, size_t at, size_t blocks) {
         d.top[at] = static_cast<uint16_t>(Ipv4Direct::kBlockFlag16 + blocks);
       }},
      {"split starts for",
       [](Ipv4DirectData& d, size_t, size_t) { d.split_values.pop_back(); }},
      {"out of order",
       [](Ipv4DirectData& d, size_t, size_t) {
         std::swap(d.split_starts[0], d.split_starts[1]);
       }},
      {"no segment at its start",
       [](Ipv4DirectData& d, size_t, size_t) {
         // Every segment of the first split /24 but its first moved up by
         // one address: the /24 no longer starts one.
         d.split_starts[0] += 1;
       }},
  };
  for (const Forgery& f : forgeries) {
    Ipv4DirectData bad = *good;
    f.forge(bad, block_entry, blocks);
    const absl::Status s = DirectTrie(bad).Validate();
    ASSERT_FALSE(s.ok()) << f.what;
    EXPECT_NE(std::string(s.message()).find(f.what), std::string::npos)
        << f.what << ": " << s;
  }
  // Poptrie arrays beside the direct layout.
  Ipv4TrieData both;
  both.top_bits = Ipv4Direct::kTopBits;
  both.direct = *good;
  both.leaves = {kNoValue};
  EXPECT_FALSE(Ipv4Trie(both).Validate().ok());
  // And direct arrays beside a poptrie (code_bits 0).
  absl::StatusOr<Ipv4TrieData> poptrie = BuildIpv4Trie(m);
  ASSERT_TRUE(poptrie.ok());
  ASSERT_EQ(poptrie->direct.code_bits, 0u);
  ASSERT_TRUE(Ipv4Trie(*poptrie).Validate().ok());
  poptrie->direct = *good;
  poptrie->direct.code_bits = 0;
  const absl::Status beside = Ipv4Trie(*poptrie).Validate();
  EXPECT_NE(std::string(beside.message()).find("beside the poptrie"),
            std::string::npos)
      << beside;
}

std::shared_ptr<const Table> DirectTable() {
  absl::StatusOr<RuleSet> rs =
      ParseRules(testing::DirectLayoutRules(), "direct.hat");
  EXPECT_TRUE(rs.ok()) << rs.status();
  if (!rs.ok()) return nullptr;
  absl::StatusOr<std::shared_ptr<const Table>> t = Table::Compile(*rs);
  EXPECT_TRUE(t.ok()) << t.status();
  return t.ok() ? *t : nullptr;
}

TEST(Ipv4DirectTest, TableFilesCarryTheDirectLayout) {
  std::shared_ptr<const Table> t = DirectTable();
  ASSERT_NE(t, nullptr);
  ASSERT_TRUE(Table::Impl::Of(*t).v4.direct().active());
  const std::string bytes = t->Serialize();
  absl::StatusOr<std::shared_ptr<const Table>> opened =
      Table::OpenBytes(bytes, "direct.hmt");
  ASSERT_TRUE(opened.ok()) << opened.status();
  ASSERT_TRUE(Table::Impl::Of(**opened).v4.direct().active());
  EXPECT_EQ((*opened)->Serialize(), bytes);
  std::mt19937_64 rng(testing::TestSeed());
  for (int i = 0; i < 20000; ++i) {
    const uint32_t a =
        i < 10000 ? 0x0A000000 + static_cast<uint32_t>(rng() % (1u << 24))
                  : static_cast<uint32_t>(rng());
    ASSERT_EQ((*opened)->LookupIpv4(a), t->LookupIpv4(a)) << a;
  }
  for (const char* line : {"10.0.1.129", "10.0.1.127", "10.0.3.7", "10.0.3.8",
                           "10.0.0.1", "10.0.2.1", "11.0.0.1"}) {
    absl::StatusOr<Connection> c = ParseConnection(line);
    ASSERT_TRUE(c.ok());
    EXPECT_EQ((*opened)->Classify(*c).rule, t->Classify(*c).rule) << line;
  }
}

// Forged direct sections (checksums recomputed): an error naming what is
// wrong, or a table whose lookups stay in bounds (ASan) and answer rules
// that exist.
struct Region {
  uint64_t offset, size;
};
std::optional<Region> SectionOf(const std::string& image, uint32_t id) {
  TableFileHeader h;
  std::memcpy(&h, image.data(), sizeof h);
  for (uint32_t i = 0; i < h.section_count; ++i) {
    SectionEntry e;
    std::memcpy(&e, image.data() + sizeof h + i * sizeof e, sizeof e);
    if (e.id == id) return Region{e.offset, e.size};
  }
  return std::nullopt;
}

TEST(Ipv4DirectTest, ForgedDirectSectionsAreErrorsOrStayInBounds) {
  std::shared_ptr<const Table> t = DirectTable();
  ASSERT_NE(t, nullptr);
  const std::string good = t->Serialize();
  constexpr uint32_t kTop = 34, kCodes = 35, kStarts = 36, kValues = 37;
  std::mt19937_64 rng(testing::TestSeed());
  int opened = 0, rejected = 0;
  for (uint32_t id : {kTop, kCodes, kStarts, kValues}) {
    const std::optional<Region> r = SectionOf(good, id);
    ASSERT_TRUE(r.has_value() && r->size > 0) << "section " << id;
    const uint64_t step = r->size > 4096 ? r->size / 1500 : 1;
    for (uint64_t i = 0; i < r->size; i += step) {
      std::string s = good;
      s[r->offset + i] = static_cast<char>(s[r->offset + i] ^
                                           static_cast<char>(1 + rng() % 255));
      ResealTableImage(&s);
      absl::StatusOr<std::shared_ptr<const Table>> f =
          Table::OpenBytes(s, "forged.hmt");
      if (!f.ok()) {
        ++rejected;
        continue;
      }
      ++opened;
      for (int k = 0; k < 64; ++k) {
        const uint32_t a =
            0x0A000000 + static_cast<uint32_t>(rng() % (1u << 24));
        const uint32_t rule = (*f)->LookupIpv4(a);
        ASSERT_TRUE(rule == kNoRule || rule < (*f)->rule_count())
            << "section " << id << " byte " << i;
      }
    }
  }
  std::printf("forged direct sections: %d opened, %d rejected\n", opened,
              rejected);
  EXPECT_GT(rejected, 100);

  // A code whose value is no rule, and a split code where no segment
  // starts: each named.  The first code is bits 0..2 of the first byte.
  const std::optional<Region> codes = SectionOf(good, kCodes);
  ASSERT_TRUE(codes.has_value());
  struct Case {
    uint8_t code;
    const char* message;
  };
  for (const Case c : {Case{5, "ipv4 direct: value 4 out of range"},
                       Case{7, "has no segment at its start"}}) {
    std::string s = good;
    auto& byte = reinterpret_cast<uint8_t&>(s[codes->offset]);
    byte = static_cast<uint8_t>((byte & ~7u) | c.code);
    ResealTableImage(&s);
    absl::StatusOr<std::shared_ptr<const Table>> f =
        Table::OpenBytes(s, "forged.hmt");
    ASSERT_FALSE(f.ok()) << c.message;
    EXPECT_NE(std::string(f.status().message()).find(c.message),
              std::string::npos)
        << f.status();
  }
}

}  // namespace
}  // namespace hatmatch
