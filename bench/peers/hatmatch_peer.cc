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

// Single and Chain come from ScalarPeer (peer.h), over Find: the same loops
// every other peer runs.
class HatmatchIpv4 final : public ScalarPeer<uint32_t, HatmatchIpv4> {
 public:
  explicit HatmatchIpv4(std::shared_ptr<const Table> t) : t_(std::move(t)) {}
  void Batch(std::span<const uint32_t> keys,
             std::span<uint32_t> out) const override {
    t_->LookupIpv4Batch(keys, out);
  }
  uint32_t Find(uint32_t k) const { return t_->LookupIpv4(k); }
  size_t bytes() const override { return t_->Stats().ipv4_bytes; }
  size_t table_bytes() const override { return t_->Stats().total_bytes(); }

 private:
  std::shared_ptr<const Table> t_;
};

class HatmatchIpv6 final : public ScalarPeer<Ipv6Addr, HatmatchIpv6> {
 public:
  explicit HatmatchIpv6(std::shared_ptr<const Table> t) : t_(std::move(t)) {}
  void Batch(std::span<const Ipv6Addr> keys,
             std::span<uint32_t> out) const override {
    t_->LookupIpv6Batch(keys, out);
  }
  uint32_t Find(const Ipv6Addr& k) const { return t_->LookupIpv6(k); }
  size_t bytes() const override { return t_->Stats().ipv6_bytes; }
  size_t table_bytes() const override { return t_->Stats().total_bytes(); }

 private:
  std::shared_ptr<const Table> t_;
};

class HatmatchHost final : public ScalarPeer<std::string_view, HatmatchHost> {
 public:
  explicit HatmatchHost(std::shared_ptr<const Table> t) : t_(std::move(t)) {}
  void Batch(std::span<const std::string_view> keys,
             std::span<uint32_t> out) const override {
    t_->LookupHostBatch(keys, out);
  }
  uint32_t Find(std::string_view k) const { return t_->LookupHost(k); }
  size_t bytes() const override { return t_->Stats().host_bytes; }
  size_t table_bytes() const override { return t_->Stats().total_bytes(); }

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
