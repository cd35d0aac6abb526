// Copyright 2026 The hatmatch Authors.
//
// The C API's plumbing: versions, status and action names, error messages,
// and the conversion of connections and decisions between C and C++.

#include <cmath>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "engine/capi/capi_internal.h"
#include "hatmatch/hatmatch.h"

namespace hatmatch::capi {
namespace {

// hatmatch_action is hatmatch::Action by value.
static_assert(HATMATCH_ACTION_ACCEPT == static_cast<int>(Action::kAccept));
static_assert(HATMATCH_ACTION_REJECT == static_cast<int>(Action::kReject));
static_assert(HATMATCH_ACTION_TCPREFUSE ==
              static_cast<int>(Action::kTcpRefuse));
static_assert(HATMATCH_ACTION_RELAY == static_cast<int>(Action::kRelay));
static_assert(HATMATCH_ACTION_CONTINUE == static_cast<int>(Action::kContinue));
static_assert(HATMATCH_NO_RULE == kNoRule && HATMATCH_NO_ENTRY == kNoEntry);

bool ValidDns(const hatmatch_dns& d) {
  return Raw(d) <= HATMATCH_DNS_MISMATCH;  // unsigned: no lower bound
}

DnsState ToDnsState(hatmatch_dns d) {
  switch (d) {
    case HATMATCH_DNS_VERIFIED:
      return DnsState::kVerified;
    case HATMATCH_DNS_NXDOMAIN:
      return DnsState::kNxDomain;
    case HATMATCH_DNS_SERVFAIL:
      return DnsState::kServFail;
    case HATMATCH_DNS_MISMATCH:
      return DnsState::kMismatch;
    case HATMATCH_DNS_UNKNOWN:
      break;
  }
  return DnsState::kUnknown;
}

uint64_t BigEndian64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | p[i];
  return v;
}

// The three 8-byte words of an IpAddress, when its layout is the one
// StoreAddress assumes: {is_v4 byte, padding, v4} {v6.hi} {v6.lo}.
bool AddressLayoutIsKnown() {
  if constexpr (sizeof(IpAddress) != 24) return false;
  uint64_t v4[3], v6[3];
  const IpAddress a = IpAddress::V4(0x01020304);
  const IpAddress b = IpAddress::V6(Ipv6Addr{5, 6});
  std::memcpy(v4, &a, sizeof v4);
  std::memcpy(v6, &b, sizeof v6);
  return (v4[0] & 0xff) == 1 && v4[0] >> 32 == 0x01020304 && v4[1] == 0 &&
         v4[2] == 0 && (v6[0] & 0xff) == 0 && v6[1] == 5 && v6[2] == 6;
}

// Writes the address with one 16-byte and one 8-byte store.  The engine
// reads Connection::address with a 16-byte load at once; were the address
// written field by field (a byte, four bytes, sixteen), that load could not
// be forwarded from the pending stores and would wait for them to retire,
// that is for every earlier lookup's cache misses: one connection at a time
// through the C API would no longer overlap with the next.
void StoreAddress(bool v4, uint32_t v4_addr, uint64_t hi, uint64_t lo,
                  IpAddress* out) {
#if defined(__SSE2__)
  static const bool known = AddressLayoutIsKnown();
  if (known) {
    const uint64_t word0 = v4 ? 1 | uint64_t{v4_addr} << 32 : 0;
    auto* p = reinterpret_cast<unsigned char*>(out);
    _mm_storeu_si128(
        reinterpret_cast<__m128i*>(p),
        _mm_set_epi64x(static_cast<int64_t>(hi), static_cast<int64_t>(word0)));
    std::memcpy(p + 16, &lo, sizeof lo);
    return;
  }
#endif
  *out = v4 ? IpAddress::V4(v4_addr) : IpAddress::V6(Ipv6Addr{hi, lo});
}

bool SetAddress(const hatmatch_conn& c, Connection* out) {
  const uint8_t* a = c.address;
  const auto family = Raw(c.family);
  if (family == HATMATCH_FAMILY_IPV4) {
    StoreAddress(true,
                 uint32_t{a[0]} << 24 | uint32_t{a[1]} << 16 |
                     uint32_t{a[2]} << 8 | uint32_t{a[3]},
                 0, 0, &out->address);
    return true;
  }
  if (family == HATMATCH_FAMILY_IPV6) {
    StoreAddress(false, 0, BigEndian64(a), BigEndian64(a + 8), &out->address);
    return true;
  }
  return false;
}

bool SetDnsLists(const hatmatch_conn& c, Connection* out) {
  if (c.dnslist_count > 0 && c.dnslists == nullptr) return false;
  for (size_t i = 0; i < c.dnslist_count; ++i) {
    if (c.dnslists[i] == nullptr) return false;
  }
  std::vector<std::string>& zones = out->dnslists;
  if (zones.size() != c.dnslist_count) {
    // Strings leave and rejoin the list with their buffers, so a warm
    // thread stops allocating for zone names too.
    thread_local std::vector<std::string> spare;
    while (zones.size() > c.dnslist_count) {
      spare.push_back(std::move(zones.back()));
      zones.pop_back();
    }
    while (zones.size() < c.dnslist_count) {
      if (spare.empty()) {
        zones.emplace_back();
      } else {
        zones.push_back(std::move(spare.back()));
        spare.pop_back();
      }
    }
  }
  for (size_t i = 0; i < c.dnslist_count; ++i) zones[i].assign(c.dnslists[i]);
  return true;
}

}  // namespace

hatmatch_status StatusFrom(const absl::Status& s, Source source) {
  switch (s.code()) {
    case absl::StatusCode::kOk:
      return HATMATCH_OK;
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kPermissionDenied:
    case absl::StatusCode::kUnavailable:
      return HATMATCH_ERROR_IO;
    case absl::StatusCode::kFailedPrecondition:
      // A rule file that cannot be read; a table file that is not one.
      return source == Source::kRules ? HATMATCH_ERROR_IO
                                      : HATMATCH_ERROR_TABLE;
    case absl::StatusCode::kInternal:
    case absl::StatusCode::kUnknown:
      return HATMATCH_ERROR_INTERNAL;
    default:
      return source == Source::kRules ? HATMATCH_ERROR_RULES
                                      : HATMATCH_ERROR_TABLE;
  }
}

void SetError(char** error, std::string_view message) {
  if (error == nullptr) return;
  *error = static_cast<char*>(std::malloc(message.size() + 1));
  if (*error == nullptr) return;
  std::memcpy(*error, message.data(), message.size());
  (*error)[message.size()] = '\0';
}

hatmatch_status Fail(const absl::Status& s, Source source, char** error) {
  SetError(error, Message(s));
  return StatusFrom(s, source);
}

hatmatch_status Fail(hatmatch_status status, std::string_view message,
                     char** error) {
  SetError(error, message);
  return status;
}

hatmatch_status ToConnection(const hatmatch_conn& c, Connection* out,
                             NameCopy name) {
  if (!SetAddress(c, out) || !ValidDns(c.dns)) {
    return HATMATCH_ERROR_INVALID_ARGUMENT;
  }
  if (c.has_sbrs && !(c.sbrs >= -10.0 && c.sbrs <= 10.0)) {
    return HATMATCH_ERROR_INVALID_ARGUMENT;  // NaN fails this test too
  }
  if (!SetDnsLists(c, out)) return HATMATCH_ERROR_INVALID_ARGUMENT;
  out->dns = ToDnsState(c.dns);
  if (c.ptr != nullptr && name == NameCopy::kCopy) {
    out->ptr.assign(c.ptr);
  } else {
    out->ptr.clear();
  }
  out->sbrs = c.has_sbrs ? std::optional<double>(c.sbrs) : std::nullopt;
  out->sbo = c.has_sbo ? std::optional<uint64_t>(c.sbo) : std::nullopt;
  return HATMATCH_OK;
}

hatmatch_decision ToC(const Decision& d) {
  return hatmatch_decision{d.rule, d.entry,
                           static_cast<hatmatch_action>(d.action)};
}

}  // namespace hatmatch::capi

extern "C" {

const char* hatmatch_version(void) { return HATMATCH_VERSION_STRING; }

const char* hatmatch_status_string(hatmatch_status status) {
  switch (hatmatch::capi::Raw(status)) {
    case HATMATCH_OK:
      return "ok";
    case HATMATCH_ERROR_INVALID_ARGUMENT:
      return "invalid argument";
    case HATMATCH_ERROR_IO:
      return "cannot read file";
    case HATMATCH_ERROR_RULES:
      return "rule file has errors";
    case HATMATCH_ERROR_TABLE:
      return "not a valid table file";
    case HATMATCH_ERROR_NO_MEMORY:
      return "out of memory";
    case HATMATCH_ERROR_INTERNAL:
      return "internal error";
  }
  return "unknown status";
}

const char* hatmatch_action_name(hatmatch_action action) {
  switch (hatmatch::capi::Raw(action)) {
    case HATMATCH_ACTION_ACCEPT:
    case HATMATCH_ACTION_REJECT:
    case HATMATCH_ACTION_TCPREFUSE:
    case HATMATCH_ACTION_RELAY:
    case HATMATCH_ACTION_CONTINUE:
      // ActionName returns views of string literals: NUL-terminated.
      return hatmatch::ActionName(static_cast<hatmatch::Action>(action)).data();
  }
  return "-";
}

void hatmatch_error_free(char* error) { std::free(error); }

}  // extern "C"
