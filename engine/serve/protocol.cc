// Copyright 2026 The hatmatch Authors.

#include "engine/serve/protocol.h"

#include <cstddef>
#include <iterator>

#include "engine/base/enum_name.h"
#include "engine/serve/protocols.h"

namespace hatmatch::serve {

std::string_view ProtocolName(ProtocolKind kind) {
  static constexpr std::string_view kNames[] = {"policy", "line", "metrics"};
  static_assert(std::size(kNames) ==
                static_cast<size_t>(ProtocolKind::kMetrics) + 1);
  return EnumName(kind, kNames);
}

void CountAnswer(const WorkerContext& ctx, Proto proto, std::string_view group,
                 ReplyKind kind, std::chrono::steady_clock::time_point start) {
  ctx.stats->Record(ctx.shard, proto, group, kind,
                    std::chrono::steady_clock::now() - start);
}

std::unique_ptr<Protocol> MakeProtocol(ProtocolKind kind,
                                       const WorkerContext* context) {
  switch (kind) {
    case ProtocolKind::kPolicy:
      return MakePolicyProtocol(context);
    case ProtocolKind::kLine:
      return MakeLineProtocol(context);
    case ProtocolKind::kMetrics:
      return MakeMetricsProtocol(context);
  }
  return nullptr;
}

}  // namespace hatmatch::serve
