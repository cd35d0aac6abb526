// Copyright 2026 The hatmatch Authors.
//
// The pure pieces of `hatmatch serve`: line splitting, the Postfix policy
// request parser, the attribute -> Connection mapping, the action map and
// listen addresses.  No sockets.

#include <string>
#include <utility>
#include <vector>

#include "engine/serve/action_map.h"
#include "engine/serve/line_splitter.h"
#include "engine/serve/listen_address.h"
#include "engine/serve/log.h"
#include "engine/serve/policy_codec.h"
#include "engine/serve/policy_connection.h"
#include "gtest/gtest.h"

namespace hatmatch::serve {
namespace {

using Lines = std::vector<std::pair<std::string, bool>>;

Lines Split(LineSplitter& s, std::string_view bytes) {
  Lines out;
  s.Feed(bytes, [&](std::string_view line, bool too_long) {
    out.emplace_back(std::string(line), too_long);
  });
  return out;
}

TEST(LineSplitterTest, SplitsLinesAndDropsOneCarriageReturn) {
  LineSplitter s(100);
  EXPECT_EQ(Split(s, "a\nbb\r\n\nc"),
            (Lines{{"a", false}, {"bb", false}, {"", false}}));
  EXPECT_TRUE(s.mid_line());
  EXPECT_EQ(Split(s, "d\r\r\n"), (Lines{{"cd\r", false}}));
  EXPECT_FALSE(s.mid_line());
}

TEST(LineSplitterTest, ByteByByteEqualsAllAtOnce) {
  const std::string input = "one\r\ntwo\n\nthree-is-longer\nfour\n";
  LineSplitter whole(8), bytes(8);
  Lines expected = Split(whole, input);
  Lines got;
  for (char c : input) {
    Lines part = Split(bytes, std::string_view(&c, 1));
    got.insert(got.end(), part.begin(), part.end());
  }
  EXPECT_EQ(got, expected);
  EXPECT_EQ(expected[3], (std::pair<std::string, bool>{"", true}));
}

TEST(LineSplitterTest, TooLongLineIsReportedOnceAndNotKept) {
  LineSplitter s(4);
  EXPECT_EQ(Split(s, "1234\n12345"), (Lines{{"1234", false}}));
  EXPECT_EQ(Split(s, std::string(1 << 20, 'x')), Lines{});
  EXPECT_EQ(Split(s, "\nok\n"), (Lines{{"", true}, {"ok", false}}));
  // A line of exactly max_line bytes fits with a \r\n ending too.
  EXPECT_EQ(Split(s, "1234\r\n"), (Lines{{"1234", false}}));
}

std::vector<PolicyRequest> Parse(PolicyParser& p, std::string_view bytes) {
  std::vector<PolicyRequest> out;
  p.Feed(bytes, &out);
  return out;
}

constexpr char kPostfixRequest[] =
    "request=smtpd_access_policy\n"
    "protocol_state=RCPT\n"
    "protocol_name=ESMTP\n"
    "client_address=208.90.57.32\n"
    "client_name=mxnat1.res.cisco.com\n"
    "reverse_client_name=mxnat1.res.cisco.com\n"
    "helo_name=mxnat1.res.cisco.com\n"
    "sender=a@res.cisco.com\n"
    "recipient=user@gw.test.local\n"
    "encryption_protocol=TLSv1.3\n"
    "future_attribute=with=equals\n"
    "\n";

TEST(PolicyParserTest, KeepsWhatItUsesAndIgnoresUnknownAttributes) {
  PolicyParser p;
  std::vector<PolicyRequest> r = Parse(p, kPostfixRequest);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].error, "");
  EXPECT_EQ(r[0].request, "smtpd_access_policy");
  EXPECT_EQ(r[0].protocol_state, "RCPT");
  EXPECT_EQ(r[0].client_address, "208.90.57.32");
  EXPECT_EQ(r[0].client_name, "mxnat1.res.cisco.com");
  EXPECT_EQ(r[0].reverse_client_name, "mxnat1.res.cisco.com");
  EXPECT_EQ(r[0].encryption_protocol, "TLSv1.3");
  EXPECT_FALSE(p.mid_request());
}

TEST(PolicyParserTest, SeveralRequestsInAnyChunkingGiveTheSameRequests) {
  std::string three = std::string(kPostfixRequest) +
                      "client_address=10.0.0.1\n\n" + kPostfixRequest;
  PolicyParser whole;
  std::vector<PolicyRequest> expected = Parse(whole, three);
  ASSERT_EQ(expected.size(), 3u);
  EXPECT_EQ(expected[1].client_address, "10.0.0.1");
  EXPECT_FALSE(expected[1].client_name.has_value());
  for (size_t chunk : {1, 2, 7, 64}) {
    PolicyParser p;
    std::vector<PolicyRequest> got;
    for (size_t at = 0; at < three.size(); at += chunk) {
      p.Feed(std::string_view(three).substr(at, chunk), &got);
    }
    ASSERT_EQ(got.size(), 3u) << chunk;
    for (size_t i = 0; i < 3; ++i) {
      EXPECT_EQ(got[i].client_address, expected[i].client_address);
      EXPECT_EQ(got[i].encryption_protocol, expected[i].encryption_protocol);
    }
  }
}

TEST(PolicyParserTest, EveryEmptyLineEndsExactlyOneRequest) {
  PolicyParser p;
  std::vector<PolicyRequest> r = Parse(p, "\n\nclient_address=1.2.3.4\n\n");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].error, "empty request (no attributes)");
  EXPECT_EQ(r[1].error, "empty request (no attributes)");
  EXPECT_EQ(r[2].error, "");
}

TEST(PolicyParserTest, BrokenLimitsStillGiveOneAnswerAtTheEmptyLine) {
  PolicyParser p(PolicyLimits{.max_line = 64, .max_attributes = 3});
  std::vector<PolicyRequest> r =
      Parse(p, "client_address=1.2.3.4\nname=" + std::string(1000, 'x') +
                   "\nclient_name=late\n\n"
                   "a=1\nb=2\nc=3\nd=4\ne=5\n\n"
                   "garbage without equals\nclient_address=1.2.3.4\n\n"
                   "client_address=5.6.7.8\n\n");
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[0].error, "attribute line 2 longer than 64 bytes");
  EXPECT_EQ(r[1].error, "more than 3 attributes");
  EXPECT_EQ(r[2].error, "attribute line 1 has no '='");
  EXPECT_EQ(r[3].error, "");
  EXPECT_EQ(r[3].client_address, "5.6.7.8");
}

TEST(PolicyParserTest, MidRequestUntilTheEmptyLine) {
  PolicyParser p;
  EXPECT_FALSE(p.mid_request());
  EXPECT_TRUE(Parse(p, "client_address=1.2.3.4\n").empty());
  EXPECT_TRUE(p.mid_request());
  EXPECT_EQ(Parse(p, "\n").size(), 1u);
  EXPECT_FALSE(p.mid_request());
  Parse(p, "client_addr");
  EXPECT_TRUE(p.mid_request());
}

TEST(PolicyReplyTest, FormatsAndKeepsLineBreaksOut) {
  std::string out;
  AppendPolicyReply("DUNNO", &out);
  AppendPolicyReply("REJECT a\nb", &out);
  EXPECT_EQ(out, "action=DUNNO\n\naction=REJECT a b\n\n");
}

PolicyRequest Request(std::string address, std::optional<std::string> name,
                      std::optional<std::string> reverse) {
  PolicyRequest r;
  r.client_address = std::move(address);
  r.client_name = std::move(name);
  r.reverse_client_name = std::move(reverse);
  return r;
}

TEST(PolicyConnectionTest, NamesMapToDnsStates) {
  absl::StatusOr<Connection> c = ConnectionFromPolicy(
      Request("208.90.57.32", "mx.res.cisco.com", "mx.res.cisco.com"));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->dns, DnsState::kVerified);
  EXPECT_EQ(c->ptr, "mx.res.cisco.com");
  EXPECT_EQ(c->address, IpAddress::V4(0xD05A3920));

  c = ConnectionFromPolicy(Request("1.2.3.4", "unknown", "mx.example.com"));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->dns, DnsState::kMismatch);
  EXPECT_EQ(c->ptr, "mx.example.com");

  c = ConnectionFromPolicy(Request("1.2.3.4", "unknown", "unknown"));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->dns, DnsState::kNxDomain);

  c = ConnectionFromPolicy(Request("1.2.3.4", "unknown", std::nullopt));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->dns, DnsState::kNxDomain);

  c = ConnectionFromPolicy(Request("2001:db8::1", std::nullopt, std::nullopt));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->dns, DnsState::kUnknown);
  EXPECT_FALSE(c->address.is_v4());
}

TEST(PolicyConnectionTest, MissingOrMalformedAddressIsAnError) {
  PolicyRequest none;
  EXPECT_EQ(ConnectionFromPolicy(none).status().message(),
            "no client_address attribute");
  for (const char* bad :
       {"", "1.2.3", "999.1.1.1", "[::1]", "1.2.3.4 ", "\x01\xff"}) {
    absl::StatusOr<Connection> c =
        ConnectionFromPolicy(Request(bad, std::nullopt, std::nullopt));
    EXPECT_FALSE(c.ok()) << bad;
    EXPECT_EQ(c.status().message().substr(0, 24), "malformed client_address");
  }
}

ReplyInput Matched(std::string_view group, Action a, bool tls_required = false,
                   bool has_tls = false, std::string_view state = "RCPT") {
  ReplyInput in;
  in.matched = true;
  in.group = group;
  in.action = a;
  in.tls_required = tls_required;
  in.session_has_tls = has_tls;
  in.protocol_state = state;
  return in;
}

std::string Reply(const ActionMap& m, const ReplyInput& in) {
  return m.Text(m.Kind(in), in.group);
}

TEST(ActionMapTest, DefaultsAPostfixAdminExpects) {
  ActionMap m;
  EXPECT_EQ(Reply(m, Matched("ALLOWED", Action::kAccept)), "DUNNO");
  EXPECT_EQ(Reply(m, Matched("RELAYLIST", Action::kRelay)), "OK");
  EXPECT_EQ(Reply(m, Matched("BLOCKLIST", Action::kReject)),
            "REJECT 5.7.1 Access denied by sender group BLOCKLIST");
  EXPECT_EQ(Reply(m, Matched("BAD", Action::kTcpRefuse)),
            "421 4.7.0 Connection refused by sender group BAD");
  EXPECT_EQ(Reply(m, Matched("C", Action::kContinue)), "DUNNO");
  EXPECT_EQ(Reply(m, ReplyInput{}), "DUNNO");
  EXPECT_EQ(m.Kind(ReplyInput{}), ReplyKind::kNoMatch);
}

TEST(ActionMapTest, TlsRequiredRefusesPlainSessionsOnceStartTlsWasPossible) {
  ActionMap m;
  EXPECT_EQ(Reply(m, Matched("CRES_TLS", Action::kAccept, true, false)),
            "530 5.7.0 Must issue a STARTTLS command first");
  EXPECT_EQ(Reply(m, Matched("CRES_TLS", Action::kAccept, true, true)),
            "DUNNO");
  EXPECT_EQ(Reply(m, Matched("R", Action::kRelay, true, false, "MAIL")),
            "530 5.7.0 Must issue a STARTTLS command first");
  for (const char* early : {"CONNECT", "EHLO", "HELO", ""}) {
    EXPECT_EQ(
        Reply(m, Matched("CRES_TLS", Action::kAccept, true, false, early)),
        "DUNNO")
        << early;
  }
  // Refusing wins over asking for TLS.
  EXPECT_EQ(m.Kind(Matched("X", Action::kReject, true, false)),
            ReplyKind::kReject);
}

TEST(ActionMapTest, OverridesAndPrepend) {
  ActionMap m;
  ASSERT_TRUE(m.Override("REJECT=554 5.7.1 go away, {group} ({group})").ok());
  ASSERT_TRUE(m.Override("NOMATCH=REJECT no group").ok());
  EXPECT_EQ(Reply(m, Matched("B", Action::kReject)),
            "554 5.7.1 go away, B (B)");
  EXPECT_EQ(Reply(m, ReplyInput{}), "REJECT no group");
  m.set_prepend_header("X-HAT-Group");
  EXPECT_EQ(Reply(m, Matched("ALLOWED", Action::kAccept)),
            "PREPEND X-HAT-Group: ALLOWED");
  EXPECT_EQ(Reply(m, Matched("RELAYLIST", Action::kRelay)), "OK");
  EXPECT_FALSE(m.Override("ACCEPTED=OK").ok());
  EXPECT_FALSE(m.Override("REJECT").ok());
  EXPECT_FALSE(m.Override("REJECT=").ok());
  EXPECT_FALSE(m.Override("REJECT=a\nb").ok());
}

TEST(LogBudgetTest, PerSecondAndCountsWhatItRefused) {
  LogBudget b(3);
  uint64_t suppressed = 99;
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(b.Take(10, &suppressed));
    EXPECT_EQ(suppressed, 0u);
  }
  for (int i = 0; i < 5000; ++i) EXPECT_FALSE(b.Take(10, &suppressed));
  EXPECT_TRUE(b.Take(11, &suppressed));  // a new second: the count comes
  EXPECT_EQ(suppressed, 5000u);          // with the first line written
  EXPECT_TRUE(b.Take(11, &suppressed));
  EXPECT_EQ(suppressed, 0u);
}

TEST(ListenAddressTest, ParsesPostfixNotation) {
  absl::StatusOr<ListenAddress> a = ParseListenAddress("inet:127.0.0.1:9998");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 9998);
  a = ParseListenAddress("inet:[::1]:0");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->host, "::1");
  EXPECT_EQ(FormatListenAddress(*a), "inet:[::1]:0");
  a = ParseListenAddress("unix:/run/hatmatch/policy");
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(a->is_unix);
  EXPECT_EQ(a->path, "/run/hatmatch/policy");
  for (const char* bad :
       {"", "tcp:1.2.3.4:5", "inet:1.2.3.4", "inet:::1:5", "inet:1.2.3.4:65536",
        "inet:1.2.3.4:x", "unix:", "inet:localhost:25"}) {
    EXPECT_FALSE(ParseListenAddress(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace hatmatch::serve
