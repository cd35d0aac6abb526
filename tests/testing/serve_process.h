// Copyright 2026 The hatmatch Authors.
//
// serve_process.h: runs the real `hatmatch serve` binary for tests, on
// ephemeral loopback ports, and talks to it over sockets.  Every blocking
// call gives up after kHangGuard (a test failure, not a timing assertion:
// it only turns a hang into a failure).

#ifndef HATMATCH_TESTS_TESTING_SERVE_PROCESS_H_
#define HATMATCH_TESTS_TESTING_SERVE_PROCESS_H_

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace hatmatch::testing {

inline constexpr std::chrono::seconds kHangGuard{60};

class ServeProcess {
 public:
  // Starts `hatmatch serve RULES --listen ... --line ... --metrics ...
  // EXTRA...` (all on 127.0.0.1 port 0) and waits until it serves.
  ServeProcess(const std::string& rules, std::vector<std::string> extra = {});
  ~ServeProcess();  // SIGTERM, then waits
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  bool ok() const { return pid_ > 0 && policy_port > 0; }
  pid_t pid() const { return pid_; }
  // Sends `sig`; for SIGTERM also waits and returns the exit status.
  void Signal(int sig);
  int WaitExit();
  std::string Log() const;  // the server's stderr so far
  // Waits until the log contains `text`; false after kHangGuard.
  bool WaitForLog(const std::string& text) const;

  int policy_port = 0, line_port = 0, metrics_port = 0;

 private:
  pid_t pid_ = -1;
  std::string log_path_;
};

// A connected TCP socket to 127.0.0.1:port (-1 on failure).
int ConnectLoopback(int port);
bool SendAll(int fd, const std::string& bytes);
// Reads until `bytes` contains `count` occurrences of `terminator`, the peer
// closes, or kHangGuard passes.
std::string ReadAnswers(int fd, size_t count, const std::string& terminator);
// True when the peer closed the connection (read returns 0 or an error)
// within kHangGuard.
bool WaitClosedByPeer(int fd);
// The metrics page, and one value from it (-1 when absent).
std::string FetchMetrics(int port);
double MetricValue(const std::string& page, const std::string& series);
// Resident memory of a process in KiB (VmRSS).
long RssKib(pid_t pid);

}  // namespace hatmatch::testing

#endif  // HATMATCH_TESTS_TESTING_SERVE_PROCESS_H_
