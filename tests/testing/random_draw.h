// Copyright 2026 The hatmatch Authors.
//
// random_draw.h: the small draws the randomized test generators share
// (a uniform index, a coin with odds p, a pick from a list, an IPv4 address
// near a few anchors, a host name), all from one std::mt19937_64 so a seed
// replays the same sequence.

#ifndef HATMATCH_TESTS_TESTING_RANDOM_DRAW_H_
#define HATMATCH_TESTS_TESTING_RANDOM_DRAW_H_

#include <cstdint>
#include <random>
#include <string>
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

// A small IPv4 universe: addresses near a handful of anchors, so that
// entries collide.  Occasionally anything at all.
inline uint32_t RandomV4(Rng& rng) {
  static const std::vector<uint32_t> anchors = {
      0x0A000000, 0x0A0000FF, 0x0A000100, 0x0A01FFFF, 0xC0A80000,
      0xC0A800FF, 0x00000000, 0xFFFFFFFF, 0x7F000001, 0xD05A3900};
  if (Chance(rng, 0.1)) return static_cast<uint32_t>(rng());
  return Pick(rng, anchors) + static_cast<uint32_t>(Uniform(rng, 600)) - 300;
}

// A host name of 1 to max_labels labels drawn from a dozen short ones, so
// that random names often share suffixes and collide.
inline std::string RandomName(Rng& rng, int max_labels) {
  static const std::vector<std::string> labels = {
      "com", "org", "example", "mx", "mail", "a",
      "b",   "res", "cisco",   "co", "uk",   "x_y"};
  const int n = 1 + static_cast<int>(Uniform(rng, max_labels));
  std::string s;
  for (int i = 0; i < n; ++i) {
    if (i) s += '.';
    s += Pick(rng, labels);
  }
  return s;
}

}  // namespace hatmatch::testing

#endif  // HATMATCH_TESTS_TESTING_RANDOM_DRAW_H_
