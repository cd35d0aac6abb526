// Copyright 2026 The hatmatch Authors.

#include "engine/serve/server.h"

#include <netinet/in.h>
#include <signal.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <optional>
#include <thread>

#include "asio/basic_socket_acceptor.hpp"
#include "asio/executor_work_guard.hpp"
#include "asio/generic/stream_protocol.hpp"
#include "asio/io_context.hpp"
#include "asio/ip/tcp.hpp"
#include "asio/local/stream_protocol.hpp"
#include "asio/post.hpp"
#include "asio/signal_set.hpp"
#include "asio/steady_timer.hpp"
#include "engine/serve/log.h"
#include "engine/serve/reloader.h"
#include "engine/serve/stats.h"
#include "engine/serve/table_view.h"
#include "fmt/format.h"

namespace hatmatch::serve {
namespace {

using Generic = asio::generic::stream_protocol;

// One thread, its io_context, and what its sessions share.  Declaration
// order matters: the io_context is destroyed before the registry, view and
// buffer, because destroying it destroys pending handlers, which can hold
// the last reference to a Session.
struct Worker {
  Worker(const Matcher& matcher, size_t index, const ServeConfig& config,
         Stats* stats)
      : view(matcher), guard(asio::make_work_guard(io)) {
    context.view = &view;
    context.stats = stats;
    context.shard = index;
    context.actions = &config.actions;
    context.policy_limits = config.policy;
    context.max_line = config.max_line;
  }
  SessionRegistry sessions;
  TableView view;
  WorkerContext context;
  std::array<char, kReadChunk> read_buffer;
  asio::io_context io{1};
  asio::executor_work_guard<asio::io_context::executor_type> guard;
  std::thread thread;
};

struct Acceptor {
  Acceptor(asio::io_context& io, Listener l)
      : listener(std::move(l)), acceptor(io), retry(io) {}
  Listener listener;
  asio::basic_socket_acceptor<Generic> acceptor;
  asio::steady_timer retry;  // after EMFILE and the like
};

absl::StatusOr<Generic::endpoint> Endpoint(const ListenAddress& a) {
  if (a.is_unix) {
    ::unlink(a.path.c_str());  // a stale socket file from a previous run
    return Generic::endpoint(asio::local::stream_protocol::endpoint(a.path));
  }
  asio::error_code ec;
  asio::ip::address ip = asio::ip::make_address(a.host, ec);
  if (ec) return absl::InvalidArgumentError(ec.message());
  return Generic::endpoint(asio::ip::tcp::endpoint(ip, a.port));
}

uint16_t BoundPort(const Generic::endpoint& ep) {
  const sockaddr* sa = ep.data();
  if (sa->sa_family == AF_INET) {
    return ntohs(reinterpret_cast<const sockaddr_in*>(sa)->sin_port);
  }
  if (sa->sa_family == AF_INET6) {
    return ntohs(reinterpret_cast<const sockaddr_in6*>(sa)->sin6_port);
  }
  return 0;
}

}  // namespace

struct Server::Impl {
  Impl(ServeConfig c, Matcher* m)
      : config(std::move(c)),
        matcher(m),
        stats(static_cast<size_t>(std::max(config.threads, 1))) {}

  absl::Status Bind(Listener listener);
  void Accept(Acceptor* a);
  void OnAccepted(Acceptor* a, Worker* w, const asio::error_code& ec,
                  Generic::socket socket);
  void StartSession(Worker* w, ProtocolKind kind, Generic::socket socket);
  void WaitSignals();
  void BeginShutdown();
  void WatchDrain(std::chrono::steady_clock::time_point deadline);
  void StopAll();

  ServeConfig config;
  Matcher* matcher;
  Stats stats;
  std::vector<std::unique_ptr<Worker>> workers;
  std::vector<std::unique_ptr<Acceptor>> acceptors;
  std::vector<Listener> bound;
  std::optional<asio::signal_set> signals;
  std::optional<asio::steady_timer> drain_timer;
  std::unique_ptr<Reloader> reloader;
  size_t next_worker = 0;  // worker 0's thread only
  std::atomic<bool> shutting_down{false};
};

absl::Status Server::Impl::Bind(Listener listener) {
  absl::StatusOr<Generic::endpoint> ep = Endpoint(listener.address);
  std::string where = FormatListenAddress(listener.address);
  if (!ep.ok()) return absl::InvalidArgumentError(ep.status().message());
  auto a = std::make_unique<Acceptor>(workers[0]->io, listener);
  asio::error_code ec;
  a->acceptor.open(ep->protocol(), ec);
  if (!ec && !listener.address.is_unix) {
    a->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  }
  if (!ec) a->acceptor.bind(*ep, ec);
  if (!ec) a->acceptor.listen(4096, ec);
  if (ec) {
    return absl::UnavailableError(
        fmt::format("cannot listen on {}: {}", where, ec.message()));
  }
  if (!listener.address.is_unix) {
    a->listener.address.port = BoundPort(a->acceptor.local_endpoint(ec));
  }
  bound.push_back(a->listener);
  Log(LogLevel::kInfo, "listening",
      {{"proto", ProtocolName(listener.protocol)},
       {"addr", FormatListenAddress(a->listener.address)}});
  acceptors.push_back(std::move(a));
  return absl::OkStatus();
}

void Server::Impl::Accept(Acceptor* a) {
  Worker* w = workers[next_worker].get();
  next_worker = (next_worker + 1) % workers.size();
  a->acceptor.async_accept(
      w->io, [this, a, w](const asio::error_code& ec, Generic::socket socket) {
        OnAccepted(a, w, ec, std::move(socket));
      });
}

void Server::Impl::OnAccepted(Acceptor* a, Worker* w,
                              const asio::error_code& ec,
                              Generic::socket socket) {
  if (ec == asio::error::operation_aborted || shutting_down) return;
  if (ec) {
    // Out of descriptors or memory: keep serving the connections there are
    // and try again shortly instead of spinning.
    Log(LogLevel::kError, "accept_failed", {{"error", ec.message()}});
    a->retry.expires_after(std::chrono::milliseconds(100));
    a->retry.async_wait([this, a](const asio::error_code& e) {
      if (!e) Accept(a);
    });
    return;
  }
  stats.connections_total.fetch_add(1, std::memory_order_relaxed);
  if (stats.connections_open.load(std::memory_order_relaxed) >=
      config.max_connections) {
    stats.connections_rejected.fetch_add(1, std::memory_order_relaxed);
    asio::error_code ignored;
    socket.close(ignored);
  } else {
    stats.connections_open.fetch_add(1, std::memory_order_relaxed);
    if (!a->listener.address.is_unix) {
      asio::error_code ignored;
      socket.set_option(asio::ip::tcp::no_delay(true), ignored);
    }
    // The socket already belongs to its worker's io_context; the session
    // must also be created and run on that worker's thread.
    auto shared = std::make_shared<Generic::socket>(std::move(socket));
    ProtocolKind kind = a->listener.protocol;
    asio::post(w->io, [this, w, kind, shared] {
      StartSession(w, kind, std::move(*shared));
    });
  }
  Accept(a);
}

void Server::Impl::StartSession(Worker* w, ProtocolKind kind,
                                Generic::socket socket) {
  auto session = std::make_shared<Session>(
      std::move(socket), MakeProtocol(kind, &w->context), config.session,
      std::span<char>(w->read_buffer), &stats, &w->sessions);
  session->Start();
  // Accepted just before a shutdown began: drain it like the others.
  if (shutting_down) session->Drain();
}

void Server::Impl::WaitSignals() {
  signals->async_wait([this](const asio::error_code& ec, int signo) {
    if (ec) return;
    if (signo == SIGHUP) {
      Log(LogLevel::kInfo, "signal", {{"signal", "SIGHUP"}});
      reloader->Request();
      WaitSignals();
      return;
    }
    Log(LogLevel::kInfo, "signal",
        {{"signal", signo == SIGTERM ? "SIGTERM" : "SIGINT"}});
    BeginShutdown();
  });
}

void Server::Impl::BeginShutdown() {
  if (shutting_down.exchange(true)) return;
  Log(LogLevel::kInfo, "shutdown",
      {{"open_connections", fmt::format("{}", stats.connections_open.load())}});
  asio::error_code ignored;
  for (auto& a : acceptors) {
    a->acceptor.close(ignored);
    a->retry.cancel();
    if (a->listener.address.is_unix) ::unlink(a->listener.address.path.c_str());
  }
  if (signals) signals->cancel(ignored);
  for (auto& w : workers) {
    asio::post(w->io, [w = w.get()] { w->sessions.DrainAll(); });
  }
  drain_timer.emplace(workers[0]->io);
  WatchDrain(std::chrono::steady_clock::now() + config.drain_timeout);
}

void Server::Impl::WatchDrain(std::chrono::steady_clock::time_point deadline) {
  drain_timer->expires_after(std::chrono::milliseconds(20));
  drain_timer->async_wait([this, deadline](const asio::error_code& ec) {
    if (ec) return;
    bool drained = stats.connections_open.load() == 0;
    if (drained || std::chrono::steady_clock::now() >= deadline) {
      if (!drained) {
        Log(LogLevel::kError, "shutdown_cut",
            {{"open_connections",
              fmt::format("{}", stats.connections_open.load())}});
      }
      StopAll();
      return;
    }
    WatchDrain(deadline);
  });
}

void Server::Impl::StopAll() {
  for (auto& w : workers) w->io.stop();
}

Server::Server(ServeConfig config, Matcher* matcher)
    : impl_(std::make_unique<Impl>(std::move(config), matcher)) {}

Server::~Server() {
  Shutdown();
  Wait();
}

absl::Status Server::Start() {
  Impl& s = *impl_;
  ::signal(SIGPIPE, SIG_IGN);  // a client gone mid-write is an error code
  size_t threads = static_cast<size_t>(std::max(s.config.threads, 1));
  for (size_t i = 0; i < threads; ++i) {
    s.workers.push_back(
        std::make_unique<Worker>(*s.matcher, i, s.config, &s.stats));
    s.workers.back()->context.generation = [m = s.matcher] {
      return m->generation();
    };
  }
  for (const Listener& l : s.config.listeners) {
    if (absl::Status st = s.Bind(l); !st.ok()) return st;
  }
  for (auto& a : s.acceptors) s.Accept(a.get());
  s.reloader = std::make_unique<Reloader>(
      s.matcher, s.config.rules_path, s.config.watch_interval, [&s](bool ok) {
        (ok ? s.stats.reloads_ok : s.stats.reloads_failed)
            .fetch_add(1, std::memory_order_relaxed);
        // Let every worker drop the replaced table now rather than at its
        // next request.
        for (auto& w : s.workers) {
          asio::post(w->io, [w = w.get()] { w->view.Refresh(); });
        }
      });
  s.reloader->Start();
  if (s.config.handle_signals) {
    s.signals.emplace(s.workers[0]->io, SIGHUP, SIGTERM, SIGINT);
    s.WaitSignals();
  }
  for (auto& w : s.workers) {
    w->thread = std::thread([w = w.get()] {
      w->view.Refresh();
      w->io.run();
    });
  }
  Log(LogLevel::kInfo, "started",
      {{"threads", fmt::format("{}", threads)},
       {"rules", s.config.rules_path},
       {"generation", fmt::format("{}", s.matcher->generation())}});
  return absl::OkStatus();
}

const std::vector<Listener>& Server::bound() const { return impl_->bound; }

void Server::Wait() {
  for (auto& w : impl_->workers) {
    if (w->thread.joinable()) w->thread.join();
  }
  if (impl_->reloader) impl_->reloader->Stop();
}

void Server::Shutdown() {
  if (impl_->workers.empty()) return;
  asio::post(impl_->workers[0]->io, [s = impl_.get()] { s->BeginShutdown(); });
}

void Server::Reload() {
  if (impl_->reloader) impl_->reloader->Request();
}

}  // namespace hatmatch::serve
