// Copyright 2026 The hatmatch Authors.
//
// score_key.h: reputation scores (doubles, -10..10) as unsigned integer keys
// whose order is the scores' order, so that sbrs ranges become integer
// intervals.  The one home of that mapping, in two strengths:
//
//   OrderedScoreKey  the key the compiled table stores and looks up (its
//                    values are part of the table file format).  -0.0 and
//                    +0.0 share a key; the key just below +0.0's is unused.
//   ScoreKey         the same keys made dense for interval arithmetic:
//                    consecutive doubles get consecutive keys, so "the score
//                    just past this segment" is key + 1.  Lint and diff use
//                    it; ScoreOfKey is its inverse.

#ifndef HATMATCH_ENGINE_TABLE_SCORE_KEY_H_
#define HATMATCH_ENGINE_TABLE_SCORE_KEY_H_

#include <bit>
#include <cstdint>

namespace hatmatch {

inline uint64_t OrderedScoreKey(double score) {
  if (score == 0) score = 0.0;  // fold -0.0 into +0.0
  const uint64_t bits = std::bit_cast<uint64_t>(score);
  return (bits >> 63) ? ~bits : bits | (uint64_t{1} << 63);
}

// The key of +0.0 (and -0.0) in both forms.
inline constexpr uint64_t kScoreZero = uint64_t{1} << 63;

// OrderedScoreKey with the unused key below zero closed up.
inline uint64_t ScoreKey(double s) {
  return OrderedScoreKey(s) + (s < 0 ? 1 : 0);
}
inline double ScoreOfKey(uint64_t k) {
  if (k >= kScoreZero) return std::bit_cast<double>(k - kScoreZero);
  return -std::bit_cast<double>(kScoreZero - k);
}
inline uint64_t MinScoreKey() { return ScoreKey(-10.0); }
inline uint64_t MaxScoreKey() { return ScoreKey(10.0); }

}  // namespace hatmatch

#endif  // HATMATCH_ENGINE_TABLE_SCORE_KEY_H_
