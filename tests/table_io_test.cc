// Copyright 2026 The hatmatch Authors.
//
// Table files end to end: compile -> Write/Serialize -> Open/OpenBytes gives
// a table that answers exactly like the compiled one and the reference
// classifier (randomized, seeds printed), names decisions identically,
// restores the RuleSet, and serializes back to the same bytes.  Compiling
// the same rules twice gives byte-identical files.

#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <iterator>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "engine/compile/builders.h"
#include "engine/format/table_file.h"
#include "engine/table/metadata.h"
#include "gtest/gtest.h"
#include "hatmatch/parse.h"
#include "hatmatch/reference.h"
#include "hatmatch/table.h"
#include "tests/testing/random_rules.h"
#include "tests/testing/run.h"
#include "tests/testing/seed.h"

namespace hatmatch {
namespace {

std::string Message(const absl::Status& s) {
  return std::string(s.message().data(), s.message().size());
}

std::string TempPath(const std::string& name) {
  std::string t = ::testing::TempDir();
  if (t.empty() || t.back() != '/') t += '/';
  return t + "hatmatch_" + std::to_string(getpid()) + "_" + name;
}

RuleSet Conformance() {
  absl::StatusOr<RuleSet> rs =
      ParseRuleFile(testing::SourcePath("tests/conformance/rules.hat"));
  if (!rs.ok()) {
    ADD_FAILURE() << rs.status();
    return RuleSet();
  }
  return *std::move(rs);
}

void ExpectSameDetail(const DecisionDetail& a, const DecisionDetail& b) {
  EXPECT_EQ(a.matched, b.matched);
  EXPECT_EQ(a.rule_name, b.rule_name);
  EXPECT_EQ(a.action, b.action);
  EXPECT_EQ(a.policy_name, b.policy_name);
  EXPECT_EQ(a.params, b.params);
  EXPECT_EQ(a.entry_text, b.entry_text);
  EXPECT_EQ(a.entry_loc.line, b.entry_loc.line);
  EXPECT_EQ(a.entry_loc.col, b.entry_loc.col);
  EXPECT_EQ(a.rule_loc.line, b.rule_loc.line);
  EXPECT_EQ(a.file, b.file);
}

TEST(TableIoTest, CompilingTwiceGivesIdenticalBytes) {
  const RuleSet rules = Conformance();
  auto a = Table::Compile(rules);
  auto b = Table::Compile(Conformance());
  ASSERT_TRUE(a.ok() && b.ok());
  const std::string bytes = (*a)->Serialize();
  EXPECT_EQ(bytes, (*b)->Serialize());
  EXPECT_EQ(bytes.size() % 64, 0u);
  EXPECT_TRUE(HasTableMagic(std::as_bytes(std::span(bytes))));

  // Through files: two compiles written to two paths are identical, and the
  // file is exactly Serialize().
  const std::string p1 = TempPath("a.hmt"), p2 = TempPath("b.hmt");
  ASSERT_TRUE((*a)->Write(p1).ok());
  ASSERT_TRUE((*b)->Write(p2).ok());
  EXPECT_EQ(testing::ReadFile(p1), testing::ReadFile(p2));
  EXPECT_EQ(testing::ReadFile(p1), bytes);
  unlink(p1.c_str());
  unlink(p2.c_str());
}

TEST(TableIoTest, OpenedTableSerializesBackToTheSameBytes) {
  auto compiled = Table::Compile(Conformance());
  ASSERT_TRUE(compiled.ok());
  const std::string bytes = (*compiled)->Serialize();
  auto opened = Table::OpenBytes(bytes, "conf.hmt");
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ((*opened)->Serialize(), bytes);

  const TableStats a = (*compiled)->Stats(), b = (*opened)->Stats();
  EXPECT_EQ(a.rules, b.rules);
  EXPECT_EQ(a.entries, b.entries);
  EXPECT_EQ(a.ipv4_entries, b.ipv4_entries);
  EXPECT_EQ(a.host_entries, b.host_entries);
  EXPECT_EQ(a.total_bytes(), b.total_bytes());
  EXPECT_EQ((*compiled)->rule_count(), (*opened)->rule_count());
  for (uint32_t r = 0; r < (*compiled)->rule_count(); ++r) {
    EXPECT_EQ((*compiled)->rule_name(r), (*opened)->rule_name(r));
    EXPECT_EQ((*compiled)->rule_action(r), (*opened)->rule_action(r));
  }
}

TEST(TableIoTest, ConformanceConnectionsAgreeAfterWriteAndOpen) {
  const RuleSet rules = Conformance();
  auto compiled = Table::Compile(rules);
  ASSERT_TRUE(compiled.ok());
  const std::string path = TempPath("conf.hmt");
  ASSERT_TRUE((*compiled)->Write(path).ok());
  EXPECT_TRUE(Table::IsTableFile(path));
  EXPECT_FALSE(
      Table::IsTableFile(testing::SourcePath("tests/conformance/rules.hat")));
  auto opened = Table::Open(path);
  ASSERT_TRUE(opened.ok()) << opened.status();
  unlink(path.c_str());  // the mapping keeps the data

  ReferenceClassifier ref(rules);
  const std::string conns =
      testing::ReadFile(testing::SourcePath("tests/conformance/connections"));
  int checked = 0;
  for (const std::string& line : testing::SplitLines(conns)) {
    if (IsSkippedConnectionLine(line)) continue;
    absl::StatusOr<Connection> c = ParseConnection(line);
    if (!c.ok()) continue;
    const Decision want = ref.Classify(*c);
    EXPECT_EQ((*opened)->ClassifyWithEntry(*c), want) << line;
    EXPECT_EQ((*opened)->Classify(*c).rule, want.rule) << line;
    ExpectSameDetail((*opened)->Detail(want), ref.Detail(want));
    ++checked;
  }
  EXPECT_GT(checked, 20);
}

TEST(TableIoTest, RestoredRuleSetEqualsTheOriginal) {
  const RuleSet rules = Conformance();
  absl::StatusOr<MetadataData> data = BuildMetadata(rules);
  ASSERT_TRUE(data.ok());
  const MetadataView view(*data);
  ASSERT_TRUE(view.Validate().ok()) << view.Validate();
  const RuleSet back = view.Restore();
  EXPECT_EQ(back.file(), rules.file());
  ASSERT_EQ(back.policies().size(), rules.policies().size());
  for (size_t i = 0; i < rules.policies().size(); ++i) {
    const Policy &a = rules.policies()[i], &b = back.policies()[i];
    EXPECT_EQ(a.name, b.name);
    EXPECT_EQ(a.action, b.action);
    EXPECT_EQ(a.loc.line, b.loc.line);
    ASSERT_EQ(a.params.size(), b.params.size());
    for (size_t j = 0; j < a.params.size(); ++j) {
      EXPECT_EQ(a.params[j].key, b.params[j].key);
      EXPECT_EQ(a.params[j].value, b.params[j].value);
      EXPECT_EQ(a.params[j].quoted, b.params[j].quoted);
    }
  }
  ASSERT_EQ(back.rules().size(), rules.rules().size());
  for (size_t i = 0; i < rules.rules().size(); ++i) {
    const Rule &a = rules.rules()[i], &b = back.rules()[i];
    EXPECT_EQ(a.name, b.name);
    EXPECT_EQ(a.kind, b.kind);
    EXPECT_EQ(a.policy, b.policy);
    EXPECT_EQ(a.first_entry, b.first_entry);
    EXPECT_EQ(a.entry_count, b.entry_count);
    EXPECT_EQ(a.comment, b.comment);
    EXPECT_EQ(a.loc.line, b.loc.line);
    EXPECT_EQ(a.loc.col, b.loc.col);
  }
  ASSERT_EQ(back.entries().size(), rules.entries().size());
  for (size_t i = 0; i < rules.entries().size(); ++i) {
    const Entry &a = rules.entries()[i], &b = back.entries()[i];
    EXPECT_EQ(a.text, b.text);
    EXPECT_EQ(a.rule, b.rule);
    EXPECT_EQ(a.loc.line, b.loc.line);
    EXPECT_EQ(a.loc.col, b.loc.col);
    ASSERT_EQ(a.value.index(), b.value.index()) << a.text;
  }
  ASSERT_EQ(back.warnings().size(), rules.warnings().size());
  for (size_t i = 0; i < rules.warnings().size(); ++i) {
    EXPECT_EQ(back.warnings()[i].ToString(), rules.warnings()[i].ToString());
  }
  // Entry values compare through the reference classifier: the restored set
  // classifies every random connection exactly like the original.
  ReferenceClassifier ra(rules), rb(back);
  std::mt19937_64 rng(7);
  for (int i = 0; i < 5000; ++i) {
    const Connection c = testing::RandomConnection(rng, rules);
    ASSERT_EQ(ra.Classify(c), rb.Classify(c));
    ASSERT_EQ(ra.MatchingEntries(c), rb.MatchingEntries(c));
  }
}

// Differential: random rule files, compiled vs opened-from-bytes vs the
// reference classifier.
TEST(TableIoTest, RandomRuleSetsAgreeAfterRoundTrip) {
  const uint64_t base = testing::TestSeed();
  for (uint64_t s = 0; s < 150; ++s) {
    const uint64_t seed = base + s;
    std::mt19937_64 rng(seed);
    testing::RandomRulesOptions opts;
    if (s % 10 == 0) opts.max_rules = 400;
    const std::string text = testing::RandomRuleText(rng, opts);
    absl::StatusOr<RuleSet> rules = ParseRules(text, "random.hat");
    ASSERT_TRUE(rules.ok()) << "seed " << seed << ": " << rules.status();
    auto compiled = Table::Compile(*rules);
    ASSERT_TRUE(compiled.ok());
    const std::string bytes = (*compiled)->Serialize();
    auto opened = Table::OpenBytes(bytes, "random.hmt");
    ASSERT_TRUE(opened.ok()) << "seed " << seed << ": " << opened.status();
    ASSERT_EQ((*opened)->Serialize(), bytes) << "seed " << seed;
    ReferenceClassifier ref(*rules);
    std::vector<Connection> conns;
    for (int i = 0; i < 300; ++i) {
      conns.push_back(testing::RandomConnection(rng, *rules));
    }
    std::vector<Decision> batch(conns.size());
    (*opened)->ClassifyBatch(conns, batch);
    for (size_t i = 0; i < conns.size(); ++i) {
      const Decision want = ref.Classify(conns[i]);
      ASSERT_EQ((*opened)->ClassifyWithEntry(conns[i]), want)
          << "seed " << seed << " connection " << i << "\n"
          << text;
      ASSERT_EQ(batch[i].rule, want.rule) << "seed " << seed;
    }
  }
}

// Entry texts are stored only when they are not the value formatted, and
// locations are delta-coded in blocks of 64 entries with the rest listed:
// every form and every escape gives back the texts and locations as
// written, through Restore() and through Detail().
TEST(TableIoTest, EntryTextsAndLocationsReadBackAsWritten) {
  std::string text = "BIG:\n    ACCEPT\n";
  // 70 entries, one a line: two blocks, every derived and listed IP form.
  const char* forms[] = {
      "10.%d.0.0/16",        "10.%d.0.1",        "10.%d.0.1/32",
      "10.%d.0.0/24",        "10.%d.",           "10.%d.0.1-9",
      "2001:db8:%x::/48",    "2001:DB8:%x::/48", "2001:db8:%x::1",
      ".h%d.example",        "h%d.example",      "H%d.Example.",
      "dnslist[z%d.example]"};
  for (int i = 0; i < 70; ++i) {
    char buf[64];
    std::snprintf(buf, sizeof buf, forms[i % std::size(forms)], i + 2);
    text += std::string("    ") + buf + "\n";
  }
  // A line gap past the delta's 15, a column past 4095, several entries on
  // one line, and an entry on the first line of a third block.
  text += std::string(20, '\n') + "    192.0.2.0/24\n";
  text += "    " + std::string(4200, ' ') + "198.51.100.7, 198.51.100.8\n";
  text += "203.0.113.0/24, .x.example\n    REJECT\n";
  absl::StatusOr<RuleSet> rules = ParseRules(text, "forms.hat");
  ASSERT_TRUE(rules.ok()) << rules.status();
  auto compiled = Table::Compile(*rules);
  ASSERT_TRUE(compiled.ok());
  auto opened = Table::OpenBytes((*compiled)->Serialize(), "forms.hmt");
  ASSERT_TRUE(opened.ok()) << opened.status();
  const RuleSet back = (*opened)->RestoreRuleSet();
  ASSERT_EQ(back.entries().size(), rules->entries().size());
  for (uint32_t e = 0; e < rules->entries().size(); ++e) {
    const Entry &a = rules->entries()[e], &b = back.entries()[e];
    EXPECT_EQ(a.text, b.text);
    EXPECT_EQ(a.loc.line, b.loc.line) << a.text;
    EXPECT_EQ(a.loc.col, b.loc.col) << a.text;
    EXPECT_EQ(a.rule, b.rule) << a.text;
    const Decision d{a.rule, e, Action::kAccept};
    for (const auto& t : {*compiled, *opened}) {
      const DecisionDetail detail = t->Detail(d);
      EXPECT_EQ(detail.entry_text, a.text);
      EXPECT_EQ(detail.entry_loc.line, a.loc.line) << a.text;
      EXPECT_EQ(detail.entry_loc.col, a.loc.col) << a.text;
      // A formatted text is kept: the same view on every call.
      EXPECT_EQ(t->Detail(d).entry_text.data(), detail.entry_text.data());
    }
  }
}

// An opened table builds its IP side tables on the first ClassifyWithEntry;
// callers on several threads at once all wait for the one build and get the
// compiled table's answers.
TEST(TableIoTest, SideTablesAreBuiltOnceOnFirstUse) {
  const RuleSet rules = Conformance();
  auto compiled = Table::Compile(rules);
  ASSERT_TRUE(compiled.ok());
  auto opened = Table::OpenBytes((*compiled)->Serialize(), "conf.hmt");
  ASSERT_TRUE(opened.ok()) << opened.status();
  std::mt19937_64 rng(11);
  std::vector<Connection> conns;
  for (int i = 0; i < 2000; ++i) {
    conns.push_back(testing::RandomConnection(rng, rules));
  }
  std::vector<std::vector<Decision>> got(4);
  std::vector<std::thread> threads;
  for (auto& out : got) {
    threads.emplace_back([&conns, &out, &opened] {
      for (const Connection& c : conns) {
        out.push_back((*opened)->ClassifyWithEntry(c));
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (const auto& out : got) {
    for (size_t i = 0; i < conns.size(); ++i) {
      ASSERT_EQ(out[i], (*compiled)->ClassifyWithEntry(conns[i])) << i;
    }
  }
}

TEST(TableIoTest, WriteFailsCleanlyIntoAMissingDirectory) {
  auto t = Table::Compile(Conformance());
  ASSERT_TRUE(t.ok());
  absl::Status s = (*t)->Write("/nonexistent-dir/t.hmt");
  EXPECT_FALSE(s.ok());
  EXPECT_NE(Message(s).find("/nonexistent-dir/t.hmt"), std::string::npos) << s;
}

TEST(TableIoTest, OpenNamesTheFileInEveryError) {
  const std::string path = TempPath("notatable.hmt");
  ASSERT_TRUE(WriteFileAtomically(path, "ALL\n    ACCEPT\n").ok());
  auto t = Table::Open(path);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(Message(t.status()), path + ": not a hatmatch table (bad magic)");
  unlink(path.c_str());
}

}  // namespace
}  // namespace hatmatch
