// Copyright 2026 The hatmatch Authors.

#include "engine/serve/stats.h"

#include <algorithm>
#include <map>

#include "fmt/format.h"

namespace hatmatch::serve {
namespace {

std::string LabelValue(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out.push_back('\\');
    out.push_back(c == '\n' ? ' ' : c);
  }
  return out;
}

// The "# HELP" and "# TYPE" lines that open a metric family.
std::string FamilyHead(std::string_view name, std::string_view type,
                       std::string_view help) {
  return fmt::format("# HELP {0} {1}\n# TYPE {0} {2}\n", name, help, type);
}

}  // namespace

Stats::Stats(size_t shards) {
  for (size_t i = 0; i < std::max<size_t>(shards, 1); ++i) {
    shards_.push_back(std::make_unique<Shard>());
  }
}

void Stats::Record(size_t shard, Proto proto, std::string_view group,
                   ReplyKind kind, std::chrono::nanoseconds latency) {
  Shard& s = *shards_[shard % shards_.size()];
  uint64_t us = static_cast<uint64_t>(latency.count()) / 1000;
  size_t bucket = std::lower_bound(kBucketsUs.begin(), kBucketsUs.end(), us) -
                  kBucketsUs.begin();
  std::lock_guard<std::mutex> lock(s.mu);
  auto it = s.groups.find(absl::string_view(group.data(), group.size()));
  if (it == s.groups.end()) {
    it = s.groups
             .emplace(std::string(group), std::array<uint64_t, kReplyKinds>{})
             .first;
  }
  ++it->second[static_cast<size_t>(kind)];
  ++s.requests[static_cast<size_t>(proto)];
  ++s.buckets[bucket];
  s.latency_sum_ns += static_cast<uint64_t>(latency.count());
}

Stats::Totals Stats::SumShards() const {
  Totals t;
  for (const auto& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard->mu);
    for (const auto& [name, counts] : shard->groups) {
      auto& into = t.groups[name];
      for (size_t k = 0; k < kReplyKinds; ++k) into[k] += counts[k];
    }
    for (size_t p = 0; p < 2; ++p) t.requests[p] += shard->requests[p];
    for (size_t b = 0; b < t.buckets.size(); ++b) {
      t.buckets[b] += shard->buckets[b];
    }
    t.latency_sum_ns += shard->latency_sum_ns;
  }
  return t;
}

std::string Stats::RenderGauges(uint64_t generation) const {
  std::string out;
  auto gauge = [&](std::string_view name, std::string_view help,
                   uint64_t value) {
    out += FamilyHead(name, "gauge", help);
    out += fmt::format("{} {}\n", name, value);
  };
  gauge("hatmatch_table_generation",
        "table generation in use (0 at start, +1 per reload)", generation);
  gauge("hatmatch_reloads_ok", "successful reloads", reloads_ok.load());
  gauge("hatmatch_reloads_failed", "failed reloads (old table kept)",
        reloads_failed.load());
  gauge("hatmatch_connections_open", "client connections open now",
        connections_open.load());
  gauge("hatmatch_connections_total", "client connections accepted",
        connections_total.load());
  gauge("hatmatch_connections_rejected",
        "connections closed at once: over --max-connections",
        connections_rejected.load());
  gauge("hatmatch_timeouts",
        "connections closed for idleness or a request "
        "not completed in time",
        timeouts.load());
  return out;
}

std::string Stats::RenderRequests(const Totals& totals) {
  std::string out = FamilyHead("hatmatch_requests_total", "counter",
                               "requests answered, per protocol");
  out += fmt::format("hatmatch_requests_total{{proto=\"policy\"}} {}\n",
                     totals.requests[0]);
  out += fmt::format("hatmatch_requests_total{{proto=\"line\"}} {}\n",
                     totals.requests[1]);
  return out;
}

// Answers per group and reply (non-zero ones only), then per reply.
std::string Stats::RenderDecisions(const Totals& totals) {
  std::string out =
      FamilyHead("hatmatch_decisions_total", "counter",
                 "answers per sender group and reply "
                 "(\"-\": no rule matched, \"?\": malformed request)");
  std::array<uint64_t, kReplyKinds> per_reply{};
  for (const auto& [name, counts] : totals.groups) {
    for (size_t k = 0; k < kReplyKinds; ++k) {
      per_reply[k] += counts[k];
      if (counts[k] == 0) continue;
      out += fmt::format(
          "hatmatch_decisions_total{{group=\"{}\",reply=\"{}\"}} {}\n",
          LabelValue(name), ReplyKindName(static_cast<ReplyKind>(k)),
          counts[k]);
    }
  }
  out += FamilyHead("hatmatch_replies_total", "counter", "answers per reply");
  for (size_t k = 0; k < kReplyKinds; ++k) {
    out += fmt::format("hatmatch_replies_total{{reply=\"{}\"}} {}\n",
                       ReplyKindName(static_cast<ReplyKind>(k)), per_reply[k]);
  }
  return out;
}

// The latency histogram: cumulative buckets, sum and count.
std::string Stats::RenderLatency(const Totals& totals) {
  std::string out = FamilyHead(
      "hatmatch_request_seconds", "histogram",
      "time from receiving a complete request to queueing its answer");
  uint64_t cumulative = 0;
  for (size_t b = 0; b < totals.buckets.size(); ++b) {
    cumulative += totals.buckets[b];
    std::string le = b < kBucketsUs.size()
                         ? fmt::format("{:g}", kBucketsUs[b] / 1e6)
                         : std::string("+Inf");
    out += fmt::format("hatmatch_request_seconds_bucket{{le=\"{}\"}} {}\n", le,
                       cumulative);
  }
  out += fmt::format("hatmatch_request_seconds_sum {:.9f}\n",
                     totals.latency_sum_ns / 1e9);
  out += fmt::format("hatmatch_request_seconds_count {}\n", cumulative);
  return out;
}

std::string Stats::RenderPrometheus(uint64_t generation) const {
  const Totals totals = SumShards();
  return RenderGauges(generation) + RenderRequests(totals) +
         RenderDecisions(totals) + RenderLatency(totals);
}

}  // namespace hatmatch::serve
