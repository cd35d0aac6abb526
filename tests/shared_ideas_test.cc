// Copyright 2026 The hatmatch Authors.
//
// The ideas every stage shares, each written once: the DNS state
// spellings, which rules can decide, the split of a rule set by dimension,
// the score keys, the IPv4-embedding blocks and 128-bit addresses.

#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "engine/compile/dimensions.h"
#include "engine/table/score_key.h"
#include "gtest/gtest.h"
#include "hatmatch/address.h"
#include "hatmatch/parse.h"
#include "hatmatch/rules.h"

namespace hatmatch {
namespace {

constexpr DnsState kAllStates[] = {DnsState::kUnknown, DnsState::kVerified,
                                   DnsState::kNxDomain, DnsState::kServFail,
                                   DnsState::kMismatch};

TEST(DnsStateSpellingTest, EntryAndInputNamesGoBackToTheirState) {
  for (DnsState s : kAllStates) {
    DnsState back = DnsState::kUnknown;
    const bool nameable = !DnsStateInputName(s).empty();
    EXPECT_EQ(DnsStateFromEntryName(DnsStateEntryName(s), &back), nameable)
        << DnsStateEntryName(s);
    if (nameable) {
      EXPECT_EQ(back, s);
    }
    back = DnsState::kUnknown;
    EXPECT_EQ(DnsStateFromInputName(DnsStateInputName(s), &back), nameable);
    if (nameable) {
      EXPECT_EQ(back, s);
    }
  }
}

TEST(DnsStateSpellingTest, SpellingsAreTheContractsAndIgnoreCase) {
  DnsState s = DnsState::kUnknown;
  ASSERT_TRUE(DnsStateFromEntryName("Not.Double.Verified", &s));
  EXPECT_EQ(s, DnsState::kMismatch);
  ASSERT_TRUE(DnsStateFromInputName("SERVFAIL", &s));
  EXPECT_EQ(s, DnsState::kServFail);
  EXPECT_EQ(DnsStateEntryName(DnsState::kNxDomain), "nx.domain");
  EXPECT_EQ(DnsStateInputName(DnsState::kNxDomain), "nx");
  // The states no entry and no dns= field can name.
  EXPECT_FALSE(DnsStateFromEntryName("verified", &s));
  EXPECT_FALSE(DnsStateFromInputName("unknown", &s));
  EXPECT_FALSE(DnsStateFromInputName("nx.domain", &s));
  EXPECT_FALSE(DnsStateFromEntryName("nx", &s));
}

TEST(CanDecideTest, OnlyContinueNeverDecides) {
  EXPECT_TRUE(CanDecide(Action::kAccept));
  EXPECT_TRUE(CanDecide(Action::kReject));
  EXPECT_TRUE(CanDecide(Action::kTcpRefuse));
  EXPECT_TRUE(CanDecide(Action::kRelay));
  EXPECT_FALSE(CanDecide(Action::kContinue));
}

TEST(SplitByDimensionTest, DropsContinueRulesAndKeepsEntryOrder) {
  absl::StatusOr<RuleSet> rs = ParseRules(
      "$SKIP\n    CONTINUE\n"
      "TAGGED:\n    $SKIP\n    10.0.0.0/8, .skip.example, sbrs[-10:0]\n"
      "KEEP:\n    ACCEPT\n"
      "    10.1.0.0/16, 2001:db8::/32, mx.example, .example.org\n"
      "    sbrs[1:5], sbrs[none], SBO:7, dnslist[zen.example], nx.domain\n"
      "    SBO:7, nx.domain\n",
      "t.hat");
  ASSERT_TRUE(rs.ok()) << rs.status();
  // Entries 0..2 belong to the CONTINUE rule; KEEP's are 3..13.
  const DecidingEntries d = SplitByDimension(*rs);
  ASSERT_EQ(d.ipv4.size(), 1u);
  EXPECT_EQ(d.ipv4[0].priority, 3u);
  EXPECT_EQ(d.ipv4[0].lo, 0x0A010000u);
  ASSERT_EQ(d.ipv6.size(), 1u);
  EXPECT_EQ(d.ipv6[0].priority, 4u);
  ASSERT_EQ(d.hosts.size(), 2u);
  EXPECT_EQ(d.hosts[0].name, "mx.example");
  EXPECT_FALSE(d.hosts[0].partial);
  EXPECT_EQ(d.hosts[1].name, "example.org");
  EXPECT_TRUE(d.hosts[1].partial);
  EXPECT_EQ(d.hosts[1].priority, 6u);
  ASSERT_EQ(d.sbrs.size(), 1u);
  EXPECT_EQ(d.sbrs[0].lo, 1.0);
  EXPECT_EQ(d.sbrs[0].priority, 7u);
  EXPECT_EQ(d.sbrs_none, 8u);
  // Owners and zones keep every entry, in order; the first wins later.
  ASSERT_EQ(d.owners.size(), 2u);
  EXPECT_EQ(d.owners[0], (std::pair<uint64_t, uint32_t>{7, 9}));
  EXPECT_EQ(d.owners[1].second, 12u);
  ASSERT_EQ(d.zones.size(), 1u);
  EXPECT_EQ(d.zones[0].first, "zen.example");
  // The first entry per DNS state.
  EXPECT_EQ(d.dns_state[static_cast<size_t>(DnsState::kNxDomain)], 11u);
  EXPECT_EQ(d.dns_state[static_cast<size_t>(DnsState::kServFail)], kNoValue);
}

TEST(ScoreKeyTest, OrderedAndDenseKeysFollowTheScores) {
  const double scores[] = {-10.0, -3.5, -1e-300, -0.0, 0.0, 1e-300, 2.0, 10.0};
  for (size_t i = 0; i + 1 < std::size(scores); ++i) {
    EXPECT_LE(OrderedScoreKey(scores[i]), OrderedScoreKey(scores[i + 1]));
    EXPECT_LE(ScoreKey(scores[i]), ScoreKey(scores[i + 1]));
    EXPECT_EQ(ScoreOfKey(ScoreKey(scores[i])),
              scores[i] == 0 ? 0.0 : scores[i]);
  }
  EXPECT_EQ(OrderedScoreKey(-0.0), OrderedScoreKey(0.0));
  EXPECT_EQ(ScoreKey(-0.0), kScoreZero);
  // Dense: the next double up is the next key, across zero too.
  const double tiny = std::nextafter(0.0, 1.0);
  EXPECT_EQ(ScoreKey(-tiny) + 1, ScoreKey(0.0));
  EXPECT_EQ(ScoreKey(0.0) + 1, ScoreKey(tiny));
  EXPECT_EQ(ScoreKey(std::nextafter(2.0, 3.0)), ScoreKey(2.0) + 1);
  // The ordered key leaves one key unused just below zero.
  EXPECT_EQ(OrderedScoreKey(-tiny) + 2, OrderedScoreKey(0.0));
}

TEST(EmbeddedIpv4Test, BlocksEndWhereTheAddressContractSays) {
  auto v6 = [](const char* text) { return *ParseIpv6(text); };
  uint32_t v4 = 0;
  EXPECT_TRUE(Ipv6EmbedsIpv4(v6("::ffff:192.0.2.1"), &v4));
  EXPECT_EQ(v4, 0xC0000201u);
  EXPECT_TRUE(Ipv6EmbedsIpv4(v6("::2"), nullptr));
  EXPECT_TRUE(Ipv6EmbedsIpv4(v6("::255.255.255.255"), nullptr));
  EXPECT_FALSE(Ipv6EmbedsIpv4(v6("::1"), nullptr));
  EXPECT_FALSE(Ipv6EmbedsIpv4(v6("::"), nullptr));
  EXPECT_FALSE(Ipv6EmbedsIpv4(v6("::1:0:0"), nullptr));
  EXPECT_FALSE(Ipv6EmbedsIpv4(v6("::fffe:ffff:ffff"), nullptr));
  EXPECT_FALSE(Ipv6EmbedsIpv4(v6("::1:0:0:0"), nullptr));
  EXPECT_TRUE(Ipv6RangeEmbedsIpv4Only(kIpv4MappedFirst, kIpv4MappedLast));
  EXPECT_TRUE(
      Ipv6RangeEmbedsIpv4Only(kIpv4CompatibleFirst, kIpv4CompatibleLast));
  // A range across both blocks, or reaching past one, meets IPv6 hosts.
  EXPECT_FALSE(Ipv6RangeEmbedsIpv4Only(kIpv4CompatibleFirst, kIpv4MappedLast));
  EXPECT_FALSE(Ipv6RangeEmbedsIpv4Only(v6("::1"), kIpv4CompatibleLast));
}

TEST(Uint128Test, ConversionIsTheAddressAsOneNumber) {
  const Ipv6Addr a{0x20010db800000000ULL, 0x0000000000000001ULL};
  const Uint128 n = ToUint128(a);
  EXPECT_EQ(static_cast<uint64_t>(n >> 64), a.hi);
  EXPECT_EQ(static_cast<uint64_t>(n), a.lo);
  EXPECT_EQ(FromUint128(n), a);
  EXPECT_EQ(FromUint128(n + 0xffffffffffffffffULL),
            (Ipv6Addr{0x20010db800000001ULL, 0}));
}

}  // namespace
}  // namespace hatmatch
