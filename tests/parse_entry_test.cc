// Copyright 2026 The hatmatch Authors.
// ParseEntry and NormalizeHostname: every entry form of HAT-RULES.md
// section 2 with its exact value, and every malformed form with its message.

#include <idn2.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "gtest/gtest.h"
#include "hatmatch/address.h"
#include "hatmatch/parse.h"
#include "hatmatch/rules.h"

namespace hatmatch {
namespace {

uint32_t A4(std::string_view s) {
  absl::StatusOr<uint32_t> a = ParseIpv4(s);
  EXPECT_TRUE(a.ok()) << s;
  return a.ok() ? *a : 0;
}
Ipv6Addr A6(std::string_view s) {
  absl::StatusOr<Ipv6Addr> a = ParseIpv6(s);
  EXPECT_TRUE(a.ok()) << s;
  return a.ok() ? *a : Ipv6Addr{};
}

// The entry's value, which must be of type T; warnings into *w.
template <typename T>
T Get(std::string_view text, std::vector<std::string>* w = nullptr) {
  absl::StatusOr<EntryValue> v = ParseEntry(text, w);
  EXPECT_TRUE(v.ok()) << "'" << text << "': " << v.status();
  if (!v.ok()) return T{};
  EXPECT_TRUE(std::holds_alternative<T>(*v)) << text;
  return std::holds_alternative<T>(*v) ? std::get<T>(*v) : T{};
}

std::string ErrorOf(std::string_view text) {
  absl::StatusOr<EntryValue> v = ParseEntry(text);
  EXPECT_FALSE(v.ok()) << "accepted '" << text << "'";
  if (v.ok()) return "";
  EXPECT_EQ(v.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(v.status().message());
}

void ExpectV4(std::string_view text, std::string_view lo, std::string_view hi) {
  std::vector<std::string> w;
  const Ipv4Range r = Get<Ipv4Range>(text, &w);
  EXPECT_EQ(FormatIpv4(r.lo), lo) << text;
  EXPECT_EQ(FormatIpv4(r.hi), hi) << text;
  EXPECT_TRUE(w.empty()) << text << ": " << (w.empty() ? "" : w[0]);
}

TEST(ParseEntryTest, Ipv4Address) {
  ExpectV4("10.1.2.3", "10.1.2.3", "10.1.2.3");
  ExpectV4("0.0.0.0", "0.0.0.0", "0.0.0.0");
  ExpectV4("255.255.255.255", "255.255.255.255", "255.255.255.255");
  ExpectV4("  192.0.2.1\t", "192.0.2.1", "192.0.2.1");  // blanks trimmed
}

TEST(ParseEntryTest, Ipv4Cidr) {
  ExpectV4("20/8", "20.0.0.0", "20.255.255.255");
  ExpectV4("30.1/16", "30.1.0.0", "30.1.255.255");
  ExpectV4("40.1.2/24", "40.1.2.0", "40.1.2.255");
  ExpectV4("50.1.2.0/30", "50.1.2.0", "50.1.2.3");
  ExpectV4("1.2.3.4/32", "1.2.3.4", "1.2.3.4");
  ExpectV4("0/0", "0.0.0.0", "255.255.255.255");
  ExpectV4("0.0.0.0/0", "0.0.0.0", "255.255.255.255");
  ExpectV4("128.0.0.0/1", "128.0.0.0", "255.255.255.255");
  ExpectV4("20/24", "20.0.0.0", "20.0.0.255");  // missing octets are 0
  ExpectV4("10.0.0.0/31", "10.0.0.0", "10.0.0.1");
}

TEST(ParseEntryTest, Ipv4CidrHostBitsAreMaskedAndWarned) {
  std::vector<std::string> w;
  Ipv4Range r = Get<Ipv4Range>("60.1.2.77/24", &w);
  EXPECT_EQ(r.lo, A4("60.1.2.0"));
  EXPECT_EQ(r.hi, A4("60.1.2.255"));
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0], "host bits set in \"60.1.2.77/24\"; read as 60.1.2.0/24");
  w.clear();
  r = Get<Ipv4Range>("10.1/8", &w);
  EXPECT_EQ(r.lo, A4("10.0.0.0"));
  EXPECT_EQ(r.hi, A4("10.255.255.255"));
  EXPECT_EQ(w.size(), 1u);
  w.clear();
  r = Get<Ipv4Range>("255.255.255.255/0", &w);
  EXPECT_EQ(r.lo, 0u);
  EXPECT_EQ(r.hi, 0xFFFFFFFFu);
  EXPECT_EQ(w.size(), 1u);
  // A null warnings pointer is fine.
  EXPECT_TRUE(ParseEntry("60.1.2.77/24").ok());
}

TEST(ParseEntryTest, Ipv4Partial) {
  ExpectV4("10.", "10.0.0.0", "10.255.255.255");
  ExpectV4("10", "10.0.0.0", "10.255.255.255");
  ExpectV4("172.16.", "172.16.0.0", "172.16.255.255");
  ExpectV4("172.16", "172.16.0.0", "172.16.255.255");
  ExpectV4("192.168.5.", "192.168.5.0", "192.168.5.255");
  ExpectV4("192.168.5", "192.168.5.0", "192.168.5.255");
  ExpectV4("0", "0.0.0.0", "0.255.255.255");
  ExpectV4("255.255.255", "255.255.255.0", "255.255.255.255");
}

TEST(ParseEntryTest, Ipv4OctetRange) {
  ExpectV4("203.0.113.10-20", "203.0.113.10", "203.0.113.20");
  ExpectV4("192.168.5-7.", "192.168.5.0", "192.168.7.255");
  ExpectV4("192.168.5-7", "192.168.5.0", "192.168.7.255");
  ExpectV4("172.16-31.", "172.16.0.0", "172.31.255.255");
  ExpectV4("100.64-65", "100.64.0.0", "100.65.255.255");
  ExpectV4("10-12.", "10.0.0.0", "12.255.255.255");
  ExpectV4("10-12", "10.0.0.0", "12.255.255.255");
  ExpectV4("0-255", "0.0.0.0", "255.255.255.255");
  ExpectV4("1.2.3.4-4", "1.2.3.4", "1.2.3.4");
  ExpectV4("1.2.3.0-255", "1.2.3.0", "1.2.3.255");
}

TEST(ParseEntryTest, Ipv4FullRange) {
  ExpectV4("70.0.0.250-70.0.1.5", "70.0.0.250", "70.0.1.5");
  ExpectV4("1.2.3.4-1.2.3.4", "1.2.3.4", "1.2.3.4");
  ExpectV4("0.0.0.0-255.255.255.255", "0.0.0.0", "255.255.255.255");
}

TEST(ParseEntryTest, Ipv4Errors) {
  const struct {
    const char* text;
    const char* message;
  } cases[] = {
      {"10.1.256.0/24", "octet 256 out of range 0..255 in \"10.1.256.0/24\""},
      {"192.0.2.300", "octet 300 out of range 0..255 in \"192.0.2.300\""},
      {"1.2.3.9999", "octet 9999 out of range 0..255 in \"1.2.3.9999\""},
      {"192.0.02.1",
       "octet \"02\" has a leading zero in \"192.0.02.1\"; octets are decimal "
       "0..255 without leading zeros (never octal)"},
      {"010",
       "octet \"010\" has a leading zero in \"010\"; octets are "
       "decimal 0..255 without leading zeros (never octal)"},
      {"1.2.3.4-05",
       "octet \"05\" has a leading zero in \"1.2.3.4-05\"; "
       "octets are decimal 0..255 without leading zeros (never "
       "octal)"},
      {"192.0.2.9-3",
       "descending range 9-3 in \"192.0.2.9-3\"; the first "
       "value must not exceed the second"},
      {"10.20-10.",
       "descending range 20-10 in \"10.20-10.\"; the first "
       "value must not exceed the second"},
      {"10.0.0.5-10.0.0.1",
       "descending range in \"10.0.0.5-10.0.0.1\"; the first address must "
       "not exceed the second"},
      {"192.0.2.0/40",
       "prefix length 40 out of range 0..32 in "
       "\"192.0.2.0/40\""},
      {"192.0.2.0/33",
       "prefix length 33 out of range 0..32 in "
       "\"192.0.2.0/33\""},
      {"192.0.2.0/1000",
       "prefix length \"1000\" out of range 0..32 in "
       "\"192.0.2.0/1000\""},
      {"192.0.2.0/",
       "missing prefix length after '/' in \"192.0.2.0/\"; "
       "expected a number 0..32"},
      {"192.0.2.0/08",
       "prefix length \"08\" has a leading zero in "
       "\"192.0.2.0/08\"; expected a number 0..32"},
      {"10.0.0.0/8/8",
       "prefix length \"8/8\" is not a decimal number "
       "0..32, in \"10.0.0.0/8/8\""},
      {"/8", "missing address before '/' in \"/8\""},
      {"10./8",
       "trailing dot before '/' in \"10./8\"; expected a/N, a.b/N, "
       "a.b.c/N or a.b.c.d/N"},
      {"1.2.3.4.5", "more than 4 octets in \"1.2.3.4.5\""},
      {"1..2", "empty octet in \"1..2\""},
      {".1.2", "empty octet in \".1.2\""},
      {"1.2.3.4.",
       "trailing dot after the fourth octet in \"1.2.3.4.\"; "
       "expected an address a.b.c.d or a partial address such as "
       "a.b.c."},
      {"1.2.3.4-5.",
       "trailing dot after the fourth octet in \"1.2.3.4-5.\"; "
       "expected a.b.c.d-e"},
      {"1.2-3-4", "more than one '-' in \"1.2-3-4\""},
      {"1.2/3-4",
       "both '/' and '-' in \"1.2/3-4\"; expected a CIDR a.b.c.d/N "
       "or a range, not both"},
      {"10.-20",
       "dot before '-' in \"10.-20\"; expected a range of the last "
       "octet such as 10.1.2-5 or 10.1.2-5."},
      {"-5", "missing start of range before '-' in \"-5\""},
      {"5-", "missing end of range after '-' in \"5-\""},
      {"1.2-1.2.3.4",
       "\"1.2-1.2.3.4\" is neither an octet range (such as "
       "10.1.2.3-9) nor a range of full addresses "
       "a.b.c.d-w.x.y.z"},
      {"1.2.3.4-1.2.3",
       "\"1.2.3.4-1.2.3\" is neither an octet range (such "
       "as 10.1.2.3-9) nor a range of full addresses "
       "a.b.c.d-w.x.y.z"},
      {"1.2.3.4-256", "octet 256 out of range 0..255 in \"1.2.3.4-256\""},
  };
  for (const auto& c : cases) EXPECT_EQ(ErrorOf(c.text), c.message) << c.text;
}

void ExpectV6(std::string_view text, std::string_view lo, std::string_view hi,
              size_t warnings = 0) {
  std::vector<std::string> w;
  const Ipv6Range r = Get<Ipv6Range>(text, &w);
  EXPECT_EQ(r.lo, A6(lo)) << text;
  EXPECT_EQ(r.hi, A6(hi)) << text;
  EXPECT_EQ(w.size(), warnings) << text;
}

TEST(ParseEntryTest, Ipv6Forms) {
  ExpectV6("2001:dba::1", "2001:dba::1", "2001:dba::1");
  ExpectV6("2001:DB8::/32",
           "2001:db8::", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff");
  ExpectV6("2001:db9::2-2001:db9::10", "2001:db9::2", "2001:db9::10");
  ExpectV6("::/0", "::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
  ExpectV6("::1/128", "::1", "::1");
  ExpectV6("fe80::/10", "fe80::", "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
  ExpectV6("2001:db8::/64", "2001:db8::", "2001:db8::ffff:ffff:ffff:ffff");
  ExpectV6("2001:db8::/65", "2001:db8::", "2001:db8::7fff:ffff:ffff:ffff");
  ExpectV6("2001:db8::/127", "2001:db8::", "2001:db8::1");
  ExpectV6("2001:db8::1-2001:db8::1", "2001:db8::1", "2001:db8::1");
  ExpectV6("64:ff9b::192.0.2.0/120", "64:ff9b::c000:200", "64:ff9b::c000:2ff");
  ExpectV6("fe80::", "fe80::", "fe80::");
}

TEST(ParseEntryTest, Ipv6HostBitsWarned) {
  std::vector<std::string> w;
  const Ipv6Range r = Get<Ipv6Range>("2001:db8::1/32", &w);
  EXPECT_EQ(r.lo, A6("2001:db8::"));
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0], "host bits set in \"2001:db8::1/32\"; read as 2001:db8::/32");
}

TEST(ParseEntryTest, Ipv6InsideMappedSpaceIsKeptButWarned) {
  // Kept as IPv6 (it will match nothing: such connections are IPv4), and the
  // administrator is told so.
  ExpectV6("::ffff:10.0.0.0/104", "::ffff:10.0.0.0", "::ffff:10.255.255.255",
           1);
  ExpectV6("::ffff:192.0.2.1", "::ffff:192.0.2.1", "::ffff:192.0.2.1", 1);
  ExpectV6("::192.0.2.1", "::192.0.2.1", "::192.0.2.1", 1);
  // Not entirely inside: no warning.
  ExpectV6("::/64", "::", "::ffff:ffff:ffff:ffff", 0);
  ExpectV6("::1", "::1", "::1", 0);
  ExpectV6("::", "::", "::", 0);
  ExpectV6("::2-::ffff:0.0.0.1", "::2", "::ffff:0.0.0.1", 0);
}

TEST(ParseEntryTest, Ipv6Errors) {
  const struct {
    const char* text;
    const char* message;
  } cases[] = {
      {"2001:db8::g",
       "\"2001:db8::g\" is not an IPv6 address: \"g\" where a hex digit is "
       "expected"},
      {"2001:db8:::1",
       "\"2001:db8:::1\" is not an IPv6 address: ':::' (three colons)"},
      {"1::2::3", "\"1::2::3\" is not an IPv6 address: '::' more than once"},
      {"1:2:3:4:5:6:7:8:9",
       "\"1:2:3:4:5:6:7:8:9\" is not an IPv6 address: more than 8 groups"},
      {"1:2:3:4:5:6:7",
       "\"1:2:3:4:5:6:7\" is not an IPv6 address: 7 groups where 8 are "
       "needed (or '::')"},
      {"12345::",
       "\"12345::\" is not an IPv6 address: group \"12345\" has more than 4 "
       "hex digits"},
      {"fe80::1%eth0",
       "\"fe80::1%eth0\" is not an IPv6 address: a zone id ('%'), which is "
       "not allowed"},
      {"2001:db8::/129",
       "prefix length 129 out of range 0..128 in "
       "\"2001:db8::/129\""},
      {"2001:db8::/",
       "missing prefix length after '/' in \"2001:db8::/\"; "
       "expected a number 0..128"},
      {"2001:db8::10-2001:db8::2",
       "descending range in \"2001:db8::10-2001:db8::2\"; the first address "
       "must not exceed the second"},
      {"2001:db8::1-2-3", "more than one '-' in \"2001:db8::1-2-3\""},
      {"2001:db8::/32-2001:db8::5",
       "both '/' and '-' in \"2001:db8::/32-2001:db8::5\"; expected a CIDR or "
       "a range, not both"},
      {"2001:db8::1-2001:db8::x",
       "\"2001:db8::x\" is not an IPv6 address: \"x\" where a hex digit is "
       "expected, in \"2001:db8::1-2001:db8::x\""},
      {"2001:db8::2-5",
       "\"5\" is not an IPv6 address: 1 group where 8 are "
       "needed (or '::'), in \"2001:db8::2-5\""},
      {"::ffff:1.2.3.04",
       "\"::ffff:1.2.3.04\" is not an IPv6 address: bad embedded IPv4 address "
       "\"1.2.3.04\": octet \"04\" has a leading zero"},
  };
  for (const auto& c : cases) EXPECT_EQ(ErrorOf(c.text), c.message) << c.text;
}

void ExpectHost(std::string_view text, std::string_view name, bool partial) {
  const HostPattern h = Get<HostPattern>(text);
  EXPECT_EQ(h.name, name) << text;
  EXPECT_EQ(h.partial, partial) << text;
}

TEST(ParseEntryTest, Hostnames) {
  ExpectHost("mx1.example.com", "mx1.example.com", false);
  ExpectHost("mail.example.org.", "mail.example.org", false);
  ExpectHost(".Example.COM.", "example.com", true);
  ExpectHost(".co.uk", "co.uk", true);
  ExpectHost("spamdomain.com", "spamdomain.com", false);
  ExpectHost("a_b-c.example", "a_b-c.example", false);
  ExpectHost("localhost", "localhost", false);
  ExpectHost("123.example", "123.example", false);
  ExpectHost(".com", "com", true);
  ExpectHost("xn--refeio-7ta5a.online", "xn--refeio-7ta5a.online", false);
  // Lookalikes of keywords are plain hostnames.
  ExpectHost("nx.domain.example", "nx.domain.example", false);
  ExpectHost("accept", "accept", false);
}

TEST(ParseEntryTest, HostnameLengthLimits) {
  const std::string l63(63, 'a');
  const std::string l64(64, 'a');
  ExpectHost(l63 + ".com", l63 + ".com", false);
  EXPECT_EQ(ErrorOf(l64 + ".com"),
            "bad hostname \"" + l64 + ".com\": label \"" +
                std::string(40, 'a') +
                "...\" of 64 bytes, over the limit of 63");
  // 4 labels of 63 = 255 bytes with dots; trim to exactly 253.
  std::string n253 = l63 + "." + l63 + "." + l63 + "." + std::string(61, 'b');
  ASSERT_EQ(n253.size(), 253u);
  ExpectHost(n253, n253, false);
  ExpectHost(n253 + ".", n253, false);
  ExpectHost("." + n253, n253, true);
  const std::string n254 = n253 + "b";
  EXPECT_EQ(ErrorOf(n254), "bad hostname \"" + n254.substr(0, 120) +
                               "...\": name of 254 bytes, over the limit of "
                               "253");
}

TEST(ParseEntryTest, HostnameErrors) {
  const struct {
    const char* text;
    const char* message;
  } cases[] = {
      {"mail..example.org",
       "bad hostname \"mail..example.org\": empty label (a dot at the start "
       "or two dots in a row)"},
      {"..example.org",
       "bad hostname \"..example.org\": empty label (a dot at the start or "
       "two dots in a row)"},
      {"example.org..",
       "bad hostname \"example.org..\": empty label (a dot at the start or "
       "two dots in a row)"},
      {".", "bad hostname \".\": empty name"},
      {"exa mple.com",
       "bad hostname \"exa mple.com\": character \" \" not allowed (expected "
       "letters, digits, '-', '_' and dots)"},
      {"ex!ample.com",
       "bad hostname \"ex!ample.com\": character \"!\" not allowed (expected "
       "letters, digits, '-', '_' and dots)"},
      {"a/b.example",
       "bad hostname \"a/b.example\": character \"/\" not allowed (expected "
       "letters, digits, '-', '_' and dots)"},
      {"mail.example.org#x",
       "bad hostname \"mail.example.org#x\": character \"#\" not allowed "
       "(expected letters, digits, '-', '_' and dots)"},
      {"*.example.org",
       "wildcard \"*.example.org\" is not supported; write \".example.org\" "
       "to match every name below \"example.org\""},
      {"*example.org",
       "wildcard \"*example.org\" is not supported; write .example.com to "
       "match every name below example.com"},
      {"*",
       "wildcard \"*\" is not supported; write .example.com to match "
       "every name below example.com"},
      {"ALL",
       "ALL is not an entry; write ALL alone at column 0, followed by "
       "an indented policy line, as the last rule"},
      {"all",
       "ALL is not an entry; write ALL alone at column 0, followed by "
       "an indented policy line, as the last rule"},
      {"",
       "empty entry; expected an address, a hostname or a criterion such "
       "as sbrs[...]"},
      {"   ",
       "empty entry; expected an address, a hostname or a criterion "
       "such as sbrs[...]"},
  };
  for (const auto& c : cases) EXPECT_EQ(ErrorOf(c.text), c.message) << c.text;
}

// The A-label libidn2 itself gives for `name` (the test does not guess it).
std::string Idn2ALabel(const char* name) {
  char* out = nullptr;
  const int rc =
      idn2_lookup_u8(reinterpret_cast<const uint8_t*>(name),
                     reinterpret_cast<uint8_t**>(&out), IDN2_NONTRANSITIONAL);
  EXPECT_EQ(rc, IDN2_OK) << idn2_strerror(rc);
  std::string s = rc == IDN2_OK ? out : "";
  idn2_free(out);
  return s;
}

TEST(ParseEntryTest, IdnaToALabel) {
  const std::string want = Idn2ALabel("refeição.online");
  EXPECT_EQ(want.rfind("xn--refeio-", 0), 0u) << want;
  EXPECT_EQ(want, "xn--refeio-7ta5a.online");
  ExpectHost(".refeição.online", want, true);
  ExpectHost("refeição.online.", want, false);
  // Upper case and mixed case (UTS #46 mapping folds case first).
  ExpectHost(".REFEIÇÃO.Online", want, true);
  ExpectHost(".Refeição.ONLINE", want, true);
  // NFD input (c + combining cedilla, a + combining tilde) is normalized.
  ExpectHost(".refeic\u0327a\u0303o.online", want, true);
  ExpectHost("mail.refeição.online", "mail." + want, false);
  ExpectHost("Bücher.example", Idn2ALabel("bücher.example"), false);
  EXPECT_EQ(Idn2ALabel("bücher.example"), "xn--bcher-kva.example");
  // IDNA2008 (non-transitional): ß is its own letter, not "ss".
  ExpectHost("straße.de", Idn2ALabel("straße.de"), false);
  EXPECT_NE(Idn2ALabel("straße.de"), "strasse.de");
  // '_' in an ASCII label beside a Unicode one survives.
  ExpectHost("_dmarc.ação.com", "_dmarc." + Idn2ALabel("ação.com"), false);
}

TEST(ParseEntryTest, IdnaErrors) {
  EXPECT_EQ(ErrorOf("\xff.example"),
            "bad hostname \"\\xff.example\": invalid UTF-8");
  EXPECT_EQ(ErrorOf("caf\xc3.example"),
            "bad hostname \"caf\\xc3.example\": invalid UTF-8");
  // Overlong encoding of '/' and a UTF-16 surrogate.
  EXPECT_EQ(ErrorOf("a\xc0\xaf.example"),
            "bad hostname \"a\\xc0\\xaf.example\": invalid UTF-8");
  EXPECT_EQ(ErrorOf("a\xed\xa0\x80.example"),
            "bad hostname \"a\\xed\\xa0\\x80.example\": invalid UTF-8");
  // Valid UTF-8 without an A-label form.
  for (const char* bad : {"-abç.com", "ab--ç.com", "a\u2488b.com",
                          "☃\u0301.com", "ç.\u0661\u0031.com"}) {
    const std::string m = ErrorOf(bad);
    EXPECT_NE(m.find("no valid IDNA2008 A-label form"), std::string::npos)
        << bad << ": " << m;
  }
  // Empty labels are found after conversion too.
  EXPECT_NE(ErrorOf("ç..com").find("empty label"), std::string::npos);
  const std::string long_unicode(5000, 'a');
  EXPECT_NE(ErrorOf(long_unicode + "ç").find("over the limit of 253"),
            std::string::npos);
}

TEST(ParseEntryTest, NormalizeHostname) {
  std::string out;
  std::string why;
  EXPECT_TRUE(NormalizeHostname("Mail.Example.COM.", false, &out, &why));
  EXPECT_EQ(out, "mail.example.com");
  EXPECT_TRUE(NormalizeHostname("refeição.online", true, &out, &why));
  EXPECT_EQ(out, "xn--refeio-7ta5a.online");
  EXPECT_FALSE(NormalizeHostname("refeição.online", false, &out, &why));
  EXPECT_EQ(why, "non-ASCII characters");
  EXPECT_FALSE(NormalizeHostname("", false, &out, &why));
  EXPECT_EQ(why, "empty name");
  EXPECT_FALSE(NormalizeHostname(".", false, &out, &why));
  EXPECT_FALSE(NormalizeHostname(".example.com", false, &out, &why));
  EXPECT_FALSE(NormalizeHostname("example.com..", false, &out, &why));
  EXPECT_FALSE(NormalizeHostname(std::string_view("a\0b", 3), true, &out));
  EXPECT_FALSE(
      NormalizeHostname(std::string_view("\xc3\xa7\0b", 4), true, &out, &why));
  // `out` untouched on failure; `why` may be null.
  out = "keep";
  EXPECT_FALSE(NormalizeHostname("a b", true, &out, nullptr));
  EXPECT_EQ(out, "keep");
}

TEST(ParseEntryTest, Reputation) {
  SbrsRange r = Get<SbrsRange>("sbrs[-10.0:-3.0]");
  EXPECT_EQ(r.lo, -10.0);
  EXPECT_EQ(r.hi, -3.0);
  r = Get<SbrsRange>("SBRS[ -3 : 2.5 ]");
  EXPECT_EQ(r.lo, -3.0);
  EXPECT_EQ(r.hi, 2.5);
  r = Get<SbrsRange>("sbrs[10:10]");
  EXPECT_EQ(r.lo, 10.0);
  EXPECT_EQ(r.hi, 10.0);
  r = Get<SbrsRange>("sbrs[+0.5:7]");
  EXPECT_EQ(r.lo, 0.5);
  EXPECT_EQ(r.hi, 7.0);
  r = Get<SbrsRange>("sbrs[-.5:5.]");  // plain decimals, as in sbrs=
  EXPECT_EQ(r.lo, -0.5);
  EXPECT_EQ(r.hi, 5.0);
  r = Get<SbrsRange>("sbrs[-0.1:0.1]");
  EXPECT_EQ(r.lo, -0.1);
  EXPECT_EQ(r.hi, 0.1);
  Get<SbrsNone>("sbrs[none]");
  Get<SbrsNone>("SBRS[None]");
  Get<SbrsNone>("sbrs[ none ]");
  const struct {
    const char* text;
    const char* message;
  } cases[] = {
      {"sbrs[-3:12]", "score 12 out of range -10.0..10.0 in \"sbrs[-3:12]\""},
      {"sbrs[-11:0]", "score -11 out of range -10.0..10.0 in \"sbrs[-11:0]\""},
      {"sbrs[-10.01:0]",
       "score -10.01 out of range -10.0..10.0 in \"sbrs[-10.01:0]\""},
      {"sbrs[3:-3]",
       "descending score range in \"sbrs[3:-3]\"; the low "
       "score must come first"},
      {"sbrs[abc:1]",
       "score \"abc\" is not a decimal number in "
       "\"sbrs[abc:1]\"; expected sbrs[LOW:HIGH] with scores "
       "in -10.0..10.0"},
      {"sbrs[1e1:2]",
       "score \"1e1\" is not a decimal number in "
       "\"sbrs[1e1:2]\"; expected sbrs[LOW:HIGH] with scores "
       "in -10.0..10.0"},
      {"sbrs[.:2]",
       "score \".\" is not a decimal number in \"sbrs[.:2]\"; "
       "expected sbrs[LOW:HIGH] with scores in -10.0..10.0"},
      {"sbrs[-:2]",
       "score \"-\" is not a decimal number in \"sbrs[-:2]\"; "
       "expected sbrs[LOW:HIGH] with scores in -10.0..10.0"},
      {"sbrs[nan:2]",
       "score \"nan\" is not a decimal number in "
       "\"sbrs[nan:2]\"; expected sbrs[LOW:HIGH] with scores "
       "in -10.0..10.0"},
      {"sbrs[1.2.3:4]",
       "score \"1.2.3\" is not a decimal number in "
       "\"sbrs[1.2.3:4]\"; expected sbrs[LOW:HIGH] with "
       "scores in -10.0..10.0"},
      {"sbrs[:2]",
       "score \"\" is not a decimal number in \"sbrs[:2]\"; "
       "expected sbrs[LOW:HIGH] with scores in -10.0..10.0"},
      {"sbrs[1:2:3]",
       "score \"2:3\" is not a decimal number in "
       "\"sbrs[1:2:3]\"; expected sbrs[LOW:HIGH] with scores "
       "in -10.0..10.0"},
      {"sbrs[1]",
       "\"sbrs[1]\" has no ':'; expected sbrs[LOW:HIGH] with "
       "scores in -10.0..10.0, or sbrs[none]"},
      {"sbrs[]",
       "\"sbrs[]\" has no ':'; expected sbrs[LOW:HIGH] with scores "
       "in -10.0..10.0, or sbrs[none]"},
      {"sbrs[-3:2",
       "\"sbrs[-3:2\" does not end with ']'; expected "
       "sbrs[LOW:HIGH] or sbrs[none]"},
      {"sbrs[[1:2]]",
       "nested or extra brackets in \"sbrs[[1:2]]\"; expected "
       "sbrs[LOW:HIGH] or sbrs[none]"},
  };
  for (const auto& c : cases) EXPECT_EQ(ErrorOf(c.text), c.message) << c.text;
}

TEST(ParseEntryTest, OwnerAndDnsCriteria) {
  EXPECT_EQ(Get<OwnerId>("SBO:12345").id, 12345u);
  EXPECT_EQ(Get<OwnerId>("sbo:0").id, 0u);
  EXPECT_EQ(Get<OwnerId>("sbo:18446744073709551615").id, UINT64_MAX);
  EXPECT_EQ(ErrorOf("sbo:18446744073709551616"),
            "owner id out of range 0..18446744073709551615 in "
            "\"sbo:18446744073709551616\"");
  EXPECT_EQ(ErrorOf("sbo:"),
            "missing owner id in \"sbo:\"; expected SBO:N "
            "with N a decimal number");
  EXPECT_EQ(ErrorOf("SBO:12a"),
            "owner id \"12a\" is not a decimal number in "
            "\"SBO:12a\"; expected SBO:N");
  EXPECT_EQ(ErrorOf("sbo:-1"),
            "owner id \"-1\" is not a decimal number in "
            "\"sbo:-1\"; expected SBO:N");

  EXPECT_EQ(Get<DnsListZone>("dnslist[Zen.Spamhaus.ORG.]").zone,
            "zen.spamhaus.org");
  EXPECT_EQ(Get<DnsListZone>("DNSLIST[ bl.example ]").zone, "bl.example");
  EXPECT_EQ(Get<DnsListZone>("dnslist[bl.ação.com]").zone,
            "bl.xn--ao-siap.com");
  EXPECT_EQ(ErrorOf("dnslist[]"), "bad zone \"\" in \"dnslist[]\": empty name");
  EXPECT_EQ(ErrorOf("dnslist[.x]"),
            "bad zone \".x\" in \"dnslist[.x]\": "
            "empty label (a dot at the start or two "
            "dots in a row)");
  EXPECT_EQ(ErrorOf("dnslist[zen"),
            "\"dnslist[zen\" does not end with ']'; expected dnslist[ZONE]");

  EXPECT_EQ(Get<DnsStateIs>("nx.domain").state, DnsState::kNxDomain);
  EXPECT_EQ(Get<DnsStateIs>("NX.Domain").state, DnsState::kNxDomain);
  EXPECT_EQ(Get<DnsStateIs>("serv.fail").state, DnsState::kServFail);
  EXPECT_EQ(Get<DnsStateIs>("SERV.FAIL").state, DnsState::kServFail);
  EXPECT_EQ(Get<DnsStateIs>("not.double.verified").state, DnsState::kMismatch);
  EXPECT_EQ(Get<DnsStateIs>("Not.Double.Verified").state, DnsState::kMismatch);
}

// Messages quote hostile text safely and briefly.
TEST(ParseEntryTest, MessagesEscapeAndTruncate) {
  EXPECT_EQ(ErrorOf(std::string("a\x01\"\\b")),
            "bad hostname \"a\\x01\\\"\\\\b\": character \"\\x01\" not allowed "
            "(expected letters, digits, '-', '_' and dots)");
  const std::string m = ErrorOf(std::string(100000, '!'));
  EXPECT_LT(m.size(), 400u);
}

}  // namespace
}  // namespace hatmatch
