// Copyright 2026 The hatmatch Authors.
//
// matcher_guard.h: Matcher::Guard, the reader side of the hazard-pointer
// publication (matcher.cc has the memory-ordering argument).  Internal: for
// the Matcher's own readers and for the C API, which classifies on the
// guarded table directly (one guard per call or per batch, so a batch runs
// on one table).

#ifndef HATMATCH_ENGINE_MATCHER_MATCHER_GUARD_H_
#define HATMATCH_ENGINE_MATCHER_MATCHER_GUARD_H_

#include <atomic>

#include "hatmatch/matcher.h"
#include "hatmatch/table.h"

namespace hatmatch {

// Protects the matcher's current table for the guard's lifetime: announces
// it in this thread's hazard slot and re-checks that it is still current.
// The first guard of a thread registers the thread (an allocation that may
// throw std::bad_alloc); after that it neither allocates nor waits.  Guards
// do not nest within a thread.
class Matcher::Guard {
 public:
  explicit Guard(const Matcher& m);
  ~Guard() { hazard_->store(nullptr, std::memory_order_release); }
  Guard(const Guard&) = delete;
  Guard& operator=(const Guard&) = delete;

  const Holder* holder() const { return holder_; }
  // The current table; nullptr when the matcher has none.
  const Table* table() const { return holder_->table.get(); }

 private:
  std::atomic<const void*>* hazard_;
  const Holder* holder_;
};

}  // namespace hatmatch

#endif  // HATMATCH_ENGINE_MATCHER_MATCHER_GUARD_H_
