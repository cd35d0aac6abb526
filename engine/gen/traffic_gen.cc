// Copyright 2026 The hatmatch Authors.
//
// traffic_gen.cc: synthetic connections (see traffic_gen.h).

#include "engine/gen/traffic_gen.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine/gen/random.h"
#include "engine/gen/text_util.h"

namespace hatmatch::gen {
namespace {

// Draws `count` keys: independent draws, or Zipf-popular picks from a
// population of distinct draws.
template <class K, class DrawFn>
std::vector<K> Sample(const Sampling& s, DrawFn draw) {
  Rng rng(s.seed);
  const bool skewed = s.zipf > 0;
  const size_t pop =
      skewed ? (s.population ? s.population : std::max<size_t>(s.count, 1))
             : s.count;
  std::vector<K> keys;
  keys.reserve(pop);
  for (size_t i = 0; i < pop; ++i) keys.push_back(draw(rng));
  if (!skewed) return keys;
  const ZipfSampler zipf(pop, s.zipf);
  std::vector<K> out;
  out.reserve(s.count);
  for (size_t i = 0; i < s.count; ++i) out.push_back(keys[zipf.Draw(rng)]);
  return out;
}

std::string Word(Rng& rng) {
  static constexpr std::string_view kCons = "bcdfghjklmnprstvwz";
  static constexpr std::string_view kVow = "aeiou";
  std::string w;
  const int syllables = 2 + static_cast<int>(rng.Below(3));
  for (int i = 0; i < syllables; ++i) {
    w += kCons[rng.Below(kCons.size())];
    w += kVow[rng.Below(kVow.size())];
  }
  return w;
}

// A name that no generated rule is likely to match: dynamic-pool style names
// and mail hosts of random domains.
std::string MissName(Rng& rng) {
  static constexpr const char* kTlds[] = {"com", "net", "org", "de",
                                          "ru",  "br",  "cn",  "in"};
  const std::string domain =
      Word(rng) + "-" + Word(rng) + "." + kTlds[rng.Below(std::size(kTlds))];
  if (rng.Below(2)) {
    return absl::StrCat("ip-", rng.Below(256), "-", rng.Below(256), "-",
                        rng.Below(256), "-", rng.Below(256), ".dyn.", domain);
  }
  return "mail." + domain;
}

Ipv6Addr RandomV6(Rng& rng, u128 lo, u128 hi) {
  const u128 span = hi - lo;
  const u128 r = (static_cast<u128>(rng.Next()) << 64) | rng.Next();
  return FromUint128(span == ~u128{0} ? r : lo + r % (span + 1));
}

}  // namespace

std::vector<uint32_t> SampleIpv4(std::span<const Ipv4Range> targets,
                                 const Sampling& s) {
  return Sample<uint32_t>(s, [&](Rng& rng) -> uint32_t {
    if (!targets.empty() && rng.Chance(s.hit_ratio)) {
      const Ipv4Range& t = targets[rng.Below(targets.size())];
      return static_cast<uint32_t>(rng.Between(t.lo, t.hi));
    }
    return static_cast<uint32_t>(rng.Next() >> 32);
  });
}

std::vector<Ipv6Addr> SampleIpv6(std::span<const Ipv6Range> targets,
                                 const Sampling& s) {
  return Sample<Ipv6Addr>(s, [&](Rng& rng) -> Ipv6Addr {
    if (!targets.empty() && rng.Chance(s.hit_ratio)) {
      const Ipv6Range& t = targets[rng.Below(targets.size())];
      return RandomV6(rng, ToUint128(t.lo), ToUint128(t.hi));
    }
    return RandomV6(rng, u128{1} << 125, (u128{1} << 125) | (~u128{0} >> 3));
  });
}

std::vector<std::string> SampleHostnames(std::span<const HostPattern> targets,
                                         const Sampling& s) {
  return Sample<std::string>(s, [&](Rng& rng) -> std::string {
    if (!targets.empty() && rng.Chance(s.hit_ratio)) {
      const HostPattern& t = targets[rng.Below(targets.size())];
      if (!t.partial) return t.name;
      std::string label =
          rng.Below(2) ? Word(rng) : absl::StrCat("mx", rng.Below(10));
      if (rng.Below(4) == 0) absl::StrAppend(&label, ".", Word(rng));
      return absl::StrCat(label, ".", t.name);
    }
    return MissName(rng);
  });
}

std::vector<Ipv4Range> Ipv4Targets(const RuleSet& rules) {
  std::vector<Ipv4Range> out;
  for (const Entry& e : rules.entries()) {
    if (const auto* r = std::get_if<Ipv4Range>(&e.value)) out.push_back(*r);
  }
  return out;
}

std::vector<Ipv6Range> Ipv6Targets(const RuleSet& rules) {
  std::vector<Ipv6Range> out;
  for (const Entry& e : rules.entries()) {
    if (const auto* r = std::get_if<Ipv6Range>(&e.value)) out.push_back(*r);
  }
  return out;
}

std::vector<HostPattern> HostTargets(const RuleSet& rules) {
  std::vector<HostPattern> out;
  for (const Entry& e : rules.entries()) {
    if (const auto* h = std::get_if<HostPattern>(&e.value)) out.push_back(*h);
  }
  return out;
}

absl::Status ValidateTrafficOptions(const TrafficOptions& o) {
  for (const auto& [name, r] :
       std::initializer_list<std::pair<absl::string_view, double>>{
           {"ipv6-share", o.ipv6_share},
           {"hit-ratio", o.hit_ratio},
           {"ptr-share", o.ptr_share},
           {"dns-failure", o.dns_failure},
           {"sbrs-share", o.sbrs_share},
           {"sbo-share", o.sbo_share},
           {"dnslist-share", o.dnslist_share}}) {
    if (!(r >= 0 && r <= 1)) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, " must lie in [0, 1], got ", r));
    }
  }
  if (!(o.zipf >= 0) || std::isinf(o.zipf)) {
    return absl::InvalidArgumentError(
        absl::StrCat("zipf must be a finite number >= 0, got ", o.zipf));
  }
  // The connections are all built before the first is written (about 200
  // bytes each): without a bound, `--count 1000M` grew until the machine
  // ran out of memory.
  if (o.count > kMaxTrafficCount) {
    return absl::InvalidArgumentError(
        absl::StrCat("count ", o.count, " is over the limit of 16M (",
                     kMaxTrafficCount, ") connections"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Connection>> GenerateTraffic(
    const RuleSet& rules, const TrafficOptions& o) {
  if (absl::Status s = ValidateTrafficOptions(o); !s.ok()) return s;
  Rng rng(o.seed);
  Rng mix = rng.Fork(1), fields = rng.Fork(2);

  std::vector<bool> is_v6(o.count), has_ptr(o.count);
  size_t n6 = 0, nptr = 0;
  for (size_t i = 0; i < o.count; ++i) {
    is_v6[i] = mix.Chance(o.ipv6_share);
    has_ptr[i] = mix.Chance(o.ptr_share);
    n6 += is_v6[i];
    nptr += has_ptr[i];
  }
  auto sampling = [&](uint64_t salt, size_t count) {
    Sampling s;
    s.seed = o.seed ^ (salt * 0x9e3779b97f4a7c15);
    s.count = count;
    s.hit_ratio = o.hit_ratio;
    s.zipf = o.zipf;
    s.population = o.population ? std::min(o.population, count) : 0;
    return s;
  };
  const std::vector<Ipv4Range> t4 = Ipv4Targets(rules);
  const std::vector<Ipv6Range> t6 = Ipv6Targets(rules);
  const std::vector<HostPattern> th = HostTargets(rules);
  const std::vector<uint32_t> a4 = SampleIpv4(t4, sampling(11, o.count - n6));
  const std::vector<Ipv6Addr> a6 = SampleIpv6(t6, sampling(12, n6));
  const std::vector<std::string> names =
      SampleHostnames(th, sampling(13, nptr));

  std::vector<Connection> out(o.count);
  size_t i4 = 0, i6 = 0, ih = 0;
  for (size_t i = 0; i < o.count; ++i) {
    Connection& c = out[i];
    c.address = is_v6[i] ? IpAddress::V6(a6[i6++]) : IpAddress::V4(a4[i4++]);
    if (has_ptr[i]) {
      c.ptr = names[ih++];
      c.dns = DnsState::kVerified;
    }
    if (fields.Chance(o.dns_failure)) {
      switch (fields.Below(3)) {
        case 0:
          c.dns = DnsState::kNxDomain;
          c.ptr.clear();
          break;
        case 1:
          c.dns = DnsState::kServFail;
          c.ptr.clear();
          break;
        default:
          c.dns = DnsState::kMismatch;  // the unverified name stays visible
          break;
      }
    }
    if (fields.Chance(o.sbrs_share)) {
      c.sbrs = (static_cast<int>(fields.Between(0, 200)) - 100) / 10.0;
    }
    if (fields.Chance(o.sbo_share)) c.sbo = fields.Between(1, 99999);
    if (fields.Chance(o.dnslist_share)) {
      const size_t k = 1 + fields.Below(2);
      for (size_t j = 0; j < k; ++j) {
        c.dnslists.push_back(
            kDnsListZones[fields.Below(std::size(kDnsListZones))]);
      }
    }
  }
  return out;
}

std::string ConnectionLine(const Connection& c) {
  std::string s = FormatIpAddress(c.address);
  if (!c.ptr.empty()) absl::StrAppend(&s, " ptr=", c.ptr);
  if (const std::string_view dns = DnsStateInputName(c.dns); !dns.empty()) {
    s.append(" dns=").append(dns);
  }
  if (c.sbrs) {
    const double tenths = std::round(*c.sbrs * 10);
    if (std::abs(tenths - *c.sbrs * 10) < 1e-6) {
      absl::StrAppend(&s, " sbrs=", TenthsText(static_cast<int>(tenths)));
    } else {
      absl::StrAppend(&s, " sbrs=", *c.sbrs);
    }
  }
  if (c.sbo) absl::StrAppend(&s, " sbo=", *c.sbo);
  if (!c.dnslists.empty()) {
    absl::StrAppend(&s, " dnslist=", absl::StrJoin(c.dnslists, ","));
  }
  return s;
}

void WriteTraffic(std::span<const Connection> conns, std::ostream& out) {
  std::string buf;
  for (const Connection& c : conns) {
    buf += ConnectionLine(c);
    buf += '\n';
    if (buf.size() > (1 << 16)) {
      out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
      buf.clear();
    }
  }
  out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
}

}  // namespace hatmatch::gen
