// Copyright 2026 The hatmatch Authors.
//
// Fuzz target: `hatmatch diff` (Diff, DiffWalk, WriteDiffJson) on two rule
// files, judged by the reference classifier.
//
// Input: OLD "\n%%\n" NEW, two rule texts (without the separator, NEW is
// OLD with its first line dropped: a small edit).  When both parse:
//
// - every range the diff lists is a real change: at its first and last
//   address, with the context's witness inputs, the reference classifier
//   gives exactly the listed rules in each file, and their identities (rule
//   name without case, and action) differ;
// - when the diff says "equivalent", connections drawn from both files'
//   entries (random_rules.h) get the same identity in both;
// - the JSON written a context at a time (DiffWalk, WriteDiffJson) is
//   byte-identical to the whole document (DiffJson), and a write that fails
//   stops it;
// - a file compared with itself is equivalent.
//
// A violation prints what disagreed and aborts.

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <string_view>

#include "hatmatch/analysis.h"
#include "hatmatch/connection.h"
#include "hatmatch/parse.h"
#include "hatmatch/reference.h"
#include "tests/testing/random_rules.h"

namespace {

using namespace hatmatch;

[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "fuzz_diff: %s\n", what.c_str());
  std::abort();
}

// A decision's identity as the diff compares it.
std::string Identity(const RuleSet& rs, const Decision& d) {
  if (!d.matched()) return "-";
  std::string s;
  for (char c : rs.rules()[d.rule].name) {
    s.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  s += '\t';
  s += ActionName(rs.action_of(d.rule));
  return s;
}

void CheckRange(const RuleSet& o, const RuleSet& n, const DiffContext& c,
                const DiffRange& r) {
  for (const Ipv6Addr& at : {r.lo, r.hi}) {
    Connection conn = c.witness;
    conn.address =
        r.v6 ? IpAddress::V6(at) : IpAddress::V4(static_cast<uint32_t>(at.lo));
    const Decision a = ReferenceClassifier(o).Classify(conn);
    const Decision b = ReferenceClassifier(n).Classify(conn);
    if (a.rule != r.old_rule || b.rule != r.new_rule ||
        Identity(o, a) == Identity(n, b)) {
      Fail("range at `" + FormatConnection(conn) + "`: the diff says rules " +
           std::to_string(r.old_rule) + " -> " + std::to_string(r.new_rule) +
           ", the reference " + std::to_string(a.rule) + " -> " +
           std::to_string(b.rule) + " (" + Identity(o, a) + " -> " +
           Identity(n, b) + ")");
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  constexpr std::string_view kSeparator = "\n%%\n";
  std::string_view old_text = in, new_text;
  if (const size_t at = in.find(kSeparator); at != std::string_view::npos) {
    old_text = in.substr(0, at);
    new_text = in.substr(at + kSeparator.size());
  } else {
    const size_t nl = in.find('\n');
    new_text = nl == std::string_view::npos ? "" : in.substr(nl + 1);
  }
  absl::StatusOr<RuleSet> o = ParseRules(old_text, "old.hat");
  absl::StatusOr<RuleSet> n = ParseRules(new_text, "new.hat");
  if (!o.ok() || !n.ok()) return 0;

  const DiffResult whole = Diff(*o, *n);
  if (!whole.status.ok()) {
    // A pair past the default limits (DiffOptions): nothing listed, not
    // equivalent, and the walk stops the same way.
    if (whole.exceeded == DiffLimit::kNone || whole.equivalent() ||
        !whole.contexts.empty()) {
      Fail("a stopped diff is not reported as such");
    }
    DiffWalk walk(*o, *n);
    if (walk.status() != whole.status) Fail("walk and diff stop differently");
    return 0;
  }
  for (const DiffContext& c : whole.contexts) {
    if (c.range_count != c.ranges.size()) Fail("ranges dropped");
    for (const DiffRange& r : c.ranges) CheckRange(*o, *n, c, r);
  }
  if (whole.equivalent()) {
    std::mt19937_64 rng(size);
    for (int i = 0; i < 64; ++i) {
      const Connection c = testing::RandomConnection(rng, i % 2 ? *o : *n);
      const std::string a = Identity(*o, ReferenceClassifier(*o).Classify(c));
      const std::string b = Identity(*n, ReferenceClassifier(*n).Classify(c));
      if (a != b) {
        Fail("equivalent, but `" + FormatConnection(c) + "` goes " + a +
             " -> " + b);
      }
    }
  }

  std::string streamed;
  {
    DiffWalk walk(*o, *n);
    if (walk.equivalent() != whole.equivalent()) Fail("walk equivalence");
    if (!WriteDiffJson(*o, *n, walk, [&](std::string_view piece) {
          streamed.append(piece);
          return true;
        })) {
      Fail("WriteDiffJson failed without a failed write");
    }
  }
  if (streamed != DiffJson(*o, *n, whole)) Fail("streamed JSON differs");
  {
    DiffWalk walk(*o, *n);
    int writes = 0;
    if (WriteDiffJson(*o, *n, walk,
                      [&](std::string_view) { return ++writes < 2; })) {
      Fail("a failed write did not stop WriteDiffJson");
    }
    if (writes != 2) Fail("WriteDiffJson wrote on after a failed write");
  }
  if (!Diff(*o, *o).equivalent()) Fail("a file differs from itself");
  return 0;
}
