// Copyright 2026 The hatmatch Authors.

#include "engine/serve/table_view.h"

namespace hatmatch::serve {
namespace {

std::vector<RuleInfo> DescribeRules(const Table& table) {
  std::vector<RuleInfo> rules(table.rule_count());
  for (uint32_t r = 0; r < rules.size(); ++r) {
    Decision d{.rule = r, .entry = kNoEntry, .action = table.rule_action(r)};
    DecisionDetail detail = table.Detail(d);
    rules[r].name = std::string(table.rule_name(r));
    rules[r].action = d.action;
    for (const auto& [key, value] : detail.params) {
      if (key == "tls" && value == "required") rules[r].tls_required = true;
    }
  }
  return rules;
}

}  // namespace

void TableView::Refresh() {
  uint64_t current = matcher_.generation();
  if (current == generation_) return;
  // Get() and generation() are separate reads: a generation unchanged across
  // Get() proves the table returned is the one of that generation.
  std::shared_ptr<const Table> table;
  uint64_t before;
  do {
    before = matcher_.generation();
    table = matcher_.Get();
  } while (matcher_.generation() != before);
  rules_ = table ? DescribeRules(*table) : std::vector<RuleInfo>();
  table_ = std::move(table);
  generation_ = before;
}

Decision TableView::Classify(const Connection& conn, const RuleInfo** rule) {
  Refresh();
  Decision d;
  if (table_) d = table_->Classify(conn);
  *rule = d.matched() && d.rule < rules_.size() ? &rules_[d.rule] : nullptr;
  return d;
}

}  // namespace hatmatch::serve
