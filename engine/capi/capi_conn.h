// Copyright 2026 The hatmatch Authors.
//
// capi_conn.h: the C API's connection accessor (the interface is in
// engine/table/classify_block.h): the table's classifier reads the caller's
// hatmatch_conn array in place.  The validation the header promises (family,
// DNS state, score range, DNS-list array) is valid(), which the classifier
// calls once per connection in the pass that gathers its keys.

#ifndef HATMATCH_ENGINE_CAPI_CAPI_CONN_H_
#define HATMATCH_ENGINE_CAPI_CAPI_CONN_H_

#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "engine/capi/capi_internal.h"
#include "hatmatch/address.h"
#include "hatmatch/hatmatch.h"
#include "hatmatch/rules.h"

namespace hatmatch::capi {

// hatmatch_dns is DnsState by value: the accessor passes it through.
static_assert(HATMATCH_DNS_UNKNOWN == static_cast<int>(DnsState::kUnknown));
static_assert(HATMATCH_DNS_VERIFIED == static_cast<int>(DnsState::kVerified));
static_assert(HATMATCH_DNS_NXDOMAIN == static_cast<int>(DnsState::kNxDomain));
static_assert(HATMATCH_DNS_SERVFAIL == static_cast<int>(DnsState::kServFail));
static_assert(HATMATCH_DNS_MISMATCH == static_cast<int>(DnsState::kMismatch));
static_assert(HATMATCH_DNS_MISMATCH + 1 == kDnsStateCount);

inline uint32_t LoadBigEndian32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, sizeof v);
  if constexpr (std::endian::native == std::endian::little) {
    v = __builtin_bswap32(v);
  }
  return v;
}

inline uint64_t LoadBigEndian64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof v);
  if constexpr (std::endian::native == std::endian::little) {
    v = __builtin_bswap64(v);
  }
  return v;
}

// The DNS-list array of a connection with dnslist_count > 0: no NULL
// array, no NULL zone.
inline bool ValidZones(const hatmatch_conn& c) {
  if (c.dnslists == nullptr) return false;
  for (size_t k = 0; k < c.dnslist_count; ++k) {
    if (c.dnslists[k] == nullptr) return false;
  }
  return true;
}

// Whether `c` is a connection the header lets through: family 4 or 6, a DNS
// state it lists, a score (when present) in -10..10 (NaN is not), and a
// DNS-list array with no NULL zone when the count is nonzero.
inline bool ValidConn(const hatmatch_conn& c) {
  // Few branches: this runs on every connection.  x | 2 == 6 holds for 4
  // and 6 only; read as unsigned, a negative int is large.
  const auto family = static_cast<uint32_t>(Raw(c.family));
  const auto dns = static_cast<uint32_t>(Raw(c.dns));
  bool ok =
      ((family | 2u) == HATMATCH_FAMILY_IPV6) & (dns <= HATMATCH_DNS_MISMATCH);
  if (c.has_sbrs) ok &= std::fabs(c.sbrs) <= 10.0;  // NaN: false
  if (c.dnslist_count > 0) ok &= ValidZones(c);
  return ok;
}

// The classifier's view of a hatmatch_conn array.  Every accessor but
// valid() assumes valid() said yes.
class ConnRefs {
 public:
  explicit ConnRefs(const hatmatch_conn* conns) : c_(conns) {}
  bool valid(size_t i) const { return ValidConn(c_[i]); }
  IpAddress address(size_t i) const {
    const hatmatch_conn& c = c_[i];
    if (Raw(c.family) == HATMATCH_FAMILY_IPV4) {
      return IpAddress::V4(LoadBigEndian32(c.address));
    }
    return NormalizeEmbeddedIpv4(IpAddress::V6(
        Ipv6Addr{LoadBigEndian64(c.address), LoadBigEndian64(c.address + 8)}));
  }
  std::string_view verified_name(size_t i) const {
    const hatmatch_conn& c = c_[i];
    if (Raw(c.dns) != HATMATCH_DNS_VERIFIED || c.ptr == nullptr) return {};
    return std::string_view(c.ptr);
  }
  DnsState dns(size_t i) const { return static_cast<DnsState>(Raw(c_[i].dns)); }
  const double* sbrs(size_t i) const {
    return c_[i].has_sbrs ? &c_[i].sbrs : nullptr;
  }
  const uint64_t* sbo(size_t i) const {
    return c_[i].has_sbo ? &c_[i].sbo : nullptr;
  }
  size_t zone_count(size_t i) const { return c_[i].dnslist_count; }
  std::string_view zone(size_t i, size_t k) const {
    return std::string_view(c_[i].dnslists[k]);
  }

 private:
  const hatmatch_conn* c_;
};

}  // namespace hatmatch::capi

#endif  // HATMATCH_ENGINE_CAPI_CAPI_CONN_H_
