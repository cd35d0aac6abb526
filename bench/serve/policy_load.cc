// Copyright 2026 The hatmatch Authors.
//
// policy_load: a load generator for Postfix policy services.
//
//   policy_load --port P [--connections N] [--seconds S] [--warmup S]
//               [--threads T] [--rate R] TRAFFIC
//   policy_load --port P --print N TRAFFIC   (the first N answers, a line
//                                             each, for comparing servers)
//
// TRAFFIC is a `hatmatch gen traffic` file; each line becomes one policy
// request with the attributes Postfix sends at RCPT time (ptr= -> verified
// client_name; dns=mismatch -> client_name=unknown and the PTR as
// reverse_client_name; dns=nx|servfail or no name -> both unknown).  N
// persistent connections each keep exactly one request outstanding, as
// Postfix's smtpd processes do; client threads drive them with epoll.  After
// the warm-up it counts answers for S seconds and prints one line:
//
// Without --rate the loop is closed: each answer sends the next request at
// once, so the server runs flat out and latency is mostly queueing (by
// Little's law, mean latency = connections / throughput).  With --rate R the
// N connections together offer R requests/s on a fixed schedule (connection
// i sends every N/R seconds), as SMTP sessions arriving at a gateway do, and
// latency is measured from the scheduled send time, so an answer that comes
// late also charges the requests it delayed (no coordinated omission).
//
//   connections=64 requests=123456 seconds=5.00 rps=24691 p50_us=...
//     p99_us=... p999_us=... errors=0
//
// An answer is anything ending in an empty line; `errors` counts answers
// that do not start with "action=".

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  int port = 0;
  int connections = 64;
  double seconds = 5;
  double warmup = 1;
  int threads = 1;
  int print = 0;    // > 0: print the answers to the first N requests, exit
  double rate = 0;  // > 0: offered requests/s over all connections
  std::string traffic;
};

std::string PolicyRequest(const std::string& line) {
  std::istringstream in(line);
  std::string address, token, ptr, dns;
  in >> address;
  while (in >> token) {
    if (token.rfind("ptr=", 0) == 0) ptr = token.substr(4);
    if (token.rfind("dns=", 0) == 0) dns = token.substr(4);
  }
  std::string name = "unknown", reverse = "unknown";
  if (!ptr.empty() && dns.empty()) name = reverse = ptr;
  if (!ptr.empty() && dns == "mismatch") reverse = ptr;
  return "request=smtpd_access_policy\nprotocol_state=RCPT\n"
         "protocol_name=ESMTP\nclient_address=" +
         address + "\nclient_name=" + name +
         "\nreverse_client_name=" + reverse +
         "\nclient_port=40000\nhelo_name=" + (ptr.empty() ? "client" : ptr) +
         "\nsender=sender@example.net\nrecipient=user@gw.test.local\n"
         "recipient_count=0\nqueue_id=\ninstance=1a2b.3c4d5e6f.1\nsize=0\n"
         "etrn_domain=\nstress=\nsasl_method=\nsasl_username=\nsasl_sender="
         "\nccert_subject=\nccert_issuer=\nccert_fingerprint=\n"
         "ccert_pubkey_fingerprint=\nencryption_protocol=TLSv1.3\n"
         "encryption_cipher=TLS_AES_256_GCM_SHA384\nencryption_keysize=256\n"
         "policy_context=\nserver_address=127.0.0.1\nserver_port=25\n"
         "compatibility_level=3.6\nmail_version=3.7.11\n\n";
}

std::vector<std::string> LoadRequests(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    out.push_back(PolicyRequest(line));
  }
  return out;
}

struct Conn {
  int fd = -1;
  Clock::time_point sent;
  Clock::time_point due;  // paced mode: when the next request is scheduled
  bool waiting = false;   // paced mode: a request is outstanding
  std::string in;
  size_t next = 0;
};

struct Result {
  std::vector<uint32_t> latency_ns;
  uint64_t errors = 0;
};

int Connect(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<uint16_t>(port));
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) != 0) {
    std::perror("connect");
    std::exit(1);
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  return fd;
}

void Send(Conn& c, const std::vector<std::string>& requests,
          Clock::time_point sent = Clock::now()) {
  const std::string& r = requests[c.next];
  c.next = (c.next + 1) % requests.size();
  c.sent = sent;
  size_t done = 0;
  while (done < r.size()) {
    ssize_t n = send(c.fd, r.data() + done, r.size() - done, MSG_NOSIGNAL);
    if (n <= 0) {
      std::perror("send");
      std::exit(1);
    }
    done += static_cast<size_t>(n);
  }
}

// Connects a client thread's `count` connections (numbered from `first`
// among all), each starting at its own place in `requests`, and registers
// them with the epoll instance `ep` under their index.
std::vector<Conn> OpenConnections(const Options& o, int first, int count,
                                  const std::vector<std::string>& requests,
                                  int ep) {
  std::vector<Conn> conns(static_cast<size_t>(count));
  for (int i = 0; i < count; ++i) {
    Conn& c = conns[static_cast<size_t>(i)];
    c.fd = Connect(o.port);
    c.next = static_cast<size_t>(first + i) * 7919 % requests.size();
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u32 = static_cast<uint32_t>(i);
    epoll_ctl(ep, EPOLL_CTL_ADD, c.fd, &ev);
  }
  return conns;
}

// Reads what `c` has received; true when a whole answer (ended by an empty
// line) is there, which is then recorded in `result` while measuring.
bool ReceiveAnswer(Conn& c, const std::atomic<int>* phase, Result* result) {
  char buf[65536];
  ssize_t got = recv(c.fd, buf, sizeof(buf), 0);
  if (got <= 0) {
    std::fprintf(stderr, "policy_load: server closed a connection\n");
    std::exit(1);
  }
  c.in.append(buf, static_cast<size_t>(got));
  size_t end = c.in.find("\n\n");
  if (end == std::string::npos) return false;
  if (phase->load(std::memory_order_relaxed) == 1) {
    auto now = Clock::now();
    result->latency_ns.push_back(static_cast<uint32_t>(std::min<int64_t>(
        UINT32_MAX, (now - c.sent) / std::chrono::nanoseconds(1))));
    if (c.in.rfind("action=", 0) != 0) ++result->errors;
  }
  c.in.erase(0, end + 2);
  return true;
}

// Paced mode: sends every idle connection's request that is due, and
// returns how long to wait for the next one (at most 100 ms).
std::chrono::nanoseconds SendDue(std::vector<Conn>& conns,
                                 const std::vector<std::string>& requests,
                                 std::chrono::nanoseconds interval) {
  auto now = Clock::now();
  auto next = now + std::chrono::milliseconds(100);
  for (Conn& c : conns) {
    if (c.waiting) continue;
    if (c.due <= now) {
      Send(c, requests, c.due);
      c.due += interval;
      c.waiting = true;
    } else {
      next = std::min(next, c.due);
    }
  }
  return next - now;
}

// One paced client thread: its connections, each sending on its schedule.
void DrivePaced(const Options& o, int first, int count,
                const std::vector<std::string>& requests,
                const std::atomic<int>* phase, Result* result) {
  int ep = epoll_create1(0);
  auto interval = std::chrono::nanoseconds(
      static_cast<int64_t>(1e9 * o.connections / o.rate));
  auto start = Clock::now();
  std::vector<Conn> conns = OpenConnections(o, first, count, requests, ep);
  for (int i = 0; i < count; ++i) {
    conns[static_cast<size_t>(i)].due =
        start + interval * (first + i) / o.connections;
  }
  std::vector<epoll_event> events(static_cast<size_t>(count));
  while (phase->load(std::memory_order_relaxed) < 2) {
    auto wait = SendDue(conns, requests, interval);
    timespec timeout{0, 0};
    if (wait.count() > 0) {
      timeout.tv_sec = wait.count() / 1000000000;
      timeout.tv_nsec = wait.count() % 1000000000;
    }
    int n = epoll_pwait2(ep, events.data(), count, &timeout, nullptr);
    for (int e = 0; e < n; ++e) {
      Conn& c = conns[events[static_cast<size_t>(e)].data.u32];
      if (ReceiveAnswer(c, phase, result)) c.waiting = false;
    }
  }
  for (Conn& c : conns) close(c.fd);
  close(ep);
}

// One closed-loop client thread: its connections, one request outstanding
// on each, the next sent as soon as the answer is in.
void Drive(const Options& o, int first, int count,
           const std::vector<std::string>& requests,
           const std::atomic<int>* phase, Result* result) {
  int ep = epoll_create1(0);
  std::vector<Conn> conns = OpenConnections(o, first, count, requests, ep);
  for (Conn& c : conns) Send(c, requests);
  std::vector<epoll_event> events(static_cast<size_t>(count));
  while (phase->load(std::memory_order_relaxed) < 2) {
    int n = epoll_wait(ep, events.data(), count, 100);
    for (int e = 0; e < n; ++e) {
      Conn& c = conns[events[static_cast<size_t>(e)].data.u32];
      if (ReceiveAnswer(c, phase, result)) Send(c, requests);
    }
  }
  for (Conn& c : conns) close(c.fd);
  close(ep);
}

[[noreturn]] void Usage(FILE* out, int status) {
  std::fprintf(out,
               "usage: policy_load --port P [--connections N] [--seconds S] "
               "[--warmup S] [--threads T] [--rate R] TRAFFIC\n"
               "       policy_load --port P --print N TRAFFIC\n"
               "Without --rate each connection sends its next request as "
               "soon as the answer is in;\nwith --rate R the connections "
               "together offer R requests/s on a fixed schedule.\n");
  std::exit(status);
}

Options Parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&] { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--port")
      o.port = std::atoi(value());
    else if (a == "--connections")
      o.connections = std::atoi(value());
    else if (a == "--seconds")
      o.seconds = std::atof(value());
    else if (a == "--warmup")
      o.warmup = std::atof(value());
    else if (a == "--threads")
      o.threads = std::atoi(value());
    else if (a == "--print")
      o.print = std::atoi(value());
    else if (a == "--rate")
      o.rate = std::atof(value());
    else if (a == "--help" || a == "-h")
      Usage(stdout, 0);
    else
      o.traffic = a;
  }
  if (o.port == 0 || o.traffic.empty() || o.connections < 1 || o.threads < 1 ||
      o.rate < 0) {
    Usage(stderr, 2);
  }
  o.threads = std::min(o.threads, o.connections);
  return o;
}

uint32_t Percentile(const std::vector<uint32_t>& sorted, double p) {
  if (sorted.empty()) return 0;
  size_t i = static_cast<size_t>(p * static_cast<double>(sorted.size() - 1));
  return sorted[i];
}

// One connection, requests one at a time; each answer on one line (without
// its empty line), to compare servers answer for answer.
int PrintAnswers(const Options& o, const std::vector<std::string>& requests) {
  Conn c;
  c.fd = Connect(o.port);
  char buf[65536];
  for (int i = 0; i < o.print; ++i) {
    c.next = static_cast<size_t>(i) % requests.size();
    Send(c, requests);
    size_t end;
    while ((end = c.in.find("\n\n")) == std::string::npos) {
      ssize_t got = recv(c.fd, buf, sizeof(buf), 0);
      if (got <= 0) return 1;
      c.in.append(buf, static_cast<size_t>(got));
    }
    std::printf("%s\n", c.in.substr(0, end).c_str());
    c.in.erase(0, end + 2);
  }
  close(c.fd);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o = Parse(argc, argv);
  std::vector<std::string> requests = LoadRequests(o.traffic);
  if (requests.empty()) {
    std::fprintf(stderr, "policy_load: no connections in %s\n",
                 o.traffic.c_str());
    return 2;
  }
  if (o.print > 0) return PrintAnswers(o, requests);
  std::atomic<int> phase{0};  // 0 warm-up, 1 measuring, 2 stop
  std::vector<Result> results(static_cast<size_t>(o.threads));
  std::vector<std::thread> threads;
  int per = o.connections / o.threads, extra = o.connections % o.threads;
  for (int t = 0, first = 0; t < o.threads; ++t) {
    int count = per + (t < extra ? 1 : 0);
    threads.emplace_back(o.rate > 0 ? DrivePaced : Drive, std::cref(o), first,
                         count, std::cref(requests), &phase,
                         &results[static_cast<size_t>(t)]);
    first += count;
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(o.warmup));
  phase = 1;
  auto start = Clock::now();
  std::this_thread::sleep_for(std::chrono::duration<double>(o.seconds));
  phase = 2;
  double secs = std::chrono::duration<double>(Clock::now() - start).count();
  for (auto& t : threads) t.join();
  std::vector<uint32_t> all;
  uint64_t errors = 0;
  for (const Result& r : results) {
    all.insert(all.end(), r.latency_ns.begin(), r.latency_ns.end());
    errors += r.errors;
  }
  std::sort(all.begin(), all.end());
  std::printf(
      "connections=%d requests=%zu seconds=%.2f rps=%.0f p50_us=%.1f "
      "p99_us=%.1f p999_us=%.1f errors=%llu\n",
      o.connections, all.size(), secs, static_cast<double>(all.size()) / secs,
      Percentile(all, 0.5) / 1e3, Percentile(all, 0.99) / 1e3,
      Percentile(all, 0.999) / 1e3, static_cast<unsigned long long>(errors));
  return errors == 0 ? 0 : 1;
}
