// Copyright 2026 The hatmatch Authors.
//
// rule_gen.h: synthetic HAT rule sets for benchmarks, tests and `hatmatch gen`.
//
// GenerateRuleSet() builds a RuleSet straight from a seed and a few shape
// parameters, and WriteHat() prints any RuleSet as HAT text (HAT-RULES.md
// section 1).  The two agree: parsing the written text gives back the same
// policies, rules and entry values (tests/gen_test.cc checks it), so a
// benchmark may compile the RuleSet directly and skip parsing.
//
//   RuleGenOptions o;
//   o.seed = 7;
//   o.ipv4_entries = 100000;
//   absl::StatusOr<RuleSet> rs = GenerateRuleSet(o);
//   WriteHat(*rs, std::cout);
//
// Guarantees:
//   - Deterministic: the same options give the same RuleSet and the same
//     bytes, on any platform (engine/gen/random.h).
//   - Exact counts: the set holds exactly ipv4_entries IPv4 entries,
//     ipv6_entries IPv6 entries and host_entries hostname entries, spread over
//     exactly `groups` rules (plus ALL when asked).  Criteria entries (sbrs,
//     DNS states, DNS lists, SBO) come on top of these counts.
//   - Every rule has at least one entry; names are unique.
//
// Shape:
//   - Prefix lengths follow a weighted distribution; the defaults mirror the
//     global BGP tables (IPv4: /24 53%, /22-/23 20%, /16-/21 25%, /32 2%;
//     IPv6: /48 44%, /32 26%, the rest spread over /29../64 and a /128 tail).
//   - `nesting`: share of IP and hostname entries placed strictly inside an
//     earlier entry (more-specific prefixes, names below a partial name).
//   - `overlap`: share placed on or around an earlier entry of another rule
//     (the same prefix or a covering one), so that rules shadow each other.
//   - `variety`: share of entries written in another accepted form than the
//     canonical CIDR / lowercase name (partial addresses `10.1.`, octet
//     ranges, full ranges, bare addresses, odd case, a trailing dot).  The
//     values then are ranges that are not CIDR blocks, like geoip data.
//
// Cost: O(n log n) time, about 150 bytes per entry.

#ifndef HATMATCH_ENGINE_GEN_RULE_GEN_H_
#define HATMATCH_ENGINE_GEN_RULE_GEN_H_

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "hatmatch/rules.h"

namespace hatmatch::gen {

struct LengthWeight {
  int length = 24;
  double weight = 1;
};

std::vector<LengthWeight> DefaultIpv4Lengths();
std::vector<LengthWeight> DefaultIpv6Lengths();

// Parses "24:53,22:10,32:2" (length:weight pairs, weights need not sum to
// anything).  Lengths must lie in [0, max_length].
absl::StatusOr<std::vector<LengthWeight>> ParseLengthWeights(
    std::string_view text, int max_length);
std::string FormatLengthWeights(const std::vector<LengthWeight>& w);

struct RuleGenOptions {
  uint64_t seed = 1;
  size_t groups = 100;  // rules, ALL excluded; each gets >= 1 entry
  size_t ipv4_entries = 1000;
  size_t ipv6_entries = 0;
  size_t host_entries = 0;
  std::vector<LengthWeight> ipv4_lengths = DefaultIpv4Lengths();
  std::vector<LengthWeight> ipv6_lengths = DefaultIpv6Lengths();
  double nesting = 0.05;
  double overlap = 0.02;
  double partial_hosts = 0.7;   // share of `.example.com` vs `mx.example.com`
  double criteria = 0.05;       // share of rules given sbrs / DNS criteria
  double continue_rules = 0.0;  // share of rules whose action is CONTINUE
  double anonymous = 0.0;  // share of (small) rules written as anonymous rules
  double variety = 0.0;    // share of entries in non-canonical forms
  bool all = false;        // end with `ALL $ACCEPTED`
  std::string file = "generated.hat";  // RuleSet::file()
};

// Checks counts and ratios (ratios within [0, 1], groups <= entries, ...).
absl::Status ValidateRuleGenOptions(const RuleGenOptions& options);

absl::StatusOr<RuleSet> GenerateRuleSet(const RuleGenOptions& options);

struct WriteOptions {
  size_t entries_per_line = 1;  // group entries per line, comma-separated
  std::string header;           // written as `# ` comment lines first
};

// Writes `rules` as HAT text.  Rule names, entry texts, policy parameters and
// comments are written as stored; named policies are defined at the top.
void WriteHat(const RuleSet& rules, std::ostream& out,
              const WriteOptions& options = {});
std::string HatText(const RuleSet& rules, const WriteOptions& options = {});

// The options as command-line flags of `hatmatch gen rules` (for headers).
std::string DescribeRuleGenOptions(const RuleGenOptions& options);

}  // namespace hatmatch::gen

#endif  // HATMATCH_ENGINE_GEN_RULE_GEN_H_
