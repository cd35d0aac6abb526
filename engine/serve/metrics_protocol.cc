// Copyright 2026 The hatmatch Authors.

#include <algorithm>
#include <string>

#include "engine/serve/protocols.h"
#include "fmt/format.h"

namespace hatmatch::serve {
namespace {

constexpr size_t kMaxHead = 8192;

class MetricsProtocol : public Protocol {
 public:
  explicit MetricsProtocol(const WorkerContext* ctx) : ctx_(*ctx) {}

  bool Consume(std::string_view bytes, std::string* out) override {
    head_.append(bytes.substr(0, kMaxHead - std::min(head_.size(), kMaxHead)));
    bool complete = head_.find("\r\n\r\n") != std::string::npos ||
                    head_.find("\n\n") != std::string::npos;
    if (!complete && head_.size() < kMaxHead) return true;
    std::string body = ctx_.stats->RenderPrometheus(ctx_.generation());
    out->append(fmt::format(
        "HTTP/1.0 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\n"
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.size()));
    out->append(body);
    return false;
  }
  bool mid_request() const override { return !head_.empty(); }

 private:
  const WorkerContext& ctx_;
  std::string head_;
};

}  // namespace

std::unique_ptr<Protocol> MakeMetricsProtocol(const WorkerContext* context) {
  return std::make_unique<MetricsProtocol>(context);
}

}  // namespace hatmatch::serve
