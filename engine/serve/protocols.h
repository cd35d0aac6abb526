// Copyright 2026 The hatmatch Authors.
//
// protocols.h: the three Protocols a listener can speak, each made for one
// connection and bound to the worker's context (MakeProtocol in protocol.h
// picks one by ProtocolKind).
//
//   policy   Postfix policy delegation (policy_protocol.cc).  Each request
//            becomes a Connection (policy_connection.h), is classified by
//            the worker's TableView and answered through the ActionMap; a
//            malformed request gets the ERROR text (DUNNO by default) and an
//            error log line naming the reason.
//   line     exactly the `hatmatch classify` batch format
//            (engine/parse/batch_line.h) over a socket (line_protocol.cc):
//            each connection line gets `RULE<TAB>ACTION`, `-<TAB>-` or
//            `?<TAB>ERROR`; blank and `#` lines get nothing.  Lines longer
//            than WorkerContext::max_line get `?`.
//   metrics  one HTTP request head (any method and path) in, the Prometheus
//            text of Stats out, then close (metrics_protocol.cc).  Enough
//            for curl and a Prometheus scraper; not a general HTTP server.

#ifndef HATMATCH_ENGINE_SERVE_PROTOCOLS_H_
#define HATMATCH_ENGINE_SERVE_PROTOCOLS_H_

#include <memory>

#include "engine/serve/protocol.h"

namespace hatmatch::serve {

std::unique_ptr<Protocol> MakePolicyProtocol(const WorkerContext* context);
std::unique_ptr<Protocol> MakeLineProtocol(const WorkerContext* context);
std::unique_ptr<Protocol> MakeMetricsProtocol(const WorkerContext* context);

}  // namespace hatmatch::serve

#endif  // HATMATCH_ENGINE_SERVE_PROTOCOLS_H_
