// Copyright 2026 The hatmatch Authors.
// Strict IPv4/IPv6 text parsing and RFC 5952 formatting (address.h,
// ip_text.h).  Hand-written rather than inet_pton(): inet_pton's accepted
// forms vary by libc (leading zeros, octal), and the contract wants exact
// messages and the same answer everywhere.

#include "hatmatch/address.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/parse/ip_text.h"
#include "engine/parse/text.h"
#include "fmt/format.h"

namespace hatmatch {
namespace parse_internal {

bool ParseDecimalOctet(std::string_view s, uint32_t* out, std::string* why) {
  if (s.empty()) {
    *why = "empty octet";
    return false;
  }
  for (char c : s) {
    if (!IsDigit(c)) {
      *why = fmt::format("{} is not a decimal octet", Quote(s, 20));
      return false;
    }
  }
  if (s.size() > 1 && s[0] == '0') {
    *why = fmt::format("octet {} has a leading zero", Quote(s, 20));
    return false;
  }
  if (s.size() > 3) {
    *why = fmt::format(
        "octet {} out of range 0..255",
        s.size() > 20 ? std::string(s.substr(0, 20)) + "..." : std::string(s));
    return false;
  }
  uint32_t v = 0;
  for (char c : s) v = v * 10 + static_cast<uint32_t>(c - '0');
  if (v > 255) {
    *why = fmt::format("octet {} out of range 0..255", v);
    return false;
  }
  *out = v;
  return true;
}

bool ParseOctetList(std::string_view s, OctetList* out, std::string* why) {
  *out = OctetList();
  if (s.empty()) {
    *why = "missing address";
    return false;
  }
  if (s.back() == '.') {
    out->trailing_dot = true;
    s.remove_suffix(1);
    if (s.empty()) {
      *why = "empty octet";
      return false;
    }
  }
  size_t start = 0;
  while (true) {
    const size_t dot = s.find('.', start);
    const std::string_view part =
        s.substr(start, dot == std::string_view::npos ? s.npos : dot - start);
    if (out->n == 4) {
      *why = "more than 4 octets";
      return false;
    }
    if (!ParseDecimalOctet(part, &out->v[out->n], why)) return false;
    ++out->n;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return true;
}

bool ScanIpv4(std::string_view s, uint32_t* out, std::string* why) {
  OctetList o;
  if (!ParseOctetList(s, &o, why)) return false;
  if (o.trailing_dot || o.n != 4) {
    *why = o.trailing_dot ? "trailing dot after the address"
                          : fmt::format("{} octet{} where 4 are needed", o.n,
                                        o.n == 1 ? "" : "s");
    return false;
  }
  *out = o.Value();
  return true;
}

namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The groups of an IPv6 text as scanned, before "::" is expanded.
struct Ipv6Groups {
  uint16_t group[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int n = 0;
  int gap = -1;  // index in group where "::" stands, -1 when absent
};

bool Fail(std::string* why, std::string text) {
  *why = std::move(text);
  return false;
}

// A leading "::" (a gap before the first group), or nothing; *i is where the
// first group starts.
bool ScanStart(std::string_view s, Ipv6Groups* g, size_t* i, std::string* why) {
  if (s[0] != ':') return true;
  if (s.size() < 2 || s[1] != ':')
    return Fail(why, "a single ':' at the start");
  g->gap = 0;
  *i = 2;
  return true;
}

// The dotted quad that ends an address: the last two groups.
bool ScanEmbeddedIpv4(std::string_view token, bool last, Ipv6Groups* g,
                      std::string* why) {
  if (!last) {
    return Fail(why, "an embedded IPv4 address that is not the last part");
  }
  if (g->n > 6) {
    return Fail(why, "too many groups before the embedded IPv4 address");
  }
  uint32_t v4 = 0;
  std::string v4_why;
  if (!ScanIpv4(token, &v4, &v4_why)) {
    return Fail(why, fmt::format("bad embedded IPv4 address {}: {}",
                                 Quote(token), v4_why));
  }
  g->group[g->n++] = static_cast<uint16_t>(v4 >> 16);
  g->group[g->n++] = static_cast<uint16_t>(v4 & 0xFFFF);
  return true;
}

// One group of 1 to 4 hex digits.
bool ScanHexGroup(std::string_view token, Ipv6Groups* g, std::string* why) {
  if (g->n == 8) return Fail(why, "more than 8 groups");
  uint32_t v = 0;
  for (char c : token) {
    const int h = HexValue(c);
    if (h < 0) {
      return Fail(why, fmt::format("{} where a hex digit is expected",
                                   Quote(std::string_view(&c, 1))));
    }
    v = (v * 16 + static_cast<uint32_t>(h)) & 0xFFFFF;
  }
  if (token.size() > 4) {
    return Fail(
        why, fmt::format("group {} has more than 4 hex digits", Quote(token)));
  }
  g->group[g->n++] = static_cast<uint16_t>(v);
  return true;
}

// The ':' or "::" at s[j] after a group; *i is where the next group starts.
bool ScanSeparator(std::string_view s, size_t j, Ipv6Groups* g, size_t* i,
                   std::string* why) {
  if (j + 1 < s.size() && s[j + 1] == ':') {
    if (g->gap >= 0) return Fail(why, "'::' more than once");
    g->gap = g->n;
    *i = j + 2;
    return true;
  }
  if (j + 1 == s.size()) return Fail(why, "a single ':' at the end");
  *i = j + 1;
  return true;
}

// Checks the group count, expands "::" and packs the groups.
bool Assemble(const Ipv6Groups& g, Ipv6Addr* out, std::string* why) {
  if (g.gap < 0 && g.n != 8) {
    return Fail(why, fmt::format("{} group{} where 8 are needed (or '::')", g.n,
                                 g.n == 1 ? "" : "s"));
  }
  if (g.gap >= 0 && g.n > 7) {
    return Fail(why, "'::' in an address that already has 8 groups");
  }
  uint16_t full[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  if (g.gap < 0) {
    for (int k = 0; k < 8; ++k) full[k] = g.group[k];
  } else {
    for (int k = 0; k < g.gap; ++k) full[k] = g.group[k];
    const int tail = g.n - g.gap;
    for (int k = 0; k < tail; ++k) full[8 - tail + k] = g.group[g.gap + k];
  }
  Ipv6Addr a;
  for (int k = 0; k < 4; ++k) a.hi = (a.hi << 16) | full[k];
  for (int k = 4; k < 8; ++k) a.lo = (a.lo << 16) | full[k];
  *out = a;
  return true;
}

}  // namespace

bool ScanIpv6(std::string_view s, Ipv6Addr* out, std::string* why) {
  if (s.empty()) return Fail(why, "empty address");
  if (s.find('%') != std::string_view::npos) {
    return Fail(why, "a zone id ('%'), which is not allowed");
  }
  Ipv6Groups g;
  size_t i = 0;
  if (!ScanStart(s, &g, &i, why)) return false;
  while (i < s.size()) {
    size_t j = i;
    bool has_dot = false;
    while (j < s.size() && s[j] != ':') {
      if (s[j] == '.') has_dot = true;
      ++j;
    }
    const std::string_view token = s.substr(i, j - i);
    // Only reachable as ":::" (a "::" followed by another ':').
    if (token.empty()) return Fail(why, "':::' (three colons)");
    if (has_dot) {
      if (!ScanEmbeddedIpv4(token, j == s.size(), &g, why)) return false;
      break;
    }
    if (!ScanHexGroup(token, &g, why)) return false;
    if (j == s.size()) break;
    if (!ScanSeparator(s, j, &g, &i, why)) return false;
  }
  return Assemble(g, out, why);
}

void Ipv4Prefix(uint32_t a, int bits, uint32_t* lo, uint32_t* hi) {
  const uint32_t host = bits >= 32 ? 0u : (~uint32_t{0} >> bits);
  *lo = a & ~host;
  *hi = a | host;
}

void Ipv6Prefix(const Ipv6Addr& a, int bits, Ipv6Addr* lo, Ipv6Addr* hi) {
  // Host masks of each half: all ones where the bit is not in the prefix.
  const auto host_mask = [](int prefix_bits_in_half) -> uint64_t {
    if (prefix_bits_in_half <= 0) return ~uint64_t{0};
    if (prefix_bits_in_half >= 64) return 0;
    return ~uint64_t{0} >> prefix_bits_in_half;
  };
  const uint64_t hm = host_mask(bits);
  const uint64_t lm = host_mask(bits - 64);
  lo->hi = a.hi & ~hm;
  lo->lo = a.lo & ~lm;
  hi->hi = a.hi | hm;
  hi->lo = a.lo | lm;
}

}  // namespace parse_internal

using parse_internal::Quote;

absl::StatusOr<uint32_t> ParseIpv4(std::string_view text) {
  uint32_t a = 0;
  std::string why;
  if (!parse_internal::ScanIpv4(text, &a, &why)) {
    return absl::InvalidArgumentError(
        fmt::format("{} is not a valid IPv4 address: {}", Quote(text), why));
  }
  return a;
}

absl::StatusOr<Ipv6Addr> ParseIpv6(std::string_view text) {
  Ipv6Addr a;
  std::string why;
  if (!parse_internal::ScanIpv6(text, &a, &why)) {
    return absl::InvalidArgumentError(
        fmt::format("{} is not a valid IPv6 address: {}", Quote(text), why));
  }
  return a;
}

absl::StatusOr<IpAddress> ParseIpAddress(std::string_view text) {
  std::string why;
  if (text.find(':') != std::string_view::npos) {
    Ipv6Addr a;
    if (parse_internal::ScanIpv6(text, &a, &why)) {
      uint32_t v4 = 0;
      if (Ipv6EmbedsIpv4(a, &v4)) return IpAddress::V4(v4);
      return IpAddress::V6(a);
    }
  } else {
    uint32_t a = 0;
    if (parse_internal::ScanIpv4(text, &a, &why)) return IpAddress::V4(a);
  }
  // The exact wording is part of the API (the batch contract prints it).
  return absl::InvalidArgumentError(
      fmt::format("'{}' does not appear to be an IPv4 or IPv6 address",
                  parse_internal::SafeText(text)));
}

bool Ipv6EmbedsIpv4(const Ipv6Addr& a, uint32_t* v4) {
  if (!Ipv6RangeEmbedsIpv4Only(a, a)) return false;
  if (v4 != nullptr) *v4 = static_cast<uint32_t>(a.lo);
  return true;
}

namespace parse_internal {

char* WriteIpv4(uint32_t a, char* out) {
  for (int shift = 24; shift >= 0; shift -= 8) {
    const uint32_t octet = (a >> shift) & 0xFF;
    if (octet >= 100) *out++ = static_cast<char>('0' + octet / 100);
    if (octet >= 10) *out++ = static_cast<char>('0' + octet / 10 % 10);
    *out++ = static_cast<char>('0' + octet % 10);
    if (shift != 0) *out++ = '.';
  }
  return out;
}

}  // namespace parse_internal

std::string FormatIpv4(uint32_t a) {
  char text[parse_internal::kMaxIpv4Text];
  return std::string(text, parse_internal::WriteIpv4(a, text));
}

std::string FormatIpv6(const Ipv6Addr& a) {
  uint16_t g[8];
  for (int k = 0; k < 4; ++k) {
    g[k] = static_cast<uint16_t>(a.hi >> (48 - 16 * k));
    g[4 + k] = static_cast<uint16_t>(a.lo >> (48 - 16 * k));
  }
  // RFC 5952 section 5: an IPv4-mapped address is shown with its dotted quad.
  const bool mapped = a.hi == 0 && (a.lo >> 32) == 0xFFFF;
  const int ngroups = mapped ? 6 : 8;
  // RFC 5952 section 4.2: compress the longest run of two or more zero
  // groups, the first one on a tie.
  int best_start = -1;
  int best_len = 1;
  for (int k = 0; k < ngroups;) {
    if (g[k] != 0) {
      ++k;
      continue;
    }
    int e = k;
    while (e < ngroups && g[e] == 0) ++e;
    if (e - k > best_len) {
      best_start = k;
      best_len = e - k;
    }
    k = e;
  }
  std::string out;
  for (int k = 0; k < ngroups;) {
    if (k == best_start) {
      out += "::";
      k += best_len;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    out += fmt::format("{:x}", g[k]);
    ++k;
  }
  if (mapped) {
    if (!out.empty() && out.back() != ':') out += ':';
    out += FormatIpv4(static_cast<uint32_t>(a.lo));
  }
  return out;
}

std::string FormatIpAddress(const IpAddress& a) {
  return a.is_v4() ? FormatIpv4(a.v4()) : FormatIpv6(a.v6());
}

}  // namespace hatmatch
