// Copyright 2026 The hatmatch Authors.
//
// policy_protocol.h: the Postfix policy delegation Protocol.  Each request
// becomes a Connection (policy_connection.h), is classified by the worker's
// TableView and answered through the ActionMap; a malformed request gets the
// ERROR text (DUNNO by default) and an error log line naming the reason.

#ifndef HATMATCH_ENGINE_SERVE_POLICY_PROTOCOL_H_
#define HATMATCH_ENGINE_SERVE_POLICY_PROTOCOL_H_

#include <memory>

#include "engine/serve/protocol.h"

namespace hatmatch::serve {

std::unique_ptr<Protocol> MakePolicyProtocol(const WorkerContext* context);

}  // namespace hatmatch::serve

#endif  // HATMATCH_ENGINE_SERVE_POLICY_PROTOCOL_H_
