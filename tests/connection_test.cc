// Copyright 2026 The hatmatch Authors.
//
// The batch input line format (HAT-RULES.md section 5).

#include "hatmatch/connection.h"

#include <string>

#include "gtest/gtest.h"

namespace hatmatch {
namespace {

std::string Error(const std::string& line) {
  absl::StatusOr<Connection> c = ParseConnection(line);
  EXPECT_FALSE(c.ok()) << line;
  return c.ok() ? "" : std::string(c.status().message());
}

TEST(ConnectionTest, AllFields) {
  absl::StatusOr<Connection> c = ParseConnection(
      "192.0.2.1\tptr=Mx.Example.com. sbrs=-2.5 sbo=77 "
      "dnslist=zen.example,BL.example.");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_TRUE(c->address.is_v4());
  EXPECT_EQ(c->address.v4(), 0xC0000201u);
  EXPECT_EQ(c->dns, DnsState::kVerified);
  EXPECT_EQ(c->ptr, "Mx.Example.com.");
  ASSERT_TRUE(c->sbrs.has_value());
  EXPECT_DOUBLE_EQ(*c->sbrs, -2.5);
  EXPECT_EQ(c->sbo, 77u);
  ASSERT_EQ(c->dnslists.size(), 2u);
  // As given, like ptr=: zones are normalized where they are compared.
  EXPECT_EQ(c->dnslists[1], "BL.example.");
}

TEST(ConnectionTest, Defaults) {
  absl::StatusOr<Connection> c = ParseConnection("2001:db8::1");
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(c->address.is_v4());
  EXPECT_EQ(c->dns, DnsState::kUnknown);
  EXPECT_FALSE(c->sbrs.has_value());
  EXPECT_FALSE(c->sbo.has_value());
}

TEST(ConnectionTest, DnsFailureOverridesPtr) {
  absl::StatusOr<Connection> c =
      ParseConnection("1.2.3.4 ptr=a.example dns=mismatch");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->dns, DnsState::kMismatch);
  EXPECT_EQ(ParseConnection("1.2.3.4 dns=nx")->dns, DnsState::kNxDomain);
  EXPECT_EQ(ParseConnection("1.2.3.4 dns=servfail")->dns, DnsState::kServFail);
}

TEST(ConnectionTest, InvalidPtrIsNotAnError) {
  EXPECT_TRUE(ParseConnection("1.2.3.4 ptr=not*valid..name").ok());
  EXPECT_TRUE(ParseConnection("1.2.3.4 ptr=").ok());
}

TEST(ConnectionTest, MappedAddressesBecomeIpv4) {
  absl::StatusOr<Connection> c = ParseConnection("::ffff:10.1.2.3");
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->address.is_v4());
  EXPECT_EQ(c->address.v4(), 0x0A010203u);
}

TEST(ConnectionTest, MalformedLinesSayWhy) {
  EXPECT_EQ(Error("300.1.1.1"),
            "'300.1.1.1' does not appear to be an IPv4 or IPv6 address");
  EXPECT_EQ(Error("01.2.3.4"),
            "'01.2.3.4' does not appear to be an IPv4 or IPv6 address");
  EXPECT_EQ(Error("1.2.3.4 ptr"), "bad field 'ptr'");
  EXPECT_EQ(Error("1.2.3.4 colour=blue"), "unknown field colour");
  EXPECT_EQ(Error("1.2.3.4 sbrs=11"), "sbrs out of range -10..10: 11");
  EXPECT_EQ(Error("1.2.3.4 sbrs=-10.01"), "sbrs out of range -10..10: -10.01");
  EXPECT_EQ(Error("1.2.3.4 sbrs=high"),
            "could not convert string to float: 'high'");
  EXPECT_EQ(Error("1.2.3.4 sbrs=1e1"),
            "could not convert string to float: '1e1'");
  EXPECT_EQ(Error("1.2.3.4 sbrs=nan"),
            "could not convert string to float: 'nan'");
  EXPECT_NE(Error("1.2.3.4 dns=maybe").find("bad dns"), std::string::npos);
  EXPECT_NE(Error("1.2.3.4 sbo=-1").find("bad sbo"), std::string::npos);
  EXPECT_NE(Error("1.2.3.4 sbo=99999999999999999999").find("bad sbo"),
            std::string::npos);
  EXPECT_NE(Error("1.2.3.4 dnslist=a,,b").find("empty zone"),
            std::string::npos);
  EXPECT_EQ(Error("1.2.3.4 sbrs=1 sbrs=2"), "duplicate field sbrs");
  EXPECT_NE(Error("2001:db8:::1").find("does not appear"), std::string::npos);
}

TEST(ConnectionTest, SkippedLines) {
  EXPECT_TRUE(IsSkippedConnectionLine(""));
  EXPECT_TRUE(IsSkippedConnectionLine("  \t "));
  EXPECT_TRUE(IsSkippedConnectionLine("   # x"));
  EXPECT_FALSE(IsSkippedConnectionLine("1.2.3.4 # trailing"));
}

}  // namespace
}  // namespace hatmatch
