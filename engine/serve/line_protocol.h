// Copyright 2026 The hatmatch Authors.
//
// line_protocol.h: the line Protocol, exactly the `hatmatch classify` batch
// format (engine/parse/batch_line.h) over a socket: each connection line
// gets `RULE<TAB>ACTION`, `-<TAB>-` or `?<TAB>ERROR`; blank and `#` lines
// get nothing.  Lines longer than WorkerContext::max_line get `?`.

#ifndef HATMATCH_ENGINE_SERVE_LINE_PROTOCOL_H_
#define HATMATCH_ENGINE_SERVE_LINE_PROTOCOL_H_

#include <memory>

#include "engine/serve/protocol.h"

namespace hatmatch::serve {

std::unique_ptr<Protocol> MakeLineProtocol(const WorkerContext* context);

}  // namespace hatmatch::serve

#endif  // HATMATCH_ENGINE_SERVE_LINE_PROTOCOL_H_
