// Copyright 2026 The hatmatch Authors.
//
// reference.h: the reference classifier, a linear first-match scan.
//
// This is the oracle.  It is deliberately plain: for each rule top to bottom,
// for each entry in order, test the entry against the connection; the first
// match in a rule whose action is not CONTINUE decides.  Every fast structure
// (table.h) is tested against it, on every input, forever.  Cost: O(entries)
// per connection.  It keeps a reference to the RuleSet, which must outlive it.

#ifndef HATMATCH_REFERENCE_H_
#define HATMATCH_REFERENCE_H_

#include <vector>

#include "hatmatch/connection.h"
#include "hatmatch/decision.h"
#include "hatmatch/rules.h"

namespace hatmatch {

// Does this one entry match the connection?  (HAT-RULES.md section 3.)
bool EntryMatches(const Entry& entry, const Connection& conn);

class ReferenceClassifier {
 public:
  explicit ReferenceClassifier(const RuleSet& rules) : rules_(rules) {}

  Decision Classify(const Connection& conn) const;

  // Every entry that matches, in file order, including those of CONTINUE
  // rules and of rules below the deciding one (for `hatmatch explain`).
  std::vector<uint32_t> MatchingEntries(const Connection& conn) const;

  DecisionDetail Detail(const Decision& d) const;

  const RuleSet& rules() const { return rules_; }

 private:
  const RuleSet& rules_;
};

// DecisionDetail for a decision made over `rules`.
DecisionDetail DetailFromRuleSet(const RuleSet& rules, const Decision& d);

}  // namespace hatmatch

#endif  // HATMATCH_REFERENCE_H_
