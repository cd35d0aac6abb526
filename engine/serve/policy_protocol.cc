// Copyright 2026 The hatmatch Authors.
//
// The policy protocol: parsed requests -> Connection -> decision -> action.

#include <chrono>
#include <string>
#include <vector>

#include "engine/serve/log.h"
#include "engine/serve/policy_connection.h"
#include "engine/serve/protocols.h"
#include "fmt/format.h"

namespace hatmatch::serve {
namespace {

std::string_view Str(const absl::Status& s) {
  return {s.message().data(), s.message().size()};
}

std::string_view Or(const std::optional<std::string>& v) {
  return v ? std::string_view(*v) : std::string_view("-");
}

class PolicyProtocol : public Protocol {
 public:
  explicit PolicyProtocol(const WorkerContext* ctx)
      : ctx_(*ctx), parser_(ctx->policy_limits) {}

  bool Consume(std::string_view bytes, std::string* out) override {
    auto start = std::chrono::steady_clock::now();
    // Each request is answered as it completes: a read of 4,096 empty lines
    // is 4,096 requests, and collecting them first held about 1 MiB.
    parser_.Feed(bytes, [&](const PolicyRequest& r) { Answer(r, start, out); });
    return true;
  }
  bool mid_request() const override { return parser_.mid_request(); }

 private:
  void Answer(const PolicyRequest& r,
              std::chrono::steady_clock::time_point start, std::string* out);
  void Refuse(std::string_view reason, const PolicyRequest& r,
              std::chrono::steady_clock::time_point start, std::string* out);

  const WorkerContext& ctx_;
  PolicyParser parser_;
};

void PolicyProtocol::Refuse(std::string_view reason, const PolicyRequest& r,
                            std::chrono::steady_clock::time_point start,
                            std::string* out) {
  std::string text = ctx_.actions->Text(ReplyKind::kError, "?");
  AppendPolicyReply(text, out);
  CountAnswer(ctx_, Proto::kPolicy, "?", ReplyKind::kError, start);
  LogClientError("bad_request", {{"proto", "policy"},
                                 {"reason", reason},
                                 {"client_address", Or(r.client_address)},
                                 {"reply", text}});
}

void PolicyProtocol::Answer(const PolicyRequest& r,
                            std::chrono::steady_clock::time_point start,
                            std::string* out) {
  if (!r.error.empty()) return Refuse(r.error, r, start, out);
  absl::StatusOr<Connection> conn = ConnectionFromPolicy(r);
  if (!conn.ok()) return Refuse(Str(conn.status()), r, start, out);

  const RuleInfo* rule = nullptr;
  ctx_.view->Classify(*conn, &rule);
  ReplyInput in;
  if (rule != nullptr) {
    in.matched = true;
    in.group = rule->name;
    in.action = rule->action;
    in.tls_required = rule->tls_required;
  }
  in.session_has_tls = !r.encryption_protocol.empty();
  in.protocol_state = r.protocol_state;
  ReplyKind kind = ctx_.actions->Kind(in);
  std::string_view group = rule ? std::string_view(rule->name) : "-";
  std::string text = ctx_.actions->Text(kind, group);
  AppendPolicyReply(text, out);
  CountAnswer(ctx_, Proto::kPolicy, group, kind, start);
  if (LogEnabled(LogLevel::kDebug)) {
    Log(LogLevel::kDebug, "decision",
        {{"proto", "policy"},
         {"client_address", Or(r.client_address)},
         {"client_name", Or(r.client_name)},
         {"reverse_client_name", Or(r.reverse_client_name)},
         {"state", r.protocol_state},
         {"tls", r.encryption_protocol},
         {"group", group},
         {"reply", text},
         {"generation", fmt::format("{}", ctx_.view->generation())}});
  }
}

}  // namespace

std::unique_ptr<Protocol> MakePolicyProtocol(const WorkerContext* context) {
  return std::make_unique<PolicyProtocol>(context);
}

}  // namespace hatmatch::serve
