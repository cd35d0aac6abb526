// Copyright 2026 The hatmatch Authors.
//
// random.h: the generators' source of randomness, identical on every platform.
//
// `hatmatch gen` promises the same bytes for the same seed on any compiler and
// standard library.  The <random> distributions do not (their algorithms are
// implementation-defined), so the generators use only this header:
//
//   Rng        xoshiro256** seeded through splitmix64.  Next() is a few ns.
//   Below(n)   uniform in [0, n) by Lemire's multiply-and-reject, unbiased.
//   Unit()     uniform double in [0, 1) with 53 random bits.
//   ZipfSampler  ranks 0..n-1 with P(r) proportional to 1/(r+1)^s, by binary
//              search over a precomputed CDF: O(n) memory, O(log n) per draw.
//              (Its weights come from std::pow, whose last bit may differ
//              between libm versions; only skewed traffic depends on it.)
//
// Nothing here is cryptographic.

#ifndef HATMATCH_ENGINE_GEN_RANDOM_H_
#define HATMATCH_ENGINE_GEN_RANDOM_H_

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace hatmatch::gen {

class Rng {
 public:
  explicit Rng(uint64_t seed) {
    for (uint64_t& w : s_) w = SplitMix(seed);
  }

  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, n); n == 0 yields 0.
  uint64_t Below(uint64_t n) {
    if (n == 0) return 0;
    unsigned __int128 m = static_cast<unsigned __int128>(Next()) * n;
    uint64_t low = static_cast<uint64_t>(m);
    if (low < n) {
      const uint64_t threshold = (0 - n) % n;
      while (low < threshold) {
        m = static_cast<unsigned __int128>(Next()) * n;
        low = static_cast<uint64_t>(m);
      }
    }
    return static_cast<uint64_t>(m >> 64);
  }

  // Uniform in [lo, hi], inclusive.
  uint64_t Between(uint64_t lo, uint64_t hi) {
    if (lo == 0 && hi == UINT64_MAX) return Next();
    return lo + Below(hi - lo + 1);
  }

  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  bool Chance(double p) { return p > 0 && Unit() < p; }

  // A derived, independent stream (for sub-generators that must not shift
  // the main stream when their options change).
  Rng Fork(uint64_t salt) { return Rng(Next() ^ (salt * 0x9e3779b97f4a7c15)); }

  template <class T>
  void Shuffle(std::vector<T>& v) {
    for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[Below(i)]);
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static uint64_t SplitMix(uint64_t& x) {
    uint64_t z = (x += 0x9e3779b97f4a7c15);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
    z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
    return z ^ (z >> 31);
  }
  uint64_t s_[4];
};

// Weighted choice among a fixed set of outcomes (a few dozen at most).
class WeightedChoice {
 public:
  explicit WeightedChoice(const std::vector<double>& weights) {
    double sum = 0;
    for (double w : weights) cdf_.push_back(sum += std::max(w, 0.0));
    total_ = sum;
  }
  size_t Draw(Rng& rng) const {
    const double u = rng.Unit() * total_;
    const size_t i = static_cast<size_t>(
        std::upper_bound(cdf_.begin(), cdf_.end(), u) - cdf_.begin());
    return std::min(i, cdf_.size() - 1);
  }
  bool empty() const { return cdf_.empty() || total_ <= 0; }

 private:
  std::vector<double> cdf_;
  double total_ = 0;
};

class ZipfSampler {
 public:
  // n >= 1 ranks, exponent s >= 0 (s == 0 is uniform).
  ZipfSampler(size_t n, double s) : cdf_(std::max<size_t>(n, 1)) {
    double sum = 0;
    for (size_t r = 0; r < cdf_.size(); ++r) {
      sum += std::pow(static_cast<double>(r + 1), -s);
      cdf_[r] = sum;
    }
  }
  size_t Draw(Rng& rng) const {
    const double u = rng.Unit() * cdf_.back();
    const size_t i = static_cast<size_t>(
        std::upper_bound(cdf_.begin(), cdf_.end(), u) - cdf_.begin());
    return std::min(i, cdf_.size() - 1);
  }

 private:
  std::vector<double> cdf_;
};

}  // namespace hatmatch::gen

#endif  // HATMATCH_ENGINE_GEN_RANDOM_H_
