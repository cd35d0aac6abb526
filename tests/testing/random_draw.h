// Copyright 2026 The hatmatch Authors.
//
// random_draw.h: the small draws the randomized test generators share
// (a uniform index, a coin with odds p, a pick from a list), all from one
// std::mt19937_64 so a seed replays the same sequence everywhere.

#ifndef HATMATCH_TESTS_TESTING_RANDOM_DRAW_H_
#define HATMATCH_TESTS_TESTING_RANDOM_DRAW_H_

#include <cstdint>
#include <random>
#include <vector>

namespace hatmatch::testing {

using Rng = std::mt19937_64;

// A uniform draw from [0, n); n must be at least 1.
inline uint64_t Uniform(Rng& rng, uint64_t n) {
  return std::uniform_int_distribution<uint64_t>(0, n - 1)(rng);
}

// True with probability p.
inline bool Chance(Rng& rng, double p) {
  return std::bernoulli_distribution(p)(rng);
}

// A uniformly chosen element of a non-empty `v`.
template <class T>
const T& Pick(Rng& rng, const std::vector<T>& v) {
  return v[Uniform(rng, v.size())];
}

}  // namespace hatmatch::testing

#endif  // HATMATCH_TESTS_TESTING_RANDOM_DRAW_H_
