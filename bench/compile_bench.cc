// Copyright 2026 The hatmatch Authors.
//
// compile_bench.cc: what it costs to turn a rule file into a table and a
// table file back into a table, phase by phase, on the generated rule sets
// `hatmatch gen rules` writes (70% IPv4, 10% IPv6, 20% hostnames; the 1M set
// is `hatmatch gen rules --ipv4 700k --ipv6 100k --hosts 200k`).
//
//   compile_<n>/parse          ParseRuleFile: read + parse the rule file
//   compile_<n>/compile        Table::Compile of the parsed RuleSet
//   compile_<n>/parse_compile  both: rule file to a table in memory
//   compile_<n>/serialize      Table::Serialize: the table file image
//   compile_<n>/write          Table::Write: serialize + atomic write + fsync
//   compile_<n>/read           reading a table file into memory and its
//                              payload checksum (TableImage::Read), alone
//   compile_<n>/open           Table::Open: read + checksums + validation
//
// Times are wall-clock milliseconds per iteration (the phases allocate and
// fault in pages; that is part of their cost).  Counters: entries, and
// table_bytes (the table file's size).  The rule and table files live in a
// temporary directory removed at exit.  bench/compile_report runs this with
// repetitions and prints medians beside the load average.

#include <benchmark/benchmark.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "engine/format/table_file.h"
#include "engine/gen/rule_gen.h"
#include "hatmatch/parse.h"
#include "hatmatch/rules.h"
#include "hatmatch/table.h"

namespace hatmatch::bench {
namespace {

// The rule file and table file of one size, made once per process.
struct Files {
  std::string rules_path;
  std::string table_path;
  size_t entries = 0;
  size_t table_bytes = 0;
};

std::string TempDir() {
  static const std::string dir = [] {
    std::string t = (std::filesystem::temp_directory_path() /
                     "hatmatch_compile_bench.XXXXXX")
                        .string();
    if (mkdtemp(t.data()) == nullptr) std::abort();
    std::atexit([] { std::filesystem::remove_all(TempDir()); });
    return t;
  }();
  return dir;
}

const Files& FilesFor(size_t thousands) {
  static std::map<size_t, Files> cache;
  auto it = cache.find(thousands);
  if (it != cache.end()) return it->second;
  gen::RuleGenOptions o;
  o.ipv4_entries = thousands * 700;
  o.ipv6_entries = thousands * 100;
  o.host_entries = thousands * 200;
  absl::StatusOr<RuleSet> rs = gen::GenerateRuleSet(o);
  if (!rs.ok()) std::abort();
  Files f;
  f.rules_path = TempDir() + "/rules_" + std::to_string(thousands) + "k.hat";
  f.table_path = TempDir() + "/table_" + std::to_string(thousands) + "k.hmt";
  std::ofstream(f.rules_path) << gen::HatText(*rs);
  absl::StatusOr<std::shared_ptr<const Table>> t = Table::Compile(*rs);
  if (!t.ok() || !(*t)->Write(f.table_path).ok()) std::abort();
  f.entries = rs->entries().size();
  f.table_bytes = std::filesystem::file_size(f.table_path);
  return cache.emplace(thousands, std::move(f)).first->second;
}

void SetCounters(benchmark::State& state, const Files& f) {
  state.counters["entries"] = static_cast<double>(f.entries);
  state.counters["table_bytes"] = static_cast<double>(f.table_bytes);
}

RuleSet Parse(const Files& f, benchmark::State& state) {
  absl::StatusOr<RuleSet> rs = ParseRuleFile(f.rules_path);
  if (!rs.ok()) state.SkipWithError("parse failed");
  return rs.ok() ? *std::move(rs) : RuleSet();
}

void BM_Parse(benchmark::State& state) {
  const Files& f = FilesFor(static_cast<size_t>(state.range(0)));
  for (auto _ : state) {
    RuleSet rs = Parse(f, state);
    benchmark::DoNotOptimize(rs.entries().data());
  }
  SetCounters(state, f);
}

void BM_Compile(benchmark::State& state) {
  const Files& f = FilesFor(static_cast<size_t>(state.range(0)));
  const RuleSet rs = Parse(f, state);
  for (auto _ : state) {
    absl::StatusOr<std::shared_ptr<const Table>> t = Table::Compile(rs);
    if (!t.ok()) state.SkipWithError("compile failed");
  }
  SetCounters(state, f);
}

void BM_ParseCompile(benchmark::State& state) {
  const Files& f = FilesFor(static_cast<size_t>(state.range(0)));
  for (auto _ : state) {
    absl::StatusOr<std::shared_ptr<const Table>> t =
        Table::Compile(Parse(f, state));
    if (!t.ok()) state.SkipWithError("compile failed");
  }
  SetCounters(state, f);
}

std::shared_ptr<const Table> Compiled(const Files& f) {
  absl::StatusOr<std::shared_ptr<const Table>> t = Table::Open(f.table_path);
  if (!t.ok()) std::abort();
  return *t;
}

void BM_Serialize(benchmark::State& state) {
  const Files& f = FilesFor(static_cast<size_t>(state.range(0)));
  const std::shared_ptr<const Table> t = Compiled(f);
  for (auto _ : state) {
    std::string bytes = t->Serialize();
    benchmark::DoNotOptimize(bytes.data());
  }
  SetCounters(state, f);
}

void BM_Write(benchmark::State& state) {
  const Files& f = FilesFor(static_cast<size_t>(state.range(0)));
  const std::shared_ptr<const Table> t = Compiled(f);
  const std::string out = TempDir() + "/written.hmt";
  for (auto _ : state) {
    if (!t->Write(out).ok()) state.SkipWithError("write failed");
  }
  SetCounters(state, f);
}

void BM_Read(benchmark::State& state) {
  const Files& f = FilesFor(static_cast<size_t>(state.range(0)));
  for (auto _ : state) {
    absl::StatusOr<std::shared_ptr<const TableImage>> image =
        TableImage::Read(f.table_path);
    if (!image.ok()) state.SkipWithError("read failed");
  }
  SetCounters(state, f);
}

void BM_Open(benchmark::State& state) {
  const Files& f = FilesFor(static_cast<size_t>(state.range(0)));
  for (auto _ : state) {
    absl::StatusOr<std::shared_ptr<const Table>> t = Table::Open(f.table_path);
    if (!t.ok()) state.SkipWithError("open failed");
  }
  SetCounters(state, f);
}

// Arguments: thousands of entries.  Names read compile_1000k/parse, ...
void Register(const char* phase, void (*fn)(benchmark::State&)) {
  for (int thousands : {100, 1000}) {
    const std::string name =
        "compile_" + std::to_string(thousands) + "k/" + std::string(phase);
    benchmark::RegisterBenchmark(name.c_str(), fn)
        ->Arg(thousands)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime()
        ->MeasureProcessCPUTime();
  }
}

}  // namespace
}  // namespace hatmatch::bench

int main(int argc, char** argv) {
  using namespace hatmatch::bench;  // NOLINT
  Register("parse", BM_Parse);
  Register("compile", BM_Compile);
  Register("parse_compile", BM_ParseCompile);
  Register("serialize", BM_Serialize);
  Register("write", BM_Write);
  Register("read", BM_Read);
  Register("open", BM_Open);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
