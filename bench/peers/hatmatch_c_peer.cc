// Copyright 2026 The hatmatch Authors.

#include "bench/peers/hatmatch_c_peer.h"

#include <cstdlib>
#include <string>

#include "absl/status/status.h"

namespace hatmatch::bench {
namespace {

hatmatch_dns ToC(DnsState s) {
  switch (s) {
    case DnsState::kVerified:
      return HATMATCH_DNS_VERIFIED;
    case DnsState::kNxDomain:
      return HATMATCH_DNS_NXDOMAIN;
    case DnsState::kServFail:
      return HATMATCH_DNS_SERVFAIL;
    case DnsState::kMismatch:
      return HATMATCH_DNS_MISMATCH;
    case DnsState::kUnknown:
      break;
  }
  return HATMATCH_DNS_UNKNOWN;
}

void PutBigEndian(uint64_t v, uint8_t* p) {
  for (int i = 7; i >= 0; --i, v >>= 8) p[i] = static_cast<uint8_t>(v);
}

hatmatch_conn ToC(const Connection& c, const std::vector<const char*>& zones) {
  hatmatch_conn out{};
  if (c.address.is_v4()) {
    out.family = HATMATCH_FAMILY_IPV4;
    const uint32_t a = c.address.v4();
    for (int i = 0; i < 4; ++i) out.address[i] = uint8_t(a >> (24 - 8 * i));
  } else {
    out.family = HATMATCH_FAMILY_IPV6;
    PutBigEndian(c.address.v6().hi, out.address);
    PutBigEndian(c.address.v6().lo, out.address + 8);
  }
  out.dns = ToC(c.dns);
  out.ptr = c.ptr.empty() ? nullptr : c.ptr.c_str();
  out.has_sbrs = c.sbrs.has_value();
  out.sbrs = c.sbrs.value_or(0);
  out.has_sbo = c.sbo.has_value();
  out.sbo = c.sbo.value_or(0);
  out.dnslists = zones.empty() ? nullptr : zones.data();
  out.dnslist_count = zones.size();
  return out;
}

}  // namespace

absl::StatusOr<std::unique_ptr<CApiConnections>> CApiConnections::Make(
    const Table& table, std::span<const Connection> conns) {
  std::unique_ptr<CApiConnections> c(new CApiConnections);
  const std::string image = table.Serialize();
  char* error = nullptr;
  if (hatmatch_db_open_table_bytes(image.data(), image.size(), "bench", &c->db_,
                                   &error) != HATMATCH_OK) {
    absl::Status s = absl::InternalError(error ? error : "out of memory");
    hatmatch_error_free(error);
    return s;
  }
  // The names live in one arena, in connection order, the way a gateway's
  // own connection records would hold them (pointing into the C++
  // Connection objects instead would drag them through the cache too).
  size_t bytes = 0;
  for (const Connection& conn : conns) {
    bytes += conn.ptr.size() + 1;
    for (const std::string& z : conn.dnslists) bytes += z.size() + 1;
  }
  c->arena_.reserve(bytes);
  auto keep = [&c](const std::string& s) {
    const char* p = c->arena_.data() + c->arena_.size();
    c->arena_.insert(c->arena_.end(), s.begin(), s.end());
    c->arena_.push_back('\0');
    return p;
  };
  c->zones_.resize(conns.size());
  c->conns_.reserve(conns.size());
  for (size_t i = 0; i < conns.size(); ++i) {
    for (const std::string& z : conns[i].dnslists) {
      c->zones_[i].push_back(keep(z));
    }
    hatmatch_conn cc = ToC(conns[i], c->zones_[i]);
    if (cc.ptr != nullptr) cc.ptr = keep(conns[i].ptr);
    c->conns_.push_back(cc);
  }
  c->out_.resize(conns.size());
  return c;
}

CApiConnections::~CApiConnections() { hatmatch_db_free(db_); }

void CApiConnections::Batch(size_t n) {
  if (hatmatch_db_classify_batch(db_, conns_.data(), n, 0, out_.data()) !=
      HATMATCH_OK) {
    std::abort();
  }
}

void CApiConnections::Single(size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (hatmatch_db_classify(db_, &conns_[i], 0, &out_[i]) != HATMATCH_OK) {
      std::abort();
    }
  }
}

Decision CApiConnections::decision(size_t i) const {
  const hatmatch_decision& d = out_[i];
  return Decision{d.rule, d.entry, static_cast<Action>(d.action)};
}

}  // namespace hatmatch::bench
