// Copyright 2026 The hatmatch Authors.

#include "engine/serve/session.h"

#include <algorithm>

#include "asio/write.hpp"
#include "engine/serve/log.h"

namespace hatmatch::serve {

Session::Session(Socket socket, std::unique_ptr<Protocol> protocol,
                 const SessionLimits& limits, std::span<char> read_buffer,
                 Stats* stats, SessionRegistry* registry)
    : socket_(std::move(socket)),
      timer_(socket_.get_executor()),
      protocol_(std::move(protocol)),
      limits_(limits),
      read_buffer_(read_buffer.first(std::min(read_buffer.size(), kReadChunk))),
      stats_(stats),
      registry_(registry) {}

Session::~Session() {
  if (!closed_) {
    registry_->Remove(this);
    stats_->connections_open.fetch_sub(1, std::memory_order_relaxed);
  }
}

void Session::Start() {
  registry_->Add(this);
  asio::error_code ec;
  socket_.non_blocking(true, ec);
  last_activity_ = Clock::now();
  ArmTimer(Deadline());
  WaitReadable();
}

void Session::WaitReadable() {
  if (own_buffer_) {
    // An active connection reads straight into its own buffer: Asio tries
    // the read at once and only then waits, without re-arming the
    // descriptor (one system call less per request than async_wait).
    socket_.async_read_some(
        asio::buffer(own_buffer_.get(), kOwnBuffer),
        [self = shared_from_this()](const asio::error_code& ec, size_t n) {
          if (self->closed_) return;
          if (ec) return self->Close();
          self->Consume(std::string_view(self->own_buffer_.get(), n));
        });
    return;
  }
  socket_.async_wait(Socket::wait_read,
                     [self = shared_from_this()](const asio::error_code& ec) {
                       self->OnReadable(ec);
                     });
}

void Session::OnReadable(const asio::error_code& ec) {
  if (closed_) return;
  if (ec) return Close();
  asio::error_code read_ec;
  size_t n = socket_.read_some(
      asio::buffer(read_buffer_.data(), read_buffer_.size()), read_ec);
  if (read_ec == asio::error::would_block) return WaitReadable();
  // End of stream or an error: a request cut off mid-way has nobody left to
  // answer, so there is nothing more to do.
  if (read_ec) return Close();
  // The client has spoken: from now on it gets a buffer of its own.
  own_buffer_ = std::make_unique<char[]>(kOwnBuffer);
  Consume(std::string_view(read_buffer_.data(), n));
}

void Session::Consume(std::string_view bytes) {
  bool was_mid = protocol_->mid_request();
  last_activity_ = Clock::now();
  if (!was_mid) request_start_ = last_activity_;
  bool keep_open = protocol_->Consume(bytes, &out_);
  // The next request starts counting from its own first byte.
  if (!protocol_->mid_request()) request_start_ = last_activity_;
  if (!keep_open) close_after_write_ = true;
  // A request just began: its deadline may be earlier than the idle one.
  if (!was_mid && protocol_->mid_request()) ArmTimer(Deadline());
  if (!out_.empty()) return Write();
  if (close_after_write_ || ReadyToCloseAfterDrain()) return Close();
  WaitReadable();
}

void Session::Write() {
  writing_ = true;
  asio::async_write(
      socket_, asio::buffer(out_),
      [self = shared_from_this()](const asio::error_code& ec, size_t) {
        self->OnWritten(ec);
      });
}

void Session::OnWritten(const asio::error_code& ec) {
  writing_ = false;
  if (closed_) return;
  out_.clear();
  if (out_.capacity() > 4 * kReadChunk) out_.shrink_to_fit();
  if (ec || close_after_write_ || ReadyToCloseAfterDrain()) return Close();
  WaitReadable();
}

bool Session::ReadyToCloseAfterDrain() const {
  return draining_ && !writing_ && !protocol_->mid_request();
}

Session::Clock::time_point Session::Deadline() const {
  Clock::time_point idle = last_activity_ + limits_.idle_timeout;
  if (!protocol_->mid_request()) return idle;
  return std::min(idle, request_start_ + limits_.request_timeout);
}

void Session::ArmTimer(Clock::time_point at) {
  timer_.expires_at(at);
  timer_.async_wait([self = shared_from_this()](const asio::error_code& ec) {
    self->OnTimer(ec);
  });
}

void Session::OnTimer(const asio::error_code& ec) {
  if (closed_ || ec == asio::error::operation_aborted) return;
  Clock::time_point deadline = Deadline();
  if (Clock::now() < deadline) return ArmTimer(deadline);
  stats_->timeouts.fetch_add(1, std::memory_order_relaxed);
  Log(LogLevel::kInfo, "timeout",
      {{"reason",
        protocol_->mid_request() ? "request not completed in time" : "idle"}});
  Close();
}

void Session::Drain() {
  draining_ = true;
  if (ReadyToCloseAfterDrain()) Close();
}

void Session::Close() {
  if (closed_) return;
  closed_ = true;
  asio::error_code ignored;
  socket_.shutdown(Socket::shutdown_both, ignored);
  socket_.close(ignored);
  timer_.cancel();
  registry_->Remove(this);
  stats_->connections_open.fetch_sub(1, std::memory_order_relaxed);
}

void SessionRegistry::Add(Session* s) { sessions_.insert(s); }
void SessionRegistry::Remove(Session* s) { sessions_.erase(s); }

void SessionRegistry::DrainAll() {
  std::vector<std::shared_ptr<Session>> all;
  all.reserve(sessions_.size());
  for (Session* s : sessions_) {
    if (auto p = s->weak_from_this().lock()) all.push_back(std::move(p));
  }
  for (const auto& s : all) s->Drain();
}

}  // namespace hatmatch::serve
