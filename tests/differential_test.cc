// Copyright 2026 The hatmatch Authors.
//
// The compiled table against the reference classifier, on randomized rule
// files and connections concentrated on the edges of every entry.  Every
// disagreement prints the seed, the connection and the rule file, so it can
// be replayed.  HATMATCH_DIFF_SEEDS scales the run (default: about a million
// connections in total).

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "fmt/format.h"
#include "gtest/gtest.h"
#include "hatmatch/parse.h"
#include "hatmatch/reference.h"
#include "hatmatch/table.h"
#include "tests/testing/random_rules.h"

namespace hatmatch {
namespace {

std::string Describe(const Connection& c) {
  std::string s = FormatIpAddress(c.address);
  if (!c.ptr.empty()) s += " ptr=" + c.ptr;
  static const char* kDns[] = {"unknown", "verified", "nx", "servfail",
                               "mismatch"};
  s += fmt::format(" dns={}", kDns[static_cast<int>(c.dns)]);
  s += c.sbrs ? fmt::format(" sbrs={}", *c.sbrs) : " sbrs=none";
  if (c.sbo) s += fmt::format(" sbo={}", *c.sbo);
  for (const auto& z : c.dnslists) s += " dnslist=" + z;
  return s;
}

int Seeds(int fallback) {
  const char* env = std::getenv("HATMATCH_DIFF_SEEDS");
  return env ? std::atoi(env) : fallback;
}

void RunSeed(uint64_t seed, const testing::RandomRulesOptions& opts,
             int connections) {
  std::mt19937_64 rng(seed);
  const std::string text = testing::RandomRuleText(rng, opts);
  absl::StatusOr<RuleSet> rules = ParseRules(text, "random.hat");
  ASSERT_TRUE(rules.ok()) << "seed " << seed << ": " << rules.status() << "\n"
                          << text;
  absl::StatusOr<std::shared_ptr<const Table>> table = Table::Compile(*rules);
  ASSERT_TRUE(table.ok()) << table.status();
  ReferenceClassifier ref(*rules);

  std::vector<Connection> conns;
  conns.reserve(connections);
  for (int i = 0; i < connections; ++i) {
    conns.push_back(testing::RandomConnection(rng, *rules));
  }
  std::vector<Decision> batch(conns.size());
  (*table)->ClassifyBatch(conns, batch);
  for (size_t i = 0; i < conns.size(); ++i) {
    const Connection& c = conns[i];
    const Decision want = ref.Classify(c);
    const Decision got = (*table)->ClassifyWithEntry(c);
    const Decision fast = (*table)->Classify(c);
    if (!(want == got) || want.rule != fast.rule ||
        want.rule != batch[i].rule ||
        (want.matched() &&
         (want.action != fast.action || want.action != batch[i].action))) {
      FAIL() << "seed " << seed << ", connection " << i << ": " << Describe(c)
             << "\nreference rule " << int64_t(want.rule) << " entry "
             << int64_t(want.entry) << "\ncompiled  rule " << int64_t(got.rule)
             << " entry " << int64_t(got.entry) << " (fast "
             << int64_t(fast.rule) << ", batch " << int64_t(batch[i].rule)
             << ")\nrules:\n"
             << text;
    }
  }
}

TEST(DifferentialTest, SmallRuleSets) {
  const int seeds = Seeds(400);
  for (int s = 1; s <= seeds; ++s) {
    RunSeed(s, {}, 2000);
    if (HasFatalFailure()) return;
  }
}

TEST(DifferentialTest, LargeRuleSets) {
  testing::RandomRulesOptions opts;
  opts.max_rules = 1500;
  opts.max_entries_per_rule = 8;
  const int seeds = std::max(1, Seeds(400) / 20);
  for (int s = 1; s <= seeds; ++s) {
    RunSeed(1000000 + s, opts, 10000);
    if (HasFatalFailure()) return;
  }
}

// The per-dimension entry points against brute force over the entries.
TEST(DifferentialTest, DimensionLookups) {
  for (uint64_t seed = 1; seed <= 100; ++seed) {
    std::mt19937_64 rng(seed);
    const std::string text = testing::RandomRuleText(rng);
    absl::StatusOr<RuleSet> rules = ParseRules(text, "random.hat");
    ASSERT_TRUE(rules.ok()) << rules.status();
    auto table = Table::Compile(*rules);
    ASSERT_TRUE(table.ok());
    for (int i = 0; i < 500; ++i) {
      Connection c = testing::RandomConnection(rng, *rules);
      uint32_t want4 = kNoRule, want6 = kNoRule;
      for (const Entry& e : rules->entries()) {
        if (rules->action_of(e.rule) == Action::kContinue) continue;
        if (auto* r = std::get_if<Ipv4Range>(&e.value);
            r && c.address.is_v4() && r->lo <= c.address.v4() &&
            c.address.v4() <= r->hi) {
          want4 = std::min(want4, e.rule);
        }
        if (auto* r = std::get_if<Ipv6Range>(&e.value);
            r && !c.address.is_v4() && r->lo <= c.address.v6() &&
            c.address.v6() <= r->hi) {
          want6 = std::min(want6, e.rule);
        }
      }
      if (c.address.is_v4()) {
        ASSERT_EQ((*table)->LookupIpv4(c.address.v4()), want4)
            << "seed " << seed << " " << Describe(c);
      } else {
        ASSERT_EQ((*table)->LookupIpv6(c.address.v6()), want6)
            << "seed " << seed << " " << Describe(c);
      }
    }
  }
}

}  // namespace
}  // namespace hatmatch
