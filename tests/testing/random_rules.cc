// Copyright 2026 The hatmatch Authors.

#include "tests/testing/random_rules.h"

#include <cstdint>
#include <random>
#include <string>
#include <variant>
#include <vector>

#include "engine/table/priority_map.h"
#include "fmt/format.h"
#include "hatmatch/address.h"
#include "tests/testing/random_draw.h"

namespace hatmatch::testing {
namespace {

std::string V4Text(uint32_t a) { return FormatIpv4(a); }

Ipv6Addr RandomV6(Rng& rng) {
  static const std::vector<Ipv6Addr> anchors = {
      {0x20010db800000000, 0},
      {0x20010db800000000, 0xffffffffffffffff},
      {0x20010db800010000, 0},
      {0x20010db9ffffffff, 0xffffffffffffff00},
      {0, 0x0000ffff0a000000},  // ::ffff:10.0.0.0, IPv4-mapped space
      {0, 1},
      {0xfe80000000000000, 0}};
  Ipv6Addr a = Pick(rng, anchors);
  if (Chance(rng, 0.5)) {
    a.lo += Uniform(rng, 512);
  } else {
    a.hi += Uniform(rng, 4);
  }
  return a;
}

std::string RandomV4Entry(Rng& rng) {
  uint32_t a = RandomV4(rng);
  switch (Uniform(rng, 9)) {
    case 0:
      return V4Text(a);
    case 1:
    case 2: {
      int len = static_cast<int>(Uniform(rng, 33));
      if (Chance(rng, 0.5)) len = 20 + static_cast<int>(Uniform(rng, 13));
      uint32_t mask = len == 0 ? 0 : ~uint32_t{0} << (32 - len);
      return fmt::format("{}/{}", V4Text(a & mask), len);
    }
    case 3: {  // partial with 1..3 octets, with or without trailing dot
      int octets = 1 + static_cast<int>(Uniform(rng, 3));
      std::string s = std::to_string(a >> 24);
      for (int i = 1; i < octets; ++i) {
        s += '.';  // not `"." + ...`: GCC 12 -Wrestrict false positive
        s += std::to_string((a >> (24 - 8 * i)) & 0xff);
      }
      return Chance(rng, 0.5) ? s + "." : s;
    }
    case 4: {  // last-octet range a.b.c.d-e
      uint32_t d = a & 0xff, e = d + Uniform(rng, 256 - d);
      return fmt::format("{}-{}", V4Text((a & ~0xffu) | d), e);
    }
    case 5: {  // third-octet range a.b.c-e.
      uint32_t c = (a >> 8) & 0xff, e = c + Uniform(rng, 256 - c);
      return fmt::format("{}.{}.{}-{}{}", a >> 24, (a >> 16) & 0xff, c, e,
                         Chance(rng, 0.5) ? "." : "");
    }
    case 6: {  // full range
      uint32_t b = RandomV4(rng);
      if (b < a) std::swap(a, b);
      return fmt::format("{}-{}", V4Text(a), V4Text(b));
    }
    case 7:  // CIDR with host bits set (warned, masked)
      return fmt::format("{}/{}", V4Text(a), 16 + Uniform(rng, 17));
    default:  // IPv4-mapped spelling in a rule is an IPv6 entry: no match
      return Chance(rng, 0.3) ? fmt::format("::ffff:{}", V4Text(a)) : V4Text(a);
  }
}

std::string RandomV6Entry(Rng& rng) {
  Ipv6Addr a = RandomV6(rng);
  switch (Uniform(rng, 4)) {
    case 0:
      return FormatIpv6(a);
    case 1: {
      int len = static_cast<int>(Uniform(rng, 129));
      if (Chance(rng, 0.7)) len = 32 + static_cast<int>(Uniform(rng, 97));
      Ipv6Addr m = a;
      if (len <= 64) {
        m.lo = 0;
        m.hi = len == 0 ? 0 : m.hi & (~uint64_t{0} << (64 - len));
      } else {
        m.lo &= len == 128 ? ~uint64_t{0} : ~uint64_t{0} << (128 - len);
      }
      return fmt::format("{}/{}", FormatIpv6(m), len);
    }
    default: {
      Ipv6Addr b = RandomV6(rng);
      if (b < a) std::swap(a, b);
      return fmt::format("{}-{}", FormatIpv6(a), FormatIpv6(b));
    }
  }
}

std::string RandomCase(Rng& rng, std::string s) {
  for (char& c : s) {
    if (Chance(rng, 0.2)) c = static_cast<char>(std::toupper(c));
  }
  return s;
}

std::string Score(Rng& rng) {
  static const std::vector<std::string> scores = {
      "-10", "-10.0", "-3.0", "-3", "-2.99", "0", "-0.0", "0.5", "3", "10"};
  return Pick(rng, scores);
}

std::string RandomEntry(Rng& rng) {
  switch (Uniform(rng, 12)) {
    case 0:
    case 1:
    case 2:
      return RandomV4Entry(rng);
    case 3:
    case 4:
      return RandomV6Entry(rng);
    case 5:
    case 6: {
      std::string n = RandomCase(rng, RandomName(rng, 3));
      if (Chance(rng, 0.2)) n += '.';
      return Chance(rng, 0.5) ? "." + n : n;
    }
    case 7: {
      double a = std::stod(Score(rng)), b = std::stod(Score(rng));
      if (a > b) std::swap(a, b);
      return fmt::format("sbrs[{}:{}]", a, b);
    }
    case 8:
      return Chance(rng, 0.5) ? "sbrs[none]" : "SBRS[None]";
    case 9:
      return fmt::format("SBO:{}", Uniform(rng, 4));
    case 10:
      return fmt::format(
          "dnslist[{}]",
          RandomCase(rng, Chance(rng, 0.5) ? "zen.example" : "bl.example."));
    default: {
      static const std::vector<std::string> dns = {"nx.domain", "serv.fail",
                                                   "not.double.verified"};
      return Pick(rng, dns);
    }
  }
}

}  // namespace

std::string RandomRuleText(Rng& rng, const RandomRulesOptions& opts) {
  static const std::vector<std::string> actions = {
      "ACCEPT", "REJECT", "TCPREFUSE", "RELAY", "CONTINUE"};
  std::string out = "# random rules\n";
  const int policies = 1 + static_cast<int>(Uniform(rng, 4));
  for (int p = 0; p < policies; ++p) {
    out += fmt::format("$P{}\n    {}\n", p, Pick(rng, actions));
  }
  auto policy_line = [&]() {
    if (Chance(rng, 0.7)) {
      return fmt::format("$p{}", Uniform(rng, policies));
    }
    return Pick(rng, actions) + (Chance(rng, 0.3) ? " (inline)" : "");
  };
  const int rules = static_cast<int>(Uniform(rng, opts.max_rules + 1));
  for (int r = 0; r < rules; ++r) {
    const int n = static_cast<int>(Uniform(rng, opts.max_entries_per_rule)) + 1;
    std::vector<std::string> entries;
    for (int i = 0; i < n; ++i) entries.push_back(RandomEntry(rng));
    if (Chance(rng, 0.15)) {  // anonymous rule: entries at column 0
      std::string line;
      for (size_t i = 0; i < entries.size(); ++i) {
        line += (i ? ", " : "") + entries[i];
      }
      // A column-0 line that looks like `name:` would be a header; these
      // never do, since every entry list here has a digit, dot or bracket.
      out += fmt::format("{}\n    {}\n", line, policy_line());
      continue;
    }
    out += fmt::format("G{}:\n", r);
    const bool policy_first = Chance(rng, 0.6);
    if (policy_first) out += "    " + policy_line() + "\n";
    for (size_t i = 0; i < entries.size();) {
      size_t k = 1 + Uniform(rng, 3);
      std::string line;
      for (size_t j = 0; j < k && i < entries.size(); ++j, ++i) {
        line += (j ? ", " : "") + entries[i];
      }
      out += "    " + line + "\n";
    }
    if (!policy_first) out += "    " + policy_line() + "\n";
  }
  if (opts.allow_all && Chance(rng, 0.5)) {
    out += "ALL\n    " + policy_line() + "\n";
  }
  return out;
}

Connection RandomConnection(Rng& rng, const RuleSet& rules) {
  Connection c;
  const auto& entries = rules.entries();
  // Address: at or next to an entry's edge most of the time.
  const Entry* e = entries.empty() ? nullptr : &Pick(rng, entries);
  const Ipv4Range* r4 = e ? std::get_if<Ipv4Range>(&e->value) : nullptr;
  const Ipv6Range* r6 = e ? std::get_if<Ipv6Range>(&e->value) : nullptr;
  if (r4 && Chance(rng, 0.85)) {
    uint32_t base = Chance(rng, 0.5) ? r4->lo : r4->hi;
    uint32_t a = base + static_cast<uint32_t>(Uniform(rng, 3)) - 1;
    if (Chance(rng, 0.1)) a = r4->lo + (r4->hi - r4->lo) / 2;
    c.address = Chance(rng, 0.1)
                    ? IpAddress::V6(Ipv6Addr{0, 0x0000ffff00000000ull | a})
                    : IpAddress::V4(a);
  } else if (r6 && Chance(rng, 0.85)) {
    Ipv6Addr a = Chance(rng, 0.5) ? r6->lo : r6->hi;
    switch (Uniform(rng, 3)) {
      case 0:
        a = KeyTraits<Ipv6Addr>::Prev(a);
        break;
      case 1:
        a = KeyTraits<Ipv6Addr>::Next(a);
        break;
      default:
        break;
    }
    c.address = IpAddress::V6(a);
  } else if (Chance(rng, 0.6)) {
    c.address = IpAddress::V4(RandomV4(rng));
  } else {
    c.address = IpAddress::V6(RandomV6(rng));
  }

  // Name: around a hostname entry, or random; sometimes invalid.
  const HostPattern* h = e ? std::get_if<HostPattern>(&e->value) : nullptr;
  std::string name;
  if (h && Chance(rng, 0.8)) {
    name = h->name;
    if (Chance(rng, 0.6)) name = RandomName(rng, 2) + "." + name;
  } else {
    name = RandomName(rng, 4);
  }
  name = RandomCase(rng, name);
  if (Chance(rng, 0.15)) name += '.';
  if (Chance(rng, 0.05))
    name = Pick(rng, std::vector<std::string>{"a..example.com", ".example.com",
                                              "not*valid.com", "", "com..",
                                              std::string(64, 'a') + ".com"});
  switch (Uniform(rng, 6)) {
    case 0:
      break;  // nothing said
    case 1:
      c.dns = DnsState::kNxDomain;
      break;
    case 2:
      c.dns = DnsState::kServFail;
      break;
    case 3:
      c.dns = DnsState::kMismatch;
      c.ptr = name;
      break;
    default:
      c.dns = DnsState::kVerified;
      c.ptr = name;
  }
  if (Chance(rng, 0.75))
    c.sbrs = std::stod(Score(rng)) + (Chance(rng, 0.2) ? 0.01 : 0.0);
  if (c.sbrs && *c.sbrs > 10) c.sbrs = 10;
  if (Chance(rng, 0.3)) c.sbo = Uniform(rng, 5);
  if (Chance(rng, 0.3)) {
    c.dnslists.push_back(
        RandomCase(rng, Chance(rng, 0.5) ? "zen.example" : "bl.example."));
    if (Chance(rng, 0.3)) c.dnslists.push_back("other.example");
  }
  return c;
}

}  // namespace hatmatch::testing
