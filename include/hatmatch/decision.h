// Copyright 2026 The hatmatch Authors.
//
// decision.h: the answer to "which rule decides this connection?".
//
// A Decision is small and trivially copyable: the deciding rule's index, its
// action, and (when asked for) the deciding entry's index in the RuleSet's
// file-ordered entry list.  Names, policy parameters and source lines live in
// the RuleSet or compiled Table that produced the decision; Detail() on either
// turns a Decision into a DecisionDetail of views into that owner.

#ifndef HATMATCH_DECISION_H_
#define HATMATCH_DECISION_H_

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "hatmatch/rules.h"

namespace hatmatch {

inline constexpr uint32_t kNoRule = UINT32_MAX;
inline constexpr uint32_t kNoEntry = UINT32_MAX;

struct Decision {
  uint32_t rule = kNoRule;          // index into the rules; kNoRule: no match
  uint32_t entry = kNoEntry;        // deciding entry; kNoEntry for ALL/no match
  Action action = Action::kAccept;  // meaningful only when matched()

  bool matched() const { return rule != kNoRule; }
  friend bool operator==(const Decision&, const Decision&) = default;
};

// Everything an administrator wants to see about a decision.  Views point into
// the RuleSet or Table that produced it and live as long as it does.
struct DecisionDetail {
  bool matched = false;
  std::string_view rule_name;  // "-" when no match
  Action action = Action::kAccept;
  std::string_view policy_name;  // empty for an inline action
  std::vector<std::pair<std::string_view, std::string_view>> params;
  std::string_view entry_text;  // empty when no entry (ALL, no match)
  SourceLoc entry_loc;
  SourceLoc rule_loc;
  std::string_view file;
};

}  // namespace hatmatch

#endif  // HATMATCH_DECISION_H_
