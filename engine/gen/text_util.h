// Copyright 2026 The hatmatch Authors.
//
// text_util.h: small formatting helpers shared by the generators.
//
// Scores in tenths print without floating-point formatting so that the text
// is the same everywhere.  Addresses print with FormatIpv4 / FormatIpv6
// (hatmatch/address.h, RFC 5952) and IPv6 range arithmetic uses Uint128.

#ifndef HATMATCH_ENGINE_GEN_TEXT_UTIL_H_
#define HATMATCH_ENGINE_GEN_TEXT_UTIL_H_

#include <cstdint>
#include <cstdlib>
#include <string>

#include "hatmatch/address.h"

namespace hatmatch::gen {

using u128 = Uint128;

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
