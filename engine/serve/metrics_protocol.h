// Copyright 2026 The hatmatch Authors.
//
// metrics_protocol.h: the metrics Protocol: one HTTP request head (any
// method and path) in, the Prometheus text of Stats out, then close.  Enough
// for curl and a Prometheus scraper; not a general HTTP server.

#ifndef HATMATCH_ENGINE_SERVE_METRICS_PROTOCOL_H_
#define HATMATCH_ENGINE_SERVE_METRICS_PROTOCOL_H_

#include <memory>

#include "engine/serve/protocol.h"

namespace hatmatch::serve {

std::unique_ptr<Protocol> MakeMetricsProtocol(const WorkerContext* context);

}  // namespace hatmatch::serve

#endif  // HATMATCH_ENGINE_SERVE_METRICS_PROTOCOL_H_
