// Copyright 2026 The hatmatch Authors.
//
// protocol.h: what a connection speaks, separated from how its bytes move
// (session.h).  A Protocol turns received bytes into answer bytes; it never
// does I/O, so each one is testable without sockets.
//
//   policy   Postfix policy delegation: attribute blocks -> action=...
//   (Postfix) line     the `hatmatch classify` batch format, one line per
//   connection
//            (Exim ${readsocket}, scripts, anything else)
//   metrics  one HTTP GET -> the Prometheus text of Stats, then close

#ifndef HATMATCH_ENGINE_SERVE_PROTOCOL_H_
#define HATMATCH_ENGINE_SERVE_PROTOCOL_H_

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "engine/serve/action_map.h"
#include "engine/serve/policy_codec.h"
#include "engine/serve/stats.h"
#include "engine/serve/table_view.h"

namespace hatmatch::serve {

enum class ProtocolKind : uint8_t { kPolicy, kLine, kMetrics };
std::string_view ProtocolName(ProtocolKind kind);

class Protocol {
 public:
  virtual ~Protocol() = default;
  // Consumes received bytes and appends the answers they complete to *out.
  // Returns false when the connection must close once *out is written.
  virtual bool Consume(std::string_view bytes, std::string* out) = 0;
  // True while a request has begun arriving and has not been answered.
  virtual bool mid_request() const = 0;
};

// What a protocol needs from the worker thread that runs it.
struct WorkerContext {
  TableView* view;
  Stats* stats;
  size_t shard;
  const ActionMap* actions;
  PolicyLimits policy_limits;
  size_t max_line;                       // line protocol
  std::function<uint64_t()> generation;  // for the metrics page
};

// Counts one answered request in the worker's shard of Stats, with the time
// since `start` (when its bytes arrived) as its latency.
void CountAnswer(const WorkerContext& ctx, Proto proto, std::string_view group,
                 ReplyKind kind, std::chrono::steady_clock::time_point start);

std::unique_ptr<Protocol> MakeProtocol(ProtocolKind kind,
                                       const WorkerContext* context);

}  // namespace hatmatch::serve

#endif  // HATMATCH_ENGINE_SERVE_PROTOCOL_H_
