// Copyright 2026 The hatmatch Authors.

#include "tests/testing/serve_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/testing/run.h"

namespace hatmatch::testing {
namespace {

using Clock = std::chrono::steady_clock;

int PortOf(const std::string& log, const std::string& proto) {
  std::string key = "event=listening proto=" + proto + " addr=inet:127.0.0.1:";
  size_t at = log.find(key);
  if (at == std::string::npos) return 0;
  return std::atoi(log.c_str() + at + key.size());
}

size_t Count(const std::string& s, const std::string& t) {
  size_t n = 0;
  for (size_t at = s.find(t); at != std::string::npos;
       at = s.find(t, at + t.size())) {
    ++n;
  }
  return n;
}

}  // namespace

ServeProcess::ServeProcess(const std::string& rules,
                           std::vector<std::string> extra) {
  char tmpl[] = "/tmp/hatmatch-serve-test-XXXXXX";
  int fd = mkstemp(tmpl);
  if (fd < 0) return;
  log_path_ = tmpl;
  std::vector<std::string> args = {HATMATCH_BINARY,
                                   "serve",
                                   rules,
                                   "--listen",
                                   "inet:127.0.0.1:0",
                                   "--line",
                                   "inet:127.0.0.1:0",
                                   "--metrics",
                                   "inet:127.0.0.1:0"};
  args.insert(args.end(), extra.begin(), extra.end());
  pid_ = fork();
  if (pid_ == 0) {
    dup2(fd, STDERR_FILENO);
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(fd);
  if (!WaitForLog("event=started")) return;
  std::string log = Log();
  policy_port = PortOf(log, "policy");
  line_port = PortOf(log, "line");
  metrics_port = PortOf(log, "metrics");
}

ServeProcess::~ServeProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  if (!log_path_.empty()) unlink(log_path_.c_str());
}

void ServeProcess::Signal(int sig) {
  if (pid_ > 0) kill(pid_, sig);
}

int ServeProcess::WaitExit() {
  int status = 0;
  auto deadline = Clock::now() + kHangGuard;
  while (Clock::now() < deadline) {
    pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return -1;
}

std::string ServeProcess::Log() const { return ReadFile(log_path_); }

bool ServeProcess::WaitForLog(const std::string& text) const {
  auto deadline = Clock::now() + kHangGuard;
  while (Clock::now() < deadline) {
    if (Log().find(text) != std::string::npos) return true;
    if (pid_ > 0 && waitpid(pid_, nullptr, WNOHANG) == pid_) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

int ConnectLoopback(int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<uint16_t>(port));
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

bool SendAll(int fd, const std::string& bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n =
        send(fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

std::string ReadAnswers(int fd, size_t count, const std::string& terminator) {
  std::string got;
  auto deadline = Clock::now() + kHangGuard;
  char buf[65536];
  while (Count(got, terminator) < count && Clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    ssize_t n = recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) break;
    got.append(buf, static_cast<size_t>(n));
  }
  return got;
}

bool WaitClosedByPeer(int fd) {
  auto deadline = Clock::now() + kHangGuard;
  char buf[4096];
  while (Clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    if (recv(fd, buf, sizeof(buf), 0) <= 0) return true;
  }
  return false;
}

std::string FetchMetrics(int port) {
  int fd = ConnectLoopback(port);
  if (fd < 0) return "";
  SendAll(fd, "GET /metrics HTTP/1.0\r\n\r\n");
  std::string page = ReadAnswers(fd, SIZE_MAX, "\x01never");
  close(fd);
  return page;
}

double MetricValue(const std::string& page, const std::string& series) {
  std::istringstream in(page);
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with(series + " ")) {
      return std::atof(line.c_str() + series.size() + 1);
    }
  }
  return -1;
}

long RssKib(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with("VmRSS:")) return std::atol(line.c_str() + 6);
  }
  return -1;
}

}  // namespace hatmatch::testing
