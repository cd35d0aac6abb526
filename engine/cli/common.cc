// Copyright 2026 The hatmatch Authors.

#include "engine/cli/common.h"

#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include "engine/base/json.h"
#include "fmt/format.h"
#include "hatmatch/parse.h"

namespace hatmatch::cli {

std::optional<Loaded> LoadRules(const std::string& path, bool compile) {
  Loaded out;
  if (Table::IsTableFile(path)) {
    absl::StatusOr<std::shared_ptr<const Table>> t = Table::Open(path);
    if (!t.ok()) {
      // Table errors already name the file ("t.hmt: checksum mismatch ...").
      fmt::print(stderr, "{}\n", Msg(t.status()));
      return std::nullopt;
    }
    out.table = *std::move(t);
    return out;
  }
  absl::StatusOr<RuleSet> rs = ParseRuleFile(path);
  if (!rs.ok()) {
    fmt::print(stderr, "{}\n", Msg(rs.status()));
    return std::nullopt;
  }
  out.rules = *std::move(rs);
  if (compile) {
    absl::StatusOr<std::shared_ptr<const Table>> t = Table::Compile(*out.rules);
    if (!t.ok()) {
      fmt::print(stderr, "{}: {}\n", path, Msg(t.status()));
      return std::nullopt;
    }
    out.table = *std::move(t);
  }
  return out;
}

void AppendJsonString(std::string_view s, std::string* out) {
  AppendJson(s, out);  // one JSON writer for every tool (engine/base)
}

void AppendDecisionJson(const DecisionDetail& d, std::string* out) {
  out->append("\"rule\":");
  if (d.matched) {
    AppendJsonString(d.rule_name, out);
    out->append(",\"action\":");
    AppendJsonString(ActionName(d.action), out);
    out->append(",\"policy\":");
    AppendJsonString(d.policy_name, out);
    out->append(",\"params\":{");
    for (size_t i = 0; i < d.params.size(); ++i) {
      if (i) out->push_back(',');
      AppendJsonString(d.params[i].first, out);
      out->push_back(':');
      AppendJsonString(d.params[i].second, out);
    }
    out->append("},\"rule_line\":");
    out->append(std::to_string(d.rule_loc.line));
    if (!d.entry_text.empty()) {
      out->append(",\"entry\":");
      AppendJsonString(d.entry_text, out);
      out->append(fmt::format(",\"entry_line\":{},\"entry_col\":{}",
                              d.entry_loc.line, d.entry_loc.col));
    }
  } else {
    out->append("null,\"action\":null");
  }
}

bool ReadLine(FILE* in, std::string* line, bool* too_long) {
  line->clear();
  *too_long = false;
  int c;
  bool any = false;
  while ((c = getc_unlocked(in)) != EOF) {
    any = true;
    if (c == '\n') break;
    if (line->size() < kMaxInputLine) {
      line->push_back(static_cast<char>(c));
    } else {
      *too_long = true;  // keep reading to the newline, keep nothing
    }
  }
  if (!line->empty() && line->back() == '\r') line->pop_back();
  return any;
}

bool IsFlag(std::string_view arg) { return arg.size() > 1 && arg[0] == '-'; }

}  // namespace hatmatch::cli
