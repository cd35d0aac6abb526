// Copyright 2026 The hatmatch Authors.
//
// log.h: structured (logfmt) log lines on stderr, one write per line so
// lines from different threads never interleave:
//
//   ts=2026-12-02T15:40:00.123Z level=info event=reload generation=3 ...
//
// Levels: debug (one line per decision), info (start, listen, reload,
// shutdown), error (always printed).  Values with spaces, quotes or control
// characters are quoted and escaped.

#ifndef HATMATCH_ENGINE_SERVE_LOG_H_
#define HATMATCH_ENGINE_SERVE_LOG_H_

#include <atomic>
#include <initializer_list>
#include <string_view>
#include <utility>

#include "absl/status/statusor.h"

namespace hatmatch::serve {

enum class LogLevel : int { kDebug = 0, kInfo = 1, kError = 2 };

absl::StatusOr<LogLevel> ParseLogLevel(std::string_view name);
void SetLogLevel(LogLevel level);
bool LogEnabled(LogLevel level);

using LogField = std::pair<std::string_view, std::string_view>;
void Log(LogLevel level, std::string_view event,
         std::initializer_list<LogField> fields);

}  // namespace hatmatch::serve

#endif  // HATMATCH_ENGINE_SERVE_LOG_H_
