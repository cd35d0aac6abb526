// Copyright 2026 The hatmatch Authors.
//
// The compiled table, and the reference classifier, against answers that
// share no code with either: rule files and connections are generated from
// their meaning and written as text (tests/testing/ground_truth.h), go
// through ParseRules and ParseConnection like user input, and every
// connection is checked on every path (ClassifyWithEntry, Classify,
// ClassifyBatch, the reference) and on every dimension separately
// (LookupIpv4 / LookupIpv6 / LookupHost against a brute-force scan), then
// once more after a round trip through FormatConnection.
//
// Seeds come from HATMATCH_TEST_SEED (tests/testing/seed.h), printed at the
// start of each test; a disagreement prints the seed, the connection line
// and the rule file.  HATMATCH_DIFF_SEEDS scales the run (default 400: about
// a million connections; 40 in the sanitizer builds).  Each test prints
// which dimension decided how many connections, and fails when a dimension
// decides too few to be tested.

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "engine/format/table_file.h"
#include "fmt/format.h"
#include "gtest/gtest-spi.h"
#include "gtest/gtest.h"
#include "hatmatch/analysis.h"
#include "hatmatch/connection.h"
#include "hatmatch/parse.h"
#include "hatmatch/reference.h"
#include "hatmatch/table.h"
#include "tests/testing/ground_truth.h"
#include "tests/testing/seed.h"

namespace hatmatch {
namespace {

using testing::Dimension;
using testing::GeneratedConnection;
using testing::GeneratedRules;
using testing::TruthAnswer;

// The number of seeds, from HATMATCH_DIFF_SEEDS; anything but a positive
// number fails the test (a run of zero seeds would pass in no time).
#ifndef HATMATCH_DIFF_DEFAULT_SEEDS
#define HATMATCH_DIFF_DEFAULT_SEEDS 400
#endif

int Seeds() {
  const char* env = std::getenv("HATMATCH_DIFF_SEEDS");
  if (env == nullptr) return HATMATCH_DIFF_DEFAULT_SEEDS;
  char* end = nullptr;
  const long n = std::strtol(env, &end, 10);
  if (*env == '\0' || *end != '\0' || n <= 0 || n > 1000000) {
    ADD_FAILURE() << "HATMATCH_DIFF_SEEDS=" << env
                  << ": want a positive number of seeds";
    return 0;
  }
  return static_cast<int>(n);
}

Ipv6Addr ToIpv6Addr(testing::U128 a) {
  return Ipv6Addr{static_cast<uint64_t>(a >> 64), static_cast<uint64_t>(a)};
}

std::string Rule(uint32_t r) {
  return r == kNoRule ? "none" : std::to_string(r);
}

// Which dimension decided how many connections.
struct Coverage {
  std::array<uint64_t, testing::kDimensionCount> decided{};
  uint64_t connections = 0;

  double Share(Dimension d) const {
    return connections ? static_cast<double>(decided[static_cast<int>(d)]) /
                             static_cast<double>(connections)
                       : 0;
  }
  void Print(const char* what) const {
    std::string line =
        fmt::format("{}: {} connections decided by", what, connections);
    for (int d = 0; d < testing::kDimensionCount; ++d) {
      line += fmt::format(" {} {:.1f}%,",
                          testing::DimensionName(static_cast<Dimension>(d)),
                          100 * Share(static_cast<Dimension>(d)));
    }
    line.pop_back();
    std::fprintf(stderr, "%s\n", line.c_str());
    std::fflush(stderr);
  }
};

// Everything the table (and the reference) says about one connection,
// against the truth; "" when all agree, else what disagrees.
std::string CheckOne(const Table& table, const ReferenceClassifier& ref,
                     const GeneratedConnection& g, const Connection& c,
                     const TruthAnswer& want) {
  std::string bad;
  auto expect = [&](bool ok, const std::string& what) {
    if (!ok) bad += what + "\n";
  };
  // The address as the rules see it.
  expect(c.address.is_v4() == g.is_v4 &&
             (g.is_v4 ? c.address.v4() == g.v4
                      : c.address.v6() == ToIpv6Addr(g.v6)),
         "ParseConnection: address " + FormatIpAddress(c.address));
  const Decision got = table.ClassifyWithEntry(c);
  expect(got.rule == want.rule && got.entry == want.entry,
         fmt::format("ClassifyWithEntry: rule {} entry {}, want rule {} entry "
                     "{} (decided by {})",
                     Rule(got.rule), Rule(got.entry), Rule(want.rule),
                     Rule(want.entry), testing::DimensionName(want.by)));
  if (want.rule != kNoRule && got.rule == want.rule) {
    expect(
        ActionName(got.action) == want.action,
        fmt::format("action {}, want {}", ActionName(got.action), want.action));
  }
  const Decision fast = table.Classify(c);
  expect(fast.rule == got.rule && (!got.matched() || fast.action == got.action),
         "Classify: rule " + Rule(fast.rule));
  const Decision r = ref.Classify(c);
  expect(
      r.rule == want.rule && r.entry == want.entry,
      fmt::format("reference: rule {} entry {}", Rule(r.rule), Rule(r.entry)));
  // Each dimension on its own, below whatever rule decided.
  if (g.is_v4) {
    const uint32_t v4 = table.LookupIpv4(g.v4);
    expect(v4 == want.v4_rule, fmt::format("LookupIpv4: {}, want {}", Rule(v4),
                                           Rule(want.v4_rule)));
  } else {
    const uint32_t v6 = table.LookupIpv6(ToIpv6Addr(g.v6));
    expect(v6 == want.v6_rule, fmt::format("LookupIpv6: {}, want {}", Rule(v6),
                                           Rule(want.v6_rule)));
  }
  const uint32_t host = table.LookupHost(g.ptr);
  expect(host == want.host_rule,
         fmt::format("LookupHost({}): {}, want {}", g.ptr, Rule(host),
                     Rule(want.host_rule)));
  // The canonical text form of the parsed connection means the same.
  absl::StatusOr<Connection> again = ParseConnection(FormatConnection(c));
  expect(again.ok() && table.ClassifyWithEntry(*again) == got,
         "round trip through FormatConnection: " + FormatConnection(c));
  return bad;
}

// Classifies `count` connections generated around the entries of `around`
// on `table`; returns the first disagreement with the truth of `rules` (""
// when none) and counts the deciders.
std::string CheckConnections(const Table& table, const RuleSet& parsed,
                             const GeneratedRules& rules,
                             const GeneratedRules& around, std::mt19937_64& rng,
                             int count, Coverage* coverage) {
  ReferenceClassifier ref(parsed);
  std::vector<GeneratedConnection> gen;
  std::vector<Connection> conns;
  std::vector<TruthAnswer> want;
  for (int i = 0; i < count; ++i) {
    gen.push_back(testing::GenerateConnection(rng, around));
    absl::StatusOr<Connection> c = ParseConnection(gen.back().text);
    if (!c.ok()) {
      return fmt::format("ParseConnection(\"{}\"): {}", gen.back().text,
                         c.status().ToString());
    }
    conns.push_back(*std::move(c));
    want.push_back(testing::Classify(rules, gen.back()));
  }
  std::vector<Decision> batch(conns.size());
  table.ClassifyBatch(conns, batch);
  for (size_t i = 0; i < conns.size(); ++i) {
    std::string bad = CheckOne(table, ref, gen[i], conns[i], want[i]);
    if (batch[i].rule != want[i].rule) {
      bad += "ClassifyBatch: rule " + Rule(batch[i].rule) + "\n";
    }
    if (!bad.empty()) {
      return fmt::format("connection {}: \"{}\"\n{}", i, gen[i].text, bad);
    }
    ++coverage->decided[static_cast<int>(want[i].by)];
    ++coverage->connections;
  }
  return "";
}

struct Compiled {
  GeneratedRules rules;
  RuleSet parsed;
  std::shared_ptr<const Table> table;
};

// Generates and compiles; a failure to parse or compile is a test failure.
template <class Generate>
std::unique_ptr<Compiled> Build(uint64_t seed, std::mt19937_64& rng,
                                Generate generate) {
  auto out = std::make_unique<Compiled>();
  out->rules = generate(rng);
  absl::StatusOr<RuleSet> parsed = ParseRules(out->rules.text, "random.hat");
  if (!parsed.ok()) {
    ADD_FAILURE() << "seed " << seed << ": " << parsed.status() << "\n"
                  << out->rules.text;
    return nullptr;
  }
  out->parsed = *std::move(parsed);
  absl::StatusOr<std::shared_ptr<const Table>> table =
      Table::Compile(out->parsed);
  if (!table.ok()) {
    ADD_FAILURE() << "seed " << seed << ": " << table.status();
    return nullptr;
  }
  out->table = *table;
  return out;
}

std::string Excerpt(const std::string& text) {
  return text.size() < 20000 ? text
                             : "(rule file of " + std::to_string(text.size()) +
                                   " bytes: replay the seed to see it)";
}

void RunSeed(uint64_t seed, const testing::GenerateOptions& options,
             int connections, Coverage* coverage) {
  std::mt19937_64 rng(seed);
  std::unique_ptr<Compiled> c = Build(seed, rng, [&](std::mt19937_64& r) {
    return testing::GenerateRules(r, options);
  });
  ASSERT_NE(c, nullptr);
  const std::string bad = CheckConnections(
      *c->table, c->parsed, c->rules, c->rules, rng, connections, coverage);
  ASSERT_EQ(bad, "") << "seed " << seed << "\nrules:\n"
                     << Excerpt(c->rules.text);
}

// Each dimension decides enough connections to be tested through the full
// classification, not only through its own lookup.
// (Names decide less often than the rest: a connection's name only counts
// when verified, and an address or criteria entry of an earlier rule often
// matches it first.  LookupHost is checked on every connection anyway.)
void ExpectEveryDimensionDecides(const Coverage& c, double criteria) {
  EXPECT_GE(c.Share(Dimension::kIpv4), 0.15);
  EXPECT_GE(c.Share(Dimension::kIpv6), 0.08);
  EXPECT_GE(c.Share(Dimension::kHost), 0.025);
  if (criteria > 0) {
    EXPECT_GE(c.Share(Dimension::kCriteria), criteria);
  }
}

TEST(DifferentialTest, SmallRuleSets) {
  const uint64_t base = testing::TestSeed();
  const int seeds = Seeds();
  ASSERT_GT(seeds, 0);
  Coverage coverage;
  for (int s = 0; s < seeds; ++s) {
    RunSeed(base + s, {}, 2000, &coverage);
    if (HasFatalFailure()) return;
  }
  coverage.Print("small rule sets");
  ExpectEveryDimensionDecides(coverage, 0.08);
}

TEST(DifferentialTest, LargeRuleSets) {
  const uint64_t base = testing::TestSeed();
  const int seeds = Seeds();
  ASSERT_GT(seeds, 0);
  testing::GenerateOptions options;
  options.max_rules = 1500;
  options.max_entries_per_rule = 8;
  options.criteria_from = 0.8;
  Coverage coverage;
  for (int s = 0; s < std::max(1, seeds / 20); ++s) {
    RunSeed(base + s, options, 10000, &coverage);
    if (HasFatalFailure()) return;
  }
  coverage.Print("large rule sets");
  // Criteria only in the last rules here, so that they hide no trie answer
  // (and decide too few connections to count on).
  ExpectEveryDimensionDecides(coverage, 0);
}

// Tries that reach every node kind: the wide IPv4 top level with terminals
// and inner nodes, an IPv6 block and skip nodes.
TEST(DifferentialTest, WideTries) {
  const uint64_t base = testing::TestSeed();
  const int seeds = Seeds();
  ASSERT_GT(seeds, 0);
  Coverage coverage;
  for (int s = 0; s < std::max(1, seeds / 200); ++s) {
    const uint64_t seed = base + s;
    std::mt19937_64 rng(seed);
    std::unique_ptr<Compiled> c = Build(seed, rng, [](std::mt19937_64& r) {
      return testing::GenerateWideRules(r);
    });
    ASSERT_NE(c, nullptr);
    // The shape, from the generated ranges (independently of the engine).
    const testing::Ipv4Shape shape = testing::MeasureIpv4Shape(c->rules);
    EXPECT_GE(shape.segments, 32768u) << "seed " << seed;
    EXPECT_GT(shape.blocks_split_at_24, 1000u) << "seed " << seed;
    EXPECT_GT(shape.blocks_split_below_24, 1000u) << "seed " << seed;
    EXPECT_GE(testing::MaxIpv6SegmentsInOneSlash16(c->rules), 1024u);
    // And the table built what that shape calls for: the 2^18-entry top
    // level (4 bytes each), and an IPv6 range tree of more than 128 leaves
    // (64 bytes each, 8 ranges a leaf) under its internal levels.
    const TableStats stats = c->table->Stats();
    EXPECT_GT(stats.ipv4_bytes, size_t{4} << 18);
    EXPECT_GT(stats.ipv6_bytes, size_t{1024} / 8 * 64);
    // Few connections: each is checked by two scans over 25,000 entries.
    const std::string bad = CheckConnections(*c->table, c->parsed, c->rules,
                                             c->rules, rng, 3000, &coverage);
    ASSERT_EQ(bad, "") << "seed " << seed;
  }
  coverage.Print("wide tries");
  EXPECT_GE(coverage.Share(Dimension::kIpv4), 0.3);
  EXPECT_GE(coverage.Share(Dimension::kIpv6), 0.005);
}

// LookupIpv6Batch against the truth in every lane of the batch's groups
// (thirty-two addresses with AVX-512, sixteen in the portable search, then a
// group of sixteen and single lookups for the tail): batches of every size
// up to 70 starting at every offset of the address list.  The addresses are
// generated connections' (checked against the brute-force answer) and the
// edges, checked against the one-address lookup that the tests above check:
// ::, ::1, the last two addresses, IPv4-mapped and IPv4-compatible
// addresses (Classify sends those to the IPv4 trie; the IPv6 dimension
// answers them as the IPv6 addresses they are), on small rule sets, rule
// sets without IPv6 entries of their own, a tall tree, and a table whose
// IPv6 dimension is empty (every answer kNoRule).
TEST(DifferentialTest, Ipv6BatchesAgreeInEveryLane) {
  const uint64_t base = testing::TestSeed();
  const std::vector<Ipv6Addr> edges = {
      {0, 0},
      {0, 1},
      {0, 0x0000ffff00000000},  // ::ffff:0.0.0.0
      {0, 0x0000ffffc0000201},  // ::ffff:192.0.2.1
      {0, 0x0000ffffffffffff},  // ::ffff:255.255.255.255
      {0, 0x00000000c0000201},  // ::192.0.2.1
      {0x2001000000000000, 0},
      {~0ull, ~0ull - 1},
      {~0ull, ~0ull},
  };
  for (int s = 0; s < 6; ++s) {
    const uint64_t seed = base + s;
    std::mt19937_64 rng(seed);
    std::unique_ptr<Compiled> c = Build(seed, rng, [s](std::mt19937_64& r) {
      testing::GenerateOptions options;
      if (s % 3 == 1) options.weight_v6 = 0;  // no IPv6 entry at all
      return s == 5 ? testing::GenerateWideRules(r)
                    : testing::GenerateRules(r, options);
    });
    ASSERT_NE(c, nullptr);
    std::vector<Ipv6Addr> addrs = edges;
    std::vector<uint32_t> want;
    for (const Ipv6Addr& a : edges) want.push_back(c->table->LookupIpv6(a));
    while (addrs.size() < 200) {
      const GeneratedConnection g = testing::GenerateConnection(rng, c->rules);
      if (g.is_v4) {
        if (rng() % 8 != 0) continue;
        // An IPv4 host in its IPv6 spellings: the tree answers the IPv6
        // address, whatever the IPv4 rules say.
        const Ipv6Addr mapped{0, 0x0000ffff00000000ull | g.v4};
        addrs.push_back(mapped);
        want.push_back(c->table->LookupIpv6(mapped));
        continue;
      }
      addrs.push_back(ToIpv6Addr(g.v6));
      want.push_back(testing::Classify(c->rules, g).v6_rule);
    }
    const size_t n_addrs = addrs.size();
    for (size_t i = 0; i < 70; ++i) {  // wrap around for the last offsets
      addrs.push_back(addrs[i]);
      want.push_back(want[i]);
    }
    std::vector<uint32_t> out(71);
    for (size_t n = 1; n <= 70; ++n) {
      for (size_t at = 0; at < n_addrs; ++at) {
        out.assign(n + 1, 777);
        c->table->LookupIpv6Batch(std::span(addrs).subspan(at, n),
                                  std::span(out).first(n));
        for (size_t i = 0; i < n; ++i) {
          ASSERT_EQ(out[i], want[at + i])
              << "seed " << seed << " batch of " << n << " from " << at
              << " lane " << i;
        }
        ASSERT_EQ(out[n], 777u) << "seed " << seed << " wrote past n";
      }
    }
  }
  absl::StatusOr<RuleSet> v4_only =
      ParseRules("$A\n    ACCEPT\nV4:\n    $A\n    192.0.2.0/24\n", "v4.hat");
  ASSERT_TRUE(v4_only.ok()) << v4_only.status();
  absl::StatusOr<std::shared_ptr<const Table>> table = Table::Compile(*v4_only);
  ASSERT_TRUE(table.ok()) << table.status();
  std::vector<Ipv6Addr> addrs(70, Ipv6Addr{0x2001000000000000, 0});
  for (size_t i = 0; i < edges.size(); ++i) addrs[i * 7] = edges[i];
  std::vector<uint32_t> out(70, 777);
  (*table)->LookupIpv6Batch(addrs, out);
  for (size_t i = 0; i < addrs.size(); ++i) {
    ASSERT_EQ(out[i], kNoRule) << "empty IPv6 dimension, lane " << i;
    ASSERT_EQ((*table)->LookupIpv6(addrs[i]), kNoRule);
  }
}

TEST(DifferentialTest, RefusesAZeroCount) {
  ASSERT_EQ(setenv("HATMATCH_DIFF_SEEDS", "0", 1), 0);
  ::testing::TestPartResultArray failures;
  {
    ::testing::ScopedFakeTestPartResultReporter capture(
        ::testing::ScopedFakeTestPartResultReporter::
            INTERCEPT_ONLY_CURRENT_THREAD,
        &failures);
    EXPECT_EQ(Seeds(), 0);
  }
  ASSERT_EQ(unsetenv("HATMATCH_DIFF_SEEDS"), 0);
  EXPECT_EQ(failures.size(), 1);
}

// The table file image with entry `index` of the IPv4 trie's top level (16
// bits) set to `value`, checksums recomputed.  The IPv4 top level is
// section 21 (docs/TABLE-FORMAT.md).
std::string WithIpv4TopEntry(std::string image, uint32_t index,
                             uint32_t value) {
  TableFileHeader h;
  std::memcpy(&h, image.data(), sizeof h);
  for (uint32_t i = 0; i < h.section_count; ++i) {
    SectionEntry e;
    std::memcpy(&e, image.data() + sizeof h + i * sizeof e, sizeof e);
    if (e.id != 21 || e.size != (size_t{1} << 16) * 4) continue;
    std::memcpy(image.data() + e.offset + uint64_t{index} * 4, &value, 4);
    ResealTableImage(&image);
    return image;
  }
  ADD_FAILURE() << "no 16-bit IPv4 top level in the image";
  return image;
}

// The harness catches a wrong trie answer: a table whose IPv4 top level says
// another rule for one /16 (edited in the table file image, checksums
// recomputed, so it loads) fails the check that the intact table passes.
TEST(DifferentialTest, CatchesABrokenIpv4Trie) {
  const uint64_t seed = testing::TestSeed();
  std::mt19937_64 rng(seed);
  testing::GenerateOptions options;
  options.max_rules = 40;
  // A rule set with a connection that an IPv4 entry decides, and another
  // deciding rule to answer wrongly with (most rule sets have both).
  std::unique_ptr<Compiled> c;
  GeneratedConnection target;
  TruthAnswer want;
  uint32_t other = kNoRule;
  for (int attempt = 0; attempt < 100 && other == kNoRule; ++attempt) {
    c = Build(seed, rng, [&](std::mt19937_64& r) {
      return testing::GenerateRules(r, options);
    });
    ASSERT_NE(c, nullptr);
    want = TruthAnswer{};
    for (int i = 0; i < 1000 && want.by != Dimension::kIpv4; ++i) {
      target = testing::GenerateConnection(rng, c->rules);
      want = testing::Classify(c->rules, target);
    }
    if (want.by != Dimension::kIpv4) continue;
    for (uint32_t r = 0; r < c->rules.rules.size() && other == kNoRule; ++r) {
      const testing::TruthRule& rule = c->rules.rules[r];
      if (r != want.v4_rule && rule.decides && !rule.is_all) other = r;
    }
  }
  ASSERT_NE(other, kNoRule) << "no rule set with two deciding rules";

  // Point the top-level entry of the target's /16 (T = 16 here: a small
  // map) at `other`.
  absl::StatusOr<std::shared_ptr<const Table>> broken = Table::OpenBytes(
      WithIpv4TopEntry(c->table->Serialize(), target.v4 >> 16, other),
      "broken.hmt");
  ASSERT_TRUE(broken.ok()) << broken.status();
  ASSERT_EQ((*broken)->LookupIpv4(target.v4), other);

  // Connections at and around the target: the broken table fails the check,
  // the intact one passes it.
  GeneratedRules around;
  testing::TruthEntry at_target;
  at_target.v4_lo = at_target.v4_hi = target.v4;
  around.rules.push_back({false, false, "CONTINUE", 0, {at_target}});
  Coverage coverage;
  std::mt19937_64 rng_a(seed), rng_b(seed);
  EXPECT_EQ(CheckConnections(*c->table, c->parsed, c->rules, around, rng_a,
                             2000, &coverage),
            "");
  const std::string caught = CheckConnections(**broken, c->parsed, c->rules,
                                              around, rng_b, 2000, &coverage);
  EXPECT_NE(caught.find("LookupIpv4"), std::string::npos) << caught;
}

}  // namespace
}  // namespace hatmatch
