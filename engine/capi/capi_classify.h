// Copyright 2026 The hatmatch Authors.
//
// capi_classify.h: single and batch classification through the C API, for
// any classifier with the Table/Matcher lookup interface.  Connections are
// converted into a per-thread scratch array that keeps its string capacity,
// so after a thread's first calls nothing is allocated per connection.

#ifndef HATMATCH_ENGINE_CAPI_CAPI_CLASSIFY_H_
#define HATMATCH_ENGINE_CAPI_CAPI_CLASSIFY_H_

#include <cstddef>
#include <span>
#include <vector>

#include "engine/capi/capi_internal.h"

namespace hatmatch::capi {

// Batches go to the engine in blocks of this many connections: large enough
// for the batch lookups to overlap their memory accesses, small enough for
// the scratch connections to stay in cache.
inline constexpr size_t kBatchBlock = 256;

struct Scratch {
  std::vector<Connection> conns;
  std::vector<Decision> decisions;
};
Scratch& ThreadScratch();

template <class Classifier>
hatmatch_status ClassifyOne(const Classifier& c, const hatmatch_conn* conn,
                            unsigned flags, hatmatch_decision* out) {
  if (conn == nullptr || out == nullptr) return HATMATCH_ERROR_INVALID_ARGUMENT;
  return Guarded(nullptr, [&] {
    Scratch& s = ThreadScratch();
    if (s.conns.empty()) s.conns.resize(1);
    Connection& cc = s.conns[0];
    if (hatmatch_status st = ToConnection(*conn, &cc); st != HATMATCH_OK) {
      return st;
    }
    *out = ToC((flags & HATMATCH_WITH_ENTRY) != 0 ? c.ClassifyWithEntry(cc)
                                                  : c.Classify(cc));
    return HATMATCH_OK;
  });
}

template <class Classifier>
hatmatch_status ClassifyMany(const Classifier& c, const hatmatch_conn* conns,
                             size_t n, unsigned flags, hatmatch_decision* out) {
  if (n == 0) return HATMATCH_OK;
  if (conns == nullptr || out == nullptr) {
    return HATMATCH_ERROR_INVALID_ARGUMENT;
  }
  return Guarded(nullptr, [&] {
    Scratch& s = ThreadScratch();
    s.conns.resize(kBatchBlock);
    s.decisions.resize(kBatchBlock);
    for (size_t base = 0; base < n; base += kBatchBlock) {
      const size_t m = std::min(kBatchBlock, n - base);
      for (size_t i = 0; i < m; ++i) {
        hatmatch_status st = ToConnection(conns[base + i], &s.conns[i]);
        if (st != HATMATCH_OK) return st;
      }
      const std::span<const Connection> in(s.conns.data(), m);
      if ((flags & HATMATCH_WITH_ENTRY) != 0) {
        for (size_t i = 0; i < m; ++i) {
          out[base + i] = ToC(c.ClassifyWithEntry(in[i]));
        }
        continue;
      }
      c.ClassifyBatch(in, std::span<Decision>(s.decisions.data(), m));
      for (size_t i = 0; i < m; ++i) out[base + i] = ToC(s.decisions[i]);
    }
    return HATMATCH_OK;
  });
}

}  // namespace hatmatch::capi

#endif  // HATMATCH_ENGINE_CAPI_CAPI_CLASSIFY_H_
