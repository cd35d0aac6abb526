// Copyright 2026 The hatmatch Authors.
// ParseRules / ParseRuleFile: the file layout of HAT-RULES.md section 1, the
// error reporting of section 4, limits, and robustness on arbitrary bytes.

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "gtest/gtest.h"
#include "hatmatch/address.h"
#include "hatmatch/parse.h"
#include "hatmatch/rules.h"
#include "tests/testing/seed.h"

namespace hatmatch {
namespace {

const char kConformance[] = HATMATCH_SOURCE_DIR "/tests/conformance/rules.hat";

RuleSet MustParse(std::string_view text) {
  absl::StatusOr<RuleSet> rs = ParseRules(text, "t.hat");
  EXPECT_TRUE(rs.ok()) << rs.status();
  return rs.ok() ? *std::move(rs) : RuleSet();
}

// The error lines ("t.hat:L:C: msg") of a text that must fail.
std::vector<std::string> Errors(std::string_view text,
                                const ParseOptions& options = {}) {
  std::vector<Diagnostic> diags;
  absl::StatusOr<RuleSet> rs = ParseRules(text, "t.hat", options, &diags);
  EXPECT_FALSE(rs.ok()) << "accepted:\n" << text;
  std::vector<std::string> out;
  for (const Diagnostic& d : diags) out.push_back(d.ToString());
  if (!rs.ok()) {
    EXPECT_EQ(rs.status().code(), absl::StatusCode::kInvalidArgument);
    std::string joined;
    for (const std::string& s : out) joined += (joined.empty() ? "" : "\n") + s;
    EXPECT_EQ(rs.status().message(), joined);
  }
  return out;
}

std::string OneError(std::string_view text) {
  std::vector<std::string> e = Errors(text);
  EXPECT_EQ(e.size(), 1u) << ::testing::PrintToString(e);
  return e.empty() ? "" : e[0];
}

// Checks that entries/rules cross-reference each other consistently.
void CheckInvariants(const RuleSet& rs) {
  uint32_t next = 0;
  for (uint32_t i = 0; i < rs.rules().size(); ++i) {
    const Rule& r = rs.rules()[i];
    ASSERT_EQ(r.first_entry, next) << r.name;
    for (uint32_t k = r.first_entry; k < r.first_entry + r.entry_count; ++k) {
      ASSERT_EQ(rs.entries()[k].rule, i);
    }
    next += r.entry_count;
    ASSERT_LT(r.policy, rs.policies().size());
  }
  ASSERT_EQ(next, rs.entries().size());
}

TEST(ParseFileTest, ConformanceRules) {
  std::vector<Diagnostic> errors;
  absl::StatusOr<RuleSet> parsed = ParseRuleFile(kConformance, {}, &errors);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_TRUE(errors.empty());
  const RuleSet& rs = *parsed;
  CheckInvariants(rs);
  EXPECT_EQ(rs.file(), kConformance);

  const std::vector<std::string> names = {"PASSTHROUGH",
                                          "PARTIALS",
                                          "CIDRS",
                                          "FULLRANGE",
                                          "V6",
                                          "HOSTS",
                                          "CRITERIA",
                                          "DNSSTATE",
                                          "OTHER",
                                          "lone.example.net",
                                          "80.1.1.1, .anon.example",
                                          "ALL"};
  ASSERT_EQ(rs.rules().size(), names.size());
  for (size_t i = 0; i < names.size(); ++i) {
    EXPECT_EQ(rs.rules()[i].name, names[i]);
  }
  EXPECT_EQ(rs.rules()[0].kind, RuleKind::kGroup);
  EXPECT_EQ(rs.rules()[9].kind, RuleKind::kAnonymous);
  EXPECT_EQ(rs.rules()[10].kind, RuleKind::kAnonymous);
  EXPECT_EQ(rs.rules()[11].kind, RuleKind::kAll);
  EXPECT_EQ(rs.rules()[11].entry_count, 0u);
  EXPECT_EQ(rs.entries().size(), 29u);

  // Policies: the four named ones in file order, then the inline REJECT.
  ASSERT_EQ(rs.policies().size(), 5u);
  EXPECT_EQ(rs.policies()[0].name, "ACCEPTED");
  EXPECT_EQ(rs.policies()[1].name, "BLOCKED");
  EXPECT_EQ(rs.policies()[2].name, "SKIP");
  EXPECT_EQ(rs.policies()[2].action, Action::kContinue);
  const Policy& tls = rs.policies()[3];
  EXPECT_EQ(tls.name, "TLS");
  EXPECT_EQ(tls.action, Action::kAccept);
  EXPECT_EQ(tls.loc.line, 8u);
  ASSERT_EQ(tls.params.size(), 2u);
  EXPECT_EQ(tls.params[0].key, "tls");
  EXPECT_EQ(tls.params[0].value, "required");
  EXPECT_TRUE(tls.params[0].quoted);
  EXPECT_EQ(tls.params[1].key, "max_msgs_per_session");
  EXPECT_EQ(tls.params[1].value, "100");
  EXPECT_FALSE(tls.params[1].quoted);
  EXPECT_EQ(rs.policies()[4].name, "");
  EXPECT_EQ(rs.policies()[4].action, Action::kReject);
  EXPECT_EQ(rs.policies()[4].loc.line, 63u);

  EXPECT_EQ(rs.action_of(0), Action::kContinue);
  EXPECT_EQ(rs.rules()[0].comment, "never decides");
  EXPECT_EQ(rs.rules()[2].policy, 3u);  // CIDRS: policy line after entries
  EXPECT_EQ(rs.rules()[2].comment, "policy line after entries");
  EXPECT_EQ(rs.rules()[9].policy, 4u);
  EXPECT_EQ(rs.rules()[9].comment, "anonymous, inline action");
  EXPECT_EQ(rs.rules()[10].policy, 3u);
  EXPECT_EQ(rs.rules()[11].policy, 0u);
  EXPECT_EQ(rs.rules()[4].loc.line, 38u);

  // A few entries, with their text and position.
  const Entry& e0 = rs.entries()[0];
  EXPECT_EQ(e0.text, "198.51.100.0/24");
  EXPECT_EQ(e0.loc.line, 16u);
  EXPECT_EQ(e0.loc.col, 5u);
  EXPECT_EQ(std::get<Ipv4Range>(e0.value).lo, *ParseIpv4("198.51.100.0"));
  const Entry& e1 = rs.entries()[1];
  EXPECT_EQ(e1.text, ".skip.example");
  EXPECT_EQ(e1.loc.col, 22u);
  EXPECT_EQ(std::get<HostPattern>(e1.value).name, "skip.example");
  EXPECT_TRUE(std::get<HostPattern>(e1.value).partial);
  const Ipv4Range r172 = std::get<Ipv4Range>(rs.entries()[3].value);
  EXPECT_EQ(FormatIpv4(r172.lo), "172.16.0.0");
  EXPECT_EQ(FormatIpv4(r172.hi), "172.31.255.255");
  const Ipv4Range full = std::get<Ipv4Range>(rs.entries()[12].value);
  EXPECT_EQ(FormatIpv4(full.lo), "70.0.0.250");
  EXPECT_EQ(FormatIpv4(full.hi), "70.0.1.5");
  const Ipv6Range v6 = std::get<Ipv6Range>(rs.entries()[14].value);
  EXPECT_EQ(FormatIpv6(v6.lo), "2001:db9::2");
  EXPECT_EQ(FormatIpv6(v6.hi), "2001:db9::10");
  EXPECT_EQ(std::get<HostPattern>(rs.entries()[16].value).name, "example.com");
  EXPECT_EQ(rs.entries()[16].text, ".Example.COM.");
  EXPECT_EQ(std::get<SbrsRange>(rs.entries()[19].value).lo, -10.0);
  EXPECT_TRUE(std::holds_alternative<SbrsNone>(rs.entries()[20].value));
  EXPECT_EQ(std::get<OwnerId>(rs.entries()[23].value).id, 777u);
  EXPECT_EQ(std::get<DnsListZone>(rs.entries()[24].value).zone,
            "zen.spamhaus.org");
  EXPECT_EQ(std::get<DnsStateIs>(rs.entries()[25].value).state,
            DnsState::kServFail);
  EXPECT_EQ(std::get<HostPattern>(rs.entries()[26].value).name,
            "lone.example.net");
  EXPECT_FALSE(std::get<HostPattern>(rs.entries()[26].value).partial);
  EXPECT_EQ(rs.entries()[27].loc.col, 1u);
  EXPECT_EQ(rs.entries()[28].loc.col, 11u);

  // Host bits: 50.1.2.3/30 and 60.1.2.77/24.
  ASSERT_EQ(rs.warnings().size(), 2u);
  EXPECT_EQ(rs.warnings()[1].ToString(),
            std::string(kConformance) +
                ":31:5: host bits set in \"60.1.2.77/24\"; read as "
                "60.1.2.0/24");
  const Ipv4Range masked = std::get<Ipv4Range>(rs.entries()[11].value);
  EXPECT_EQ(FormatIpv4(masked.lo), "60.1.2.0");
  EXPECT_EQ(FormatIpv4(masked.hi), "60.1.2.255");
}

TEST(ParseFileTest, ExampleOfTheContract) {
  const RuleSet rs = MustParse(R"(# File exported by the GUI at 20261127T101500
$TLS_REQUIRED
    ACCEPT {
        tls = "required"
        max_msgs_per_session = 1000
    }
$BLOCKED
    REJECT
$ACCEPTED
    ACCEPT

CRES_TLS:
    $TLS_REQUIRED (Cisco RES replies must arrive over TLS)
    .res.cisco.com
    .cres.iphmx.com
    208.90.57.0/26
    204.15.81.0/26
BLOCKLIST:
    $BLOCKED (known bad)
    sbrs[-10.0:-3.0], nx.domain
spamdomain.com
    REJECT (reject the host "spamdomain.com")
251.192.1.
    TCPREFUSE (refuse 251.192.1.0/24 at TCP level)
ALL
    $ACCEPTED
)");
  CheckInvariants(rs);
  ASSERT_EQ(rs.rules().size(), 5u);
  EXPECT_EQ(rs.rules()[0].comment, "Cisco RES replies must arrive over TLS");
  EXPECT_EQ(rs.rules()[0].entry_count, 4u);
  EXPECT_EQ(rs.rules()[2].comment, "reject the host \"spamdomain.com\"");
  EXPECT_EQ(rs.action_of(3), Action::kTcpRefuse);
  EXPECT_EQ(rs.rules()[3].name, "251.192.1.");
  EXPECT_EQ(rs.action_of(4), Action::kAccept);
  EXPECT_EQ(rs.policies().size(), 5u);
}

TEST(ParseFileTest, Ipv6AtColumn0IsAnEntryNotAHeader) {
  const RuleSet rs = MustParse(
      "fe80::\n  REJECT\n2001:db8::\n  ACCEPT\n2001:db8::/32, ::1\n  ACCEPT\n"
      "fe80:\n  ACCEPT\n  10.0.0.1\nabc.def-1_2:\n  RELAY\n");
  CheckInvariants(rs);
  ASSERT_EQ(rs.rules().size(), 5u);
  EXPECT_EQ(rs.rules()[0].kind, RuleKind::kAnonymous);
  EXPECT_EQ(rs.rules()[0].name, "fe80::");
  EXPECT_EQ(std::get<Ipv6Range>(rs.entries()[0].value).lo,
            *ParseIpv6("fe80::"));
  EXPECT_EQ(rs.rules()[1].kind, RuleKind::kAnonymous);
  EXPECT_EQ(rs.rules()[1].name, "2001:db8::");
  EXPECT_EQ(rs.rules()[2].entry_count, 2u);
  // One ':' after a name: a group header.
  EXPECT_EQ(rs.rules()[3].kind, RuleKind::kGroup);
  EXPECT_EQ(rs.rules()[3].name, "fe80");
  EXPECT_EQ(rs.rules()[4].kind, RuleKind::kGroup);
  EXPECT_EQ(rs.rules()[4].name, "abc.def-1_2");
  EXPECT_EQ(rs.action_of(4), Action::kRelay);
}

TEST(ParseFileTest, LayoutVariants) {
  const RuleSet rs = MustParse(
      "# comment\n"
      "   # indented comment\n"
      "\t\n"
      "G1:\n"  // policy defined later (forward reference)
      "\t10.0.0.1 ,\t10.0.0.2,10.0.0.3\n"
      "  $later\n"  // case-insensitive reference
      "EMPTY:\n"    // a group with no entries
      "    CONTINUE\n"
      "G2:\n"
      "    accept {\n"  // inline action with a block
      "        # comment inside the block\n"
      "\n"
      "        Max_Msgs = -5\n"
      "        banner = \"say \\\"hi\\\" \\\\ ok\"\n"
      "    }\n"
      "    .example.com\n"
      "G3:\n"
      "    TcpRefuse (c) {\n"
      "    }\n"
      "G4:\n"
      "    Relay {}\n"
      "$LATER\n"
      "  reject (comment on a definition)\n");
  CheckInvariants(rs);
  ASSERT_EQ(rs.rules().size(), 5u);
  EXPECT_EQ(rs.rules()[0].entry_count, 3u);
  EXPECT_EQ(rs.entries()[1].loc.col, 13u);
  EXPECT_EQ(rs.entries()[2].loc.col, 22u);
  EXPECT_EQ(rs.entries()[2].text, "10.0.0.3");
  EXPECT_EQ(rs.action_of(0), Action::kReject);
  EXPECT_EQ(rs.policy_of(rs.rules()[0]).name, "LATER");
  EXPECT_EQ(rs.rules()[1].entry_count, 0u);
  EXPECT_EQ(rs.action_of(1), Action::kContinue);
  const Policy& p2 = rs.policy_of(rs.rules()[2]);
  EXPECT_EQ(p2.name, "");
  ASSERT_EQ(p2.params.size(), 2u);
  EXPECT_EQ(p2.params[0].key, "max_msgs");
  EXPECT_EQ(p2.params[0].value, "-5");
  EXPECT_EQ(p2.params[1].value, "say \"hi\" \\ ok");
  EXPECT_TRUE(p2.params[1].quoted);
  EXPECT_EQ(rs.rules()[2].entry_count, 1u);
  EXPECT_EQ(rs.action_of(3), Action::kTcpRefuse);
  EXPECT_EQ(rs.rules()[3].comment, "c");
  EXPECT_EQ(rs.action_of(4), Action::kRelay);
  EXPECT_TRUE(rs.policy_of(rs.rules()[4]).params.empty());
  // Named first, then one inline policy per inline action.
  ASSERT_EQ(rs.policies().size(), 5u);
  EXPECT_EQ(rs.policies()[0].name, "LATER");
}

TEST(ParseFileTest, AllWithInlineBlock) {
  const RuleSet rs = MustParse(
      "G:\n  REJECT\nALL\n  ACCEPT {\n    tls = \"off\"\n  }\n# end\n");
  ASSERT_EQ(rs.rules().size(), 2u);
  EXPECT_EQ(rs.rules()[1].kind, RuleKind::kAll);
  EXPECT_EQ(rs.policy_of(rs.rules()[1]).params.size(), 1u);
  EXPECT_EQ(OneError("ALL\n  ACCEPT {\n  }\n  10.0.0.1\n"),
            "t.hat:4:3: nothing may follow the ALL rule; ALL and its policy "
            "line must come last");
  const RuleSet lower = MustParse("all\n  accept\n");
  EXPECT_EQ(lower.rules()[0].name, "ALL");
}

TEST(ParseFileTest, TlsValues) {
  for (const char* v : {"off", "preferred", "required", "preferred-verify",
                        "required-verify", "REQUIRED"}) {
    const RuleSet rs = MustParse(std::string("$P\n  ACCEPT {\n    tls = \"") +
                                 v + "\"\n  }\nG:\n  $P\n");
    ASSERT_EQ(rs.policies().size(), 1u);
    EXPECT_EQ(rs.policies()[0].params[0].value, v);
  }
}

TEST(ParseFileTest, CrlfAndBom) {
  const std::string lf =
      "$A\n    ACCEPT {\n      tls = \"off\"\n    }\nG:\n    $A\n"
      "    10.0.0.1, .x.example\nALL\n    $A\n";
  std::string crlf;
  for (char c : lf) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  const RuleSet a = MustParse(lf);
  const RuleSet b = MustParse("\xEF\xBB\xBF" + crlf);
  ASSERT_EQ(a.rules().size(), b.rules().size());
  ASSERT_EQ(a.entries().size(), b.entries().size());
  for (size_t i = 0; i < a.entries().size(); ++i) {
    EXPECT_EQ(a.entries()[i].text, b.entries()[i].text);
    EXPECT_EQ(a.entries()[i].loc.col, b.entries()[i].loc.col);
  }
  EXPECT_EQ(b.policies()[0].params[0].value, "off");
  EXPECT_EQ(b.rules()[0].name, "G");
  // Columns on the first line start after the BOM.
  EXPECT_EQ(OneError("\xEF\xBB\xBF"
                     "1.2.3.256\r\n  ACCEPT\r\n"),
            "t.hat:1:1: octet 256 out of range 0..255 in \"1.2.3.256\"");
  // A BOM elsewhere is not special.
  EXPECT_FALSE(ParseRules("G:\n  ACCEPT\n\xEF\xBB\xBF"
                          "H:\n  ACCEPT\n",
                          "t.hat")
                   .ok());
}

// Each malformed entry form, placed after another entry on an indented line:
// the file error is "t.hat:3:12: " + ParseEntry's message.
TEST(ParseFileTest, EntryErrorsCarryLineAndColumn) {
  for (const char* bad :
       {"10.1.256.0/24",     "192.0.02.1",        "192.0.2.9-3",
        "10.0.0.5-10.0.0.1", "192.0.2.0/40",      "1..2",
        "1.2.3.4.5",         "2001:db8:::1",      "2001:db8::g",
        "1::2::3",           "1:2:3:4:5:6:7:8:9", "2001:db8::/129",
        "mail..example.org", "*.example.org",     "ALL",
        "sbrs[-3:12]",       "sbrs[3:-3]",        "sbo:x",
        "dnslist[]",         "exa!mple.com",      "\xff.example",
        "-ab\xc3\xa7.com"}) {
    absl::StatusOr<EntryValue> v = ParseEntry(bad);
    ASSERT_FALSE(v.ok()) << bad;
    const std::string text =
        std::string("$A\n  ACCEPT\nG:\n\t10.0.0.1, ") + bad + "\n  $A\n";
    EXPECT_EQ(OneError(text),
              "t.hat:4:12: " + std::string(v.status().message()))
        << bad;
  }
  // The contract's own example.
  EXPECT_EQ(OneError("G:\n    ACCEPT\n    10.0.0.0/8, 10.1.256.0/24\n"),
            "t.hat:3:17: octet 256 out of range 0..255 in \"10.1.256.0/24\"");
  // Column-0 entries of an anonymous rule.
  EXPECT_EQ(OneError("1.2.3.4, 1.2.3.04\n    REJECT\n"),
            "t.hat:1:10: octet \"04\" has a leading zero in \"1.2.3.04\"; "
            "octets are decimal 0..255 without leading zeros (never octal)");
  EXPECT_EQ(OneError("G:\n  ACCEPT\n  1.2.3.4,\n"),
            "t.hat:3:11: empty entry (a comma with nothing before or after "
            "it); expected an address, a hostname or a criterion");
  EXPECT_EQ(OneError("G:\n  ACCEPT\n  1.2.3.4,, 5.6.7.8\n"),
            "t.hat:3:11: empty entry (a comma with nothing before or after "
            "it); expected an address, a hostname or a criterion");
  // Commas inside brackets do not split.
  EXPECT_EQ(OneError("G:\n  ACCEPT\n  sbrs[-10,-3], 1.2.3.4\n"),
            "t.hat:3:3: \"sbrs[-10,-3]\" has no ':'; expected sbrs[LOW:HIGH] "
            "with scores in -10.0..10.0, or sbrs[none]");
}

TEST(ParseFileTest, StructureErrors) {
  const struct {
    const char* text;
    const char* error;
  } cases[] = {
      {"$A\n  ACCEPT\n$a\n  REJECT\nG:\n  $A\n",
       "t.hat:3:1: duplicate policy name $a; $A was defined at line 1 (names "
       "are compared case-insensitively)"},
      {"G:\n  ACCEPT\ng:\n  ACCEPT\n",
       "t.hat:3:1: duplicate group name \"g\"; a group of that name was "
       "defined at line 1 (names are compared case-insensitively)"},
      {"G:\n  $NOPE (x)\n",
       "t.hat:2:3: undefined policy $NOPE; expected a policy defined with "
       "$NOPE at column 0 and an indented action line"},
      {"G:\n  10.0.0.1\n",
       "t.hat:1:1: group \"G\" has no policy line; expected an indented "
       "$POLICY or action (ACCEPT, REJECT, TCPREFUSE, RELAY or CONTINUE) "
       "line"},
      {"G:\n",
       "t.hat:1:1: group \"G\" has no policy line; expected an "
       "indented $POLICY or action (ACCEPT, REJECT, TCPREFUSE, RELAY "
       "or CONTINUE) line"},
      {"10.0.0.1\nG:\n  ACCEPT\n",
       "t.hat:1:1: rule \"10.0.0.1\" has no policy line; expected an indented "
       "$POLICY or action (ACCEPT, REJECT, TCPREFUSE, RELAY or CONTINUE) "
       "line"},
      {"ALL\n",
       "t.hat:1:1: rule \"ALL\" has no policy line; expected an "
       "indented $POLICY or action (ACCEPT, REJECT, TCPREFUSE, RELAY "
       "or CONTINUE) line"},
      {"G:\n  ACCEPT\n  10.0.0.1\n  REJECT\n",
       "t.hat:4:3: second policy line \"REJECT\" for \"G\"; its policy line is "
       "at line 2, and a rule has exactly one"},
      {"$A\nG:\n  $A\n",
       "t.hat:1:1: policy $A has no action line; expected an indented ACCEPT, "
       "REJECT, TCPREFUSE, RELAY or CONTINUE under it"},
      {"G:\n  $A\n$A\n",
       "t.hat:3:1: policy $A has no action line; expected an indented ACCEPT, "
       "REJECT, TCPREFUSE, RELAY or CONTINUE under it"},
      {"$A\n  ACCEPT\n  REJECT\nG:\n  $A\n",
       "t.hat:3:3: \"REJECT\" after the action line of $A (line 2); a policy "
       "definition has one action line and an optional { } block"},
      {"$A\n  ACCEPTT\nG:\n  $A\n",
       "t.hat:2:3: unknown action \"ACCEPTT\"; expected ACCEPT, REJECT, "
       "TCPREFUSE, RELAY or CONTINUE"},
      {"$A\n  ACCEPTT {\n    tls = \"off\"\n  }\nG:\n  $A\n",
       "t.hat:2:3: unknown action \"ACCEPTT\"; expected ACCEPT, REJECT, "
       "TCPREFUSE, RELAY or CONTINUE"},
      {"G:\n  ACCEPT junk {\n    tls = \"off\"\n  }\n  10.0.0.1\n",
       "t.hat:2:3: unexpected \"junk\" after \"ACCEPT\"; expected '{' to open "
       "parameters, (free comment) or the end of the line"},
      {"$A\n  $B\nG:\n  $A\n",
       "t.hat:2:3: \"$B\" where an action is expected; a policy definition "
       "needs ACCEPT, REJECT, TCPREFUSE, RELAY or CONTINUE"},
      {"$A B\n  ACCEPT\n",
       "t.hat:1:1: bad policy name \"$A B\"; expected $NAME alone on the line, "
       "NAME made of letters, digits, '_', '.' and '-'"},
      {"$\n  ACCEPT\n",
       "t.hat:1:1: bad policy name \"$\"; expected $NAME alone on the line, "
       "NAME made of letters, digits, '_', '.' and '-'"},
      {"G:\n  $\n",
       "t.hat:2:3: bad policy reference \"$\"; expected $NAME, "
       "NAME made of letters, digits, '_', '.' and '-'"},
      {"$A\n  ACCEPT\nG:\n  $A {\n    tls = \"off\"\n  }\n",
       "t.hat:4:3: a policy reference $A cannot take a { } block; put "
       "parameters in the definition of $A"},
      {"$A\n  ACCEPT\nG:\n  $A extra\n",
       "t.hat:4:3: unexpected \"extra\" after \"$A\"; expected (free comment) "
       "or the end of the line"},
      {"G:\n  ACCEPT now\n",
       "t.hat:2:3: unexpected \"now\" after \"ACCEPT\"; expected '{' to open "
       "parameters, (free comment) or the end of the line"},
      {"G:\n  ACCEPT (unclosed\n",
       "t.hat:2:3: unexpected \"(unclosed\" after \"ACCEPT\"; expected '{' to "
       "open parameters, (free comment) or the end of the line"},
      {"  10.0.0.1\nG:\n  ACCEPT\n",
       "t.hat:1:3: indented line \"10.0.0.1\" outside any policy definition, "
       "group or rule; expected a column-0 $NAME, NAME:, ALL or entry line "
       "first"},
      {"ACCEPT\n  10.0.0.1\n",
       "t.hat:1:1: action \"ACCEPT\" at column 0; a policy line must be "
       "indented under its $NAME, group or rule"},
      {"}\n", "t.hat:1:1: '}' without an open policy block"},
      {"10.0.0.1\n  ACCEPT\n  10.0.0.2\n",
       "t.hat:3:3: indented entries \"10.0.0.2\" under the rule \"10.0.0.1\"; "
       "a rule started by a column-0 entry line takes only one indented "
       "policy line (use a NAME: group for entries on several lines)"},
      {"ALL\n  10.0.0.2\n  ACCEPT\n",
       "t.hat:2:3: \"10.0.0.2\" under ALL; ALL takes no entries, only one "
       "indented policy line"},
      {"ALL\n  ACCEPT\n  10.0.0.2\n",
       "t.hat:3:3: nothing may follow the ALL rule; ALL and its policy line "
       "must come last"},
      {"ALL\n  ACCEPT\n\n# comment\nG:\n  ACCEPT\nH:\n  REJECT\n",
       "t.hat:5:1: nothing may follow the ALL rule; ALL and its policy line "
       "must come last"},
      {"$A\n  ACCEPT {\n    tls = \"required\"\n",
       "t.hat:2:3: the policy block opened here is never closed; expected a "
       "line with '}' before the end of the file"},
      {"G:\n  ACCEPT {\n  10.0.0.1\n  }\n",
       "t.hat:3:3: \"10.0.0.1\" in a policy block; expected key = value, or "
       "'}' to close the block opened at line 2"},
      {"G:\n  ACCEPT {\n  x = on\n  }\n",
       "t.hat:3:3: value \"on\" of x is neither an integer nor a double-quoted "
       "string"},
      {"G:\n  ACCEPT {\n  x = 1 2\n  }\n",
       "t.hat:3:3: value \"1 2\" of x is neither an integer nor a "
       "double-quoted string"},
      {"G:\n  ACCEPT {\n  x =\n  }\n",
       "t.hat:3:3: value \"\" of x is neither an integer nor a double-quoted "
       "string"},
      {"G:\n  ACCEPT {\n  x = \"abc\n  }\n",
       "t.hat:3:3: unterminated string in \"x = \\\"abc\"; expected a closing "
       "'\"'"},
      {"G:\n  ACCEPT {\n  x = \"a\" b\n  }\n",
       "t.hat:3:3: unexpected \"b\" after the value of x; expected the end of "
       "the line"},
      {"G:\n  ACCEPT {\n  x = 1\n  X = 2\n  }\n",
       "t.hat:4:3: parameter x given twice in one block (first at line 3)"},
      {"G:\n  ACCEPT {\n  tls = \"sometimes\"\n  }\n",
       "t.hat:3:3: tls value \"sometimes\" is not one of off, preferred, "
       "required, preferred-verify, required-verify"},
      {"G:\n  ACCEPT {\n  tls = 1\n  }\n",
       "t.hat:3:3: tls value \"1\" is not one of off, preferred, required, "
       "preferred-verify, required-verify"},
      {"Gr\xc3\xbcppe:\n  ACCEPT\n  1.2.3.4\n",
       "t.hat:1:1: bad group header \"Gr\xc3\xbcppe:\"; expected NAME: with "
       "NAME made of letters, digits, '_', '.' and '-', and nothing else on "
       "the line"},
      {"G :\n  ACCEPT\n",
       "t.hat:1:1: bad group header \"G :\"; expected NAME: with NAME made of "
       "letters, digits, '_', '.' and '-', and nothing else on the line"},
      {"2001:db8::1:\n  ACCEPT\n",
       "t.hat:1:1: \"2001:db8::1:\" is not an IPv6 address: a single ':' at "
       "the end"},
      {"G:\n  ACCEPT\n  }\n", "t.hat:3:3: '}' without an open policy block"},
      {"G:\n  ACCEPT {\n  } x\n",
       "t.hat:3:3: unexpected \"x\" after '}'; expected '}' alone on its "
       "line"},
  };
  for (const auto& c : cases) EXPECT_EQ(OneError(c.text), c.error) << c.text;
}

TEST(ParseFileTest, UnclosedBlockThenNextConstructStillParses) {
  // The column-0 line after an unclosed block is read normally: only the
  // block is reported, at its `{` line.
  EXPECT_EQ(OneError("$A\n  ACCEPT {\n    tls = \"off\"\nG:\n  $A\n  "
                     "10.0.0.1\n"),
            "t.hat:2:3: the policy block opened here is never closed; "
            "expected a line with '}' before the next column-0 line");
}

TEST(ParseFileTest, AllErrorsOfAFileAreReportedInOrder) {
  const std::vector<std::string> e = Errors(
      "$A\n"                     // 1
      "  ACCEPT\n"               // 2
      "G:\n"                     // 3
      "  $A\n"                   // 4
      "  10.0.0.300, 1.2.3.4\n"  // 5
      "  .a..b\n"                // 6
      "H:\n"                     // 7
      "  $NOSUCH\n"              // 8
      "  sbrs[1:0], 2001::g\n"   // 9
      "I:\n"                     // 10
      "  1.2.3.4\n"              // 11
      "ALL\n"                    // 12
      "  $A\n");                 // 13
  ASSERT_EQ(e.size(), 6u) << ::testing::PrintToString(e);
  EXPECT_EQ(e[0].rfind("t.hat:5:3: octet 300", 0), 0u);
  EXPECT_EQ(e[1].rfind("t.hat:6:3: bad hostname \".a..b\"", 0), 0u);
  EXPECT_EQ(e[2].rfind("t.hat:8:3: undefined policy $NOSUCH", 0), 0u);
  EXPECT_EQ(e[3].rfind("t.hat:9:3: descending score range", 0), 0u);
  EXPECT_EQ(e[4].rfind("t.hat:9:14: \"2001::g\" is not an IPv6", 0), 0u);
  EXPECT_EQ(e[5].rfind("t.hat:10:1: group \"I\" has no policy line", 0), 0u);
}

TEST(ParseFileTest, ErrorsBeforeAndAfterAllAreAllReported) {
  const std::vector<std::string> e =
      Errors("G:\n  $NOSUCH\nALL\nH:\n  ACCEPT\n");
  ASSERT_EQ(e.size(), 3u) << ::testing::PrintToString(e);
  EXPECT_EQ(e[0].rfind("t.hat:2:3: undefined policy $NOSUCH", 0), 0u);
  EXPECT_EQ(e[1].rfind("t.hat:3:1: rule \"ALL\" has no policy line", 0), 0u);
  EXPECT_EQ(e[2].rfind("t.hat:4:1: nothing may follow the ALL rule", 0), 0u);
}

TEST(ParseFileTest, MaxErrors) {
  std::string text = "G:\n  ACCEPT\n";
  for (int i = 0; i < 10; ++i) text += "  1.2.3.256\n";
  ParseOptions o;
  o.max_errors = 3;
  const std::vector<std::string> e = Errors(text, o);
  ASSERT_EQ(e.size(), 4u);
  EXPECT_EQ(e[2].rfind("t.hat:5:3: octet 256", 0), 0u);
  EXPECT_EQ(e[3], "t.hat:6:3: too many errors; stopped after 3");
  EXPECT_EQ(Errors(text).size(), 10u);
}

TEST(ParseFileTest, Limits) {
  ParseOptions o;
  o.max_file_bytes = 10;
  EXPECT_EQ(Errors("G:\n  ACCEPT\n", o),
            std::vector<std::string>{
                "t.hat:1:1: file is larger than the limit of 10 bytes"});
  EXPECT_TRUE(ParseRules("G:\n ACCEPT", "t.hat", o).ok());  // 10 bytes

  o = ParseOptions();
  o.max_line_bytes = 8;
  EXPECT_EQ(Errors("G:\n  ACCEPT\n  1.2.3.4\n", o),
            std::vector<std::string>{
                "t.hat:3:1: line of 9 bytes is over the limit of 8 bytes"});
  EXPECT_TRUE(ParseRules("G:\n  ACCEPT\n 1.2.3.4\r\n", "t.hat", o).ok());

  o = ParseOptions();
  o.max_entries = 3;
  EXPECT_TRUE(ParseRules("G:\n  ACCEPT\n  1, 2\n  3\n", "t.hat", o).ok());
  EXPECT_EQ(
      Errors("G:\n  ACCEPT\n  1, 2\n  3, 4, 5\n", o),
      std::vector<std::string>{"t.hat:4:6: more than 3 entries, the limit"});
  // What would come after the limit (here $P's definition) is not judged.
  EXPECT_EQ(
      Errors("G:\n  1, 2, 3, 4\n  $P\n", o),
      std::vector<std::string>{"t.hat:2:12: more than 3 entries, the limit"});
}

TEST(ParseFileTest, EmptyAndCommentOnlyFiles) {
  for (const char* text : {"", "\n", "# only a comment\n", "\r\n\t \r\n",
                           "\xEF\xBB\xBF", "# x\n   # y"}) {
    const RuleSet rs = MustParse(text);
    EXPECT_TRUE(rs.rules().empty());
    EXPECT_TRUE(rs.policies().empty());
  }
}

TEST(ParseFileTest, NoTrailingNewline) {
  const RuleSet rs = MustParse("G:\n  ACCEPT\n  1.2.3.4");
  ASSERT_EQ(rs.entries().size(), 1u);
  EXPECT_EQ(rs.entries()[0].text, "1.2.3.4");
}

TEST(ParseFileTest, ParseRuleFileErrors) {
  absl::StatusOr<RuleSet> rs =
      ParseRuleFile(HATMATCH_SOURCE_DIR "/tests/conformance/no-such.hat");
  EXPECT_EQ(rs.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(rs.status().message().find("no-such.hat"), std::string::npos);
  rs = ParseRuleFile(HATMATCH_SOURCE_DIR "/tests/conformance");
  EXPECT_FALSE(rs.ok());
  EXPECT_NE(rs.status().message().find("Is a directory"), std::string::npos);

  // max_file_bytes is enforced on the file as read.
  ParseOptions o;
  o.max_file_bytes = 100;
  std::vector<Diagnostic> d;
  rs = ParseRuleFile(kConformance, o, &d);
  ASSERT_FALSE(rs.ok());
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].message, "file is larger than the limit of 100 bytes");
}

// Arbitrary bytes and mutations of a real file: never a crash, and whatever
// parses satisfies the RuleSet invariants.
TEST(ParseFileTest, RandomInputsNeverCrash) {
  const uint32_t seed = static_cast<uint32_t>(testing::TestSeed());
  std::mt19937 rng(seed);
  SCOPED_TRACE(::testing::Message() << "seed " << seed);
  std::ifstream in(kConformance);
  const std::string base((std::istreambuf_iterator<char>(in)),
                         std::istreambuf_iterator<char>());
  ASSERT_FALSE(base.empty());
  const std::vector<std::string> tokens = {
      "\n",       "\r\n", "  ",     "\t",       "$",   "A",        ":",
      "::",       "{",    "}",      "(",        ")",   ",",        "[",
      "]",        "ALL",  "ACCEPT", "REJECT",   "#",   ".",        "-",
      "/",        "1",    "255",    "300",      "0",   "ff",       "sbrs[",
      "dnslist[", "sbo:", "=",      "\"",       "tls", "\xc3\xa7", "\xff",
      "*",        "x",    "none",   "nx.domain"};
  int ok = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string text;
    if (i % 2 == 0) {
      const int n = static_cast<int>(rng() % 80);
      for (int k = 0; k < n; ++k) text += tokens[rng() % tokens.size()];
    } else {
      text = base;
      const int edits = 1 + static_cast<int>(rng() % 4);
      for (int k = 0; k < edits; ++k) {
        const size_t pos = rng() % (text.size() + 1);
        switch (rng() % 3) {
          case 0:
            text.insert(pos, tokens[rng() % tokens.size()]);
            break;
          case 1:
            if (pos < text.size()) text.erase(pos, 1 + rng() % 8);
            break;
          default:
            if (pos < text.size()) text[pos] = static_cast<char>(rng());
            break;
        }
      }
    }
    std::vector<Diagnostic> errors;
    ParseOptions o;
    o.max_errors = 1 + rng() % 20;
    absl::StatusOr<RuleSet> rs = ParseRules(text, "r.hat", o, &errors);
    if (rs.ok()) {
      ++ok;
      ASSERT_TRUE(errors.empty());
      CheckInvariants(*rs);
    } else {
      ASSERT_FALSE(errors.empty());
      ASSERT_LE(errors.size(), o.max_errors + 1);
      for (const Diagnostic& d : errors) {
        ASSERT_GE(d.loc.line, 1u);
        ASSERT_GE(d.loc.col, 1u);
      }
    }
  }
  EXPECT_GT(ok, 0);
}

}  // namespace
}  // namespace hatmatch
