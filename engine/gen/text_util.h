// Copyright 2026 The hatmatch Authors.
//
// text_util.h: small formatting helpers shared by the generators.
//
// Addresses are printed with inet_ntop (RFC 5952 canonical text for IPv6 on
// glibc and musl); scores in tenths print without floating-point formatting
// so that the text is the same everywhere.  IPv6 range arithmetic uses
// Uint128 (hatmatch/address.h).

#ifndef HATMATCH_ENGINE_GEN_TEXT_UTIL_H_
#define HATMATCH_ENGINE_GEN_TEXT_UTIL_H_

#include <arpa/inet.h>

#include <cstdint>
#include <cstdlib>
#include <string>

#include "hatmatch/address.h"

namespace hatmatch::gen {

using u128 = Uint128;

inline std::string V4Text(uint32_t a) {
  std::string s;
  s.reserve(15);
  for (int shift = 24; shift >= 0; shift -= 8) {
    s += std::to_string((a >> shift) & 0xff);
    if (shift) s += '.';
  }
  return s;
}

inline std::string V6Text(const Ipv6Addr& a) {
  unsigned char bytes[16];
  for (int i = 0; i < 8; ++i) {
    bytes[i] = static_cast<unsigned char>(a.hi >> (56 - 8 * i));
    bytes[8 + i] = static_cast<unsigned char>(a.lo >> (56 - 8 * i));
  }
  char buf[INET6_ADDRSTRLEN];
  return inet_ntop(AF_INET6, bytes, buf, sizeof buf) ? std::string(buf) : "";
}

// -35 -> "-3.5", 100 -> "10.0", 0 -> "0.0".
inline std::string TenthsText(int tenths) {
  std::string s = tenths < 0 ? "-" : "";
  const int a = std::abs(tenths);
  return s + std::to_string(a / 10) + "." + std::to_string(a % 10);
}

// DNS list zones shared by rule and traffic generation, so that generated
// traffic can hit generated `dnslist[...]` entries.
inline constexpr const char* kDnsListZones[] = {
    "zen.spamhaus.example", "bl.spamcop.example", "b.barracuda.example",
    "dnsbl.sorbs.example"};

}  // namespace hatmatch::gen

#endif  // HATMATCH_ENGINE_GEN_TEXT_UTIL_H_
