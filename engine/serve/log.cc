// Copyright 2026 The hatmatch Authors.

#include "engine/serve/log.h"

#include <unistd.h>

#include <chrono>
#include <ctime>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "fmt/format.h"

namespace hatmatch::serve {
namespace {

std::atomic<int> g_level{static_cast<int>(LogLevel::kInfo)};

constexpr std::string_view kLevelNames[] = {"debug", "info", "error"};

bool NeedsQuotes(std::string_view v) {
  if (v.empty()) return true;
  for (unsigned char c : v) {
    if (c <= ' ' || c == '"' || c == '=' || c == '\\' || c >= 0x7f) return true;
  }
  return false;
}

void AppendValue(std::string_view v, std::string* out) {
  if (!NeedsQuotes(v)) {
    out->append(v);
    return;
  }
  out->push_back('"');
  for (unsigned char c : v) {
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(static_cast<char>(c));
    } else if (c < 0x20 || c >= 0x7f) {
      out->append(fmt::format("\\x{:02x}", c));
    } else {
      out->push_back(static_cast<char>(c));
    }
  }
  out->push_back('"');
}

void AppendTimestamp(std::string* out) {
  auto now = std::chrono::system_clock::now();
  std::time_t secs = std::chrono::system_clock::to_time_t(now);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                now.time_since_epoch())
                .count() %
            1000;
  std::tm tm;
  gmtime_r(&secs, &tm);
  out->append(fmt::format("ts={:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
                          tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                          tm.tm_hour, tm.tm_min, tm.tm_sec, ms));
}

}  // namespace

absl::StatusOr<LogLevel> ParseLogLevel(std::string_view name) {
  for (int i = 0; i < 3; ++i) {
    if (kLevelNames[i] == name) return static_cast<LogLevel>(i);
  }
  return absl::InvalidArgumentError(
      fmt::format("--log-level expects debug, info or error; got '{}'", name));
}

void SetLogLevel(LogLevel level) {
  g_level.store(static_cast<int>(level), std::memory_order_relaxed);
}

bool LogEnabled(LogLevel level) {
  return static_cast<int>(level) >= g_level.load(std::memory_order_relaxed);
}

namespace {

void WriteLine(LogLevel level, std::string_view event,
               std::span<const LogField> fields) {
  std::string line;
  line.reserve(160);
  AppendTimestamp(&line);
  line.append(" level=");
  line.append(kLevelNames[static_cast<int>(level)]);
  line.append(" event=");
  line.append(event);
  for (const LogField& f : fields) {
    line.push_back(' ');
    line.append(f.first);
    line.push_back('=');
    AppendValue(f.second, &line);
  }
  line.push_back('\n');
  // One write(2) per line: atomic with respect to other threads' lines.
  [[maybe_unused]] ssize_t n = ::write(STDERR_FILENO, line.data(), line.size());
}

}  // namespace

void Log(LogLevel level, std::string_view event,
         std::initializer_list<LogField> fields) {
  if (!LogEnabled(level)) return;
  WriteLine(level, event, std::span<const LogField>(fields));
}

bool LogBudget::Take(int64_t now, uint64_t* suppressed) {
  if (now != second_) {
    second_ = now;
    used_ = 0;
  }
  if (used_ >= per_second_) {
    ++refused_;
    return false;
  }
  ++used_;
  *suppressed = refused_;
  refused_ = 0;
  return true;
}

void LogClientError(std::string_view event,
                    std::initializer_list<LogField> fields) {
  if (!LogEnabled(LogLevel::kError)) return;
  static std::mutex mu;
  static LogBudget budget(kClientErrorLinesPerSecond);
  const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::steady_clock::now().time_since_epoch())
                          .count();
  uint64_t suppressed = 0;
  {
    std::lock_guard<std::mutex> lock(mu);
    if (!budget.Take(now, &suppressed)) return;
  }
  if (suppressed == 0) {
    WriteLine(LogLevel::kError, event, std::span<const LogField>(fields));
    return;
  }
  std::vector<LogField> with_count(fields);
  const std::string count = fmt::format("{}", suppressed);
  with_count.emplace_back("suppressed", count);
  WriteLine(LogLevel::kError, event, with_count);
}

}  // namespace hatmatch::serve
