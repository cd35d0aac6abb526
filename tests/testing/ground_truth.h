// Copyright 2026 The hatmatch Authors.
//
// ground_truth.h: generated rule files and connections that carry their own
// answers, for differential tests that share nothing with the engine.
//
// The generator picks each entry's meaning first (an inclusive IPv4 or IPv6
// range, a host pattern, a score range, ...) and only then writes it as HAT
// text, in one of the spellings HAT-RULES.md section 2 allows for it.  The
// same goes for connections: fields first, then the classify input line.  So
// the answer of every connection follows from the generated values by a
// brute-force scan written from HAT-RULES.md section 3 and docs/RULES.md,
// with no call into the parser, the normalization or the reference
// classifier; the text goes through ParseRules and ParseConnection like any
// user input.
//
//   GeneratedRules rules = GenerateRules(rng, options);   // rules.text
//   GeneratedConnection c = GenerateConnection(rng, rules);  // c.text
//   TruthAnswer want = Classify(rules, c);  // rule, entry, which dimension

#ifndef HATMATCH_TESTS_TESTING_GROUND_TRUTH_H_
#define HATMATCH_TESTS_TESTING_GROUND_TRUTH_H_

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace hatmatch::testing {

using U128 = unsigned __int128;

// The dimension of an entry, and of the entry that decided a connection.
enum class Dimension { kIpv4, kIpv6, kHost, kCriteria, kAll, kNone };
inline constexpr int kDimensionCount = 6;
std::string_view DimensionName(Dimension d);

struct TruthEntry {
  enum class Kind { kV4, kV6, kHost, kSbrs, kSbrsNone, kSbo, kDnsList, kDns };
  Kind kind = Kind::kV4;
  uint32_t v4_lo = 0, v4_hi = 0;
  U128 v6_lo = 0, v6_hi = 0;
  std::string name{};  // host pattern or DNS-list zone: lowercase, no end dots
  bool partial = false;
  double sbrs_lo = 0, sbrs_hi = 0;
  uint64_t sbo = 0;
  int dns = 0;  // 1 nx.domain, 2 serv.fail, 3 not.double.verified
  Dimension dimension() const;
};

struct TruthRule {
  bool is_all = false;
  bool decides = true;       // false: the policy's action is CONTINUE
  std::string action;        // "ACCEPT", "REJECT", ...
  uint32_t first_entry = 0;  // in file order over the whole file
  std::vector<TruthEntry> entries;
};

struct GeneratedRules {
  std::string text;
  std::vector<TruthRule> rules;
};

struct GenerateOptions {
  int max_rules = 24;
  int max_entries_per_rule = 6;
  bool allow_all = true;
  // Relative weights of the entry kinds.  Criteria entries match a large
  // share of connections, so they are kept rarer than the others: a
  // criteria rule high in the file would otherwise decide most connections
  // and hide what the tries answer below it.
  int weight_v4 = 5, weight_v6 = 3, weight_host = 3, weight_criteria = 1;
  // Criteria entries only in the rules after this fraction of them (in a
  // file of a thousand rules, a score range near the top decides nearly
  // every connection that carries a score).
  double criteria_from = 0;
};

// A random, valid rule file over small universes (entries nest, overlap and
// share suffixes all the time).
GeneratedRules GenerateRules(std::mt19937_64& rng,
                             const GenerateOptions& options = {});

// A rule file that makes the address structures build every kind of node:
// at least 32,768 IPv4 segments spread over the whole space (the wide top
// level), /24s split further (inner nodes down to the last level), /18
// blocks split only at /24 boundaries (terminals), over 512 IPv6 segments in
// one /16 (a tree of several levels) and lone deep IPv6 boundaries (refine
// runs); then a random file of `options` on top, for the other dimensions.
GeneratedRules GenerateWideRules(std::mt19937_64& rng,
                                 const GenerateOptions& options = {});

struct GeneratedConnection {
  std::string text;  // the classify input line
  // The address as the rules see it (an IPv6 spelling of an IPv4 host is
  // that IPv4 host).
  bool is_v4 = true;
  uint32_t v4 = 0;
  U128 v6 = 0;
  std::string ptr;        // as written; empty: no ptr=
  bool verified = false;  // ptr= without dns=
  int dns = 0;            // 0 none/verified, 1 nx, 2 servfail, 3 mismatch
  std::optional<double> sbrs;
  std::optional<uint64_t> sbo;
  std::vector<std::string> dnslists;  // as written
};

// A random connection, mostly at or next to an edge of one of `rules`'
// entries.
GeneratedConnection GenerateConnection(std::mt19937_64& rng,
                                       const GeneratedRules& rules);

struct TruthAnswer {
  uint32_t rule = UINT32_MAX;   // UINT32_MAX: no match
  uint32_t entry = UINT32_MAX;  // UINT32_MAX: ALL or no match
  std::string action;           // empty when no match
  Dimension by = Dimension::kNone;
  // Per dimension: the lowest deciding rule with an entry of that kind that
  // matches (the table's LookupIpv4 / LookupIpv6 / LookupHost).
  uint32_t v4_rule = UINT32_MAX, v6_rule = UINT32_MAX, host_rule = UINT32_MAX;
};

// The answer by brute force over the generated values.
TruthAnswer Classify(const GeneratedRules& rules, const GeneratedConnection& c);

// The lowest deciding rule with a host entry matching `name` (any case, one
// trailing dot, invalid names match nothing).
uint32_t HostRule(const GeneratedRules& rules, std::string_view name);

// The shape of the IPv4 priority map of the entries alone, from the
// generated ranges: its segments (maximal address runs with one answer), and
// the /18 blocks (the wide top level's) that boundaries split only at /24
// edges (a trie terminal) or also inside a /24 (inner nodes below).
struct Ipv4Shape {
  size_t segments = 0;
  size_t blocks_split_at_24 = 0;
  size_t blocks_split_below_24 = 0;
};
Ipv4Shape MeasureIpv4Shape(const GeneratedRules& rules);

// The most IPv6 segment boundaries inside one /16 (dense regions of the
// IPv6 range tree).
size_t MaxIpv6SegmentsInOneSlash16(const GeneratedRules& rules);

}  // namespace hatmatch::testing

#endif  // HATMATCH_TESTS_TESTING_GROUND_TRUTH_H_
