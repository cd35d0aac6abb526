// Copyright 2026 The hatmatch Authors.
//
// conn_peer.cc: see conn_peer.h.

#include "bench/peers/conn_peer.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "bench/peers/dpdk_peers.h"
#include "bench/peers/host_peers.h"
#include "bench/peers/peer.h"
#include "engine/compile/builders.h"
#include "engine/table/classify_block.h"
#include "engine/table/criteria.h"
#include "hatmatch/address.h"
#include "hatmatch/parse.h"
#include "hatmatch/rules.h"

namespace hatmatch::bench {
namespace {

class DpdkHashConnPeer final : public ConnPeer {
 public:
  DpdkHashConnPeer(const RuleSet& rules, std::unique_ptr<Ipv4Peer> v4,
                   std::unique_ptr<Ipv6Peer> v6, std::unique_ptr<HostPeer> host)
      : v4_(std::move(v4)),
        v6_(std::move(v6)),
        host_(std::move(host)),
        criteria_data_(BuildCriteria(rules)),
        criteria_(criteria_data_) {
    for (const Entry& e : rules.entries()) entry_rule_.push_back(e.rule);
    for (uint32_t r = 0; r < rules.rules().size(); ++r) {
      const Action a = rules.action_of(r);
      actions_.push_back(a);
      if (rules.rules()[r].kind == RuleKind::kAll && a != Action::kContinue &&
          all_rule_ == kNoRule) {
        all_rule_ = r;
      }
    }
  }

  void ClassifyBatch(std::span<const Connection> conns,
                     std::span<Decision> out) const override {
    for (size_t base = 0; base < conns.size(); base += kBlock) {
      const size_t n = std::min(kBlock, conns.size() - base);
      ClassifyBlock(conns.subspan(base, n), out.subspan(base, n));
    }
  }

  size_t bytes() const override {
    return v4_->bytes() + v6_->bytes() + host_->bytes() + criteria_.bytes();
  }
  size_t table_bytes() const override {
    return v4_->table_bytes() + v6_->table_bytes() + host_->table_bytes() +
           criteria_.bytes() + entry_rule_.size() * sizeof(uint32_t) +
           actions_.size() * sizeof(Action);
  }

 private:
  static constexpr size_t kBlock = 256;

  // The three steps of hatmatch's ClassifyBatch, with the peers' batches.
  void ClassifyBlock(std::span<const Connection> conns,
                     std::span<Decision> out) const {
    Block& b = block_;
    b.n4 = b.n6 = b.nh = 0;
    for (size_t i = 0; i < conns.size(); ++i) Gather(conns[i], i, b);
    v4_->Batch({b.v4_keys.data(), b.n4}, {b.v4_rules.data(), b.n4});
    v4_->Decode({b.v4_rules.data(), b.n4});
    v6_->Batch({b.v6_keys.data(), b.n6}, {b.v6_rules.data(), b.n6});
    v6_->Decode({b.v6_rules.data(), b.n6});
    host_->Batch({b.names.data(), b.nh}, {b.host_rules.data(), b.nh});
    std::array<uint32_t, kBlock> best;
    const ConnectionRefs refs(conns.data());
    for (size_t i = 0; i < conns.size(); ++i) {
      const uint32_t e = criteria_.Lookup(refs, i);
      best[i] = std::min(all_rule_, e == kNoValue ? kNoRule : entry_rule_[e]);
    }
    for (size_t j = 0; j < b.n4; ++j) {
      best[b.v4_at[j]] = std::min(best[b.v4_at[j]], b.v4_rules[j]);
    }
    for (size_t j = 0; j < b.n6; ++j) {
      best[b.v6_at[j]] = std::min(best[b.v6_at[j]], b.v6_rules[j]);
    }
    for (size_t j = 0; j < b.nh; ++j) {
      best[b.host_at[j]] = std::min(best[b.host_at[j]], b.host_rules[j]);
    }
    for (size_t i = 0; i < conns.size(); ++i) {
      out[i] = best[i] == kNoRule
                   ? Decision{}
                   : Decision{best[i], kNoEntry, actions_[best[i]]};
    }
  }

  struct Block {
    size_t n4 = 0, n6 = 0, nh = 0;
    std::array<uint32_t, kBlock> v4_keys, v4_rules, v6_rules, host_rules;
    std::array<Ipv6Addr, kBlock> v6_keys;
    std::array<std::string, kBlock> name_buf;
    std::array<std::string_view, kBlock> names;
    std::array<uint16_t, kBlock> v4_at, v6_at, host_at;
  };

  static void Gather(const Connection& c, size_t i, Block& b) {
    const IpAddress a = NormalizeEmbeddedIpv4(c.address);
    if (a.is_v4()) {
      b.v4_at[b.n4] = static_cast<uint16_t>(i);
      b.v4_keys[b.n4++] = a.v4();
    } else {
      b.v6_at[b.n6] = static_cast<uint16_t>(i);
      b.v6_keys[b.n6++] = a.v6();
    }
    // Names are stored normalized; an invalid PTR name matches nothing.
    if (c.dns == DnsState::kVerified &&
        NormalizeHostname(c.ptr, /*allow_idna=*/false, &b.name_buf[b.nh])) {
      b.host_at[b.nh] = static_cast<uint16_t>(i);
      b.names[b.nh] = b.name_buf[b.nh];
      ++b.nh;
    }
  }

  std::unique_ptr<Ipv4Peer> v4_;
  std::unique_ptr<Ipv6Peer> v6_;
  std::unique_ptr<HostPeer> host_;
  CriteriaData criteria_data_;
  Criteria criteria_;
  std::vector<uint32_t> entry_rule_;
  std::vector<Action> actions_;
  uint32_t all_rule_ = kNoRule;
  // Scratch for one block (one thread per peer, as in the harness).
  mutable Block block_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<ConnPeer>> MakeDpdkHashConnPeer(
    const BenchTable& table) {
  absl::StatusOr<std::unique_ptr<Ipv4Peer>> v4 =
      MakeDpdkFib(table.v4, /*avx512=*/true);
  if (!v4.ok()) return v4.status();
  absl::StatusOr<std::unique_ptr<Ipv6Peer>> v6 =
      MakeDpdkFib6(table.v6, /*avx512=*/true);
  if (!v6.ok()) return v6.status();
  return std::make_unique<DpdkHashConnPeer>(*table.rules, *std::move(v4),
                                            *std::move(v6),
                                            MakeFlatHashHostPeer(table.hosts));
}

}  // namespace hatmatch::bench
