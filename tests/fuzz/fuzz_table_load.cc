// Copyright 2026 The hatmatch Authors.
//
// Fuzz target: the table loader (Table::OpenBytes) on mutated valid tables.
//
// A real table is over a quarter of a megabyte (the IPv4 trie's top level),
// too big for byte-level mutation to reach the interesting parts, so the
// input is a small program of edits to one of four valid base tables:
//
//   byte 0      flags: bit 0  reseal the checksums after editing (so the
//                             structural checks and validators are reached,
//                             not just the CRC)
//                      bits 1-2  which base table
//                      bit 4  instead, the base table with the direct
//                             IPv4 layout (ipv4_direct.h)
//                      bit 3  truncate (length from the next 4 bytes)
//                      bit 7  raw: the rest of the input is the whole image
//   then        4-byte edits: [section selector][offset lo][offset hi][xor]
//               selector % (sections + 1) picks a section, or the header and
//               directory; offset is taken modulo that region's size.
//
// Invariants: OpenBytes never crashes, hangs or reads out of bounds (ASan);
// an unchanged or merely resealed image opens; whatever opens answers
// lookups without faults and serializes back to exactly the bytes it was
// opened from (the format has one valid layout per content).

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/format/table_file.h"
#include "hatmatch/connection.h"
#include "hatmatch/parse.h"
#include "hatmatch/table.h"
#include "tests/testing/direct_layout_rules.h"

namespace {

using namespace hatmatch;

void Check(bool ok) {
  if (!ok) std::abort();
}

constexpr std::string_view kBaseRules[4] = {
    // Nothing but ALL.
    "ALL\n    ACCEPT\n",
    // Every entry kind, policies with parameters, CONTINUE, anonymous rules.
    "$TLS\n    ACCEPT {\n        tls = \"required\"\n"
    "        max_msgs_per_session = 100\n    }\n"
    "$SKIP\n    CONTINUE\n"
    "PASS:\n    $SKIP (never decides)\n    198.51.100.0/24, .skip.example\n"
    "MIX:\n    $TLS\n    10.0.0.0/8, 192.168.1-3., 203.0.113.10-20\n"
    "    100.64.0.0/20, 2a00:1000::/20\n"    // an IPv4 trie terminal
    "    2001:db8::/32, fe80::1-fe80::ff\n"  // an IPv6 refine run
    "    mx1.example.com, .example.org, .xn--refeio-bva.online\n"
    "    sbrs[-10.0:-3.0], sbrs[none], SBO:12345\n"
    "    dnslist[zen.spamhaus.org], nx.domain, serv.fail,"
    " not.double.verified\n"
    "172.16.0.0/12, .corp.example\n    RELAY (anonymous)\n"
    "ALL\n    REJECT\n",
    // IPv6 heavy: nested prefixes and ranges.
    "A:\n    REJECT\n    2001:db8:1::/48, 2001:db8:1:2::/64, ::ffff:0:0/96\n"
    "B:\n    ACCEPT\n    2001:db8::/32, 2600::-26ff:ffff::, ::1\n"
    "C:\n    TCPREFUSE\n    ::/0\n",
    // Hostnames heavy.
    "H:\n    REJECT\n    .a.example, b.a.example, .c.b.a.example, x.y.z\n"
    "    .com, mail.example.net, .example.net\n"
    "I:\n    ACCEPT\n    .example.com, www.example.com, a.b.c.d.e.f.g\n",
};

struct Base {
  std::string image;
  std::vector<std::pair<uint64_t, uint64_t>> regions;  // (offset, size)
};

const std::vector<Base>& Bases() {
  static const std::vector<Base>* bases = [] {
    auto* out = new std::vector<Base>;
    std::vector<std::string> texts(std::begin(kBaseRules),
                                   std::end(kBaseRules));
    texts.push_back(hatmatch::testing::DirectLayoutRules());
    for (std::string_view text : texts) {
      absl::StatusOr<RuleSet> rs = ParseRules(text, "base.hat");
      Check(rs.ok());
      absl::StatusOr<std::shared_ptr<const Table>> t = Table::Compile(*rs);
      Check(t.ok());
      Base b;
      b.image = (*t)->Serialize();
      TableFileHeader h;
      std::memcpy(&h, b.image.data(), sizeof h);
      for (uint32_t i = 0; i < h.section_count; ++i) {
        SectionEntry e;
        std::memcpy(&e, b.image.data() + sizeof h + i * sizeof e, sizeof e);
        b.regions.push_back({e.offset, e.size});
      }
      b.regions.push_back(
          {0, sizeof h + uint64_t{h.section_count} * sizeof(SectionEntry)});
      out->push_back(std::move(b));
    }
    return out;
  }();
  return *bases;
}

const std::vector<Connection>& Probes() {
  static const std::vector<Connection>* probes = [] {
    auto* out = new std::vector<Connection>;
    for (const char* line :
         {"10.1.2.3 ptr=mx1.example.com", "198.51.100.7 ptr=a.skip.example",
          "192.168.2.9 sbrs=-5 sbo=12345", "2001:db8:1:2::3 dns=nx",
          "2600::1 ptr=www.example.com", "::ffff:10.0.0.1 sbrs=none",
          "203.0.113.15 dnslist=zen.spamhaus.org", "::1 dns=servfail",
          "8.8.8.8 ptr=b.a.example dns=mismatch", "255.255.255.255",
          "10.0.1.129", "10.0.3.7", "10.0.2.1", "10.0.4.1"}) {
      absl::StatusOr<Connection> c = ParseConnection(line);
      Check(c.ok());
      out->push_back(*c);
    }
    return out;
  }();
  return *probes;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t flags = data[0];
  std::string image;
  bool edited = false;
  if (flags & 0x80) {
    image.assign(reinterpret_cast<const char*>(data) + 1, size - 1);
    edited = true;
  } else {
    const Base& base = Bases()[flags & 0x10 ? 4 : (flags >> 1) & 3];
    image = base.image;
    size_t i = 1;
    if ((flags & 0x08) && size >= 5) {
      uint32_t len;
      std::memcpy(&len, data + 1, 4);
      image.resize(len % (image.size() + 1));
      i = 5;
      edited = true;
    }
    for (; i + 4 <= size; i += 4) {
      const auto& [off, len] = base.regions[data[i] % base.regions.size()];
      if (len == 0 || data[i + 3] == 0) continue;
      const uint64_t at = off + (data[i + 1] | (data[i + 2] << 8)) % len;
      if (at >= image.size()) continue;
      image[at] = static_cast<char>(image[at] ^ data[i + 3]);
      edited = true;
    }
    if (flags & 0x01) ResealTableImage(&image);
  }
  absl::StatusOr<std::shared_ptr<const Table>> t =
      Table::OpenBytes(image, "fuzz.hmt");
  if (!t.ok()) {
    // An intact table always opens; a damaged one says why.
    Check(edited);
    Check(!t.status().message().empty());
    return 0;
  }
  const Table& table = **t;
  for (const Connection& c : Probes()) {
    const Decision d = table.ClassifyWithEntry(c);
    if (d.matched()) Check(d.rule < table.rule_count());
    (void)table.Detail(d);
  }
  for (uint32_t r = 0; r < table.rule_count(); ++r) {
    (void)table.rule_name(r);
    (void)table.rule_action(r);
  }
  (void)table.LookupHost("a.b.example.com.");
  (void)table.RestoreRuleSet();
  Check(table.Serialize() == image);
  return 0;
}
