// Copyright 2026 The hatmatch Authors.

#include "engine/cli/common.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "engine/base/json.h"
#include "fmt/format.h"

namespace hatmatch::cli {

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

bool LineReader::Refill() {
  std::fflush(stdout);
  for (;;) {
    const ssize_t n = read(fd_, buf_, sizeof buf_);
    if (n > 0) {
      pos_ = 0;
      end_ = static_cast<size_t>(n);
      return true;
    }
    if (n == 0) return false;
    if (errno == EINTR) continue;
    error_ = errno;
    return false;
  }
}

bool LineReader::Next(std::string* line, bool* too_long) {
  line->clear();
  *too_long = false;
  bool any = false;
  for (;;) {
    if (pos_ == end_ && !Refill()) {
      if (error_ != 0) return false;  // a partial line is not a line
      break;
    }
    any = true;
    const char* start = buf_ + pos_;
    const char* nl =
        static_cast<const char*>(std::memchr(start, '\n', end_ - pos_));
    const size_t len = nl ? static_cast<size_t>(nl - start) : end_ - pos_;
    const size_t keep = std::min(len, kMaxInputLine - line->size());
    line->append(start, keep);
    if (keep < len) *too_long = true;  // read on to the newline, keep nothing
    pos_ += len + (nl ? 1 : 0);
    if (nl) break;
  }
  if (*too_long) line->clear();
  if (!line->empty() && line->back() == '\r') line->pop_back();
  return any;
}

bool ReportReadError(std::string_view command, const LineReader& reader) {
  if (reader.error() == 0) return false;
  fmt::print(stderr, "hatmatch {}: reading standard input: {}\n", command,
             std::strerror(reader.error()));
  return true;
}

void PrintWarnings(const RuleSet& rules) {
  for (const Diagnostic& w : rules.warnings()) {
    fmt::print(stderr, "{}:{}:{}: warning: {}\n", w.file, w.loc.line, w.loc.col,
               w.message);
  }
}

}  // namespace hatmatch::cli
