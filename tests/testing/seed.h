// Copyright 2026 The hatmatch Authors.
//
// seed.h: one replayable seed for every randomized test.
//
// A run has one base seed: HATMATCH_TEST_SEED when set (decimal), else one
// drawn from std::random_device when the process first asks.  Each test's
// seed is derived from the base and the test's full name, so a test replays
// alone (--gtest_filter) with the same numbers it saw in the full run:
//
//   HATMATCH_TEST_SEED=1234 build/release/tests/hatmatch_tests
//       --gtest_filter=AddressTest.RandomRoundTripAgainstInetNtop
//
// TestSeed() writes the base and the derived seed to stderr and flushes at
// once, so the line survives an abort later in the test.

#ifndef HATMATCH_TESTS_TESTING_SEED_H_
#define HATMATCH_TESTS_TESTING_SEED_H_

#include <cstdint>

namespace hatmatch::testing {

// The run's base seed (see above).
uint64_t BaseSeed();

// The current test's seed, printed as
//   HATMATCH_TEST_SEED=BASE (Suite.Name: seed SEED)
// Call it at the start of the test body.
uint64_t TestSeed();

}  // namespace hatmatch::testing

#endif  // HATMATCH_TESTS_TESTING_SEED_H_
