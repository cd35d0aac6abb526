// Copyright 2026 The hatmatch Authors.
//
// session.h: one client connection: moves bytes between the socket and its
// Protocol, and enforces the per-connection limits.
//
// A session runs entirely on the worker thread that owns its socket, so it
// needs no locks.  Until the client first sends something, it waits for the
// socket to be readable and then reads into the worker's shared buffer: a
// connection that never speaks holds no read buffer, which is what lets ten
// thousand of them cost little.  From its first bytes on, a connection reads
// into a kOwnBuffer buffer of its own, which Asio can fill without
// re-arming the descriptor for every request.  After each read it
// writes every answer that read completed and reads again only once they
// are written, so a client that does not read its answers stops being read
// (and times out) instead of growing the output.
//
// Memory per connection: the Protocol's state (at most one line, a few
// kept attributes), kOwnBuffer once it has spoken, plus the answers to one
// read (at most kReadChunk bytes of input).
// Timeouts: idle_timeout without a byte from the client; request_timeout
// from the first byte of a request to its end (a slow client that never
// finishes).  Either closes the connection.

#ifndef HATMATCH_ENGINE_SERVE_SESSION_H_
#define HATMATCH_ENGINE_SERVE_SESSION_H_

#include <chrono>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "asio/generic/stream_protocol.hpp"
#include "asio/steady_timer.hpp"
#include "engine/serve/protocol.h"
#include "engine/serve/stats.h"

namespace hatmatch::serve {

struct SessionLimits {
  std::chrono::milliseconds idle_timeout{300000};
  std::chrono::milliseconds request_timeout{60000};
};

// Largest read handed to a Protocol at once (bounds the answers it makes).
inline constexpr size_t kReadChunk = 16 * 1024;
// The read buffer of a connection that has sent something (a Postfix
// request is about 1 KiB).
inline constexpr size_t kOwnBuffer = 4 * 1024;

class SessionRegistry;

class Session : public std::enable_shared_from_this<Session> {
 public:
  using Socket = asio::generic::stream_protocol::socket;

  Session(Socket socket, std::unique_ptr<Protocol> protocol,
          const SessionLimits& limits, std::span<char> read_buffer,
          Stats* stats, SessionRegistry* registry);
  ~Session();

  void Start();
  // Graceful shutdown: answer what has arrived, finish a request that has
  // begun, then close.
  void Drain();

 private:
  using Clock = std::chrono::steady_clock;

  void WaitReadable();
  void OnReadable(const asio::error_code& ec);
  void Consume(std::string_view bytes);
  void Write();
  void OnWritten(const asio::error_code& ec);
  void ArmTimer(Clock::time_point at);
  void OnTimer(const asio::error_code& ec);
  Clock::time_point Deadline() const;
  bool ReadyToCloseAfterDrain() const;
  void Close();

  Socket socket_;
  asio::steady_timer timer_;
  std::unique_ptr<Protocol> protocol_;
  SessionLimits limits_;
  std::span<char> read_buffer_;         // the worker's, shared by its sessions
  std::unique_ptr<char[]> own_buffer_;  // once the client has sent bytes
  Stats* stats_;
  SessionRegistry* registry_;
  std::string out_;
  Clock::time_point last_activity_;
  Clock::time_point request_start_;
  bool writing_ = false;
  bool close_after_write_ = false;
  bool draining_ = false;
  bool closed_ = false;
};

// The sessions of one worker thread (for draining).  Used only on that
// thread.
class SessionRegistry {
 public:
  void Add(Session* s);
  void Remove(Session* s);
  void DrainAll();

 private:
  absl::flat_hash_set<Session*> sessions_;
};

}  // namespace hatmatch::serve

#endif  // HATMATCH_ENGINE_SERVE_SESSION_H_
