// Copyright 2026 The hatmatch Authors.
//
// Fuzz target: the rule-file reader (ParseRules) on arbitrary bytes.
// Must never crash, hang or read out of bounds; and whatever it accepts must
// be a well-formed RuleSet that compiles, whose table agrees with the
// reference classifier on a few fixed connections.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "hatmatch/connection.h"
#include "hatmatch/parse.h"
#include "hatmatch/reference.h"
#include "hatmatch/table.h"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hatmatch;
  ParseOptions options;
  // Small limits so the limit paths are reachable from small inputs.
  options.max_errors = 8;
  options.max_line_bytes = 4096;
  options.max_entries = 256;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<RuleSet> rs = ParseRules(text, "fuzz.hat", options);
  if (!rs.ok()) {
    Check(!rs.status().message().empty());
    return 0;
  }
  // Structural invariants of rules.h.
  uint32_t next = 0;
  for (uint32_t r = 0; r < rs->rules().size(); ++r) {
    const Rule& rule = rs->rules()[r];
    Check(rule.first_entry == next);
    Check(rule.policy < rs->policies().size());
    next += rule.entry_count;
    for (uint32_t e = rule.first_entry; e < next; ++e) {
      Check(e < rs->entries().size() && rs->entries()[e].rule == r);
    }
  }
  Check(next == rs->entries().size());
  Check(rs->entries().size() <= options.max_entries);

  absl::StatusOr<std::shared_ptr<const Table>> table = Table::Compile(*rs);
  Check(table.ok());
  ReferenceClassifier ref(*rs);
  static const char* kConns[] = {
      "10.1.2.3",
      "192.0.2.1 ptr=mx1.example.com sbrs=-5",
      "2001:db8::1 dns=nx sbo=12345 dnslist=zen.spamhaus.org",
      "::ffff:10.0.0.1 ptr=a.b.c sbrs=none",
  };
  for (const char* line : kConns) {
    absl::StatusOr<Connection> c = ParseConnection(line);
    Check(c.ok());
    Check((*table)->ClassifyWithEntry(*c) == ref.Classify(*c));
  }
  return 0;
}
