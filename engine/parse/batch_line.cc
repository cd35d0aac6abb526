// Copyright 2026 The hatmatch Authors.

#include "engine/parse/batch_line.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "hatmatch/rules.h"

namespace hatmatch {

std::optional<absl::StatusOr<Connection>> ParseBatchLine(std::string_view line,
                                                         bool too_long,
                                                         size_t max_line) {
  if (too_long) {
    return absl::StatusOr<Connection>(absl::InvalidArgumentError(
        absl::StrCat("line longer than ", max_line, " bytes")));
  }
  if (IsSkippedConnectionLine(line)) return std::nullopt;
  return ParseConnection(line);
}

void AppendBatchDecision(const Decision& d, std::string_view rule_name,
                         std::string* out) {
  if (!d.matched()) {
    out->append("-\t-\n");
    return;
  }
  out->append(rule_name);
  out->push_back('\t');
  out->append(ActionName(d.action));
  out->push_back('\n');
}

void AppendBatchError(std::string_view message, std::string* out) {
  out->append("?\t");
  out->append(message);
  out->push_back('\n');
}

}  // namespace hatmatch
