// Copyright 2026 The hatmatch Authors.
//
// capi_differential_test.cc: the C API (libhatmatch.so) against the C++
// Table on randomized rules and connections.  Every connection is
// classified by Table::Classify, ClassifyWithEntry and ClassifyBatch and by
// hatmatch_db_classify, hatmatch_db_classify_batch and the matcher's two
// (with and without HATMATCH_WITH_ENTRY), and the answers must be equal.
//
// The C form of each connection (tests/capi/c_conns.h) varies what a C
// struct can say differently for the same connection; the generator
// (tests/testing/random_rules.h) puts addresses, names (any case, trailing
// dots, invalid ones), scores, owner ids and zones at the entries' edges,
// and scores are moved to the range edges now and then.  Batches have
// random lengths across the classifier's 64-connection blocks; then one
// connection of the batch is made invalid, and every call must say
// HATMATCH_ERROR_INVALID_ARGUMENT.
//
// Seeds: HATMATCH_TEST_SEED (tests/testing/seed.h), printed at the start;
// a disagreement prints the seed, the connection and both answers.

#include <cmath>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "fmt/format.h"
#include "gtest/gtest.h"
#include "hatmatch/analysis.h"
#include "hatmatch/connection.h"
#include "hatmatch/decision.h"
#include "hatmatch/hatmatch.h"
#include "hatmatch/parse.h"
#include "hatmatch/reference.h"
#include "hatmatch/table.h"
#include "tests/capi/c_conns.h"
#include "tests/testing/random_draw.h"
#include "tests/testing/random_rules.h"
#include "tests/testing/seed.h"

#ifndef HATMATCH_CAPI_DIFF_SEEDS
#define HATMATCH_CAPI_DIFF_SEEDS 200
#endif

namespace hatmatch {
namespace {

using testing::CConns;
using testing::Chance;
using testing::Rng;
using testing::Uniform;

// A generated connection, sometimes with its score moved to a range edge.
Connection Draw(Rng& rng, const RuleSet& rules) {
  Connection c = testing::RandomConnection(rng, rules);
  if (Chance(rng, 0.1)) {
    static const double kEdges[] = {-10.0,
                                    10.0,
                                    -0.0,
                                    0.0,
                                    std::nextafter(-10.0, 0.0),
                                    std::nextafter(10.0, 0.0),
                                    std::numeric_limits<double>::denorm_min()};
    c.sbrs = kEdges[Uniform(rng, std::size(kEdges))];
  }
  return c;
}

Decision FromC(const hatmatch_decision& d) {
  return Decision{d.rule, d.entry, static_cast<Action>(d.action)};
}

std::string Show(const Decision& d) {
  return fmt::format("rule {} entry {} action {}",
                     d.rule == kNoRule ? "none" : std::to_string(d.rule),
                     d.entry == kNoEntry ? "none" : std::to_string(d.entry),
                     ActionName(d.action));
}

// One seed: random rules, compiled by the C++ API and by the C API from the
// same text, and batches of random connections.  Returns "" when all
// answers agree, else the first disagreement.
std::string RunSeed(uint64_t seed) {
  Rng rng(seed);
  const std::string text = testing::RandomRuleText(rng);
  absl::StatusOr<RuleSet> rules = ParseRules(text, "random.hat");
  if (!rules.ok()) return "rules: " + rules.status().ToString();
  absl::StatusOr<std::shared_ptr<const Table>> table = Table::Compile(*rules);
  if (!table.ok()) return "compile: " + table.status().ToString();
  const Table& t = **table;

  hatmatch_db* db = nullptr;
  char* error = nullptr;
  if (hatmatch_db_compile_text(text.data(), text.size(), "random.hat", &db,
                               &error) != HATMATCH_OK) {
    std::string e = error != nullptr ? error : "?";
    hatmatch_error_free(error);
    return "hatmatch_db_compile_text: " + e;
  }
  std::unique_ptr<hatmatch_db, void (*)(hatmatch_db*)> db_owner(
      db, hatmatch_db_free);
  hatmatch_matcher* matcher = nullptr;
  if (hatmatch_matcher_new(db, &matcher) != HATMATCH_OK) {
    return "hatmatch_matcher_new failed";
  }
  std::unique_ptr<hatmatch_matcher, void (*)(hatmatch_matcher*)> matcher_owner(
      matcher, hatmatch_matcher_free);

  for (int round = 0; round < 4; ++round) {
    const size_t n = 1 + Uniform(rng, 200);
    CConns store;
    std::vector<Connection> conns;
    std::vector<hatmatch_conn> cs;
    for (size_t i = 0; i < n; ++i) {
      conns.push_back(Draw(rng, *rules));
      cs.push_back(store.Make(rng, conns.back()));
    }
    std::vector<Decision> want(n), want_entry(n);
    t.ClassifyBatch(conns, want);
    for (size_t i = 0; i < n; ++i)
      want_entry[i] = t.ClassifyWithEntry(conns[i]);

    auto disagree = [&](const char* what, size_t i, const Decision& got,
                        const Decision& expected) {
      return fmt::format(
          "seed {} round {} connection {} of {}: \"{}\"\n{}: {}, the C++ "
          "Table says {}\nrules:\n{}",
          seed, round, i, n, FormatConnection(conns[i]), what, Show(got),
          Show(expected), text);
    };
    const ReferenceClassifier ref(*rules);
    for (size_t i = 0; i < n; ++i) {
      // The C++ Table and the C API share the classifier
      // (engine/table/classify_block.h): the reference judges it.
      const Decision judge = ref.Classify(conns[i]);
      if (judge.rule != want_entry[i].rule ||
          judge.entry != want_entry[i].entry) {
        return disagree("reference classifier", i, judge, want_entry[i]);
      }
      const Decision single = t.Classify(conns[i]);
      if (single != want[i]) {
        return disagree("Table::Classify vs ClassifyBatch", i, single, want[i]);
      }
      hatmatch_decision d;
      if (hatmatch_db_classify(db, &cs[i], 0, &d) != HATMATCH_OK) {
        return disagree("hatmatch_db_classify failed", i, Decision{}, want[i]);
      }
      if (FromC(d) != want[i]) {
        return disagree("hatmatch_db_classify", i, FromC(d), want[i]);
      }
      if (hatmatch_db_classify(db, &cs[i], HATMATCH_WITH_ENTRY, &d) !=
              HATMATCH_OK ||
          FromC(d) != want_entry[i]) {
        return disagree("hatmatch_db_classify WITH_ENTRY", i, FromC(d),
                        want_entry[i]);
      }
      if (hatmatch_matcher_classify(matcher, &cs[i], 0, &d) != HATMATCH_OK ||
          FromC(d) != want[i]) {
        return disagree("hatmatch_matcher_classify", i, FromC(d), want[i]);
      }
    }
    std::vector<hatmatch_decision> out(n);
    struct Batch {
      const char* name;
      unsigned flags;
      const std::vector<Decision>* want;
    };
    const Batch kBatches[] = {
        {"classify_batch", 0, &want},
        {"classify_batch WITH_ENTRY", HATMATCH_WITH_ENTRY, &want_entry}};
    for (const Batch& b : kBatches) {
      for (int by_matcher = 0; by_matcher < 2; ++by_matcher) {
        const hatmatch_status st =
            by_matcher ? hatmatch_matcher_classify_batch(matcher, cs.data(), n,
                                                         b.flags, out.data())
                       : hatmatch_db_classify_batch(db, cs.data(), n, b.flags,
                                                    out.data());
        const std::string what =
            fmt::format("{} {}", by_matcher ? "matcher" : "db", b.name);
        if (st != HATMATCH_OK) {
          return fmt::format("seed {}: {} returned {}", seed, what,
                             static_cast<int>(st));
        }
        for (size_t i = 0; i < n; ++i) {
          if (FromC(out[i]) != (*b.want)[i]) {
            return disagree(what.c_str(), i, FromC(out[i]), (*b.want)[i]);
          }
        }
      }
    }

    // One bad connection anywhere spoils the batch, whatever the flags.
    const size_t bad = Uniform(rng, n);
    store.Spoil(rng, &cs[bad]);
    hatmatch_decision d;
    for (unsigned flags : {0u, unsigned{HATMATCH_WITH_ENTRY}}) {
      const hatmatch_status got[] = {
          hatmatch_db_classify(db, &cs[bad], flags, &d),
          hatmatch_matcher_classify(matcher, &cs[bad], flags, &d),
          hatmatch_db_classify_batch(db, cs.data(), n, flags, out.data()),
          hatmatch_matcher_classify_batch(matcher, cs.data(), n, flags,
                                          out.data())};
      for (size_t k = 0; k < std::size(got); ++k) {
        if (got[k] != HATMATCH_ERROR_INVALID_ARGUMENT) {
          return fmt::format(
              "seed {} round {}: call {} (flags {}) with connection {} of {} "
              "spoiled returned {}, want HATMATCH_ERROR_INVALID_ARGUMENT",
              seed, round, k, flags, bad, n, static_cast<int>(got[k]));
        }
      }
    }
  }
  return "";
}

TEST(CApiDifferentialTest, SingleAndBatchEqualTheTable) {
  const uint64_t base = testing::TestSeed();
  for (int s = 0; s < HATMATCH_CAPI_DIFF_SEEDS; ++s) {
    const std::string bad = RunSeed(base + s);
    ASSERT_EQ(bad, "") << "replay: HATMATCH_TEST_SEED=" << testing::BaseSeed();
  }
}

// A matcher without a table answers "no match" for valid connections and
// still rejects invalid ones.
TEST(CApiDifferentialTest, MatcherWithoutTable) {
  Rng rng(testing::TestSeed());
  hatmatch_matcher* matcher = nullptr;
  ASSERT_EQ(hatmatch_matcher_new(nullptr, &matcher), HATMATCH_OK);
  const RuleSet none;
  CConns store;
  std::vector<hatmatch_conn> cs;
  for (int i = 0; i < 100; ++i) {
    cs.push_back(store.Make(rng, testing::RandomConnection(rng, none)));
  }
  std::vector<hatmatch_decision> out(cs.size());
  for (unsigned flags : {0u, unsigned{HATMATCH_WITH_ENTRY}}) {
    ASSERT_EQ(hatmatch_matcher_classify_batch(matcher, cs.data(), cs.size(),
                                              flags, out.data()),
              HATMATCH_OK);
    for (const hatmatch_decision& d : out) {
      EXPECT_EQ(d.rule, HATMATCH_NO_RULE);
      EXPECT_EQ(d.entry, HATMATCH_NO_ENTRY);
    }
    hatmatch_decision d;
    ASSERT_EQ(hatmatch_matcher_classify(matcher, &cs[7], flags, &d),
              HATMATCH_OK);
    EXPECT_EQ(d.rule, HATMATCH_NO_RULE);
  }
  store.Spoil(rng, &cs[42]);
  hatmatch_decision d;
  EXPECT_EQ(hatmatch_matcher_classify(matcher, &cs[42], 0, &d),
            HATMATCH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(hatmatch_matcher_classify_batch(matcher, cs.data(), cs.size(), 0,
                                            out.data()),
            HATMATCH_ERROR_INVALID_ARGUMENT);
  hatmatch_matcher_free(matcher);
}

// A table read from a file builds its entry maps on the first
// HATMATCH_WITH_ENTRY call.  Several threads make their first calls on one
// such handle at once (single and batch, names and details beside them): all
// get the compiled table's answers, and under TSan no race is reported.
TEST(CApiDifferentialTest, ThreadsShareATableReadFromAFileFromTheFirstCall) {
  const uint64_t base = testing::TestSeed();
  for (int s = 0; s < 8; ++s) {
    Rng rng(base + s);
    const std::string text = testing::RandomRuleText(rng);
    absl::StatusOr<RuleSet> rules = ParseRules(text, "random.hat");
    ASSERT_TRUE(rules.ok()) << rules.status();
    absl::StatusOr<std::shared_ptr<const Table>> table = Table::Compile(*rules);
    ASSERT_TRUE(table.ok()) << table.status();
    const Table& t = **table;
    const std::string image = t.Serialize();
    hatmatch_db* db = nullptr;
    ASSERT_EQ(hatmatch_db_open_table_bytes(image.data(), image.size(),
                                           "random.hmt", &db, nullptr),
              HATMATCH_OK);
    std::unique_ptr<hatmatch_db, void (*)(hatmatch_db*)> db_owner(
        db, hatmatch_db_free);

    CConns store;
    std::vector<Connection> conns;
    std::vector<hatmatch_conn> cs;
    for (int i = 0; i < 300; ++i) {
      conns.push_back(Draw(rng, *rules));
      cs.push_back(store.Make(rng, conns.back()));
    }
    std::vector<Decision> want;
    std::vector<std::string> want_text;
    for (const Connection& c : conns) {
      want.push_back(t.ClassifyWithEntry(c));
      want_text.emplace_back(t.Detail(want.back()).entry_text);
    }

    constexpr int kThreads = 4;
    std::vector<std::string> failures(kThreads);
    std::vector<std::thread> threads;
    for (int k = 0; k < kThreads; ++k) {
      threads.emplace_back([&, k] {
        std::vector<hatmatch_decision> out(cs.size());
        // Half the threads start with the batch, half with single calls.
        if (k % 2 == 0 && hatmatch_db_classify_batch(
                              db, cs.data(), cs.size(), HATMATCH_WITH_ENTRY,
                              out.data()) != HATMATCH_OK) {
          failures[k] = "batch failed";
          return;
        }
        for (size_t i = 0; i < cs.size(); ++i) {
          hatmatch_decision d;
          if (hatmatch_db_classify(db, &cs[i], HATMATCH_WITH_ENTRY, &d) !=
                  HATMATCH_OK ||
              FromC(d) != want[i] || (k % 2 == 0 && FromC(out[i]) != want[i])) {
            failures[k] =
                fmt::format("connection {}: {} (batch {}), want {}", i,
                            Show(FromC(d)), Show(FromC(out[i])), Show(want[i]));
            return;
          }
          if (d.rule != HATMATCH_NO_RULE &&
              hatmatch_db_rule_name(db, d.rule) != t.rule_name(d.rule)) {
            failures[k] = fmt::format("connection {}: rule name", i);
            return;
          }
          hatmatch_detail* detail = nullptr;
          if (hatmatch_db_detail(db, &d, &detail) != HATMATCH_OK) {
            failures[k] = fmt::format("connection {}: detail failed", i);
            return;
          }
          const bool same = want_text[i] == detail->entry_text;
          hatmatch_detail_free(detail);
          if (!same) {
            failures[k] = fmt::format("connection {}: entry text", i);
            return;
          }
        }
      });
    }
    for (std::thread& th : threads) th.join();
    for (int k = 0; k < kThreads; ++k) {
      EXPECT_EQ(failures[k], "") << "thread " << k << ", seed " << base + s;
    }
  }
}

}  // namespace
}  // namespace hatmatch
