// Copyright 2026 The hatmatch Authors.
//
// traffic_gen.h: synthetic SMTP connections to classify against a rule set.
//
// Two levels:
//
//   SampleIpv4 / SampleIpv6 / SampleHostnames draw bare keys for the
//   benchmarks: `count` keys, a `hit_ratio` share of them drawn inside the
//   given target ranges or patterns (a target chosen uniformly, then a point
//   uniformly inside it), the rest at random (IPv4: anywhere; IPv6: in
//   2000::/3; names: random names under common TLDs).  With zipf > 0 the keys
//   are drawn from a population of distinct keys with Zipf-distributed
//   popularity (a few sources send most connections, as in real mail logs);
//   with zipf == 0 every key is an independent draw.
//
//   GenerateTraffic() builds whole Connections from a RuleSet (address mix,
//   PTR names with their verification states, scores, owner ids, DNS lists)
//   and WriteTraffic() prints them in the `hatmatch classify` input format of
//   HAT-RULES.md section 5, one per line.
//
// Deterministic: the same seed and options give the same keys and the same
// text (with zipf > 0, up to std::pow's last bit; see random.h).
// Cost: O(count + population log population) time.

#ifndef HATMATCH_ENGINE_GEN_TRAFFIC_GEN_H_
#define HATMATCH_ENGINE_GEN_TRAFFIC_GEN_H_

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <span>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "hatmatch/address.h"
#include "hatmatch/connection.h"
#include "hatmatch/rules.h"

namespace hatmatch::gen {

struct Sampling {
  uint64_t seed = 1;
  size_t count = 10000;
  double hit_ratio = 0.9;  // share of keys drawn inside a target
  double zipf = 0;         // 0: uniform; > 0: Zipf exponent (1.0 is typical)
  size_t population = 0;   // distinct keys when zipf > 0; 0 means count
};

std::vector<uint32_t> SampleIpv4(std::span<const Ipv4Range> targets,
                                 const Sampling& s);
std::vector<Ipv6Addr> SampleIpv6(std::span<const Ipv6Range> targets,
                                 const Sampling& s);
// Lowercase names; a partial target yields a name strictly below it.
std::vector<std::string> SampleHostnames(std::span<const HostPattern> targets,
                                         const Sampling& s);

struct TrafficOptions {
  uint64_t seed = 1;
  size_t count = 10000;
  double ipv6_share = 0.0;      // share of IPv6 connections
  double hit_ratio = 0.9;       // addresses and names inside rule entries
  double zipf = 0;              // see Sampling
  size_t population = 0;        // see Sampling
  double ptr_share = 0.5;       // connections with a verified ptr=
  double dns_failure = 0.1;     // connections with dns=nx|servfail|mismatch
  double sbrs_share = 0.7;      // connections with a score (else none)
  double sbo_share = 0.2;       // connections with an owner id
  double dnslist_share = 0.05;  // connections listed by a DNS list
};

// At most 16M connections: GenerateTraffic holds them all (about 3 GiB at
// the limit).
inline constexpr size_t kMaxTrafficCount = size_t{1} << 24;

absl::Status ValidateTrafficOptions(const TrafficOptions& o);

// Draws hits from the rule set's IP and hostname entries (all of them,
// CONTINUE rules included).
absl::StatusOr<std::vector<Connection>> GenerateTraffic(
    const RuleSet& rules, const TrafficOptions& options);

// One input line (no newline), e.g.
// "192.0.2.7 ptr=mx.example.com sbrs=-2.5 sbo=1234".
std::string ConnectionLine(const Connection& c);
void WriteTraffic(std::span<const Connection> conns, std::ostream& out);

// The targets of a rule set, in entry order, for the Sample* functions.
std::vector<Ipv4Range> Ipv4Targets(const RuleSet& rules);
std::vector<Ipv6Range> Ipv6Targets(const RuleSet& rules);
std::vector<HostPattern> HostTargets(const RuleSet& rules);

}  // namespace hatmatch::gen

#endif  // HATMATCH_ENGINE_GEN_TRAFFIC_GEN_H_
