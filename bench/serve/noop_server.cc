// Copyright 2026 The hatmatch Authors.
//
// noop_policy_server: the I/O limit for `hatmatch serve` benchmarks.  The
// same event library (standalone Asio) and the same threading (one
// io_context per thread, connections handed out round-robin), reading
// policy requests and answering every one `action=DUNNO` without looking at
// it.  Request boundaries are found by the same PolicyParser, so what is
// left between the two is classification and the answer's mapping.
//
//   noop_policy_server --listen PORT [--threads N]

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "asio/executor_work_guard.hpp"
#include "asio/io_context.hpp"
#include "asio/ip/tcp.hpp"
#include "asio/post.hpp"
#include "asio/write.hpp"
#include "engine/serve/policy_codec.h"

namespace {

using asio::ip::tcp;
using hatmatch::serve::PolicyParser;
using hatmatch::serve::PolicyRequest;

class Session : public std::enable_shared_from_this<Session> {
 public:
  explicit Session(tcp::socket s) : socket_(std::move(s)) {}
  tcp::socket::executor_type executor() { return socket_.get_executor(); }
  void Read() {
    socket_.async_read_some(
        asio::buffer(buf_),
        [self = shared_from_this()](const asio::error_code& ec, size_t n) {
          if (ec) return;
          self->requests_.clear();
          self->parser_.Feed(std::string_view(self->buf_, n), &self->requests_);
          self->out_.clear();
          for (size_t i = 0; i < self->requests_.size(); ++i) {
            hatmatch::serve::AppendPolicyReply("DUNNO", &self->out_);
          }
          if (self->out_.empty()) return self->Read();
          asio::async_write(self->socket_, asio::buffer(self->out_),
                            [self](const asio::error_code& e, size_t) {
                              if (!e) self->Read();
                            });
        });
  }

 private:
  tcp::socket socket_;
  char buf_[16384];
  PolicyParser parser_;
  std::vector<PolicyRequest> requests_;
  std::string out_;
};

}  // namespace

int main(int argc, char** argv) {
  int port = 0, threads = 1;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--listen") port = std::atoi(argv[i + 1]);
    if (a == "--threads") threads = std::atoi(argv[i + 1]);
  }
  if (port == 0 || threads < 1) {
    std::fprintf(stderr,
                 "usage: noop_policy_server --listen PORT [--threads N]\n");
    return 2;
  }
  std::vector<std::unique_ptr<asio::io_context>> ios;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>>
      guards;
  for (int i = 0; i < threads; ++i) {
    ios.push_back(std::make_unique<asio::io_context>(1));
    guards.push_back(asio::make_work_guard(*ios.back()));
  }
  tcp::acceptor acceptor(*ios[0],
                         tcp::endpoint(asio::ip::make_address("127.0.0.1"),
                                       static_cast<uint16_t>(port)));
  size_t next = 0;
  std::function<void()> accept = [&] {
    asio::io_context& io = *ios[next];
    next = (next + 1) % ios.size();
    acceptor.async_accept(io, [&](const asio::error_code& ec, tcp::socket s) {
      if (!ec) {
        s.set_option(tcp::no_delay(true));
        auto session = std::make_shared<Session>(std::move(s));
        // Start it on the thread that owns its socket.
        asio::post(session->executor(), [session] { session->Read(); });
      }
      accept();
    });
  };
  accept();
  std::vector<std::thread> workers;
  for (auto& io : ios) workers.emplace_back([&io] { io->run(); });
  for (auto& w : workers) w.join();
  return 0;
}
