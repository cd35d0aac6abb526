// Copyright 2026 The hatmatch Authors.
//
// The reference classifier's semantics, clause by clause of HAT-RULES.md
// section 3, each checked on the reference and on the compiled table.

#include "hatmatch/reference.h"

#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "hatmatch/connection.h"
#include "hatmatch/parse.h"
#include "hatmatch/table.h"

namespace hatmatch {
namespace {

class SemanticsTest : public ::testing::Test {
 protected:
  void Load(const std::string& text) {
    absl::StatusOr<RuleSet> rs = ParseRules(text, "t.hat");
    ASSERT_TRUE(rs.ok()) << rs.status();
    rules_ = std::make_unique<RuleSet>(*std::move(rs));
    ref_ = std::make_unique<ReferenceClassifier>(*rules_);
    auto t = Table::Compile(*rules_);
    ASSERT_TRUE(t.ok()) << t.status();
    table_ = *t;
  }
  // "NAME ACTION" or "- -", checked to be the same on both engines.
  std::string Decide(const std::string& line) {
    absl::StatusOr<Connection> c = ParseConnection(line);
    EXPECT_TRUE(c.ok()) << c.status();
    Decision a = ref_->Classify(*c);
    Decision b = table_->ClassifyWithEntry(*c);
    EXPECT_EQ(a, b) << line;
    if (!a.matched()) return "- -";
    return rules_->rules()[a.rule].name + " " +
           std::string(ActionName(a.action));
  }
  uint32_t Entry(const std::string& line) {
    return ref_->Classify(*ParseConnection(line)).entry;
  }

  std::unique_ptr<RuleSet> rules_;
  std::unique_ptr<ReferenceClassifier> ref_;
  std::shared_ptr<const Table> table_;
};

TEST_F(SemanticsTest, FirstMatchingRuleDecidesTopToBottom) {
  Load("A:\n  REJECT\n  10.0.0.0/24\nB:\n  ACCEPT\n  10.0.0.0/8\n");
  EXPECT_EQ(Decide("10.0.0.5"), "A REJECT");
  EXPECT_EQ(Decide("10.0.1.5"), "B ACCEPT");
  EXPECT_EQ(Decide("11.0.0.0"), "- -");
  // The broader rule first shadows the narrower one.
  Load("B:\n  ACCEPT\n  10.0.0.0/8\nA:\n  REJECT\n  10.0.0.0/24\n");
  EXPECT_EQ(Decide("10.0.0.5"), "B ACCEPT");
}

TEST_F(SemanticsTest, AnyEntryOfARuleMatchesAndTheFirstIsReported) {
  Load("G:\n  REJECT\n  sbrs[none], 10.0.0.0/8, .example.com\n");
  EXPECT_EQ(Decide("10.1.1.1 sbrs=1"), "G REJECT");
  EXPECT_EQ(Decide("9.1.1.1 ptr=a.example.com sbrs=1"), "G REJECT");
  EXPECT_EQ(Decide("9.1.1.1"), "G REJECT");
  EXPECT_EQ(Entry("10.1.1.1"), 0u);  // sbrs[none] is written first
  EXPECT_EQ(Entry("10.1.1.1 sbrs=1"), 1u);
  EXPECT_EQ(Decide("9.1.1.1 sbrs=1"), "- -");
}

TEST_F(SemanticsTest, ContinueNeverDecides) {
  Load(
      "$SKIP\n  CONTINUE\nS:\n  $SKIP\n  10.0.0.0/8\nT:\n  TCPREFUSE\n"
      "  10.0.0.0/16\nALL\n  RELAY\n");
  EXPECT_EQ(Decide("10.0.0.1"), "T TCPREFUSE");
  EXPECT_EQ(Decide("10.1.0.1"), "ALL RELAY");
  Load("ALL\n  CONTINUE\n");
  EXPECT_EQ(Decide("10.1.0.1"), "- -");
}

TEST_F(SemanticsTest, HostnamesNeedAVerifiedPtr) {
  Load("H:\n  ACCEPT\n  mx.example.com, .example.org\n");
  EXPECT_EQ(Decide("1.1.1.1 ptr=MX.Example.COM."), "H ACCEPT");
  EXPECT_EQ(Decide("1.1.1.1 ptr=mx.example.com dns=mismatch"), "- -");
  EXPECT_EQ(Decide("1.1.1.1 ptr=mx.example.com dns=servfail"), "- -");
  EXPECT_EQ(Decide("1.1.1.1 ptr=a.b.example.org"), "H ACCEPT");
  EXPECT_EQ(Decide("1.1.1.1 ptr=example.org"), "- -");  // strictly below
  EXPECT_EQ(Decide("1.1.1.1 ptr=badexample.org"), "- -");
  EXPECT_EQ(Decide("1.1.1.1 ptr=a..example.org"), "- -");  // invalid name
  EXPECT_EQ(Decide("1.1.1.1"), "- -");
}

TEST_F(SemanticsTest, ReputationRangesAndNone) {
  Load("LOW:\n  REJECT\n  sbrs[-10:-3.0]\nNONE:\n  ACCEPT\n  sbrs[none]\n");
  EXPECT_EQ(Decide("1.1.1.1 sbrs=-10"), "LOW REJECT");
  EXPECT_EQ(Decide("1.1.1.1 sbrs=-3"), "LOW REJECT");
  EXPECT_EQ(Decide("1.1.1.1 sbrs=-2.99"), "- -");
  EXPECT_EQ(Decide("1.1.1.1"), "NONE ACCEPT");
  EXPECT_EQ(Decide("1.1.1.1 sbrs=none"), "NONE ACCEPT");
}

TEST_F(SemanticsTest, MappedIpv6IsIpv4AndIpv6EntriesNeverMatchIt) {
  Load(
      "V4:\n  REJECT\n  192.0.2.0/24\nV6:\n  ACCEPT\n  ::ffff:0:0/96\n"
      "ALL\n  ACCEPT\n");
  EXPECT_EQ(Decide("::ffff:192.0.2.7"), "V4 REJECT");
  EXPECT_EQ(Decide("::ffff:c000:0207"), "V4 REJECT");
  EXPECT_EQ(Decide("::ffff:198.51.100.1"), "ALL ACCEPT");
  // IPv4-compatible spelling cannot bypass the IPv4 rule either.
  EXPECT_EQ(Decide("::192.0.2.7"), "V4 REJECT");
}

TEST_F(SemanticsTest, OwnerDnsListAndDnsStates) {
  Load(
      "O:\n  REJECT\n  SBO:42\nL:\n  REJECT\n  dnslist[Bl.Example.]\n"
      "NX:\n  TCPREFUSE\n  nx.domain\nSF:\n  ACCEPT\n  serv.fail\n"
      "NDV:\n  RELAY\n  not.double.verified\n");
  EXPECT_EQ(Decide("1.1.1.1 sbo=42"), "O REJECT");
  EXPECT_EQ(Decide("1.1.1.1 sbo=43"), "- -");
  EXPECT_EQ(Decide("1.1.1.1 dnslist=x.example,BL.EXAMPLE"), "L REJECT");
  EXPECT_EQ(Decide("1.1.1.1 dns=nx"), "NX TCPREFUSE");
  EXPECT_EQ(Decide("1.1.1.1 dns=servfail"), "SF ACCEPT");
  EXPECT_EQ(Decide("1.1.1.1 dns=mismatch ptr=a.b"), "NDV RELAY");
  EXPECT_EQ(Decide("1.1.1.1 ptr=a.b"), "- -");
  EXPECT_EQ(Decide("1.1.1.1"), "- -");
}

TEST_F(SemanticsTest, DetailNamesPolicyParamsAndEntryLine) {
  Load(
      "$TLS\n  ACCEPT {\n    tls = \"required\"\n    max_msgs = 5\n  }\n"
      "G:\n  $TLS (comment)\n  10.0.0.0/8\n  .example.com\n");
  Decision d =
      table_->ClassifyWithEntry(*ParseConnection("1.1.1.1 ptr=a.example.com"));
  DecisionDetail det = table_->Detail(d);
  EXPECT_TRUE(det.matched);
  EXPECT_EQ(det.rule_name, "G");
  EXPECT_EQ(det.policy_name, "TLS");
  ASSERT_EQ(det.params.size(), 2u);
  EXPECT_EQ(det.params[0].first, "tls");
  EXPECT_EQ(det.params[0].second, "required");
  EXPECT_EQ(det.entry_text, ".example.com");
  EXPECT_EQ(det.entry_loc.line, 9u);
}

}  // namespace
}  // namespace hatmatch
