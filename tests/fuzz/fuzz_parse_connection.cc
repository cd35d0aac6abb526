// Copyright 2026 The hatmatch Authors.
//
// Fuzz target: the connection-line parser (ParseConnection) on arbitrary
// bytes.  Must never crash; what it accepts must respect the documented
// ranges, and classifying it against a fixed table must agree with the
// reference classifier.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string_view>

#include "hatmatch/connection.h"
#include "hatmatch/parse.h"
#include "hatmatch/reference.h"
#include "hatmatch/table.h"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

constexpr std::string_view kRules =
    "$BLOCKED\n"
    "    REJECT\n"
    "BLOCK:\n"
    "    $BLOCKED\n"
    "    10.0.0.0/8, 192.0.2.\n"
    "    .example.com, mx.example.org\n"
    "    sbrs[-10.0:-3.0], nx.domain, serv.fail\n"
    "    dnslist[zen.spamhaus.org], SBO:12345\n"
    "V6:\n"
    "    ACCEPT\n"
    "    2001:db8::/32, ::ffff:0:0/96\n"
    "NONE:\n"
    "    RELAY\n"
    "    sbrs[none], not.double.verified\n"
    "ALL\n"
    "    TCPREFUSE\n";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hatmatch;
  static const RuleSet* rules = [] {
    absl::StatusOr<RuleSet> rs = ParseRules(kRules, "fuzz.hat");
    Check(rs.ok());
    return new RuleSet(*std::move(rs));
  }();
  static const std::shared_ptr<const Table> table = *Table::Compile(*rules);

  const std::string_view line(reinterpret_cast<const char*>(data), size);
  if (IsSkippedConnectionLine(line)) return 0;
  absl::StatusOr<Connection> c = ParseConnection(line);
  if (!c.ok()) {
    Check(!c.status().message().empty());
    return 0;
  }
  if (c->sbrs) Check(*c->sbrs >= -10 && *c->sbrs <= 10);
  Check(static_cast<int>(c->dns) <= static_cast<int>(DnsState::kMismatch));
  ReferenceClassifier ref(*rules);
  Check(table->ClassifyWithEntry(*c) == ref.Classify(*c));
  // The hostname lookup copes with anything the ptr= field holds.
  (void)table->LookupHost(c->ptr);
  return 0;
}
