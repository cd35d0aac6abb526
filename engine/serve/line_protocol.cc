// Copyright 2026 The hatmatch Authors.

#include <chrono>

#include "engine/parse/batch_line.h"
#include "engine/serve/line_splitter.h"
#include "engine/serve/log.h"
#include "engine/serve/protocols.h"
#include "fmt/format.h"

namespace hatmatch::serve {
namespace {

class LineProtocol : public Protocol {
 public:
  explicit LineProtocol(const WorkerContext* ctx)
      : ctx_(*ctx), lines_(ctx->max_line) {}

  bool Consume(std::string_view bytes, std::string* out) override {
    auto start = std::chrono::steady_clock::now();
    lines_.Feed(bytes, [&](std::string_view line, bool too_long) {
      Answer(line, too_long, start, out);
    });
    return true;
  }
  bool mid_request() const override { return lines_.mid_line(); }

 private:
  void Answer(std::string_view line, bool too_long,
              std::chrono::steady_clock::time_point start, std::string* out);

  const WorkerContext& ctx_;
  LineSplitter lines_;
};

void LineProtocol::Answer(std::string_view line, bool too_long,
                          std::chrono::steady_clock::time_point start,
                          std::string* out) {
  std::optional<absl::StatusOr<Connection>> conn =
      ParseBatchLine(line, too_long, lines_.max_line());
  if (!conn) return;
  if (!conn->ok()) {
    std::string_view msg(conn->status().message().data(),
                         conn->status().message().size());
    AppendBatchError(msg, out);
    CountAnswer(ctx_, Proto::kLine, "?", ReplyKind::kError, start);
    LogClientError("bad_request", {{"proto", "line"}, {"reason", msg}});
    return;
  }
  const RuleInfo* rule = nullptr;
  Decision d = ctx_.view->Classify(**conn, &rule);
  std::string_view group = rule ? std::string_view(rule->name) : "-";
  AppendBatchDecision(d, group, out);
  ReplyInput in;
  in.matched = rule != nullptr;
  in.group = group;
  in.action = rule ? rule->action : Action::kAccept;
  ReplyKind kind = ctx_.actions->Kind(in);
  CountAnswer(ctx_, Proto::kLine, group, kind, start);
  if (LogEnabled(LogLevel::kDebug)) {
    Log(LogLevel::kDebug, "decision",
        {{"proto", "line"},
         {"line", line},
         {"group", group},
         {"generation", fmt::format("{}", ctx_.view->generation())}});
  }
}

}  // namespace

std::unique_ptr<Protocol> MakeLineProtocol(const WorkerContext* context) {
  return std::make_unique<LineProtocol>(context);
}

}  // namespace hatmatch::serve
