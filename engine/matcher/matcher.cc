// Copyright 2026 The hatmatch Authors.
//
// Matcher: hazard-pointer publication of the current table (see matcher.h).
//
// Memory-ordering argument.  Reader R protecting holder p:
//   (1) slot = p            seq_cst store
//   (2) current == p ?      seq_cst load; if not, retry with the new value
//   (3) use p
//   (4) slot = nullptr      release store
// Writer W replacing p:
//   (a) current = q         seq_cst exchange, returns p
//   (b) read every slot     seq_cst loads
//   (c) delete p if no slot holds it
// If R reached (3), its load (2) read p, so (2) precedes (a) in the single
// total order of seq_cst operations, hence (1) precedes (b): W's scan sees p
// in R's slot, or a value R stored after (3) with release semantics, which
// makes R's use of p happen before W's delete.  Either way p is not freed
// under R.  Slots are per thread and calls never nest, so one slot suffices.

#include "hatmatch/matcher.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/matcher/matcher_guard.h"

namespace hatmatch {
namespace {

// One per thread that ever read from any Matcher.  Never freed: a thread that
// exits marks its record free and the next new thread reuses it, so there
// are never more records than threads alive at once.
struct alignas(64) HazardRecord {
  std::atomic<const void*> hazard{nullptr};
  std::atomic<bool> in_use{false};
  HazardRecord* next = nullptr;  // immutable once published
};

std::atomic<HazardRecord*> g_records{nullptr};

HazardRecord* AcquireRecord() {
  for (HazardRecord* r = g_records.load(std::memory_order_acquire); r;
       r = r->next) {
    bool expected = false;
    if (!r->in_use.load(std::memory_order_relaxed) &&
        r->in_use.compare_exchange_strong(expected, true,
                                          std::memory_order_acquire)) {
      return r;
    }
  }
  auto* r = new HazardRecord;
  r->in_use.store(true, std::memory_order_relaxed);
  HazardRecord* head = g_records.load(std::memory_order_relaxed);
  do {
    r->next = head;
  } while (!g_records.compare_exchange_weak(head, r, std::memory_order_release,
                                            std::memory_order_relaxed));
  return r;
}

struct ThreadSlot {
  HazardRecord* record = nullptr;
  ~ThreadSlot() {
    if (record != nullptr) {
      record->hazard.store(nullptr, std::memory_order_release);
      record->in_use.store(false, std::memory_order_release);
    }
  }
};

thread_local ThreadSlot t_slot;

HazardRecord* MyRecord() {
  if (t_slot.record == nullptr) t_slot.record = AcquireRecord();
  return t_slot.record;
}

}  // namespace

Matcher::Guard::Guard(const Matcher& m) : hazard_(&MyRecord()->hazard) {
  const Holder* p = m.current_.load(std::memory_order_acquire);
  for (;;) {
    hazard_->store(p, std::memory_order_seq_cst);
    const Holder* q = m.current_.load(std::memory_order_seq_cst);
    if (q == p) break;
    p = q;
  }
  holder_ = p;
}

Matcher::Matcher() : Matcher(nullptr) {}

Matcher::Matcher(std::shared_ptr<const Table> table)
    : current_(new Holder{std::move(table), 0}) {}

Matcher::~Matcher() {
  delete current_.load(std::memory_order_acquire);
  for (const Holder* h : retired_) delete h;
}

Decision Matcher::Classify(const Connection& conn) const {
  Guard g(*this);
  return g.table() ? g.table()->Classify(conn) : Decision{};
}

Decision Matcher::ClassifyWithEntry(const Connection& conn) const {
  Guard g(*this);
  return g.table() ? g.table()->ClassifyWithEntry(conn) : Decision{};
}

void Matcher::ClassifyBatch(std::span<const Connection> conns,
                            std::span<Decision> out) const {
  Guard g(*this);
  if (g.table()) {
    g.table()->ClassifyBatch(conns, out);
  } else {
    std::fill(out.begin(), out.begin() + conns.size(), Decision{});
  }
}

std::shared_ptr<const Table> Matcher::Get() const {
  Guard g(*this);
  return g.holder()->table;
}

uint64_t Matcher::generation() const {
  Guard g(*this);
  return g.holder()->generation;
}

absl::Status Matcher::Reload(const std::string& table_path) {
  absl::StatusOr<std::shared_ptr<const Table>> t = Table::Open(table_path);
  if (!t.ok()) return t.status();
  Swap(*std::move(t));
  return absl::OkStatus();
}

absl::Status Matcher::ReloadRules(const std::string& rules_path,
                                  const ParseOptions& options) {
  absl::StatusOr<RuleSet> rules = ParseRuleFile(rules_path, options);
  if (!rules.ok()) return rules.status();
  absl::StatusOr<std::shared_ptr<const Table>> t = Table::Compile(*rules);
  if (!t.ok()) return t.status();
  Swap(*std::move(t));
  return absl::OkStatus();
}

void Matcher::Swap(std::shared_ptr<const Table> table) {
  std::lock_guard<std::mutex> lock(writer_mu_);
  // Everything that can throw (std::bad_alloc) comes before the new table
  // is published: a Swap that fails changes nothing, and one that publishes
  // cannot fail afterwards.
  retired_.reserve(retired_.size() + 1);
  const Holder* h = new Holder{std::move(table), next_generation_};
  ++next_generation_;
  retired_.push_back(current_.exchange(h, std::memory_order_seq_cst));
  ScanRetiredLocked();
}

void Matcher::ScanRetiredLocked() {
  std::vector<const void*> protected_now;
  try {
    for (HazardRecord* r = g_records.load(std::memory_order_acquire); r;
         r = r->next) {
      if (const void* p = r->hazard.load(std::memory_order_seq_cst)) {
        protected_now.push_back(p);
      }
    }
  } catch (const std::bad_alloc&) {
    return;  // nothing freed now: the next writer's scan frees them
  }
  std::sort(protected_now.begin(), protected_now.end(),
            std::less<const void*>());
  auto keep = retired_.begin();
  for (const Holder* h : retired_) {
    if (std::binary_search(protected_now.begin(), protected_now.end(),
                           static_cast<const void*>(h),
                           std::less<const void*>())) {
      *keep++ = h;
    } else {
      delete h;
    }
  }
  retired_.erase(keep, retired_.end());
}

}  // namespace hatmatch
