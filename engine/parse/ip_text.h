// Copyright 2026 The hatmatch Authors.
//
// ip_text.h: the strict IPv4/IPv6 text scanners behind address.h, exposed to
// the entry parser so that its messages can say exactly what is wrong
// ("octet 256 out of range 0..255") instead of the generic message of
// ParseIpAddress().  Internal; not part of the public API.
//
// Every function is linear in its input, never reads outside it, accepts any
// bytes, and on failure fills *why with a short "what was found" phrase that
// the caller completes with the offending text.

#ifndef HATMATCH_ENGINE_PARSE_IP_TEXT_H_
#define HATMATCH_ENGINE_PARSE_IP_TEXT_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "hatmatch/address.h"

namespace hatmatch::parse_internal {

// One decimal octet: 1-3 digits, 0..255, no leading zero ("0" is fine).
bool ParseDecimalOctet(std::string_view s, uint32_t* out, std::string* why);

// "a", "a.b", "a.b.c" or "a.b.c.d", each optionally followed by one '.'.
struct OctetList {
  uint32_t v[4] = {0, 0, 0, 0};
  int n = 0;
  bool trailing_dot = false;
  // The octets as an address, missing ones 0.
  uint32_t Value() const {
    return (v[0] << 24) | (v[1] << 16) | (v[2] << 8) | v[3];
  }
};
bool ParseOctetList(std::string_view s, OctetList* out, std::string* why);

// Exactly "a.b.c.d".
bool ScanIpv4(std::string_view s, uint32_t* out, std::string* why);

// Writes `a` as "a.b.c.d" at out, which has room for kMaxIpv4Text bytes,
// and returns the end: FormatIpv4 without the allocation, for callers that
// format many addresses (a table's derived entry texts).
inline constexpr size_t kMaxIpv4Text = 15;  // 255.255.255.255
char* WriteIpv4(uint32_t a, char* out);

// RFC 4291 section 2.2 text forms: eight groups of 1-4 hex digits, "::" at
// most once standing for one or more zero groups, optionally a dotted quad in
// place of the last two groups.  No zone id, no brackets, no prefix.
bool ScanIpv6(std::string_view s, Ipv6Addr* out, std::string* why);

// Inclusive range of a prefix: lo = a with host bits cleared, hi = lo with
// host bits set.  `bits` must be 0..32 (v4) or 0..128 (v6).
void Ipv4Prefix(uint32_t a, int bits, uint32_t* lo, uint32_t* hi);
void Ipv6Prefix(const Ipv6Addr& a, int bits, Ipv6Addr* lo, Ipv6Addr* hi);

}  // namespace hatmatch::parse_internal

#endif  // HATMATCH_ENGINE_PARSE_IP_TEXT_H_
