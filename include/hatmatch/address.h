// Copyright 2026 The hatmatch Authors.
//
// address.h: IPv4 and IPv6 addresses as hatmatch sees them.
//
// An IpAddress is either IPv4 (a host-order uint32_t) or IPv6 (two host-order
// 64-bit halves).  ParseIpAddress() is strict: decimal octets 0..255 with no
// leading zeros (so "010" is an error, never octal), RFC 4291 IPv6 text forms
// with "::" compression and an embedded dotted quad, nothing before or after.
//
// Normalization (HAT-RULES.md section 3): an IPv4-mapped IPv6 address
// (::ffff:a.b.c.d) *is* the IPv4 address a.b.c.d.  hatmatch also treats the
// deprecated IPv4-compatible form (::a.b.c.d, any address in ::/96 except ::
// and ::1) as IPv4, so neither spelling can slip an IPv4 host past an IPv4
// rule (docs/RULES.md, "Decisions where the contract is silent").
//
//   absl::StatusOr<IpAddress> a = ParseIpAddress("::ffff:192.0.2.1");
//   assert(a->is_v4() && a->v4() == 0xC0000201);

#ifndef HATMATCH_ADDRESS_H_
#define HATMATCH_ADDRESS_H_

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "hatmatch/export.h"

namespace hatmatch {

// An IPv6 address as two host-order halves; compares as a 128-bit integer.
struct Ipv6Addr {
  uint64_t hi = 0;
  uint64_t lo = 0;
  friend constexpr auto operator<=>(const Ipv6Addr&, const Ipv6Addr&) = default;
  friend constexpr bool operator==(const Ipv6Addr&, const Ipv6Addr&) = default;
};

// An IPv6 address as one 128-bit integer, for arithmetic on ranges (sizes,
// block splits, the trie builder's keys).
__extension__ typedef unsigned __int128 Uint128;
constexpr Uint128 ToUint128(const Ipv6Addr& a) {
  return Uint128{a.hi} << 64 | a.lo;
}
constexpr Ipv6Addr FromUint128(Uint128 v) {
  return Ipv6Addr{static_cast<uint64_t>(v >> 64), static_cast<uint64_t>(v)};
}

class IpAddress {
 public:
  IpAddress() = default;
  static constexpr IpAddress V4(uint32_t a) { return IpAddress(true, a, {}); }
  static constexpr IpAddress V6(Ipv6Addr a) { return IpAddress(false, 0, a); }

  constexpr bool is_v4() const { return is_v4_; }
  constexpr uint32_t v4() const { return v4_; }
  constexpr const Ipv6Addr& v6() const { return v6_; }

  friend constexpr bool operator==(const IpAddress&,
                                   const IpAddress&) = default;

 private:
  constexpr IpAddress(bool is_v4, uint32_t v4, Ipv6Addr v6)
      : is_v4_(is_v4), v4_(v4), v6_(v6) {}
  bool is_v4_ = true;
  uint32_t v4_ = 0;
  Ipv6Addr v6_;
};

// Strict dotted-quad parser ("a.b.c.d", exactly four decimal octets).
HATMATCH_EXPORT absl::StatusOr<uint32_t> ParseIpv4(std::string_view text);
// Strict RFC 4291 parser (no zone id, no brackets, no prefix).
HATMATCH_EXPORT absl::StatusOr<Ipv6Addr> ParseIpv6(std::string_view text);
// Either family; IPv4-mapped and IPv4-compatible IPv6 become IPv4.
HATMATCH_EXPORT absl::StatusOr<IpAddress> ParseIpAddress(std::string_view text);

// The two blocks of IPv6 spellings of IPv4 hosts, inclusive: the mapped
// block ::ffff:0:0/96 and the compatible block ::/96 minus :: and ::1.
inline constexpr Ipv6Addr kIpv4CompatibleFirst{0, 2};
inline constexpr Ipv6Addr kIpv4CompatibleLast{0, 0xffffffffULL};
inline constexpr Ipv6Addr kIpv4MappedFirst{0, 0x0000ffff00000000ULL};
inline constexpr Ipv6Addr kIpv4MappedLast{0, 0x0000ffffffffffffULL};

// True when every address of [lo, hi] lies inside one of those blocks: an
// IPv6 range that only ever meets IPv4 connections.
constexpr bool Ipv6RangeEmbedsIpv4Only(const Ipv6Addr& lo, const Ipv6Addr& hi) {
  return (kIpv4CompatibleFirst <= lo && hi <= kIpv4CompatibleLast) ||
         (kIpv4MappedFirst <= lo && hi <= kIpv4MappedLast);
}

// Returns true and sets *v4 (when not null) when `a` is an IPv6 spelling of
// an IPv4 host: `a` lies in one of the blocks above.
HATMATCH_EXPORT bool Ipv6EmbedsIpv4(const Ipv6Addr& a, uint32_t* v4);

// The address as the rules see it: an IPv6 spelling of an IPv4 host becomes
// that IPv4 address; anything else is returned unchanged.  ParseIpAddress()
// already returns normalized addresses; classifiers apply this again so that
// a Connection built in code cannot bypass IPv4 rules either.
inline IpAddress NormalizeEmbeddedIpv4(const IpAddress& a) {
  uint32_t v4;
  if (!a.is_v4() && Ipv6EmbedsIpv4(a.v6(), &v4)) return IpAddress::V4(v4);
  return a;
}

HATMATCH_EXPORT std::string FormatIpv4(uint32_t a);
// RFC 5952 canonical text.
HATMATCH_EXPORT std::string FormatIpv6(const Ipv6Addr& a);
HATMATCH_EXPORT std::string FormatIpAddress(const IpAddress& a);

}  // namespace hatmatch

#endif  // HATMATCH_ADDRESS_H_
