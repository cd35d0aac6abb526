// Copyright 2026 The hatmatch Authors.
//
// Differential fuzz target: compiled table (as compiled, and as written and
// reopened) against the reference classifier.
//
// Input:  bytes 0..7   seed of the random rule generator
//         byte  8      max rules (1 + b % 48)
//         byte  9      max entries per rule (1 + b % 8); bit 7: no ALL
//         rest         optional "RULES\n%%\n" prefix: rule text the fuzzer
//                      crafts, placed before the random rules; then
//                      connection lines, classified besides 256 random
//                      connections biased to the entries' edges.
// Any disagreement prints the seed, the rules and the connection, then
// aborts (a crash for libFuzzer, with the input saved).

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "hatmatch/address.h"
#include "hatmatch/connection.h"
#include "hatmatch/parse.h"
#include "hatmatch/reference.h"
#include "hatmatch/table.h"
#include "tests/testing/random_rules.h"

namespace {

using namespace hatmatch;

void Check(bool ok) {
  if (!ok) std::abort();
}

[[noreturn]] void Disagree(uint64_t seed, const std::string& rules,
                           const Connection& c, const Decision& want,
                           const Decision& got, const char* which) {
  std::fprintf(stderr,
               "DISAGREEMENT (%s) seed %llu address %s ptr=%s dns=%d\n"
               "reference rule %d entry %d, table rule %d entry %d\n"
               "rules:\n%s\n",
               which, static_cast<unsigned long long>(seed),
               FormatIpAddress(c.address).c_str(), c.ptr.c_str(),
               static_cast<int>(c.dns), static_cast<int>(want.rule),
               static_cast<int>(want.entry), static_cast<int>(got.rule),
               static_cast<int>(got.entry), rules.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 10) return 0;
  uint64_t seed;
  std::memcpy(&seed, data, 8);
  testing::RandomRulesOptions opts;
  opts.max_rules = 1 + data[8] % 48;
  opts.max_entries_per_rule = 1 + (data[9] & 0x7f) % 8;
  opts.allow_all = !(data[9] & 0x80);
  std::string_view tail(reinterpret_cast<const char*>(data) + 10, size - 10);
  std::string crafted;
  if (size_t sep = tail.find("\n%%\n"); sep != std::string_view::npos) {
    crafted = std::string(tail.substr(0, sep)) + "\n";
    tail.remove_prefix(sep + 4);
  }

  std::mt19937_64 rng(seed);
  const std::string text = crafted + testing::RandomRuleText(rng, opts);
  absl::StatusOr<RuleSet> rules = ParseRules(text, "fuzz.hat");
  if (!rules.ok()) {
    Check(!crafted.empty());  // the generator alone always writes valid rules
    return 0;
  }
  absl::StatusOr<std::shared_ptr<const Table>> compiled =
      Table::Compile(*rules);
  Check(compiled.ok());
  // The write/open round trip costs more than the rest (a table is at least
  // 512 KiB); do it for one seed in four.
  std::shared_ptr<const Table> opened = *compiled;
  if ((seed & 3) == 0) {
    const std::string bytes = (*compiled)->Serialize();
    absl::StatusOr<std::shared_ptr<const Table>> o =
        Table::OpenBytes(bytes, "fuzz.hmt");
    Check(o.ok());
    Check((*o)->Serialize() == bytes);
    opened = *std::move(o);
  }
  ReferenceClassifier ref(*rules);

  std::vector<Connection> conns;
  for (int i = 0; i < 256; ++i) {
    conns.push_back(testing::RandomConnection(rng, *rules));
  }
  while (!tail.empty()) {
    const size_t nl = tail.find('\n');
    const std::string_view line = tail.substr(0, nl);
    tail.remove_prefix(nl == std::string_view::npos ? tail.size() : nl + 1);
    if (IsSkippedConnectionLine(line)) continue;
    absl::StatusOr<Connection> c = ParseConnection(line);
    if (c.ok()) conns.push_back(*std::move(c));
  }
  std::vector<Decision> batch(conns.size());
  opened->ClassifyBatch(conns, batch);
  for (size_t i = 0; i < conns.size(); ++i) {
    const Connection& c = conns[i];
    const Decision want = ref.Classify(c);
    const Decision a = (*compiled)->ClassifyWithEntry(c);
    if (!(a == want)) Disagree(seed, text, c, want, a, "compiled");
    const Decision b = opened->ClassifyWithEntry(c);
    if (!(b == want)) Disagree(seed, text, c, want, b, "opened");
    const Decision f = (*compiled)->Classify(c);
    if (f.rule != want.rule) Disagree(seed, text, c, want, f, "fast");
    if (batch[i].rule != want.rule) {
      Disagree(seed, text, c, want, batch[i], "batch");
    }
  }
  return 0;
}
