// Copyright 2026 The hatmatch Authors.

#include "tests/capi/c_conns.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

namespace hatmatch::testing {

namespace {

void PutBigEndian(uint64_t v, uint8_t* p) {
  for (int i = 7; i >= 0; --i, v >>= 8) p[i] = static_cast<uint8_t>(v);
}

}  // namespace

hatmatch_conn CConns::Make(Rng& rng, const Connection& c) {
  hatmatch_conn out{};
  const IpAddress& a = c.address;
  if (a.is_v4() && !Chance(rng, 0.25)) {
    out.family = HATMATCH_FAMILY_IPV4;
    for (int i = 0; i < 4; ++i) {
      out.address[i] = static_cast<uint8_t>(a.v4() >> (24 - 8 * i));
    }
  } else if (a.is_v4()) {
    // The same host as IPv6: ::ffff:a.b.c.d, or ::a.b.c.d (which is IPv4
    // only from ::0.0.0.2 on: :: and ::1 are IPv6 hosts).
    out.family = HATMATCH_FAMILY_IPV6;
    const bool mapped = a.v4() < 2 || Chance(rng, 0.6);
    PutBigEndian(0, out.address);
    PutBigEndian((mapped ? 0x0000ffff00000000ull : 0) | a.v4(),
                 out.address + 8);
  } else {
    out.family = HATMATCH_FAMILY_IPV6;
    PutBigEndian(a.v6().hi, out.address);
    PutBigEndian(a.v6().lo, out.address + 8);
  }
  out.dns = static_cast<hatmatch_dns>(c.dns);
  if (!c.ptr.empty()) {
    out.ptr = Keep(c.ptr);
  } else {
    out.ptr = Chance(rng, 0.5) ? nullptr : Keep("");
  }
  out.has_sbrs = c.sbrs.has_value() ? 1 + static_cast<int>(Uniform(rng, 3)) : 0;
  // Without has_sbrs the score is not read: anything may be there.
  out.sbrs = c.sbrs.value_or(
      Chance(rng, 0.5) ? std::numeric_limits<double>::quiet_NaN() : 99.0);
  out.has_sbo = c.sbo.has_value() ? 1 : 0;
  out.sbo = c.sbo.value_or(rng());
  if (!c.dnslists.empty() || Chance(rng, 0.5)) {
    std::vector<const char*>& list = lists_.emplace_back();
    for (const std::string& z : c.dnslists) list.push_back(Keep(z));
    out.dnslists = list.data();
    out.dnslist_count = list.size();
  }
  return out;
}

void CConns::Spoil(Rng& rng, hatmatch_conn* c) {
  switch (Uniform(rng, 8)) {
    case 0: {
      static const int kFamilies[] = {0, 5, 7, -1, 46};
      const int f = kFamilies[Uniform(rng, 5)];
      std::memcpy(&c->family, &f, sizeof f);
      break;
    }
    case 1: {
      static const int kStates[] = {5, 6, -1, 1000};
      const int d = kStates[Uniform(rng, 4)];
      std::memcpy(&c->dns, &d, sizeof d);
      break;
    }
    case 2:
      c->has_sbrs = 1;
      c->sbrs = std::numeric_limits<double>::quiet_NaN();
      break;
    case 3:
      c->has_sbrs = 1;
      c->sbrs = Chance(rng, 0.5) ? std::nextafter(10.0, 11.0)
                                 : std::nextafter(-10.0, -11.0);
      break;
    case 4:
      c->has_sbrs = 1;
      c->sbrs = Chance(rng, 0.5) ? std::numeric_limits<double>::infinity()
                                 : -std::numeric_limits<double>::infinity();
      break;
    case 5:
      c->dnslists = nullptr;
      c->dnslist_count = 1 + Uniform(rng, 3);
      break;
    default: {
      std::vector<const char*>& list = lists_.emplace_back();
      list = {Keep("zen.example"), nullptr, Keep("bl.example")};
      list.resize(1 + Uniform(rng, 3));
      list[Uniform(rng, list.size())] = nullptr;
      c->dnslists = list.data();
      c->dnslist_count = list.size();
      break;
    }
  }
}

}  // namespace hatmatch::testing
