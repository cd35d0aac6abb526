// Copyright 2026 The hatmatch Authors.
//
// hatmatch_peer.cc: see hatmatch_peer.h.

#include "bench/peers/hatmatch_peer.h"

#include <memory>
#include <span>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace hatmatch::bench {

namespace {

class HatmatchIpv4 final : public Ipv4Peer {
 public:
  explicit HatmatchIpv4(std::shared_ptr<const Table> t) : t_(std::move(t)) {}
  void Batch(std::span<const uint32_t> keys,
             std::span<uint32_t> out) const override {
    t_->LookupIpv4Batch(keys, out);
  }
  void Single(std::span<const uint32_t> keys,
              std::span<uint32_t> out) const override {
    const Table& t = *t_;
    for (size_t i = 0; i < keys.size(); ++i) out[i] = t.LookupIpv4(keys[i]);
  }
  uint32_t Chain(std::span<const uint32_t> keys, uint32_t zero) const override {
    const Table& t = *t_;
    uint32_t r = 0, sum = 0;
    for (uint32_t k : keys) {
      r = t.LookupIpv4(k ^ (r * zero));
      sum += r;
    }
    return sum;
  }
  size_t bytes() const override { return t_->Stats().ipv4_bytes; }

 private:
  std::shared_ptr<const Table> t_;
};

class HatmatchIpv6 final : public Ipv6Peer {
 public:
  explicit HatmatchIpv6(std::shared_ptr<const Table> t) : t_(std::move(t)) {}
  void Batch(std::span<const Ipv6Addr> keys,
             std::span<uint32_t> out) const override {
    t_->LookupIpv6Batch(keys, out);
  }
  void Single(std::span<const Ipv6Addr> keys,
              std::span<uint32_t> out) const override {
    const Table& t = *t_;
    for (size_t i = 0; i < keys.size(); ++i) out[i] = t.LookupIpv6(keys[i]);
  }
  uint32_t Chain(std::span<const Ipv6Addr> keys, uint32_t zero) const override {
    const Table& t = *t_;
    uint32_t r = 0, sum = 0;
    for (Ipv6Addr k : keys) {
      k.lo ^= r * zero;
      r = t.LookupIpv6(k);
      sum += r;
    }
    return sum;
  }
  size_t bytes() const override { return t_->Stats().ipv6_bytes; }

 private:
  std::shared_ptr<const Table> t_;
};

class HatmatchHost final : public HostPeer {
 public:
  explicit HatmatchHost(std::shared_ptr<const Table> t) : t_(std::move(t)) {}
  void Batch(std::span<const std::string_view> keys,
             std::span<uint32_t> out) const override {
    t_->LookupHostBatch(keys, out);
  }
  void Single(std::span<const std::string_view> keys,
              std::span<uint32_t> out) const override {
    const Table& t = *t_;
    for (size_t i = 0; i < keys.size(); ++i) out[i] = t.LookupHost(keys[i]);
  }
  uint32_t Chain(std::span<const std::string_view> keys,
                 uint32_t zero) const override {
    const Table& t = *t_;
    uint32_t r = 0, sum = 0;
    for (std::string_view k : keys) {
      r = t.LookupHost(k.substr(r * zero));
      sum += r;
    }
    return sum;
  }
  size_t bytes() const override { return t_->Stats().host_bytes; }

 private:
  std::shared_ptr<const Table> t_;
};

}  // namespace

absl::StatusOr<std::shared_ptr<const Table>> CompileHatmatch(
    const RuleSet& rules) {
  return Table::Compile(rules);
}
std::unique_ptr<Ipv4Peer> MakeHatmatchIpv4(std::shared_ptr<const Table> t) {
  return std::make_unique<HatmatchIpv4>(std::move(t));
}
std::unique_ptr<Ipv6Peer> MakeHatmatchIpv6(std::shared_ptr<const Table> t) {
  return std::make_unique<HatmatchIpv6>(std::move(t));
}
std::unique_ptr<HostPeer> MakeHatmatchHost(std::shared_ptr<const Table> t) {
  return std::make_unique<HatmatchHost>(std::move(t));
}

}  // namespace hatmatch::bench
