// Copyright 2026 The hatmatch Authors.
//
// table_view.h: one worker thread's view of the Matcher's current table.
//
// A decision names a rule by index, and indices change with every reload, so
// the rule's name and policy must come from the very table that decided.
// The view holds one table (kept alive by a shared_ptr) with what the service
// needs per rule precomputed, and moves to the Matcher's newer table when the
// generation changes: a lock-free check per request; a reload never blocks a
// request.  One view per thread; not thread-safe itself.

#ifndef HATMATCH_ENGINE_SERVE_TABLE_VIEW_H_
#define HATMATCH_ENGINE_SERVE_TABLE_VIEW_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "hatmatch/connection.h"
#include "hatmatch/decision.h"
#include "hatmatch/matcher.h"
#include "hatmatch/table.h"

namespace hatmatch::serve {

struct RuleInfo {
  std::string name;
  Action action = Action::kAccept;
  bool tls_required = false;  // policy parameter tls = "required"
};

class TableView {
 public:
  explicit TableView(const Matcher& matcher) : matcher_(matcher) {}

  // Classifies with the current table; *rule is the deciding rule's info, or
  // nullptr when no rule matched.
  Decision Classify(const Connection& conn, const RuleInfo** rule);

  // Moves to the Matcher's current table if it is newer (also drops a
  // replaced table as soon as possible after a reload).
  void Refresh();
  uint64_t generation() const { return generation_; }

 private:
  const Matcher& matcher_;
  std::shared_ptr<const Table> table_;
  std::vector<RuleInfo> rules_;
  uint64_t generation_ = UINT64_MAX;
};

}  // namespace hatmatch::serve

#endif  // HATMATCH_ENGINE_SERVE_TABLE_VIEW_H_
