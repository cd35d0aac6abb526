// Copyright 2026 The hatmatch Authors.
//
// Diff: hand-worked cases, the CLI, and the exactness check on randomized
// pairs of rule files (one derived from the other by random edits: entries
// removed, inserted and moved, rules swapped or permuted, actions changed,
// names recased).  For every sampled connection the reference classifier
// decides in both files; the decisions differ (by name without case, and
// action) exactly when the diff lists a range covering the connection's
// address in the connection's context.  And every reported range, replayed
// with its context's witness, really changes.

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "engine/gen/rule_gen.h"
#include "fmt/format.h"
#include "gtest/gtest.h"
#include "hatmatch/analysis.h"
#include "hatmatch/parse.h"
#include "hatmatch/reference.h"
#include "tests/testing/random_rules.h"
#include "tests/testing/run.h"
#include "tests/testing/seed.h"

namespace hatmatch {
namespace {

RuleSet Parse(const std::string& text, const std::string& file) {
  absl::StatusOr<RuleSet> rs = ParseRules(text, file);
  EXPECT_TRUE(rs.ok()) << rs.status() << "\n" << text;
  return rs.ok() ? *std::move(rs) : RuleSet();
}

std::string Lower(std::string s) {
  for (char& c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// A decision's identity: lowercase rule name and action, or "-".
std::string Identity(const RuleSet& rs, uint32_t rule) {
  if (rule == kNoRule) return "-";
  return Lower(rs.rules()[rule].name) + " " +
         std::string(ActionName(rs.action_of(rule)));
}

std::string RangeText(const DiffRange& r) {
  if (!r.v6) {
    return FormatIpv4(static_cast<uint32_t>(r.lo.lo)) + "-" +
           FormatIpv4(static_cast<uint32_t>(r.hi.lo));
  }
  return FormatIpv6(r.lo) + "-" + FormatIpv6(r.hi);
}

const DiffContext* AddressOnly(const DiffResult& d) {
  for (const DiffContext& c : d.contexts) {
    if (c.address_only) return &c;
  }
  return nullptr;
}

constexpr char kCres[] =
    "$TLS_REQUIRED\n    ACCEPT {\n        tls = \"required\"\n    }\n"
    "$BLOCKED\n    REJECT\n$ACCEPTED\n    ACCEPT\n"
    "CRES_TLS:\n    $TLS_REQUIRED\n    .res.cisco.com\n"
    "    208.90.57.0/26\n    204.15.81.0/26\n"
    "BLOCKLIST:\n    $BLOCKED\n    sbrs[-10.0:-3.0], nx.domain\n"
    "251.192.1.\n    TCPREFUSE\n"
    "ALL\n    $ACCEPTED\n";

TEST(DiffTest, IdenticalFilesAreEquivalent) {
  const RuleSet a = Parse(kCres, "a.hat");
  const DiffResult d = Diff(a, a);
  EXPECT_TRUE(d.equivalent());
  EXPECT_TRUE(d.dimensions.empty());
  EXPECT_GT(d.contexts_examined, 1u);
}

TEST(DiffTest, RemovedPrefixFallsToAll) {
  std::string edited = kCres;
  edited.replace(edited.find("    208.90.57.0/26\n"), 19, "");
  const RuleSet a = Parse(kCres, "a.hat"), b = Parse(edited, "b.hat");
  const DiffResult d = Diff(a, b);
  ASSERT_FALSE(d.equivalent());
  const DiffContext* c = AddressOnly(d);
  ASSERT_NE(c, nullptr);
  ASSERT_EQ(c->ranges.size(), 1u);
  EXPECT_EQ(RangeText(c->ranges[0]), "208.90.57.0-208.90.57.63");
  const std::string text = DiffText(a, b, d);
  EXPECT_NE(text.find("  208.90.57.0-208.90.57.63: CRES_TLS ACCEPT -> ALL "
                      "ACCEPT\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("  64 IPv4 addresses ACCEPT -> ACCEPT\n"),
            std::string::npos)
      << text;
}

TEST(DiffTest, SummaryCountsPerActionPair) {
  const RuleSet a =
      Parse("B:\n    REJECT\n    10.0.0.0/24\nALL\n    ACCEPT\n", "a.hat");
  const RuleSet b =
      Parse("B:\n    REJECT\n    10.0.1.0/24\nALL\n    ACCEPT\n", "b.hat");
  const DiffResult d = Diff(a, b);
  const std::string text = DiffText(a, b, d);
  EXPECT_NE(text.find("  2^8 IPv4 addresses REJECT -> ACCEPT\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("  2^8 IPv4 addresses ACCEPT -> REJECT\n"),
            std::string::npos)
      << text;
  // No criteria in either file: one context only.
  EXPECT_EQ(d.contexts.size(), 1u);
}

TEST(DiffTest, OrderOfDisjointGroupsAndNameCaseDoNotMatter) {
  const RuleSet a = Parse(
      "A:\n    REJECT\n    10.0.0.0/8, .example.com\n"
      "B:\n    ACCEPT\n    192.168.0.0/16, sbrs[-10:-3]\n"
      "ALL\n    ACCEPT\n",
      "a.hat");
  const RuleSet b = Parse(
      "b:\n    ACCEPT\n    192.168.0.0/16, sbrs[-10:-3]\n"
      "a:\n    REJECT\n    .example.com, 10.0.0.0/8\n"
      "ALL\n    ACCEPT\n",
      "b.hat");
  const DiffResult d = Diff(a, b);
  // A and B do overlap: a connection from 10/8 with a bad score, or with a
  // name under example.com from 192.168/16.  Those change; addresses alone
  // do not.
  ASSERT_FALSE(d.equivalent());
  EXPECT_EQ(AddressOnly(d), nullptr);
  EXPECT_EQ(d.contexts.size(), 3u) << DiffText(a, b, d);
  // Without the score entry the groups are disjoint: equivalent.
  const RuleSet a2 = Parse(
      "A:\n    REJECT\n    10.0.0.0/8\nB:\n    ACCEPT\n    192.168.0.0/16\n",
      "a.hat");
  const RuleSet b2 = Parse(
      "b:\n    ACCEPT\n    192.168.0.0/16\nA:\n    REJECT\n    10.0.0.0/8\n",
      "b.hat");
  EXPECT_TRUE(Diff(a2, b2).equivalent());
}

TEST(DiffTest, SwappedCriteriaRulesChangeOnlyWhereBothMatch) {
  // H (hostname) and S (score) swapped: only a connection with both a name
  // under example.com and a bad score sees a difference.
  const RuleSet a = Parse(
      "H:\n    ACCEPT\n    .example.com\nS:\n    REJECT\n    sbrs[-10:-3]\n",
      "a.hat");
  const RuleSet b = Parse(
      "S:\n    REJECT\n    sbrs[-10:-3]\nH:\n    ACCEPT\n    .example.com\n",
      "b.hat");
  const DiffResult d = Diff(a, b);
  ASSERT_EQ(d.contexts.size(), 1u);
  const DiffContext& c = d.contexts[0];
  EXPECT_EQ(c.witness.dns, DnsState::kVerified);
  EXPECT_EQ(c.witness.ptr, "x.example.com");
  ASSERT_TRUE(c.witness.sbrs.has_value());
  EXPECT_LE(*c.witness.sbrs, -3);
  EXPECT_TRUE(d.dimensions.empty());  // per dimension, nothing changed
  // Every address changes, IPv4 and IPv6.
  uint64_t v4 = 0;
  for (const DiffRange& r : c.ranges) {
    if (!r.v6) v4 += r.hi.lo - r.lo.lo + 1;
  }
  EXPECT_EQ(v4, uint64_t{1} << 32);
}

// Two unrelated generated files (a.hat with seed 1, b.hat with
// `seed_b`): most contexts differ over many ranges.
struct UnrelatedPair {
  absl::StatusOr<RuleSet> a, b;
};
UnrelatedPair GenerateUnrelatedPair(size_t groups, size_t ipv4, size_t ipv6,
                                    size_t hosts, uint64_t seed_b) {
  gen::RuleGenOptions o;
  o.groups = groups;
  o.ipv4_entries = ipv4;
  o.ipv6_entries = ipv6;
  o.host_entries = hosts;
  o.criteria = 0.2;
  o.file = "a.hat";
  absl::StatusOr<RuleSet> a = gen::GenerateRuleSet(o);
  o.seed = seed_b;
  o.file = "b.hat";
  return {std::move(a), gen::GenerateRuleSet(o)};
}

TEST(DiffTest, KeepingFewRangesChangesNeitherCountsNorText) {
  auto [a, b] = GenerateUnrelatedPair(40, 3000, 300, 200, 2);
  ASSERT_TRUE(a.ok() && b.ok());
  const DiffResult full = Diff(*a, *b);
  const DiffResult kept = Diff(*a, *b, {kDiffTextRanges});
  ASSERT_EQ(kept.contexts.size(), full.contexts.size());
  size_t truncated = 0;
  for (size_t i = 0; i < full.contexts.size(); ++i) {
    const DiffContext& f = full.contexts[i];
    const DiffContext& k = kept.contexts[i];
    EXPECT_EQ(f.range_count, f.ranges.size());
    EXPECT_EQ(k.range_count, f.range_count);
    const size_t want = f.address_only
                            ? f.ranges.size()
                            : std::min(f.ranges.size(), kDiffTextRanges);
    ASSERT_EQ(k.ranges.size(), want) << i;
    for (size_t j = 0; j < want; ++j) {
      EXPECT_TRUE(k.ranges[j].lo == f.ranges[j].lo &&
                  k.ranges[j].hi == f.ranges[j].hi &&
                  k.ranges[j].old_rule == f.ranges[j].old_rule &&
                  k.ranges[j].new_rule == f.ranges[j].new_rule)
          << i << " " << j;
    }
    ASSERT_EQ(k.counts.size(), f.counts.size());
    for (size_t j = 0; j < f.counts.size(); ++j) {
      EXPECT_TRUE(k.counts[j].addresses == f.counts[j].addresses);
      EXPECT_EQ(k.counts[j].old_action, f.counts[j].old_action);
    }
    truncated += k.ranges.size() < f.ranges.size();
  }
  EXPECT_GT(truncated, 0u);  // the limit was exercised
  EXPECT_EQ(DiffText(*a, *b, kept), DiffText(*a, *b, full));
}

// The JSON written a context at a time by a DiffWalk, against the document
// DiffJson makes of the whole result.
std::string StreamedJson(const RuleSet& a, const RuleSet& b,
                         size_t* pieces = nullptr) {
  DiffWalk walk(a, b);
  std::string out;
  size_t count = 0;
  EXPECT_TRUE(WriteDiffJson(a, b, walk, [&](std::string_view piece) {
    out.append(piece);
    ++count;
    return true;
  }));
  if (pieces) *pieces = count;
  return out;
}

TEST(DiffTest, WalkWritesTheDocumentOfTheWholeDiffAContextAtATime) {
  auto [a, b] = GenerateUnrelatedPair(30, 2000, 200, 150, 3);
  ASSERT_TRUE(a.ok() && b.ok());
  const DiffResult whole = Diff(*a, *b);
  ASSERT_GT(whole.contexts.size(), 2u);
  size_t pieces = 0;
  EXPECT_EQ(StreamedJson(*a, *b, &pieces), DiffJson(*a, *b, whole));
  // The head, one piece per context, the tail.
  EXPECT_EQ(pieces, whole.contexts.size() + 2);
  EXPECT_EQ(StreamedJson(*a, *a), DiffJson(*a, *a, Diff(*a, *a)));

  DiffWalk walk(*a, *b);
  EXPECT_FALSE(walk.equivalent());
  EXPECT_EQ(walk.contexts_examined(), whole.contexts_examined);
  EXPECT_EQ(walk.dimensions().size(), whole.dimensions.size());
  EXPECT_TRUE(DiffWalk(*a, *a).equivalent());
}

TEST(DiffTest, AFailedWriteStopsTheWalk) {
  const RuleSet a = Parse(kCres, "a.hat");
  std::string edited = kCres;
  const std::string group = "CRES_TLS:\n";
  edited.insert(edited.find(group),
                "EXTRA:\n    REJECT\n    ptr.example.com\n"
                "    10.0.0.0/8\n");
  const RuleSet b = Parse(edited, "b.hat");
  const DiffResult whole = Diff(a, b);
  const size_t total = whole.contexts.size() + 2;
  ASSERT_GT(total, 3u);
  for (size_t fail_at = 1; fail_at <= total; ++fail_at) {
    DiffWalk walk(a, b);
    size_t calls = 0;
    EXPECT_FALSE(WriteDiffJson(
        a, b, walk, [&](std::string_view) { return ++calls < fail_at; }));
    EXPECT_EQ(calls, fail_at);
  }
}

TEST(DiffTest, CriteriaActionChangeIsDescribedAsSuch) {
  std::string edited = kCres;
  edited.replace(edited.find("$BLOCKED\n    REJECT"), 19,
                 "$BLOCKED\n    TCPREFUSE");
  const RuleSet a = Parse(kCres, "a.hat"), b = Parse(edited, "b.hat");
  const DiffResult d = Diff(a, b);
  ASSERT_FALSE(d.equivalent());
  EXPECT_EQ(AddressOnly(d), nullptr);  // no score, no DNS: unaffected
  bool sbrs = false, nx = false;
  for (const DimensionChange& ch : d.dimensions) {
    sbrs |= ch.kind == "sbrs" && ch.value == "sbrs[-10:-3]";
    nx |= ch.kind == "dns" && ch.value == "nx.domain";
  }
  EXPECT_TRUE(sbrs && nx) << DiffText(a, b, d);
}

TEST(DiffTest, HostnameProbes) {
  const RuleSet a = Parse(
      "A:\n    REJECT\n    .example.com\nB:\n    ACCEPT\n    "
      "mail.example.com\n",
      "a.hat");
  const RuleSet b = Parse(
      "B:\n    ACCEPT\n    mail.example.com\nA:\n    REJECT\n    "
      ".example.com\n",
      "b.hat");
  const DiffResult d = Diff(a, b);
  ASSERT_EQ(d.dimensions.size(), 1u) << DiffText(a, b, d);
  EXPECT_EQ(d.dimensions[0].kind, "hostname");
  EXPECT_EQ(d.dimensions[0].value, "mail.example.com");
  ASSERT_EQ(d.contexts.size(), 1u);
  EXPECT_EQ(d.contexts[0].witness.ptr, "mail.example.com");
}

TEST(DiffCliTest, ExitStatusAndJson) {
  const std::string dir = ::testing::TempDir();
  const std::string a = dir + "/diff_a.hat", b = dir + "/diff_b.hat",
                    bad = dir + "/diff_bad.hat";
  testing::WriteFile(a, "B:\n    REJECT\n    10.0.0.0/24\nALL\n    ACCEPT\n");
  testing::WriteFile(b, "b:\n    REJECT\n    10.0.0.0/25\nALL\n    ACCEPT\n");
  testing::WriteFile(bad, "B:\n    REJECT\n    10.0.0.0/33\n");
  EXPECT_EQ(testing::RunHatmatch({"diff", a, a}).exit_code, 0);
  testing::RunResult r = testing::RunHatmatch({"diff", a, b});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("  10.0.0.128-10.0.0.255: B REJECT -> ALL ACCEPT\n"),
            std::string::npos)
      << r.out;
  testing::RunResult j = testing::RunHatmatch({"diff", "--json", a, b});
  EXPECT_EQ(j.exit_code, 1);
  EXPECT_NE(j.out.find("\"equivalent\":false"), std::string::npos);
  EXPECT_NE(j.out.find("{\"family\":\"ipv4\",\"lo\":\"10.0.0.128\",\"hi\":"
                       "\"10.0.0.255\",\"old\":{\"rule\":\"B\",\"action\":"
                       "\"REJECT\",\"line\":1},\"new\":{\"rule\":\"ALL\","
                       "\"action\":\"ACCEPT\",\"line\":4}}"),
            std::string::npos)
      << j.out;
  EXPECT_NE(j.out.find("\"addresses\":\"128\""), std::string::npos) << j.out;
  EXPECT_EQ(testing::RunHatmatch({"diff", a, bad}).exit_code, 2);
  EXPECT_EQ(testing::RunHatmatch({"diff", a}).exit_code, 2);
}

// --- randomized pairs --------------------------------------------------------

struct RRule {
  std::string name;
  RuleKind kind;
  std::string action;
  std::vector<std::string> entries;
};

std::vector<RRule> FromRuleSet(const RuleSet& rs) {
  std::vector<RRule> out;
  for (uint32_t r = 0; r < rs.rules().size(); ++r) {
    const Rule& rule = rs.rules()[r];
    RRule x{rule.name, rule.kind, std::string(ActionName(rs.action_of(r))), {}};
    for (uint32_t i = 0; i < rule.entry_count; ++i) {
      x.entries.push_back(rs.entries()[rule.first_entry + i].text);
    }
    out.push_back(std::move(x));
  }
  return out;
}

std::string Render(const std::vector<RRule>& rules) {
  std::string out;
  for (const RRule& r : rules) {
    std::string list;
    for (size_t i = 0; i < r.entries.size(); ++i) {
      list += (i ? ", " : "") + r.entries[i];
    }
    switch (r.kind) {
      case RuleKind::kAll:
        out += "ALL\n    " + r.action + "\n";
        break;
      case RuleKind::kAnonymous:
        if (!r.entries.empty()) out += list + "\n    " + r.action + "\n";
        break;
      case RuleKind::kGroup:
        out += r.name + ":\n    " + r.action + "\n";
        if (!list.empty()) out += "    " + list + "\n";
        break;
    }
  }
  return out;
}

uint64_t U(std::mt19937_64& rng, uint64_t n) {
  return std::uniform_int_distribution<uint64_t>(0, n - 1)(rng);
}

// Applies 1-3 random edits (or, one time in six, a pure reordering).
std::vector<RRule> Edit(std::mt19937_64& rng, std::vector<RRule> rules,
                        const std::vector<std::string>& pool) {
  static const std::vector<std::string> actions = {
      "ACCEPT", "REJECT", "TCPREFUSE", "RELAY", "CONTINUE"};
  // Rules that may move: everything but a trailing ALL.
  size_t movable = rules.size();
  if (movable && rules.back().kind == RuleKind::kAll) --movable;
  if (U(rng, 6) == 0) {
    std::shuffle(rules.begin(), rules.begin() + movable, rng);
    return rules;
  }
  const int edits = 1 + static_cast<int>(U(rng, 3));
  for (int k = 0; k < edits && movable > 0; ++k) {
    RRule& r = rules[U(rng, movable)];
    switch (U(rng, 6)) {
      case 0:  // remove an entry
        if (!r.entries.empty())
          r.entries.erase(r.entries.begin() + U(rng, r.entries.size()));
        break;
      case 1:  // insert an entry
        r.entries.insert(r.entries.begin() + U(rng, r.entries.size() + 1),
                         pool[U(rng, pool.size())]);
        break;
      case 2:  // swap two rules
        std::swap(r, rules[U(rng, movable)]);
        break;
      case 3:  // change the action
        r.action = actions[U(rng, actions.size())];
        break;
      case 4: {  // move an entry to another rule
        RRule& to = rules[U(rng, movable)];
        if (r.entries.empty() || to.kind == RuleKind::kAll) break;
        const size_t i = U(rng, r.entries.size());
        to.entries.push_back(r.entries[i]);
        r.entries.erase(r.entries.begin() + i);
        break;
      }
      default:  // recase a group name (same identity)
        if (r.kind == RuleKind::kGroup) r.name = Lower(r.name);
    }
  }
  return rules;
}

// The first rule that can decide brought in by the non-address inputs of
// `c` (or ALL), judged by the reference classifier's entry matching.
uint32_t FirstNonAddress(const RuleSet& rs, const Connection& c) {
  ReferenceClassifier ref(rs);
  for (uint32_t e : ref.MatchingEntries(c)) {
    const Entry& en = rs.entries()[e];
    if (rs.action_of(en.rule) == Action::kContinue) continue;
    if (std::holds_alternative<Ipv4Range>(en.value) ||
        std::holds_alternative<Ipv6Range>(en.value)) {
      continue;
    }
    return en.rule;  // file order: the first is the lowest
  }
  for (uint32_t r = 0; r < rs.rules().size(); ++r) {
    if (rs.rules()[r].kind == RuleKind::kAll &&
        rs.action_of(r) != Action::kContinue) {
      return r;
    }
  }
  return kNoRule;
}

bool Covers(const DiffRange& r, const IpAddress& a) {
  if (a.is_v4()) return !r.v6 && r.lo.lo <= a.v4() && a.v4() <= r.hi.lo;
  return r.v6 && r.lo <= a.v6() && a.v6() <= r.hi;
}

IpAddress Effective(const IpAddress& a) {
  uint32_t v4;
  if (!a.is_v4() && Ipv6EmbedsIpv4(a.v6(), &v4)) return IpAddress::V4(v4);
  return a;
}

void CheckPair(uint64_t seed, std::mt19937_64& rng, const std::string& ta,
               const std::string& tb, int samples) {
  const RuleSet a = Parse(ta, "old.hat"), b = Parse(tb, "new.hat");
  const DiffResult d = Diff(a, b);
  ReferenceClassifier ra(a), rb(b);
  auto context_of = [&](const Connection& c) -> const DiffContext* {
    const uint32_t xo = FirstNonAddress(a, c), xn = FirstNonAddress(b, c);
    for (const DiffContext& ctx : d.contexts) {
      if (ctx.old_first == xo && ctx.new_first == xn) return &ctx;
    }
    return nullptr;
  };
  const std::string files = "\n--- old\n" + ta + "--- new\n" + tb;
  for (int i = 0; i < samples; ++i) {
    const Connection c = testing::RandomConnection(rng, i % 2 ? a : b);
    const uint32_t da = ra.Classify(c).rule, db = rb.Classify(c).rule;
    const bool changed = Identity(a, da) != Identity(b, db);
    const DiffContext* ctx = context_of(c);
    const IpAddress addr = Effective(c.address);
    bool covered = false;
    if (ctx) {
      for (const DiffRange& r : ctx->ranges) covered |= Covers(r, addr);
    }
    ASSERT_EQ(changed, covered)
        << "seed " << seed << ": " << FormatConnection(c) << " old "
        << Identity(a, da) << " new " << Identity(b, db) << files;
  }
  // Every reported range, replayed with its witness at both ends and the
  // middle, changes; and the reported rules are the reference's.
  for (const DiffContext& ctx : d.contexts) {
    for (size_t k = 0; k < std::min<size_t>(ctx.ranges.size(), 8); ++k) {
      const DiffRange& r = ctx.ranges[U(rng, ctx.ranges.size())];
      for (int which = 0; which < 3; ++which) {
        Connection c = ctx.witness;
        if (r.v6) {
          Ipv6Addr p = which == 0 ? r.lo : r.hi;
          if (which == 2) {  // roughly the middle
            p.hi = r.lo.hi + (r.hi.hi - r.lo.hi) / 2;
            p.lo = r.lo.hi == r.hi.hi ? r.lo.lo + (r.hi.lo - r.lo.lo) / 2 : 0;
            if (p < r.lo) p = r.lo;
          }
          c.address = IpAddress::V6(p);
        } else {
          const uint64_t lo = r.lo.lo, hi = r.hi.lo;
          c.address = IpAddress::V4(
              static_cast<uint32_t>(which == 0   ? lo
                                    : which == 1 ? hi
                                                 : lo + (hi - lo) / 2));
        }
        const uint32_t da = ra.Classify(c).rule, db = rb.Classify(c).rule;
        ASSERT_EQ(Identity(a, da), Identity(a, r.old_rule))
            << "seed " << seed << ": " << FormatConnection(c) << files;
        ASSERT_EQ(Identity(b, db), Identity(b, r.new_rule))
            << "seed " << seed << ": " << FormatConnection(c) << files;
        ASSERT_NE(Identity(a, da), Identity(b, db))
            << "seed " << seed << ": " << FormatConnection(c) << files;
      }
    }
  }
  // Hostname dimension: a verified name whose first hostname rule changed
  // identity is listed (as itself or as "*.suffix").
  for (int i = 0; i < samples / 4; ++i) {
    const Connection c = testing::RandomConnection(rng, i % 2 ? a : b);
    if (c.dns != DnsState::kVerified) continue;
    std::string name;
    if (!NormalizeHostname(c.ptr, false, &name)) continue;
    auto host_rule = [&](const RuleSet& rs) {
      ReferenceClassifier ref(rs);
      for (uint32_t e : ref.MatchingEntries(c)) {
        const Entry& en = rs.entries()[e];
        if (std::holds_alternative<HostPattern>(en.value) &&
            rs.action_of(en.rule) != Action::kContinue) {
          return en.rule;
        }
      }
      return kNoRule;
    };
    if (Identity(a, host_rule(a)) == Identity(b, host_rule(b))) continue;
    bool listed = false;
    for (const DimensionChange& ch : d.dimensions) {
      if (ch.kind != "hostname") continue;
      if (ch.value == name) listed = true;
      if (ch.value.starts_with("*.")) {
        const std::string suffix = ch.value.substr(1);  // ".base"
        listed |= name.size() > suffix.size() && name.ends_with(suffix);
      }
    }
    ASSERT_TRUE(listed) << "seed " << seed << ": name " << name << files;
  }
}

TEST(DiffRandomTest, ExactAgainstReferenceOnEditedPairs) {
  const uint64_t base = testing::TestSeed();
  int equivalent = 0;
  for (uint64_t s = 0; s < 400; ++s) {
    const uint64_t seed = base + s;
    std::mt19937_64 rng(seed);
    testing::RandomRulesOptions opts;
    opts.max_rules = 12;
    const std::string text = testing::RandomRuleText(rng, opts);
    const RuleSet parsed = Parse(text, "gen.hat");
    std::vector<std::string> pool;
    for (const Entry& e : parsed.entries()) pool.push_back(e.text);
    const RuleSet extra = Parse(testing::RandomRuleText(rng, opts), "x.hat");
    for (const Entry& e : extra.entries()) pool.push_back(e.text);
    if (pool.empty()) pool.push_back("10.0.0.1");
    const std::vector<RRule> rules = FromRuleSet(parsed);
    const std::string old_text = Render(rules);
    const std::string new_text = Render(Edit(rng, rules, pool));
    CheckPair(seed, rng, old_text, new_text, 600);
    if (::testing::Test::HasFatalFailure()) return;
    const RuleSet a = Parse(old_text, "a"), b = Parse(new_text, "b");
    const DiffResult whole = Diff(a, b);
    equivalent += whole.equivalent();
    ASSERT_EQ(DiffWalk(a, b).equivalent(), whole.equivalent())
        << "seed " << seed;
    ASSERT_EQ(StreamedJson(a, b), DiffJson(a, b, whole)) << "seed " << seed;
  }
  // Sanity of the generator: some pairs are equivalent, most are not.
  EXPECT_GT(equivalent, 0);
  EXPECT_LT(equivalent, 400);
}

TEST(DiffRandomTest, ReorderingDisjointGroupsIsEquivalent) {
  const uint64_t base = testing::TestSeed();
  for (uint64_t s = 0; s < 100; ++s) {
    const uint64_t seed = base + s;
    std::mt19937_64 rng(seed);
    // Groups over disjoint /24s, or over disjoint names, shuffled.  (Not
    // both: a connection from one group's address with a name of another
    // matches both groups, and then order matters.)
    const bool names = s % 2;
    std::vector<RRule> rules;
    for (int g = 0; g < 10; ++g) {
      RRule r{fmt::format("G{}", g),
              RuleKind::kGroup,
              U(rng, 2) ? "ACCEPT" : "REJECT",
              {}};
      for (int i = 0; i < 3 && !names; ++i) {
        const uint32_t base_addr = 0x0A000000u + (g << 12) + (i << 8);
        r.entries.push_back(
            fmt::format("{}/{}", FormatIpv4(base_addr), 24 + U(rng, 8)));
      }
      if (names) {
        r.entries.push_back(fmt::format(".g{}.example", g));
        r.entries.push_back(fmt::format("mx.h{}.example", g));
      }
      rules.push_back(std::move(r));
    }
    const std::string a = Render(rules);
    std::shuffle(rules.begin(), rules.end(), rng);
    const std::string b = Render(rules);
    const DiffResult d = Diff(Parse(a, "a"), Parse(b, "b"));
    EXPECT_TRUE(d.equivalent()) << "seed " << seed << "\n" << a << "---\n" << b;
    CheckPair(seed, rng, a, b, 100);
  }
}

}  // namespace
}  // namespace hatmatch
