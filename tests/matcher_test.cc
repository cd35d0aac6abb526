// Copyright 2026 The hatmatch Authors.
//
// Matcher (hot reload): readers on several threads classify while a writer
// replaces the table thousands of times.  Every answer must come from a
// table that was current at some moment during the call, every batch from a
// single table.  Meant to run under ThreadSanitizer too (scripts/test, the
// tsan preset), where a missing happens-before would be reported.

#include "hatmatch/matcher.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "fmt/format.h"
#include "gtest/gtest.h"
#include "hatmatch/rules.h"
#include "hatmatch/table.h"
#include "tests/testing/seed.h"

namespace hatmatch {
namespace {

constexpr uint32_t kConns = 8;   // connections 10.0.0.0 .. 10.0.0.7
constexpr uint32_t kTables = 5;  // table k sends 10.0.0.j to rule (j+k) % 8

// A rule set, built without the parser, whose rule r holds the single
// address 10.0.0.((r - k) mod kConns).
RuleSet ShiftedRules(uint32_t k) {
  std::vector<Policy> policies = {Policy{"", Action::kReject, {}, {1, 1}}};
  std::vector<Rule> rules;
  std::vector<Entry> entries;
  for (uint32_t r = 0; r < kConns; ++r) {
    const uint32_t j = (r + kConns - k) % kConns;
    const uint32_t addr = 0x0A000000u + j;
    Rule rule;
    rule.name = fmt::format("T{}R{}", k, r);
    rule.policy = 0;
    rule.first_entry = r;
    rule.entry_count = 1;
    rule.loc = {r + 1, 1};
    rules.push_back(rule);
    entries.push_back(Entry{
        Ipv4Range{addr, addr}, fmt::format("10.0.0.{}", j), {r + 1, 1}, r});
  }
  return RuleSet("shift.hat", std::move(policies), std::move(rules),
                 std::move(entries));
}

std::shared_ptr<const Table> ShiftedTable(uint32_t k) {
  absl::StatusOr<std::shared_ptr<const Table>> t =
      Table::Compile(ShiftedRules(k));
  if (!t.ok()) std::abort();
  return *t;
}

Connection Conn(uint32_t j) {
  Connection c;
  c.address = IpAddress::V4(0x0A000000u + j);
  return c;
}

// Which table produced `d` for connection j.
uint32_t TableOf(const Decision& d, uint32_t j) {
  return (d.rule + kConns - j) % kConns;
}

TEST(MatcherTest, EmptyMatcherMatchesNothing) {
  Matcher m;
  EXPECT_FALSE(m.Classify(Conn(1)).matched());
  EXPECT_EQ(m.Get(), nullptr);
  EXPECT_EQ(m.generation(), 0u);
  m.Swap(ShiftedTable(2));
  EXPECT_EQ(m.generation(), 1u);
  EXPECT_EQ(m.Classify(Conn(1)).rule, 3u);
  EXPECT_EQ(m.ClassifyWithEntry(Conn(1)).entry, 3u);
}

TEST(MatcherTest, FailedReloadKeepsTheOldTable) {
  Matcher m(ShiftedTable(1));
  absl::Status s = m.Reload("/nonexistent/table.hmt");
  EXPECT_FALSE(s.ok());
  EXPECT_NE(std::string(s.message().data(), s.message().size())
                .find("/nonexistent/table.hmt"),
            std::string::npos)
      << s;
  s = m.ReloadRules("/nonexistent/rules.hat");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(m.generation(), 0u);
  EXPECT_EQ(m.Classify(Conn(0)).rule, 1u);
}

TEST(MatcherTest, ReplacedTablesAreFreedUnlessSomeoneHoldsThem) {
  std::shared_ptr<const Table> a = ShiftedTable(0);
  std::weak_ptr<const Table> weak_a = a;
  Matcher m(std::move(a));
  std::shared_ptr<const Table> held = m.Get();
  m.Swap(ShiftedTable(1));
  EXPECT_FALSE(weak_a.expired()) << "freed while held by Get()";
  EXPECT_EQ(held->Classify(Conn(0)).rule, 0u);  // still the old answers
  held.reset();
  EXPECT_TRUE(weak_a.expired());

  std::weak_ptr<const Table> weak_b = m.Get();
  m.Swap(ShiftedTable(2));
  EXPECT_TRUE(weak_b.expired()) << "a retired table was not freed";
}

TEST(MatcherTest, ReadersSeeOnlyCurrentTablesWhileSwappedThousandsOfTimes) {
  std::vector<std::shared_ptr<const Table>> tables;
  for (uint32_t k = 0; k < kTables; ++k) tables.push_back(ShiftedTable(k));
  Matcher m(tables[0]);  // generation g serves table g % kTables

  constexpr int kSwaps = 5000;
  constexpr int kReaders = 4;
  std::atomic<bool> done{false};
  std::atomic<uint64_t> lookups{0}, failures{0};
  std::vector<std::thread> readers;
  const uint64_t seed = testing::TestSeed();
  for (int t = 0; t < kReaders; ++t) {
    readers.emplace_back([&, t] {
      std::mt19937_64 rng(seed + t);
      std::vector<Connection> batch;
      for (uint32_t j = 0; j < kConns; ++j) batch.push_back(Conn(j));
      std::vector<Decision> out(kConns);
      uint64_t n = 0;
      while (!done.load(std::memory_order_relaxed) || n < 1000) {
        const uint32_t j = rng() % kConns;
        const uint64_t g0 = m.generation();
        const Decision d =
            (n % 3 == 0) ? m.ClassifyWithEntry(Conn(j)) : m.Classify(Conn(j));
        const uint64_t g1 = m.generation();
        // The answer's table was current somewhere in [g0, g1].
        bool ok = d.matched() && d.action == Action::kReject;
        if (ok && g1 - g0 < kTables) {
          ok = false;
          for (uint64_t g = g0; g <= g1; ++g) {
            ok = ok || TableOf(d, j) == g % kTables;
          }
        }
        if (n % 3 == 0 && d.entry != d.rule) ok = false;
        // A batch comes from one table: the same shift for every conn.
        if (n % 16 == 0) {
          m.ClassifyBatch(batch, out);
          for (uint32_t i = 1; i < kConns; ++i) {
            ok = ok && TableOf(out[i], i) == TableOf(out[0], 0);
          }
        }
        if (n % 64 == 0) {
          // A table taken with Get() stays usable across swaps.
          std::shared_ptr<const Table> held = m.Get();
          const uint32_t k = TableOf(held->Classify(Conn(0)), 0);
          std::this_thread::yield();
          ok = ok && TableOf(held->Classify(Conn(j)), j) == k;
        }
        if (!ok) failures.fetch_add(1, std::memory_order_relaxed);
        ++n;
      }
      lookups.fetch_add(n, std::memory_order_relaxed);
    });
  }
  for (int s = 1; s <= kSwaps; ++s) {
    if (s % 500 == 0) {
      // A failing reload in the middle changes nothing.
      EXPECT_FALSE(m.Reload("/nonexistent/table.hmt").ok());
    }
    m.Swap(tables[s % kTables]);
    if (s % 8 == 0) std::this_thread::yield();
  }
  done.store(true);
  for (std::thread& t : readers) t.join();
  EXPECT_EQ(failures.load(), 0u) << "of " << lookups.load() << " lookups";
  EXPECT_EQ(m.generation(), static_cast<uint64_t>(kSwaps));
  EXPECT_EQ(TableOf(m.Classify(Conn(3)), 3), kSwaps % kTables);
  std::printf("%d swaps, %llu lookups on %d threads\n", kSwaps,
              static_cast<unsigned long long>(lookups.load()), kReaders);
}

TEST(MatcherTest, ThreadsComingAndGoingReuseHazardSlots) {
  Matcher m(ShiftedTable(0));
  for (int round = 0; round < 50; ++round) {
    std::vector<std::thread> ts;
    for (int t = 0; t < 3; ++t) {
      ts.emplace_back([&] {
        for (int i = 0; i < 100; ++i) {
          EXPECT_TRUE(m.Classify(Conn(i % kConns)).matched());
        }
      });
    }
    m.Swap(ShiftedTable(round % kTables));
    for (std::thread& t : ts) t.join();
  }
  EXPECT_EQ(m.generation(), 50u);
}

}  // namespace
}  // namespace hatmatch
