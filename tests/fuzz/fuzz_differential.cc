// Copyright 2026 The hatmatch Authors.
//
// Differential fuzz target: compiled table (as compiled, and as written and
// reopened) against the reference classifier.
//
// Input:  bytes 0..7   seed of the random rule generator
//         byte  8      max rules: 1 + b % 48 below 200, else
//                      48 + 20 * (b - 200), up to 1,148
//         byte  9      max entries per rule (1 + b % 8); bit 7: no ALL
//         rest         optional "RULES\n%%\n" prefix: rule text the fuzzer
//                      crafts, placed before the random rules; then
//                      connection lines, classified besides 256 random
//                      connections biased to the entries' edges.
// Any disagreement prints the seed, the rules and the connection, then
// aborts (a crash for libFuzzer, with the input saved).
//
// Byte-level mutation alone rarely makes such inputs grow: a random edit to
// the crafted rules mostly makes them invalid.  The custom mutator below
// knows the layout: besides libFuzzer's own mutations it rewrites the seed
// and the size knobs (large random rule sets), appends valid crafted rules
// (anonymous, so copies never clash) and connection lines near them, and
// doubles the crafted rules; tests/fuzz/differential.dict gives the byte
// mutations the language's tokens.

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

#include "fmt/format.h"
#include "hatmatch/address.h"
#include "hatmatch/connection.h"
#include "hatmatch/parse.h"
#include "hatmatch/reference.h"
#include "hatmatch/table.h"
#include "tests/testing/random_rules.h"

extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t max_size);

namespace {

using namespace hatmatch;

constexpr size_t kHeader = 10;
constexpr std::string_view kSeparator = "\n%%\n";

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

int MaxRules(uint8_t b) { return b < 200 ? 1 + b % 48 : 48 + 20 * (b - 200); }

// --- The structure-aware mutator --------------------------------------------

struct Parts {
  std::string header;   // kHeader bytes
  std::string crafted;  // rule text before the separator (may be empty)
  bool has_crafted = false;
  std::string conns;  // connection lines
};

Parts Split(const uint8_t* data, size_t size) {
  Parts p;
  std::string all(reinterpret_cast<const char*>(data), size);
  all.resize(std::max(all.size(), kHeader), '\0');
  p.header = all.substr(0, kHeader);
  std::string_view tail = std::string_view(all).substr(kHeader);
  if (size_t sep = tail.find(kSeparator); sep != std::string_view::npos) {
    p.has_crafted = true;
    p.crafted = std::string(tail.substr(0, sep));
    tail.remove_prefix(sep + kSeparator.size());
  }
  p.conns = std::string(tail);
  return p;
}

std::string Join(const Parts& p) {
  std::string out = p.header;
  if (p.has_crafted) out += p.crafted + std::string(kSeparator);
  return out + p.conns;
}

using Rng = std::mt19937_64;

std::string V4(Rng& rng) {
  const uint32_t a = static_cast<uint32_t>(rng());
  return FormatIpv4(rng() % 2 ? a : (a & 0xFF0000FF) | 0x0A000000);
}

std::string CraftedEntry(Rng& rng) {
  static const char* const kNames[] = {"example.com", "mx.example.com",
                                       "res.cisco.com", "a.b.c"};
  switch (rng() % 9) {
    case 0:
      return V4(rng);
    case 1:
    case 2:
      return fmt::format("{}/{}", V4(rng), 8 + rng() % 25);
    case 3:
      return fmt::format("2001:db8:{:x}::/{}", rng() % 0x10000,
                         32 + rng() % 97);
    case 4:
      return fmt::format("{}{}", rng() % 2 ? "." : "", kNames[rng() % 4]);
    case 5:
      return fmt::format("sbrs[{}:{}]", -10 + static_cast<int>(rng() % 10),
                         static_cast<int>(rng() % 11));
    case 6:
      return fmt::format("SBO:{}", rng() % 4);
    case 7:
      return rng() % 2 ? "dnslist[zen.example]" : "sbrs[none]";
    default:
      return fmt::format("{}.{}.{}-{}.", 10 + rng() % 3, rng() % 256,
                         rng() % 128, 128 + rng() % 128);
  }
}

// An anonymous rule: entries at column 0, then an inline action.
std::string CraftedRule(Rng& rng) {
  static const char* const kActions[] = {"ACCEPT", "REJECT", "TCPREFUSE",
                                         "RELAY", "CONTINUE"};
  std::string line = CraftedEntry(rng);
  for (int n = static_cast<int>(rng() % 4); n > 0; --n) {
    line += ", " + CraftedEntry(rng);
  }
  return line + "\n    " + kActions[rng() % 5] + "\n";
}

std::string CraftedConnection(Rng& rng) {
  std::string line = rng() % 4 ? V4(rng)
                               : fmt::format("2001:db8:{:x}::{:x}",
                                             rng() % 0x10000, rng() % 0x10000);
  if (rng() % 2) line += " ptr=mx.example.com";
  if (rng() % 2)
    line += fmt::format(" sbrs={}", -10 + static_cast<int>(rng() % 21));
  if (rng() % 4 == 0) line += " dnslist=zen.example";
  return line + "\n";
}

void MutateParts(Rng& rng, Parts* p) {
  switch (rng() % 6) {
    case 0:  // a new seed
      for (size_t i = 0; i < 8; ++i) p->header[i] = static_cast<char>(rng());
      break;
    case 1:  // new size knobs, often large rule sets
      p->header[8] = static_cast<char>(rng() % 2 ? 200 + rng() % 56 : rng());
      p->header[9] = static_cast<char>(rng());
      break;
    case 2:
    case 3:
      p->has_crafted = true;
      p->crafted += CraftedRule(rng);
      break;
    case 4:
      p->conns += CraftedConnection(rng);
      break;
    default:  // twice the crafted rules
      p->has_crafted = true;
      p->crafted += p->crafted;
      break;
  }
}

}  // namespace

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size,
                                          size_t max_size, unsigned int seed) {
  Rng rng(seed);
  if (rng() % 3 == 0) return LLVMFuzzerMutate(data, size, max_size);
  Parts p = Split(data, size);
  MutateParts(rng, &p);
  const std::string out = Join(p);
  if (out.size() > max_size) return LLVMFuzzerMutate(data, size, max_size);
  std::memcpy(data, out.data(), out.size());
  return out.size();
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < kHeader) return 0;
  uint64_t seed;
  std::memcpy(&seed, data, 8);
  testing::RandomRulesOptions opts;
  opts.max_rules = MaxRules(data[8]);
  opts.max_entries_per_rule = 1 + (data[9] & 0x7f) % 8;
  opts.allow_all = !(data[9] & 0x80);
  std::string_view tail(reinterpret_cast<const char*>(data) + kHeader,
                        size - kHeader);
  std::string crafted;
  if (size_t sep = tail.find(kSeparator); sep != std::string_view::npos) {
    crafted = std::string(tail.substr(0, sep)) + "\n";
    tail.remove_prefix(sep + kSeparator.size());
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
