// Copyright 2026 The hatmatch Authors.
//
// random_rules.h: randomized rule files and connections for differential
// tests.  Rules are written as HAT text (so the parser is exercised too) over
// deliberately small universes of addresses, labels, scores and ids, so that
// entries nest, overlap and share suffixes across rules all the time.
// Connections are drawn mostly at the edges of the parsed entries: first and
// last address of every range and one either side, names at and around
// every pattern, scores at range ends.

#ifndef HATMATCH_TESTS_TESTING_RANDOM_RULES_H_
#define HATMATCH_TESTS_TESTING_RANDOM_RULES_H_

#include <cstdint>
#include <random>
#include <string>

#include "hatmatch/connection.h"
#include "hatmatch/rules.h"

namespace hatmatch::testing {

struct RandomRulesOptions {
  int max_rules = 24;
  int max_entries_per_rule = 6;
  bool allow_all = true;
};

// A random, valid rule file.
std::string RandomRuleText(std::mt19937_64& rng,
                           const RandomRulesOptions& opts = {});

// A random connection, biased towards the edges of `rules`' entries.
Connection RandomConnection(std::mt19937_64& rng, const RuleSet& rules);

}  // namespace hatmatch::testing

#endif  // HATMATCH_TESTS_TESTING_RANDOM_RULES_H_
