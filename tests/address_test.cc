// Copyright 2026 The hatmatch Authors.
// Strict IPv4/IPv6 parsing, embedded-IPv4 normalization and RFC 5952 text.

#include "hatmatch/address.h"

#include <arpa/inet.h>

#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/testing/seed.h"

namespace hatmatch {
namespace {

Ipv6Addr V6(std::string_view text) {
  absl::StatusOr<Ipv6Addr> a = ParseIpv6(text);
  EXPECT_TRUE(a.ok()) << text << ": " << a.status();
  return a.ok() ? *a : Ipv6Addr{};
}

TEST(AddressTest, Ipv4Valid) {
  EXPECT_EQ(*ParseIpv4("0.0.0.0"), 0u);
  EXPECT_EQ(*ParseIpv4("255.255.255.255"), 0xFFFFFFFFu);
  EXPECT_EQ(*ParseIpv4("192.0.2.1"), 0xC0000201u);
  EXPECT_EQ(*ParseIpv4("10.0.0.0"), 0x0A000000u);
}

TEST(AddressTest, Ipv4Invalid) {
  for (const char* bad : {"",
                          ".",
                          "1.2.3",
                          "1.2.3.4.5",
                          "1.2.3.4.",
                          ".1.2.3.4",
                          "1..2.3",
                          "256.0.0.1",
                          "1.2.3.256",
                          "01.2.3.4",
                          "1.2.3.04",
                          "010.0.0.1",
                          "1.2.3.0x1",
                          "1.2.3.-1",
                          " 1.2.3.4",
                          "1.2.3.4 ",
                          "1.2.3.4/32",
                          "1.2.3.4a",
                          "99999999999999999999.1.1.1",
                          "1,2,3,4",
                          "::1"}) {
    absl::StatusOr<uint32_t> a = ParseIpv4(bad);
    EXPECT_FALSE(a.ok()) << "accepted '" << bad << "'";
    if (!a.ok()) {
      EXPECT_EQ(a.status().code(), absl::StatusCode::kInvalidArgument);
    }
  }
  EXPECT_EQ(ParseIpv4("1.2.3.04").status().message(),
            "\"1.2.3.04\" is not a valid IPv4 address: octet \"04\" has a "
            "leading zero");
  EXPECT_EQ(ParseIpv4("1.2.3.256").status().message(),
            "\"1.2.3.256\" is not a valid IPv4 address: octet 256 out of "
            "range 0..255");
}

TEST(AddressTest, Ipv6Forms) {
  EXPECT_EQ(V6("::"), (Ipv6Addr{0, 0}));
  EXPECT_EQ(V6("::1"), (Ipv6Addr{0, 1}));
  EXPECT_EQ(V6("1::"), (Ipv6Addr{0x0001000000000000, 0}));
  EXPECT_EQ(V6("2001:db8::1"), (Ipv6Addr{0x20010DB800000000, 1}));
  EXPECT_EQ(V6("2001:DB8::A"), (Ipv6Addr{0x20010DB800000000, 0xA}));
  EXPECT_EQ(V6("1:2:3:4:5:6:7:8"),
            (Ipv6Addr{0x0001000200030004, 0x0005000600070008}));
  EXPECT_EQ(V6("0001:0002:0003:0004:0005:0006:0007:0008"),
            V6("1:2:3:4:5:6:7:8"));
  // "::" standing for exactly one group (RFC 4291 allows it).
  EXPECT_EQ(V6("1:2:3:4:5:6:7::"),
            (Ipv6Addr{0x0001000200030004, 0x0005000600070000}));
  EXPECT_EQ(V6("::2:3:4:5:6:7:8"),
            (Ipv6Addr{0x0000000200030004, 0x0005000600070008}));
  EXPECT_EQ(V6("1:2:3::6:7:8"),
            (Ipv6Addr{0x0001000200030000, 0x0000000600070008}));
  EXPECT_EQ(V6("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
            (Ipv6Addr{~uint64_t{0}, ~uint64_t{0}}));
  // Embedded dotted quad in place of the last two groups.
  EXPECT_EQ(V6("::ffff:192.0.2.1"), (Ipv6Addr{0, 0x0000FFFFC0000201}));
  EXPECT_EQ(V6("::192.0.2.1"), (Ipv6Addr{0, 0xC0000201}));
  EXPECT_EQ(V6("64:ff9b::192.0.2.33"),
            (Ipv6Addr{0x0064FF9B00000000, 0xC0000221}));
  EXPECT_EQ(V6("1:2:3:4:5:6:1.2.3.4"),
            (Ipv6Addr{0x0001000200030004, 0x0005000601020304}));
  EXPECT_EQ(V6("1::5:6:1.2.3.4"),
            (Ipv6Addr{0x0001000000000000, 0x0005000601020304}));
}

TEST(AddressTest, Ipv6Invalid) {
  for (const char* bad : {"",
                          ":",
                          ":::",
                          "2001:db8:::1",
                          "2001:db8::g",
                          "1::2::3",
                          "::1::",
                          "1:2:3:4:5:6:7:8:9",
                          "1:2:3:4:5:6:7",
                          "1:2:3:4:5:6:7:8::",
                          "::1:2:3:4:5:6:7:8",
                          "12345::",
                          "1:",
                          ":1",
                          "1::2:",
                          ":1::2",
                          "fe80::1%eth0",
                          "[::1]",
                          "::1/128",
                          "::ffff:1.2.3",
                          "::ffff:1.2.3.04",
                          "::ffff:1.2.3.256",
                          "1.2.3.4::",
                          "::1.2.3.4:5",
                          " ::1",
                          "::1 ",
                          "1:2:3:4:5:6:7:1.2.3.4",
                          "1:2:3:4:5:6::1.2.3.4",
                          "::-1",
                          "g::",
                          "1:2:3:4:5:6:7:8:",
                          "1.2.3.4",
                          "::1.2.3.4.5",
                          "::1.2.3.",
                          "0x1::"}) {
    absl::StatusOr<Ipv6Addr> a = ParseIpv6(bad);
    EXPECT_FALSE(a.ok()) << "accepted '" << bad << "'";
  }
  EXPECT_EQ(ParseIpv6("2001:db8::g").status().message(),
            "\"2001:db8::g\" is not a valid IPv6 address: \"g\" where a hex "
            "digit is expected");
  EXPECT_EQ(ParseIpv6("1::2::3").status().message(),
            "\"1::2::3\" is not a valid IPv6 address: '::' more than once");
  EXPECT_EQ(ParseIpv6("2001:db8:::1").status().message(),
            "\"2001:db8:::1\" is not a valid IPv6 address: ':::' (three "
            "colons)");
  EXPECT_EQ(ParseIpv6("1:2:3:4:5:6:7:8:9").status().message(),
            "\"1:2:3:4:5:6:7:8:9\" is not a valid IPv6 address: more than 8 "
            "groups");
  EXPECT_EQ(ParseIpv6("fe80::1%eth0").status().message(),
            "\"fe80::1%eth0\" is not a valid IPv6 address: a zone id ('%'), "
            "which is not allowed");
}

TEST(AddressTest, EmbedsIpv4) {
  uint32_t v4 = 0;
  EXPECT_TRUE(Ipv6EmbedsIpv4(V6("::ffff:1.2.3.4"), &v4));
  EXPECT_EQ(v4, 0x01020304u);
  EXPECT_TRUE(Ipv6EmbedsIpv4(V6("::ffff:0.0.0.0"), &v4));
  EXPECT_EQ(v4, 0u);
  EXPECT_TRUE(Ipv6EmbedsIpv4(V6("::1.2.3.4"), &v4));
  EXPECT_EQ(v4, 0x01020304u);
  EXPECT_TRUE(Ipv6EmbedsIpv4(V6("::2"), &v4));
  EXPECT_EQ(v4, 2u);
  EXPECT_TRUE(Ipv6EmbedsIpv4(V6("::255.255.255.255"), &v4));
  EXPECT_EQ(v4, 0xFFFFFFFFu);
  EXPECT_FALSE(Ipv6EmbedsIpv4(V6("::"), &v4));
  EXPECT_FALSE(Ipv6EmbedsIpv4(V6("::1"), &v4));
  EXPECT_FALSE(Ipv6EmbedsIpv4(V6("::1:0:0"), &v4));
  EXPECT_FALSE(Ipv6EmbedsIpv4(V6("::fffe:1.2.3.4"), &v4));
  EXPECT_FALSE(Ipv6EmbedsIpv4(V6("::1:ffff:1.2.3.4"), &v4));
  EXPECT_FALSE(Ipv6EmbedsIpv4(V6("1::ffff:1.2.3.4"), &v4));
  EXPECT_FALSE(Ipv6EmbedsIpv4(V6("64:ff9b::1.2.3.4"), &v4));
  EXPECT_TRUE(Ipv6EmbedsIpv4(V6("::ffff:1.2.3.4"), nullptr));
}

TEST(AddressTest, ParseIpAddressNormalizesEmbeddedIpv4) {
  EXPECT_EQ(*ParseIpAddress("192.0.2.1"), IpAddress::V4(0xC0000201));
  EXPECT_EQ(*ParseIpAddress("::ffff:192.0.2.1"), IpAddress::V4(0xC0000201));
  EXPECT_EQ(*ParseIpAddress("::FFFF:c000:0201"), IpAddress::V4(0xC0000201));
  EXPECT_EQ(*ParseIpAddress("::192.0.2.1"), IpAddress::V4(0xC0000201));
  EXPECT_EQ(*ParseIpAddress("::ffff:0.0.0.0"), IpAddress::V4(0));
  EXPECT_EQ(*ParseIpAddress("::"), IpAddress::V6({0, 0}));
  EXPECT_EQ(*ParseIpAddress("::1"), IpAddress::V6({0, 1}));
  EXPECT_EQ(*ParseIpAddress("2001:db8::1"),
            IpAddress::V6({0x20010DB800000000, 1}));
  EXPECT_FALSE(ParseIpAddress("2001:db8::1")->is_v4());
}

TEST(AddressTest, ParseIpAddressMessageIsExact) {
  for (const char* bad : {"", "1.2.3", "192.0.02.1", "2001:db8::g", "x",
                          "1::2::3", "::ffff:1.2.3.256", "10.0.0.0/8"}) {
    absl::StatusOr<IpAddress> a = ParseIpAddress(bad);
    ASSERT_FALSE(a.ok()) << bad;
    EXPECT_EQ(a.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(a.status().message(),
              std::string("'") + bad +
                  "' does not appear to be an IPv4 or IPv6 address");
  }
}

TEST(AddressTest, FormatRfc5952) {
  const struct {
    const char* in;
    const char* out;
  } cases[] = {
      {"::", "::"},
      {"::1", "::1"},
      {"1::", "1::"},
      {"2001:DB8:0:0:0:0:0:1", "2001:db8::1"},
      {"2001:db8:0000:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"},  // one 0: kept
      {"2001:0:0:1:0:0:0:1", "2001:0:0:1::1"},              // longest run
      {"2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"},        // tie: first
      {"0:0:1:0:0:0:1:0", "0:0:1::1:0"},
      {"1:0:0:0:0:0:0:0", "1::"},
      {"0:0:0:0:0:0:0:1", "::1"},
      {"1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"},
      {"fe80::0001", "fe80::1"},
      {"ABCD:EF01::", "abcd:ef01::"},
      {"::ffff:c000:201", "::ffff:192.0.2.1"},  // RFC 5952 section 5
      {"::ffff:0:0", "::ffff:0.0.0.0"},
      {"::192.0.2.1", "::c000:201"},
      {"64:ff9b::192.0.2.33", "64:ff9b::c000:221"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(FormatIpv6(V6(c.in)), c.out) << c.in;
    EXPECT_EQ(V6(FormatIpv6(V6(c.in))), V6(c.in)) << c.in;
  }
  EXPECT_EQ(FormatIpv4(0xC0000201), "192.0.2.1");
  EXPECT_EQ(FormatIpv4(0), "0.0.0.0");
  EXPECT_EQ(FormatIpv4(0xFFFFFFFF), "255.255.255.255");
  EXPECT_EQ(FormatIpv4(0x0A006409), "10.0.100.9");
  EXPECT_EQ(FormatIpAddress(IpAddress::V4(0x0A000001)), "10.0.0.1");
  EXPECT_EQ(FormatIpAddress(IpAddress::V6({0x20010DB800000000, 1})),
            "2001:db8::1");
}

// Random addresses (biased toward zero groups so that compression is
// exercised) round-trip through FormatIpv6/ParseIpv6, and the text agrees with
// glibc's inet_ntop wherever the latter does not use a dotted quad.
TEST(AddressTest, RandomRoundTripAgainstInetNtop) {
  const uint32_t seed = static_cast<uint32_t>(testing::TestSeed());
  std::mt19937 rng(seed);
  SCOPED_TRACE(::testing::Message() << "seed " << seed);
  for (int i = 0; i < 20000; ++i) {
    uint16_t g[8];
    for (uint16_t& x : g) {
      const uint32_t r = rng();
      x = (r & 3) != 0 ? 0 : static_cast<uint16_t>(r >> 16);
    }
    Ipv6Addr a;
    for (int k = 0; k < 4; ++k) a.hi = (a.hi << 16) | g[k];
    for (int k = 4; k < 8; ++k) a.lo = (a.lo << 16) | g[k];
    const std::string text = FormatIpv6(a);
    absl::StatusOr<Ipv6Addr> back = ParseIpv6(text);
    ASSERT_TRUE(back.ok()) << text;
    ASSERT_EQ(*back, a) << text;
    unsigned char bytes[16];
    for (int k = 0; k < 8; ++k) {
      bytes[2 * k] = static_cast<unsigned char>(g[k] >> 8);
      bytes[2 * k + 1] = static_cast<unsigned char>(g[k]);
    }
    char buf[INET6_ADDRSTRLEN];
    ASSERT_NE(inet_ntop(AF_INET6, bytes, buf, sizeof(buf)), nullptr);
    if (std::strchr(buf, '.') == nullptr && text.find('.') == text.npos) {
      ASSERT_EQ(text, buf);
    }
  }
}

// Random short strings over the IPv6 alphabet: we accept exactly what glibc's
// inet_pton accepts, and decode it to the same bits.
TEST(AddressTest, RandomStringsAgainstInetPton) {
  const uint32_t seed = static_cast<uint32_t>(testing::TestSeed());
  std::mt19937 rng(seed);
  SCOPED_TRACE(::testing::Message() << "seed " << seed);
  const std::string alphabet = "0123456789abcdefg:::::...";
  int accepted = 0;
  for (int i = 0; i < 200000; ++i) {
    std::string s;
    const int len = 1 + static_cast<int>(rng() % 20);
    for (int k = 0; k < len; ++k) s += alphabet[rng() % alphabet.size()];
    if (rng() % 4 == 0) s = "::ffff:" + s;
    unsigned char bytes[16];
    const bool glibc = inet_pton(AF_INET6, s.c_str(), bytes) == 1;
    absl::StatusOr<Ipv6Addr> ours = ParseIpv6(s);
    ASSERT_EQ(ours.ok(), glibc) << "'" << s << "'";
    if (glibc) {
      ++accepted;
      Ipv6Addr want;
      for (int k = 0; k < 8; ++k) want.hi = (want.hi << 8) | bytes[k];
      for (int k = 8; k < 16; ++k) want.lo = (want.lo << 8) | bytes[k];
      ASSERT_EQ(*ours, want) << s;
    }
  }
  EXPECT_GT(accepted, 100);
}

TEST(AddressTest, RandomStringsAgainstInetPtonV4) {
  const uint32_t seed = static_cast<uint32_t>(testing::TestSeed());
  std::mt19937 rng(seed);
  SCOPED_TRACE(::testing::Message() << "seed " << seed);
  const std::string alphabet = "0123456789...";
  int accepted = 0;
  for (int i = 0; i < 200000; ++i) {
    std::string s;
    const int len = 1 + static_cast<int>(rng() % 16);
    for (int k = 0; k < len; ++k) s += alphabet[rng() % alphabet.size()];
    in_addr addr;
    const bool glibc = inet_pton(AF_INET, s.c_str(), &addr) == 1;
    absl::StatusOr<uint32_t> ours = ParseIpv4(s);
    ASSERT_EQ(ours.ok(), glibc) << "'" << s << "'";
    if (glibc) {
      ++accepted;
      ASSERT_EQ(*ours, ntohl(addr.s_addr)) << s;
    }
  }
  EXPECT_GT(accepted, 100);
}

}  // namespace
}  // namespace hatmatch
