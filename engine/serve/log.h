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
#include <cstdint>
#include <initializer_list>
#include <limits>
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

// Lines a client causes at will (event=bad_request: one per malformed
// request, and 4 KiB of empty lines is 4,096 requests) are limited to this
// many per second for the whole process.  Unlimited, such a client wrote
// 139 bytes of log per byte it sent.  The lines left out are counted, and
// the next one written carries `suppressed=N`; the metrics count every
// request and reply regardless.
inline constexpr uint32_t kClientErrorLinesPerSecond = 100;

// The per-second budget, pure (tests drive the clock).
class LogBudget {
 public:
  explicit LogBudget(uint32_t per_second) : per_second_(per_second) {}
  // Whether a line may be written in second `now`.  When it may,
  // *suppressed receives the number of lines refused since the last one
  // allowed.
  bool Take(int64_t now, uint64_t* suppressed);

 private:
  uint32_t per_second_;
  int64_t second_ = std::numeric_limits<int64_t>::min();
  uint32_t used_ = 0;
  uint64_t refused_ = 0;
};

// Log(LogLevel::kError, ...) under the process-wide budget of
// kClientErrorLinesPerSecond.
void LogClientError(std::string_view event,
                    std::initializer_list<LogField> fields);

}  // namespace hatmatch::serve

#endif  // HATMATCH_ENGINE_SERVE_LOG_H_
