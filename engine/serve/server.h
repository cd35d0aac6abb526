// Copyright 2026 The hatmatch Authors.
//
// server.h: `hatmatch serve` as a library: listeners, worker threads,
// signals, reload and graceful shutdown around one Matcher.
//
// Threads: `threads` workers, each running its own asio::io_context, so a
// connection lives on one thread and needs no locks.  Listeners accept on
// worker 0 and hand connections out round-robin.  Every worker classifies
// through its own TableView of the shared Matcher.  A Reloader thread
// watches the rules file.
//
// Signals (when handle_signals): SIGHUP reloads; SIGTERM and SIGINT shut
// down gracefully: listeners close, idle connections close, requests that
// have arrived are answered, and after drain_timeout whatever is left is
// cut off.
//
// Limits: at most max_connections client connections (more are accepted and
// closed at once, and counted); per connection, see session.h.

#ifndef HATMATCH_ENGINE_SERVE_SERVER_H_
#define HATMATCH_ENGINE_SERVE_SERVER_H_

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "engine/serve/action_map.h"
#include "engine/serve/listen_address.h"
#include "engine/serve/policy_codec.h"
#include "engine/serve/protocol.h"
#include "engine/serve/session.h"
#include "hatmatch/matcher.h"

namespace hatmatch::serve {

struct Listener {
  ProtocolKind protocol = ProtocolKind::kPolicy;
  ListenAddress address;
};

struct ServeConfig {
  std::string rules_path;  // watched and reloaded
  std::vector<Listener> listeners;
  int threads = 1;
  size_t max_connections = 16384;
  SessionLimits session;
  PolicyLimits policy;
  size_t max_line = 4096;  // line protocol
  ActionMap actions;
  std::chrono::milliseconds watch_interval{1000};
  std::chrono::milliseconds drain_timeout{5000};
  bool handle_signals = true;
};

class Server {
 public:
  Server(ServeConfig config, Matcher* matcher);
  ~Server();

  // Binds every listener and starts the threads.  Errors: a listener that
  // cannot be bound (the others are closed again).
  absl::Status Start();
  // The listeners with the ports actually bound (after Start).
  const std::vector<Listener>& bound() const;
  // Blocks until the server has shut down.
  void Wait();
  // Graceful shutdown from any thread (what SIGTERM does).
  void Shutdown();
  // Reload now from any thread (what SIGHUP does).
  void Reload();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hatmatch::serve

#endif  // HATMATCH_ENGINE_SERVE_SERVER_H_
