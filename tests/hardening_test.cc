// Copyright 2026 The hatmatch Authors.
//
// Hostile input: damaged and forged table files, and the security cases of
// the rule and input parsers (embedded IPv4 in IPv6, octal-looking octets,
// hostile host names, CRLF, BOM, limits).  A damaged file must be an error,
// never a crash or a wrong answer; a forged one (checksums recomputed) must be
// an error or a table whose lookups stay in bounds (ASan checks the latter).
// Randomized parts print their seed.

#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "engine/format/table_file.h"
#include "engine/gen/rule_gen.h"
#include "fmt/core.h"
#include "gtest/gtest.h"
#include "hatmatch/analysis.h"
#include "hatmatch/connection.h"
#include "hatmatch/parse.h"
#include "hatmatch/reference.h"
#include "hatmatch/table.h"
#include "tests/testing/run.h"
#include "tests/testing/seed.h"

namespace hatmatch {
namespace {

std::string Message(const absl::Status& s) {
  return std::string(s.message().data(), s.message().size());
}

constexpr char kSmallRules[] =
    "$TLS\n"
    "    ACCEPT {\n"
    "        tls = \"required\"\n"
    "    }\n"
    "BLOCK:\n"
    "    REJECT (bad)\n"
    "    10.0.0.0/8, 192.168.1-3., 2001:db8::/32\n"
    "    .bad.example, mx.evil.example\n"
    "    sbrs[-10.0:-3.0], SBO:666, dnslist[zen.example], nx.domain\n"
    "GOOD:\n"
    "    $TLS\n"
    "    172.16.0.0/12, .good.example, sbrs[none]\n"
    "ALL\n"
    "    ACCEPT\n";

RuleSet SmallRuleSet() {
  absl::StatusOr<RuleSet> rs = ParseRules(kSmallRules, "small.hat");
  if (!rs.ok()) ADD_FAILURE() << rs.status();
  return rs.ok() ? *std::move(rs) : RuleSet();
}

std::string SmallTableBytes() {
  absl::StatusOr<std::shared_ptr<const Table>> t =
      Table::Compile(SmallRuleSet());
  return t.ok() ? (*t)->Serialize() : std::string();
}

std::vector<Connection> Probes() {
  std::vector<Connection> out;
  for (const char* line :
       {"10.1.2.3", "192.168.2.1 ptr=a.bad.example", "172.16.5.5 sbrs=none",
        "2001:db8::5 dns=nx", "8.8.8.8 ptr=x.good.example sbrs=-5",
        "9.9.9.9 sbo=666 dnslist=zen.example", "::1", "1.1.1.1 sbrs=2"}) {
    absl::StatusOr<Connection> c = ParseConnection(line);
    // Every probe must parse: a dropped probe would quietly shrink the test.
    EXPECT_TRUE(c.ok()) << line << ": " << c.status();
    if (c.ok()) out.push_back(*c);
  }
  return out;
}

struct Region {
  uint64_t offset, size;
  uint32_t id;
};

// The header + directory, then every section, as the image says.
std::vector<Region> Regions(const std::string& image) {
  TableFileHeader h;
  std::memcpy(&h, image.data(), sizeof h);
  std::vector<Region> out = {
      {0, sizeof h + uint64_t{h.section_count} * sizeof(SectionEntry), 0}};
  for (uint32_t i = 0; i < h.section_count; ++i) {
    SectionEntry e;
    std::memcpy(&e, image.data() + sizeof h + i * sizeof e, sizeof e);
    out.push_back({e.offset, e.size, e.id});
  }
  return out;
}

// The two 2^16-entry trie top levels make every table at least 512 KiB;
// they are sampled, everything else is covered byte by byte.
bool IsBigTop(const Region& r) { return r.size >= 65536; }

TEST(HardeningTest, EveryTruncationIsAnError) {
  const std::string good = SmallTableBytes();
  ASSERT_FALSE(good.empty());
  std::vector<size_t> lengths;
  for (const Region& r : Regions(good)) {
    const uint64_t step = IsBigTop(r) ? 4093 : 1;
    for (uint64_t i = 0; i <= r.size; i += step)
      lengths.push_back(r.offset + i);
    lengths.push_back(r.offset + r.size + 1);
    lengths.push_back(r.offset + r.size - 1);
  }
  int tried = 0;
  for (size_t n : lengths) {
    if (n >= good.size()) continue;
    auto t = Table::OpenBytes(std::string_view(good).substr(0, n), "t.hmt");
    ASSERT_FALSE(t.ok()) << "length " << n;
    ++tried;
  }
  EXPECT_GT(tried, 2000);
  EXPECT_TRUE(Table::OpenBytes(good).ok());
}

TEST(HardeningTest, EveryBitFlipIsAnError) {
  const std::string good = SmallTableBytes();
  ASSERT_FALSE(good.empty());
  const uint64_t seed = testing::TestSeed();
  std::mt19937_64 rng(seed);
  std::string s = good;
  int tried = 0;
  auto flip = [&](size_t byte, int bit) {
    s[byte] = static_cast<char>(s[byte] ^ (1 << bit));
    auto t = Table::OpenBytes(s, "t.hmt");
    EXPECT_FALSE(t.ok()) << "byte " << byte << " bit " << bit;
    if (!t.ok()) {
      EXPECT_EQ(Message(t.status()).rfind("t.hmt: ", 0), 0u) << t.status();
    }
    s[byte] = static_cast<char>(s[byte] ^ (1 << bit));
    ++tried;
  };
  const std::vector<Region> regions = Regions(good);
  // Every bit of the header and the directory: each field's own check.
  for (size_t byte = 0; byte < regions[0].size; ++byte) {
    for (int bit = 0; bit < 8; ++bit) flip(byte, bit);
  }
  // One bit (random) of every byte of every section and every gap, except
  // inside the two big top levels, where one byte in 509 is tried.
  for (size_t byte = regions[0].size; byte < good.size(); ++byte) {
    bool in_top = false;
    for (const Region& r : regions) {
      in_top = in_top ||
               (IsBigTop(r) && byte >= r.offset && byte < r.offset + r.size);
    }
    if (in_top && byte % 509 != 0) continue;
    flip(byte, static_cast<int>(rng() % 8));
    if (HasFailure()) return;
  }
  std::printf("%d bit flips, all rejected\n", tried);
}

// Forged files: the checksums are recomputed after the edit, so only the
// structural checks and the validators stand between the bytes and the
// lookups.  Open may succeed (the edit may be harmless, or change a name or
// an answer); when it does, every lookup must stay in bounds (ASan) and
// every answered rule must exist.
TEST(HardeningTest, ForgedTablesNeverBreakLookups) {
  const std::string good = SmallTableBytes();
  ASSERT_FALSE(good.empty());
  const uint64_t seed = testing::TestSeed();
  std::mt19937_64 rng(seed);
  const std::vector<Connection> probes = Probes();
  ASSERT_EQ(probes.size(), 8u) << "a probe line failed to parse";
  int opened = 0, rejected = 0;
  for (const Region& r : Regions(good)) {
    if (r.size == 0) continue;
    // Every byte of the small sections (metadata, nodes, host sets,
    // criteria), 1 in 997 of the big top levels; each xor-ed with a random
    // non-zero byte.
    const uint64_t step = IsBigTop(r) ? 997 : 1;
    for (uint64_t i = 0; i < r.size; i += step) {
      {
        const uint8_t x = static_cast<uint8_t>(1 + rng() % 255);
        std::string s = good;
        s[r.offset + i] = static_cast<char>(s[r.offset + i] ^ x);
        ResealTableImage(&s);
        auto t = Table::OpenBytes(s, "forged.hmt");
        if (!t.ok()) {
          ++rejected;
          continue;
        }
        ++opened;
        for (const Connection& c : probes) {
          const Decision d = (*t)->ClassifyWithEntry(c);
          if (d.matched()) {
            ASSERT_LT(d.rule, (*t)->rule_count())
                << "section " << r.id << " byte " << i;
          }
          (void)(*t)->Detail(d);
        }
        (void)(*t)->RestoreRuleSet();
        ASSERT_EQ((*t)->Serialize(), s) << "section " << r.id << " byte " << i;
      }
    }
  }
  std::printf("forged: %d opened, %d rejected\n", opened, rejected);
  EXPECT_GT(rejected, 300);
}

// The analyses read a table's rules through RestoreRuleSet(): `hatmatch
// diff`, `lint` and `explain` take tables.  Whatever a forged table that
// opens restores, they must stay in bounds (ASan) and finish.
TEST(HardeningTest, ForgedTablesNeverBreakTheAnalyses) {
  const std::string good = SmallTableBytes();
  ASSERT_FALSE(good.empty());
  const RuleSet original = SmallRuleSet();
  std::mt19937_64 rng(testing::TestSeed());
  const std::vector<Connection> probes = Probes();
  int opened = 0;
  for (const Region& r : Regions(good)) {
    if (r.size == 0 || IsBigTop(r)) continue;
    for (uint64_t i = 0; i < r.size * 3; ++i) {
      // Each byte three ways: a random flip, a case flip (a stored name in
      // upper case), and replaced by a dot (an empty label).
      std::string s = good;
      char& b = s[r.offset + i / 3];
      const int way = static_cast<int>(i % 3);
      b = way == 0   ? static_cast<char>(b ^ (1 + rng() % 255))
          : way == 1 ? static_cast<char>(b ^ 0x20)
                     : '.';
      if (s == good) continue;
      ResealTableImage(&s);
      auto t = Table::OpenBytes(s, "forged.hmt");
      if (!t.ok()) continue;
      ++opened;
      const RuleSet rs = (*t)->RestoreRuleSet();
      (void)LintText(rs, Lint(rs));
      (void)LintJson(rs, Lint(rs));
      const DiffResult d = Diff(original, rs);
      (void)DiffText(original, rs, d);
      (void)DiffJson(rs, original, Diff(rs, original));
      for (const Connection& c : probes) {
        const Explanation e = Explain(rs, c);
        (void)ExplanationText(rs, c, e);
        (void)ExplanationJson(rs, c, e);
      }
    }
  }
  std::printf("forged and analysed: %d tables\n", opened);
  EXPECT_GT(opened, 0);
}

// The entries are checked in one branch-free pass; a forged entry must
// still be named by the message of the per-entry check behind it.
TEST(HardeningTest, AForgedEntryIsNamedInTheError) {
  const std::string good = SmallTableBytes();
  ASSERT_FALSE(good.empty());
  uint64_t entries_at = 0;
  for (const Region& r : Regions(good)) {
    if (r.id == 6) entries_at = r.offset;  // "entries", EntryRecord[]
  }
  ASSERT_NE(entries_at, 0u);
  struct Edit {
    size_t entry, field;  // field: byte offset in the 8-byte record
    uint32_t value;       // little-endian: value, or loc | text << 16
    const char* message;
  };
  // kSmallRules' entries: 0 `10.0.0.0/8` (a prefix), 1 `192.168.1-3.`
  // (listed), 2 `2001:db8::/32`, 3 `.bad.example` (dotted name), 4
  // `mx.evil.example` (name), 5-8 criteria (listed), 9 `172.16.0.0/12`.
  for (const Edit& e : {
           Edit{3, 0, (2u << 28) | 999, "entry 3: value index 999"},
           Edit{2, 0, 9u << 28, "entry 2: value kind 9"},
           Edit{4, 4, 9u << 16, "entry 4: text form 9"},
           Edit{4, 4, 1u << 16, "entry 4: text form 1 for value kind 2"},
           Edit{4, 4, 1u << 24, "entry 4: reserved"},
           Edit{0, 4, 0, "7 entries with a listed text, 6 listed texts"},
           Edit{9, 4, 2u << 16, "entry 9: text form 2 does not fit"},
           Edit{0, 4, 0xFFFFu | 1u << 16, "1 entries with a listed location"},
       }) {
    std::string s = good;
    std::memcpy(&s[entries_at + 8 * e.entry + e.field], &e.value, 4);
    ResealTableImage(&s);
    auto t = Table::OpenBytes(s, "forged.hmt");
    ASSERT_FALSE(t.ok()) << e.message;
    EXPECT_NE(Message(t.status()).find(e.message), std::string::npos)
        << t.status();
  }
}

// From 100k entries on, the metadata and the lookup structures are checked
// on two threads that share the host names' checks part by part: a forged
// table of that size must still be refused with the error one thread would
// name first (the metadata's, then the earliest host item's).
TEST(HardeningTest, AForgedLargeTableNamesTheFirstError) {
  gen::RuleGenOptions o;
  o.ipv4_entries = 90000;
  o.host_entries = 20000;
  absl::StatusOr<RuleSet> rs = gen::GenerateRuleSet(o);
  ASSERT_TRUE(rs.ok()) << rs.status();
  absl::StatusOr<std::shared_ptr<const Table>> t = Table::Compile(*rs);
  ASSERT_TRUE(t.ok()) << t.status();
  const std::string good = (*t)->Serialize();
  Region entries{0, 0, 0}, exact{0, 0, 0}, partial{0, 0, 0};
  for (const Region& r : Regions(good)) {
    if (r.id == 6) entries = r;   // EntryRecord[]
    if (r.id == 43) exact = r;    // exact hostname pool
    if (r.id == 48) partial = r;  // partial hostname pool
  }
  ASSERT_GE(entries.size, 8u * 100000);
  ASSERT_GT(exact.size, 1000u);
  ASSERT_GT(partial.size, 1000u);
  // A control byte makes a stored name not a normalized hostname.
  auto open = [&](std::vector<uint64_t> forged) {
    std::string s = good;
    for (uint64_t at : forged) s[at] = '\x01';
    ResealTableImage(&s);
    absl::StatusOr<std::shared_ptr<const Table>> f =
        Table::OpenBytes(s, "forged.hmt");
    return f.ok() ? std::string() : Message(f.status());
  };
  const uint64_t early = exact.offset + 10;
  const uint64_t late = exact.offset + exact.size - 10;
  const std::string early_error = open({early});
  const std::string late_error = open({late});
  for (const std::string& e : {early_error, late_error}) {
    EXPECT_NE(e.find("exact host set: item "), std::string::npos) << e;
    EXPECT_NE(e.find(" is not a normalized hostname"), std::string::npos) << e;
  }
  EXPECT_NE(early_error, late_error);
  EXPECT_EQ(open({late, early}), early_error);
  const std::string partial_error = open({partial.offset + partial.size / 2});
  EXPECT_NE(partial_error.find("partial host set: item "), std::string::npos)
      << partial_error;
  EXPECT_EQ(open({partial.offset + partial.size / 2, late}), late_error);
  // An entry's reserved byte (the last of its 8-byte record).
  const uint64_t entry = entries.offset + 8 * 99999 + 7;
  EXPECT_NE(open({entry, early}).find("entry 99999: reserved"),
            std::string::npos);
  EXPECT_EQ(open({}), "");
}

std::string TempPath(const std::string& name) {
  std::string t = ::testing::TempDir();
  if (t.empty() || t.back() != '/') t += '/';
  return t + "hatmatch_hard_" + std::to_string(getpid()) + "_" + name;
}

void ExpectOpenError(const std::string& bytes, absl::StatusCode code,
                     const std::string& message) {
  const std::string path = TempPath("t.hmt");
  ASSERT_TRUE(WriteFileAtomically(path, bytes).ok());
  auto t = Table::Open(path);
  ASSERT_FALSE(t.ok()) << message;
  EXPECT_EQ(t.status().code(), code) << t.status();
  EXPECT_EQ(Message(t.status()), path + ": " + message);
  unlink(path.c_str());
}

TEST(HardeningTest, WrongVersionByteOrderAndNotATable) {
  const std::string good = SmallTableBytes();
  ASSERT_FALSE(good.empty());
  using C = absl::StatusCode;
  std::string s = good;
  s[8] = kTableFormatVersion + 1;
  ExpectOpenError(s, C::kFailedPrecondition,
                  fmt::format("format version {}, this build reads {}",
                              kTableFormatVersion + 1, kTableFormatVersion));
  // Version 4 stored unfolded hostname priorities, which this build's
  // lookups, stopping at the longest match, would answer wrongly from.
  s = good;
  s[8] = 4;
  ExpectOpenError(s, C::kFailedPrecondition,
                  fmt::format("format version 4, this build reads {}",
                              kTableFormatVersion));
  s = good;
  s[8] = 0;
  s[9] = 1;  // 256
  ExpectOpenError(s, C::kFailedPrecondition,
                  fmt::format("format version 256, this build reads {}",
                              kTableFormatVersion));
  s = good;
  const uint32_t swapped = __builtin_bswap32(kByteOrderMark);
  std::memcpy(s.data() + 12, &swapped, 4);
  ExpectOpenError(s, C::kFailedPrecondition,
                  "written on a big-endian machine; this build reads "
                  "little-endian tables");
  ExpectOpenError(kSmallRules, C::kFailedPrecondition,
                  "not a hatmatch table (bad magic)");
  ExpectOpenError("\x89PNG\r\n\x1a\n" + std::string(100, '\0'),
                  C::kFailedPrecondition, "not a hatmatch table (bad magic)");
  ExpectOpenError("", C::kFailedPrecondition,
                  "not a hatmatch table (empty file)");
  ExpectOpenError(good.substr(0, 6), C::kDataLoss,
                  "truncated: 6 bytes, a table file has at least 64");
  ExpectOpenError(good.substr(0, 4096), C::kDataLoss,
                  "truncated: header says " + std::to_string(good.size()) +
                      " bytes, file has 4096");
  ExpectOpenError(good + "x", C::kDataLoss,
                  "1 trailing bytes after the table (header says " +
                      std::to_string(good.size()) + " bytes, file has " +
                      std::to_string(good.size() + 1) + ")");

  auto dev = Table::Open("/dev/null");
  EXPECT_FALSE(dev.ok());
  EXPECT_NE(Message(dev.status()).find("not a regular file"),
            std::string::npos);
  auto dir = Table::Open("/");
  EXPECT_FALSE(dir.ok());
}

// --- Security cases ----------------------------------------------------------

struct Engines {
  RuleSet rules;
  std::shared_ptr<const Table> compiled, opened;
};

Engines Build(const std::string& text) {
  Engines e;
  absl::StatusOr<RuleSet> rs = ParseRules(text, "sec.hat");
  if (!rs.ok()) {
    ADD_FAILURE() << rs.status();
    return e;
  }
  e.rules = *std::move(rs);
  e.compiled = *Table::Compile(e.rules);
  e.opened = *Table::OpenBytes(e.compiled->Serialize());
  return e;
}

// The rule name every engine gives to `line`.
std::string Decide(const Engines& e, const std::string& line) {
  absl::StatusOr<Connection> c = ParseConnection(line);
  if (!c.ok()) return "malformed";
  ReferenceClassifier ref(e.rules);
  const Decision want = ref.Classify(*c);
  EXPECT_EQ(e.compiled->ClassifyWithEntry(*c), want) << line;
  EXPECT_EQ(e.opened->ClassifyWithEntry(*c), want) << line;
  return want.matched() ? std::string(e.compiled->rule_name(want.rule)) : "-";
}

TEST(HardeningTest, EmbeddedIpv4CannotBypassAnIpv4Reject) {
  const Engines e = Build(
      "BLOCK:\n    REJECT\n    10.0.0.0/8, 192.0.2.1\n"
      "V6:\n    ACCEPT\n    ::/0\n"
      "ALL\n    ACCEPT\n");
  for (const char* addr :
       {"10.1.2.3", "::ffff:10.1.2.3", "::FFFF:10.1.2.3",
        "0:0:0:0:0:ffff:10.1.2.3", "0:0:0:0:0:ffff:a01:203", "::ffff:0a01:0203",
        "::10.1.2.3", "::a01:203", "0::0:10.1.2.3", "::ffff:192.0.2.1",
        "::192.0.2.1"}) {
    EXPECT_EQ(Decide(e, addr), "BLOCK") << addr;
  }
  // An IPv6 rule never catches an IPv4 host, however it is spelled, and
  // IPv6 addresses near the embedded ranges are IPv6.
  EXPECT_EQ(Decide(e, "::ffff:8.8.8.8"), "ALL");
  EXPECT_EQ(Decide(e, "::1"), "V6");
  EXPECT_EQ(Decide(e, "1::ffff:10.1.2.3"), "V6");
  EXPECT_EQ(Decide(e, "::1:ffff:10.1.2.3"), "V6");
}

TEST(HardeningTest, LeadingZeroAndOctalLookingOctetsAreRejected) {
  for (const char* entry :
       {"010.1.2.3", "10.01.2.3", "10.1.2.03", "10.1.2.00", "00.1.2.3", "010.",
        "10.010", "10.1.2.3-010", "010/8", "10.1.2.0/024", "0x0a.1.2.3",
        "10.1.2.3-10.1.2.010", "::ffff:010.1.2.3"}) {
    EXPECT_FALSE(ParseEntry(entry).ok()) << entry;
    const std::string file = std::string("G:\n    REJECT\n    ") + entry + "\n";
    EXPECT_FALSE(ParseRules(file, "oct.hat").ok()) << entry;
  }
  for (const char* line :
       {"010.1.2.3", "10.01.2.3", "10.1.2.03", "::ffff:010.1.2.3", "0x0a.1.2.3",
        "10.1.2.3.", "10.1.2", "1.2.3.4 sbo=0x10"}) {
    EXPECT_FALSE(ParseConnection(line).ok()) << line;
  }
  EXPECT_TRUE(ParseEntry("0.0.0.0/0").ok());
  EXPECT_TRUE(ParseEntry("10.0.0.0").ok());
}

TEST(HardeningTest, HostileHostNamesNeverMatchAndNeverCrash) {
  const Engines e = Build(
      "H:\n    REJECT\n    .example.com, a.example.com, .com, .a.a.a\n"
      "ALL\n    ACCEPT\n");
  ASSERT_TRUE(e.compiled);
  std::vector<std::string> names = {
      std::string("a\0.example.com", 14),
      std::string("x.example.com\0", 14),
      std::string("\0", 1),
      "caf\xc3\xa9.example.com",  // non-ASCII (U-label in a PTR)
      "\xff\xfe.example.com",     // not even UTF-8
      "a..example.com",           // empty label
      ".example.com",             // leading dot: empty first label
      "x.example.com..",          // two trailing dots
      "..",
      ".",
      "",
      "x.example.com\r",
      "x .example.com",
      "x\n.example.com",
      "*.example.com",
  };
  std::string long_name;
  while (long_name.size() < 250) long_name += "abcdefgh.";
  names.push_back(long_name + "example.com");  // over 253 bytes
  std::string many;
  for (int i = 0; i < 130; ++i) many += "a.";
  names.push_back(many + "a");  // 131 labels, 261 bytes
  std::string many_short;
  for (int i = 0; i < 127; ++i) many_short += "a.";
  names.push_back(many_short + "com");                     // 128 labels
  names.push_back(std::string(64, 'x') + ".example.com");  // label over 63
  names.push_back(std::string(100000, 'a') + ".example.com");
  for (const std::string& n : names) {
    EXPECT_EQ(e.compiled->LookupHost(n), kNoRule) << n.size();
    EXPECT_EQ(e.opened->LookupHost(n), kNoRule) << n.size();
    Connection c;
    c.address = IpAddress::V4(0x01020304);
    c.dns = DnsState::kVerified;
    c.ptr = n;
    ReferenceClassifier ref(e.rules);
    const Decision want = ref.Classify(c);
    EXPECT_EQ(e.compiled->ClassifyWithEntry(c), want);
    EXPECT_EQ(want.rule, 1u) << "hostile name matched: size " << n.size();
  }
  // The limits themselves are fine: 253 bytes and 127 labels do match.
  std::string at_limit;
  for (int i = 0; i < 125; ++i) at_limit += "a.";
  at_limit += "example.com";  // 127 labels, 261 bytes: too long, so trim
  at_limit = at_limit.substr(at_limit.size() - 253);
  if (at_limit[0] == '.') at_limit = "b" + at_limit.substr(1);
  EXPECT_EQ(e.compiled->LookupHost(at_limit), 0u) << at_limit.size();
  EXPECT_EQ(e.compiled->LookupHost("A.EXAMPLE.COM."), 0u);

  // In rules, the same names are errors with a line and column.
  for (const std::string& bad :
       {std::string("a\0b.example.com", 15), std::string("a..example.com"),
        long_name + "example.com", many + "a", std::string("*.example.com"),
        std::string(64, 'x') + ".com"}) {
    absl::StatusOr<RuleSet> rs =
        ParseRules("G:\n    REJECT\n    " + bad + "\n", "bad.hat");
    EXPECT_FALSE(rs.ok()) << bad.size();
    if (!rs.ok()) {
      EXPECT_EQ(Message(rs.status()).rfind("bad.hat:3:", 0), 0u) << rs.status();
    }
  }
}

TEST(HardeningTest, CrlfAndBomFilesParseLikeTheirPlainForm) {
  const std::string plain = kSmallRules;
  std::string crlf;  // built below
  for (char c : plain) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  const std::string bom = "\xEF\xBB\xBF" + plain;
  const std::string both = "\xEF\xBB\xBF" + crlf;
  auto base = Table::Compile(SmallRuleSet());
  ASSERT_TRUE(base.ok());
  for (const std::string* text : {&std::as_const(crlf), &bom, &both}) {
    absl::StatusOr<RuleSet> rs = ParseRules(*text, "small.hat");
    ASSERT_TRUE(rs.ok()) << rs.status();
    auto t = Table::Compile(*rs);
    ASSERT_TRUE(t.ok());
    // Same rules, entries, texts, lines and columns: the same table bytes.
    EXPECT_EQ((*t)->Serialize(), (*base)->Serialize());
  }
  // A BOM anywhere but the start is not silently skipped.
  EXPECT_FALSE(ParseRules("G:\n    REJECT\n    \xEF\xBB\xBF"
                          "10.0.0.1\n",
                          "b.hat")
                   .ok());
}

TEST(HardeningTest, LimitsGiveClearErrors) {
  ParseOptions o;
  o.max_line_bytes = 64;
  absl::StatusOr<RuleSet> rs = ParseRules(
      "G:\n    REJECT\n    " + std::string(100, 'a') + ".com\n", "l.hat", o);
  ASSERT_FALSE(rs.ok());
  EXPECT_NE(Message(rs.status())
                .find("l.hat:3:1: line of 108 bytes is over "
                      "the limit of 64"),
            std::string::npos)
      << rs.status();

  o = ParseOptions();
  o.max_entries = 3;
  rs = ParseRules("G:\n    REJECT\n    1.1.1.1, 2.2.2.2, 3.3.3.3, 4.4.4.4\n",
                  "e.hat", o);
  ASSERT_FALSE(rs.ok());
  EXPECT_NE(Message(rs.status())
                .find("e.hat:3:32: more than 3 entries, the "
                      "limit"),
            std::string::npos)
      << rs.status();

  o = ParseOptions();
  o.max_file_bytes = 16;
  rs = ParseRules(kSmallRules, "f.hat", o);
  ASSERT_FALSE(rs.ok());
  EXPECT_NE(Message(rs.status())
                .find("f.hat:1:1: file is larger than the "
                      "limit of 16 bytes"),
            std::string::npos)
      << rs.status();

  o = ParseOptions();
  o.max_errors = 2;
  rs = ParseRules(
      "G:\n    REJECT\n    010.1.1.1\n    010.1.1.2\n"
      "    010.1.1.3\n    010.1.1.4\n",
      "m.hat", o);
  ASSERT_FALSE(rs.ok());
  EXPECT_NE(Message(rs.status()).find("too many errors; stopped after 2"),
            std::string::npos)
      << rs.status();

  // Policy blocks do not nest: a second '{' is an error at its line.
  rs = ParseRules(
      "$P\n    ACCEPT {\n        a = 1\n        b {\n        }\n    }\n"
      "G:\n    $P\n    1.2.3.4\n",
      "n.hat");
  ASSERT_FALSE(rs.ok());
  EXPECT_NE(Message(rs.status()).find("n.hat:4:"), std::string::npos)
      << rs.status();
  // Deep nesting costs nothing: no recursion, one error per line at most.
  std::string deep = "$P\n    ACCEPT {\n";
  for (int i = 0; i < 100000; ++i) deep += "        {\n";
  rs = ParseRules(deep, "d.hat");
  EXPECT_FALSE(rs.ok());

  // Input lines: the classify command bounds a line and says so.
  testing::RunResult r =
      testing::RunHatmatch({"classify", testing::SourcePath("data/cres.hat")},
                           std::string(200000, '1') + "\n10.0.0.1\n");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out.rfind("?\tline longer than", 0), 0u) << r.out.substr(0, 80);
  EXPECT_EQ(testing::SplitLines(r.out).size(), 2u);
}

// --- Rule text the contract calls invalid -----------------------------------

// The first error of `text`, or "" when it parses.
std::string FirstError(const std::string& text) {
  absl::StatusOr<RuleSet> rs = ParseRules(text, "h.hat");
  if (rs.ok()) return "";
  const std::string m = Message(rs.status());
  return m.substr(0, m.find('\n'));
}

TEST(HardeningTest, InvalidUtf8AnywhereIsAnErrorWithLineAndColumn) {
  // A Latin-1 'e' acute (0xE9) in a comment, a policy comment and a
  // parameter value: each line:col points at the byte.
  EXPECT_EQ(FirstError("# caf\xe9\nALL\n    ACCEPT\n"),
            "h.hat:1:6: invalid UTF-8 (byte 0xe9); a rule file is UTF-8 text");
  EXPECT_EQ(FirstError("G:\n    REJECT (caf\xe9)\n    1.2.3.4\n"),
            "h.hat:2:16: invalid UTF-8 (byte 0xe9); a rule file is UTF-8 text");
  EXPECT_EQ(FirstError("$P\n    ACCEPT {\n        banner = \"caf\xe9\"\n"
                       "    }\nALL\n    $P\n"),
            "h.hat:3:22: invalid UTF-8 (byte 0xe9); a rule file is UTF-8 text");
  // Valid UTF-8 in the same places is fine.
  EXPECT_EQ(FirstError("# caf\xc3\xa9\nG:\n    REJECT (caf\xc3\xa9)\n"
                       "    1.2.3.4\n"),
            "");
}

TEST(HardeningTest, InvalidALabelsAreErrors) {
  for (const char* name : {"xn--.com", "xn--a.com", "mx.XN--A.com",
                           ".xn--abc.example", "xn--ls8h.la"}) {
    SCOPED_TRACE(name);
    absl::StatusOr<EntryValue> v = ParseEntry(name);
    ASSERT_FALSE(v.ok());
    EXPECT_NE(Message(v.status()).find("not a valid IDNA2008 A-label"),
              std::string::npos)
        << v.status();
  }
  // Valid A-labels, and labels with "--" elsewhere, stay valid.
  for (const char* name : {"xn--zca.de", "XN--ZCA.de", ".xn--55qx5d.cn",
                           "r3---sn-4g5e.googlevideo.com"}) {
    SCOPED_TRACE(name);
    EXPECT_TRUE(ParseEntry(name).ok());
  }
  EXPECT_FALSE(ParseEntry("dnslist[xn--a.example]").ok());
}

TEST(HardeningTest, LabelsMayNotStartOrEndWithAHyphen) {
  for (const char* name : {"-", ".-", "-.example.com", "a.-b.com", "a-.com"}) {
    SCOPED_TRACE(name);
    EXPECT_FALSE(ParseEntry(name).ok());
  }
  EXPECT_TRUE(ParseEntry("a-b.example.com").ok());
  // `-` alone as an anonymous rule would print "-<TAB>REJECT".
  EXPECT_NE(FirstError("-\n    REJECT\n").find("starts or ends with '-'"),
            std::string::npos);
  EXPECT_NE(FirstError("-:\n    REJECT\n    1.2.3.4\n")
                .find("a group may not be named \"-\""),
            std::string::npos);
}

TEST(HardeningTest, AGroupNamedAllIsAnErrorAndAnEmptyGroupAWarning) {
  EXPECT_NE(FirstError("ALL:\n    ACCEPT\n")
                .find("h.hat:1:1: a group may "
                      "not be named \"ALL\""),
            std::string::npos);
  EXPECT_NE(FirstError("all:\n    ACCEPT\n").find("may not be named"),
            std::string::npos);
  absl::StatusOr<RuleSet> rs =
      ParseRules("EMPTY:\n    REJECT\nALL\n    ACCEPT\n", "h.hat");
  ASSERT_TRUE(rs.ok()) << rs.status();
  ASSERT_EQ(rs->warnings().size(), 1u);
  EXPECT_EQ(rs->warnings()[0].ToString(),
            "h.hat:1:1: group \"EMPTY\" has no entries; it matches no "
            "connection");
}

TEST(HardeningTest, AnonymousRuleNamesHoldNoTab) {
  absl::StatusOr<RuleSet> rs =
      ParseRules("1.2.3.4,\t 5.6.7.8 \t\n    REJECT\n", "h.hat");
  ASSERT_TRUE(rs.ok()) << rs.status();
  EXPECT_EQ(rs->rules()[0].name, "1.2.3.4, 5.6.7.8");
}

TEST(HardeningTest, ADnsListZoneHasOneTrailingDotAtMost) {
  absl::StatusOr<RuleSet> rs =
      ParseRules("G:\n    REJECT\n    dnslist[zen.spamhaus.org]\n", "h.hat");
  ASSERT_TRUE(rs.ok()) << rs.status();
  absl::StatusOr<std::shared_ptr<const Table>> t = Table::Compile(*rs);
  ASSERT_TRUE(t.ok());
  const ReferenceClassifier ref(*rs);
  for (const auto& [zones, matches] : std::vector<std::pair<std::string, bool>>{
           {"zen.spamhaus.org", true},
           {"ZEN.spamhaus.org.", true},
           {"zen.spamhaus.org..", false},
           {"zen.spamhaus.org...", false},
           {".zen.spamhaus.org", false}}) {
    SCOPED_TRACE(zones);
    absl::StatusOr<Connection> c = ParseConnection("1.2.3.4 dnslist=" + zones);
    ASSERT_TRUE(c.ok()) << c.status();
    EXPECT_EQ((*t)->Classify(*c).matched(), matches);
    EXPECT_EQ(ref.Classify(*c).matched(), matches);
  }
}

TEST(HardeningTest, MessagesEscapeControlBytesOfTheInput) {
  for (const char* line :
       {"1.2.3.4\x1b[2J", "1.2.3.4 sbo=\x1b", "1.2.3.4 x\x1b=1",
        "1.2.3.4 dns=\x1b", "1.2.3.4 sbrs=\x1b"}) {
    absl::StatusOr<Connection> c = ParseConnection(line);
    ASSERT_FALSE(c.ok());
    EXPECT_EQ(Message(c.status()).find('\x1b'), std::string::npos)
        << Message(c.status());
  }
  EXPECT_EQ(FirstError("$P\x1b\n    ACCEPT\n").find('\x1b'), std::string::npos);
  constexpr char kNul[] = "G:\n    REJECT\n    1.2.3.\0\n";
  EXPECT_EQ(FirstError(std::string(kNul, sizeof kNul - 1)).find('\0'),
            std::string::npos);
}

// A table read with Table::Open is private memory: rewriting the file in
// place (truncated, then other bytes) cannot fault a lookup or change it.
TEST(HardeningTest, RewritingAnOpenTableFileInPlaceIsHarmless) {
  const std::string path =
      ::testing::TempDir() + "/inplace_" + std::to_string(getpid()) + ".hmt";
  ASSERT_TRUE(Table::Compile(SmallRuleSet()).value()->Write(path).ok());
  absl::StatusOr<std::shared_ptr<const Table>> t = Table::Open(path);
  ASSERT_TRUE(t.ok()) << t.status();
  ASSERT_EQ(truncate(path.c_str(), 0), 0);
  const Connection c = ParseConnection("10.1.2.3").value();
  EXPECT_EQ((*t)->rule_name((*t)->Classify(c).rule), "BLOCK");
  EXPECT_EQ((*t)->Detail((*t)->ClassifyWithEntry(c)).entry_text, "10.0.0.0/8");
  unlink(path.c_str());
}

// classify prints `name<TAB>action`: a forged table whose rule name holds a
// tab (no rule file can give one) is refused on load.
TEST(HardeningTest, ForgedRuleNameWithATabIsRefused) {
  std::string bytes = SmallTableBytes();
  size_t at = 0, replaced = 0;
  while ((at = bytes.find("BLOCK", at)) != std::string::npos) {
    bytes[at + 2] = '\t';
    ++replaced;
  }
  ASSERT_GT(replaced, 0u);
  ResealTableImage(&bytes);
  absl::StatusOr<std::shared_ptr<const Table>> t = Table::OpenBytes(bytes);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(Message(t.status()).find("control byte"), std::string::npos)
      << t.status();
}

}  // namespace
}  // namespace hatmatch
