// Copyright 2026 The hatmatch Authors.
//
// matcher.h: a handle that classifies with "the current table" while the
// table is replaced underneath it (hot reload).
//
//   Matcher m(*Table::Open("/etc/hat/current.hmt"));
//   // any number of threads, at any time:
//   Decision d = m.Classify(conn);
//   // one thread, when the rules change:
//   if (absl::Status s = m.Reload("/etc/hat/current.hmt"); !s.ok()) {
//     LOG(ERROR) << s;   // the old table is still serving
//   }
//
// Guarantees:
//  - Readers (Classify*, Get, generation) are lock-free: they never take a
//    lock, never wait for a writer and never allocate (except once per thread,
//    on the first call, to register the thread).  A lookup runs entirely on
//    one table, old or new; a batch is classified by one table throughout.
//  - A writer publishes a fully built, fully validated table with one atomic
//    store.  A reload that fails (unreadable file, damaged table, rule errors)
//    changes nothing and returns the error; the old table keeps serving.
//  - Writers (Reload, ReloadRules, Swap) are serialized among themselves by a
//    mutex; they never block readers.
//  - A replaced table is destroyed once no lookup is still running on it and
//    no Get() pointer holds it.  Destroying the Matcher while other threads
//    still call it is undefined, as for any object.
//
// How: hazard pointers.  Each reading thread owns a cache-line-sized slot
// (registered once, reused after the thread exits).  A reader announces the
// table it is about to use in its slot, re-checks that it is still current,
// does the lookup, and clears the slot.  A writer swaps the current pointer,
// then frees each retired table that no slot announces.  This costs a reader
// one sequentially consistent store per call and no shared-counter traffic,
// where std::atomic<std::shared_ptr> (libstdc++ 12) takes an internal spin
// lock on every load and bounces one reference count between all cores.
// Get() does bump the table's reference count, for callers that want a
// table for longer than one lookup (Detail() on a decision, say).

#ifndef HATMATCH_MATCHER_H_
#define HATMATCH_MATCHER_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "hatmatch/connection.h"
#include "hatmatch/decision.h"
#include "hatmatch/export.h"
#include "hatmatch/parse.h"
#include "hatmatch/table.h"

namespace hatmatch {

class HATMATCH_EXPORT Matcher {
 public:
  // Without a table every connection gets "no match" until Swap/Reload.
  Matcher();
  explicit Matcher(std::shared_ptr<const Table> table);
  ~Matcher();
  Matcher(const Matcher&) = delete;
  Matcher& operator=(const Matcher&) = delete;

  // --- Readers: any thread, lock-free. ---
  Decision Classify(const Connection& conn) const;
  Decision ClassifyWithEntry(const Connection& conn) const;
  // All of conns by one table.  out.size() >= conns.size().
  void ClassifyBatch(std::span<const Connection> conns,
                     std::span<Decision> out) const;
  // The current table (nullptr when there is none), kept alive by the
  // returned pointer for as long as the caller holds it.
  std::shared_ptr<const Table> Get() const;
  // 0 for the table given at construction, +1 per successful replacement.
  uint64_t generation() const;

  // --- Writers: serialized among themselves. ---
  // Opens and validates a compiled table file, then publishes it.
  absl::Status Reload(const std::string& table_path);
  // Parses and compiles a rule file, then publishes the table.
  absl::Status ReloadRules(const std::string& rules_path,
                           const ParseOptions& options = {});
  // Publishes `table` (nullptr: no table).
  void Swap(std::shared_ptr<const Table> table);

  // Pins the current table for one lookup or batch: the engine's own
  // callers that classify through it directly (the C API).  Internal:
  // engine/matcher/matcher_guard.h.
  class Guard;

 private:
  struct Holder {
    std::shared_ptr<const Table> table;
    uint64_t generation;
  };

  // Frees the retired tables no reader holds.  Never throws (without memory
  // it frees nothing and leaves them to the next scan).
  void ScanRetiredLocked();

  std::atomic<const Holder*> current_;
  std::mutex writer_mu_;
  std::vector<const Holder*> retired_;  // guarded by writer_mu_
  uint64_t next_generation_ = 1;        // guarded by writer_mu_
};

}  // namespace hatmatch

#endif  // HATMATCH_MATCHER_H_
