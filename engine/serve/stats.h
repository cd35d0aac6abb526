// Copyright 2026 The hatmatch Authors.
//
// stats.h: the service's counters and request latency histogram, rendered
// in the Prometheus text format (the metrics listener, docs/SERVE.md).
//
// Each worker thread records into its own shard, whose mutex is only ever
// contended by a reader of the metrics, so recording costs an uncontended
// lock and a hash lookup.  Per-group counters are keyed by the group's name,
// so they survive a reload that renumbers the rules.

#ifndef HATMATCH_ENGINE_SERVE_STATS_H_
#define HATMATCH_ENGINE_SERVE_STATS_H_

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "engine/serve/action_map.h"

namespace hatmatch::serve {

enum class Proto : uint8_t { kPolicy, kLine };

class Stats {
 public:
  // Upper bounds of the latency buckets, in microseconds (+Inf implied).
  static constexpr std::array<uint32_t, 11> kBucketsUs = {
      5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000};

  explicit Stats(size_t shards);

  // One answered request.  `group` is "-" when no rule matched and "?" for a
  // malformed request.
  void Record(size_t shard, Proto proto, std::string_view group, ReplyKind kind,
              std::chrono::nanoseconds latency);

  // Process-wide counters (any thread).
  std::atomic<uint64_t> connections_open{0};
  std::atomic<uint64_t> connections_total{0};
  std::atomic<uint64_t> connections_rejected{0};  // over --max-connections
  std::atomic<uint64_t> timeouts{0};
  std::atomic<uint64_t> reloads_ok{0};
  std::atomic<uint64_t> reloads_failed{0};

  std::string RenderPrometheus(uint64_t generation) const;

 private:
  struct Shard {
    mutable std::mutex mu;
    absl::flat_hash_map<std::string, std::array<uint64_t, kReplyKinds>> groups;
    std::array<uint64_t, 2> requests{};
    std::array<uint64_t, kBucketsUs.size() + 1> buckets{};
    uint64_t latency_sum_ns = 0;
  };
  std::vector<std::unique_ptr<Shard>> shards_;

  // What every shard counted, added up; groups in name order so the page
  // lists them the same way every time.
  struct Totals {
    std::map<std::string, std::array<uint64_t, kReplyKinds>> groups;
    std::array<uint64_t, 2> requests{};
    std::array<uint64_t, kBucketsUs.size() + 1> buckets{};
    uint64_t latency_sum_ns = 0;
  };
  Totals SumShards() const;
  // The server-wide gauges: generation, reloads, connections, timeouts.
  std::string RenderGauges(uint64_t generation) const;
  static std::string RenderRequests(const Totals& totals);
  static std::string RenderDecisions(const Totals& totals);
  static std::string RenderLatency(const Totals& totals);
};

}  // namespace hatmatch::serve

#endif  // HATMATCH_ENGINE_SERVE_STATS_H_
