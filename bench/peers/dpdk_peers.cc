// Copyright 2026 The hatmatch Authors.
//
// dpdk_peers.cc: see dpdk_peers.h.

#include "bench/peers/dpdk_peers.h"

#include <memory>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#ifndef HATMATCH_HAVE_DPDK

namespace hatmatch::bench {

bool DpdkCompiledIn() { return false; }
absl::Status StartDpdk() {
  return absl::UnimplementedError(
      "built without DPDK (pkg-config libdpdk not found)");
}
absl::StatusOr<std::unique_ptr<Ipv4Peer>> MakeDpdkLpm(
    const IntervalMap<uint32_t>&) {
  return StartDpdk();
}
absl::StatusOr<std::unique_ptr<Ipv4Peer>> MakeDpdkFib(
    const IntervalMap<uint32_t>&) {
  return StartDpdk();
}
absl::StatusOr<std::unique_ptr<Ipv6Peer>> MakeDpdkLpm6(
    const IntervalMap<Ipv6Addr>&) {
  return StartDpdk();
}
absl::StatusOr<std::unique_ptr<Ipv6Peer>> MakeDpdkFib6(
    const IntervalMap<Ipv6Addr>&) {
  return StartDpdk();
}

}  // namespace hatmatch::bench

#else  // HATMATCH_HAVE_DPDK

#include <pthread.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_fib.h>
#include <rte_fib6.h>
#include <rte_lcore.h>
#include <rte_lpm.h>
#include <rte_lpm6.h>
#include <rte_malloc.h>
#include <sched.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "bench/peers/cidr.h"

namespace hatmatch::bench {
namespace {

using u128 = Uint128;
using V6Bytes = std::array<uint8_t, 16>;

// Memory the lookup structures may take from the EAL heap (-m).
constexpr int kEalMegabytes = 4096;
// rte_fib/rte_fib6 return this for "no route"; it fits every next-hop size.
constexpr uint64_t kFibMiss = 0x7ffffffe;
constexpr size_t kChunk = 256;

std::string NextName(const char* kind) {
  static std::atomic<int> n{0};
  return absl::StrCat("hm_", kind, "_", n.fetch_add(1));
}

size_t HeapBytes() {
  size_t total = 0;
  for (unsigned s = 0; s < rte_socket_count(); ++s) {
    rte_malloc_socket_stats st;
    if (rte_malloc_get_socket_stats(rte_socket_id_by_idx(s), &st) == 0) {
      total += st.heap_allocsz_bytes;
    }
  }
  return total;
}

V6Bytes ToBytes(u128 v) {
  V6Bytes b;
  for (int i = 15; i >= 0; --i, v >>= 8) b[i] = static_cast<uint8_t>(v);
  return b;
}
V6Bytes ToBytes(const Ipv6Addr& a) { return ToBytes(ToUint128(a)); }

struct Block4 {
  uint32_t base;
  uint8_t depth;
  uint32_t rule;
};
struct Block6 {
  u128 base;
  uint8_t depth;
  uint32_t rule;
};

std::vector<Block4> Blocks(const IntervalMap<uint32_t>& m) {
  std::vector<Block4> out;
  for (size_t i = 0; i < m.size(); ++i) {
    if (m.values[i] == kNoValue) continue;
    ForEachCidr4(m.starts[i], m.last_of(i), [&](uint32_t base, int depth) {
      out.push_back({base, static_cast<uint8_t>(depth), m.values[i]});
    });
  }
  return out;
}

std::vector<Block6> Blocks(const IntervalMap<Ipv6Addr>& m) {
  std::vector<Block6> out;
  for (size_t i = 0; i < m.size(); ++i) {
    if (m.values[i] == kNoValue) continue;
    ForEachCidr6(m.starts[i], m.last_of(i), [&](u128 base, int depth) {
      out.push_back({base, static_cast<uint8_t>(depth), m.values[i]});
    });
  }
  return out;
}

// Second-level groups a DIR-24-8 table needs: one per /24 holding a deeper
// block.
uint32_t Tbl8Groups4(const std::vector<Block4>& blocks) {
  absl::flat_hash_set<uint32_t> groups;
  for (const Block4& b : blocks) {
    if (b.depth > 24) groups.insert(b.base >> 8);
  }
  return static_cast<uint32_t>(groups.size()) + 16;
}

// Groups a 24-then-8-bit trie needs: one per (level, prefix) on the path of
// every block deeper than that level.
uint64_t Tbl8Groups6(const std::vector<Block6>& blocks) {
  absl::flat_hash_set<std::pair<uint64_t, uint64_t>> groups;
  for (const Block6& b : blocks) {
    for (int level = 24; level < b.depth; level += 8) {
      const u128 prefix = b.base >> (128 - level);
      groups.insert(
          {static_cast<uint64_t>(prefix >> 64) ^ (uint64_t(level) << 56),
           static_cast<uint64_t>(prefix)});
    }
  }
  // Ranges of different levels can collide in the key above only when they
  // share all bits, which the level tag prevents; add slack anyway.
  return groups.size() + groups.size() / 16 + 64;
}

absl::Status RteError(const char* what, int rc = 0) {
  // Creation reports through rte_errno, modification through its return.
  return absl::InternalError(
      absl::StrCat(what, ": ", rte_strerror(rc < 0 ? -rc : rte_errno)));
}

// ---- rte_lpm ---------------------------------------------------------------

// Single and Chain come from ScalarPeer (peer.h), over Find.
class LpmPeer final : public ScalarPeer<uint32_t, LpmPeer> {
 public:
  static absl::StatusOr<std::unique_ptr<Ipv4Peer>> Make(
      const IntervalMap<uint32_t>& map) {
    const std::vector<Block4> blocks = Blocks(map);
    const size_t before = HeapBytes();
    rte_lpm_config conf{};
    conf.max_rules = static_cast<uint32_t>(blocks.size()) + 1;
    conf.number_tbl8s = Tbl8Groups4(blocks);
    rte_lpm* lpm =
        rte_lpm_create(NextName("lpm").c_str(), SOCKET_ID_ANY, &conf);
    if (!lpm) return RteError("rte_lpm_create");
    auto peer = std::unique_ptr<LpmPeer>(new LpmPeer(lpm));
    for (const Block4& b : blocks) {
      if (const int rc = rte_lpm_add(lpm, b.base, b.depth, b.rule); rc != 0) {
        return RteError("rte_lpm_add", rc);
      }
    }
    peer->bytes_ = HeapBytes() - before;
    return peer;
  }
  ~LpmPeer() override { rte_lpm_free(lpm_); }

  void Batch(std::span<const uint32_t> keys,
             std::span<uint32_t> out) const override {
    for (size_t i = 0; i < keys.size(); i += kChunk) {
      const unsigned n =
          static_cast<unsigned>(std::min(kChunk, keys.size() - i));
      rte_lpm_lookup_bulk(lpm_, keys.data() + i, out.data() + i, n);
      for (unsigned j = 0; j < n; ++j) out[i + j] = Hop(out[i + j]);
    }
  }
  uint32_t Find(uint32_t ip) const {
    uint32_t hop;
    return rte_lpm_lookup(lpm_, ip, &hop) == 0 ? hop : kNoValue;
  }
  size_t bytes() const override { return bytes_; }

 private:
  explicit LpmPeer(rte_lpm* lpm) : lpm_(lpm) {}
  static uint32_t Hop(uint32_t v) {
    return (v & RTE_LPM_LOOKUP_SUCCESS) ? (v & 0x00ffffff) : kNoValue;
  }
  rte_lpm* lpm_;
  size_t bytes_ = 0;
};

// ---- rte_fib ---------------------------------------------------------------

class FibPeer final : public ScalarPeer<uint32_t, FibPeer> {
 public:
  static absl::StatusOr<std::unique_ptr<Ipv4Peer>> Make(
      const IntervalMap<uint32_t>& map) {
    const std::vector<Block4> blocks = Blocks(map);
    const size_t before = HeapBytes();
    rte_fib_conf conf{};
    conf.type = RTE_FIB_DIR24_8;
    conf.default_nh = kFibMiss;
    conf.max_routes = static_cast<int>(blocks.size()) + 1;
    conf.rib_ext_sz = 0;
    conf.dir24_8.nh_sz = RTE_FIB_DIR24_8_4B;
    conf.dir24_8.num_tbl8 = Tbl8Groups4(blocks);
    rte_fib* fib =
        rte_fib_create(NextName("fib").c_str(), SOCKET_ID_ANY, &conf);
    if (!fib) return RteError("rte_fib_create");
    auto peer = std::unique_ptr<FibPeer>(new FibPeer(fib));
    for (const Block4& b : blocks) {
      if (const int rc = rte_fib_add(fib, b.base, b.depth, b.rule); rc != 0) {
        return RteError("rte_fib_add", rc);
      }
    }
    peer->bytes_ = HeapBytes() - before;
    return peer;
  }
  ~FibPeer() override { rte_fib_free(fib_); }

  void Batch(std::span<const uint32_t> keys,
             std::span<uint32_t> out) const override {
    uint64_t hops[kChunk];
    for (size_t i = 0; i < keys.size(); i += kChunk) {
      const int n = static_cast<int>(std::min(kChunk, keys.size() - i));
      // The API takes a non-const pointer but only reads the addresses.
      rte_fib_lookup_bulk(fib_, const_cast<uint32_t*>(keys.data() + i), hops,
                          n);
      for (int j = 0; j < n; ++j) out[i + j] = Hop(hops[j]);
    }
  }
  // rte_fib has no single-address call: a bulk lookup of one is its API.
  uint32_t Find(uint32_t ip) const {
    uint64_t hop;
    rte_fib_lookup_bulk(fib_, &ip, &hop, 1);
    return Hop(hop);
  }
  size_t bytes() const override { return bytes_; }

 private:
  explicit FibPeer(rte_fib* fib) : fib_(fib) {}
  static uint32_t Hop(uint64_t v) {
    return v == kFibMiss ? kNoValue : static_cast<uint32_t>(v);
  }
  rte_fib* fib_;
  size_t bytes_ = 0;
};

// ---- IPv6: keys as the byte arrays DPDK reads ------------------------------

class V6BytesPeer : public Ipv6Peer {
 public:
  void Prepare(std::span<const Ipv6Addr> keys) override {
    src_ = keys.data();
    bytes_keys_.resize(keys.size());
    for (size_t i = 0; i < keys.size(); ++i) bytes_keys_[i] = ToBytes(keys[i]);
  }

 protected:
  // The prepared byte form of keys[0..n), or nullptr when `keys` is not
  // (part of) the prepared traffic.
  const V6Bytes* Prepared(std::span<const Ipv6Addr> keys) const {
    if (src_ && keys.data() >= src_ &&
        keys.data() + keys.size() <= src_ + bytes_keys_.size()) {
      return bytes_keys_.data() + (keys.data() - src_);
    }
    return nullptr;
  }
  template <class F>
  void ForChunks(std::span<const Ipv6Addr> keys, F f) const {
    const V6Bytes* pre = Prepared(keys);
    V6Bytes tmp[kChunk];
    for (size_t i = 0; i < keys.size(); i += kChunk) {
      const size_t n = std::min(kChunk, keys.size() - i);
      const V6Bytes* b = pre ? pre + i : tmp;
      if (!pre) {
        for (size_t j = 0; j < n; ++j) tmp[j] = ToBytes(keys[i + j]);
      }
      f(i, n, b);
    }
  }

 private:
  const Ipv6Addr* src_ = nullptr;
  std::vector<V6Bytes> bytes_keys_;
};

// Single and Chain for a byte-keyed peer, from its one-key
// `uint32_t Find(const V6Bytes&) const` (shared by rte_lpm6 and rte_fib6).
template <class Derived>
class V6BytesScalarPeer : public V6BytesPeer {
 public:
  void Single(std::span<const Ipv6Addr> keys,
              std::span<uint32_t> out) const final {
    const Derived& d = static_cast<const Derived&>(*this);
    ForChunks(keys, [&](size_t i, size_t n, const V6Bytes* b) {
      for (size_t j = 0; j < n; ++j) out[i + j] = d.Find(b[j]);
    });
  }
  uint32_t Chain(std::span<const Ipv6Addr> keys, uint32_t zero) const final {
    const Derived& d = static_cast<const Derived&>(*this);
    uint32_t r = 0, sum = 0;
    ForChunks(keys, [&](size_t, size_t n, const V6Bytes* b) {
      for (size_t j = 0; j < n; ++j) {
        V6Bytes k = b[j];
        k[15] ^= static_cast<uint8_t>(r * zero);
        r = d.Find(k);
        sum += r;
      }
    });
    return sum;
  }
};

using V6Array = uint8_t (*)[16];

class Lpm6Peer final : public V6BytesScalarPeer<Lpm6Peer> {
 public:
  static absl::StatusOr<std::unique_ptr<Ipv6Peer>> Make(
      const IntervalMap<Ipv6Addr>& map) {
    const std::vector<Block6> blocks = Blocks(map);
    const uint64_t groups = Tbl8Groups6(blocks);
    if (groups * 256 * 4 > (uint64_t{kEalMegabytes} << 20) / 2) {
      return absl::ResourceExhaustedError(absl::StrCat(
          "rte_lpm6 would need ", groups, " tbl8 groups (", groups * 1024 >> 20,
          " MiB), over the benchmark's DPDK heap"));
    }
    const size_t before = HeapBytes();
    rte_lpm6_config conf{};
    conf.max_rules = static_cast<uint32_t>(blocks.size()) + 1;
    conf.number_tbl8s = static_cast<uint32_t>(groups);
    rte_lpm6* lpm =
        rte_lpm6_create(NextName("lpm6").c_str(), SOCKET_ID_ANY, &conf);
    if (!lpm) return RteError("rte_lpm6_create");
    auto peer = std::unique_ptr<Lpm6Peer>(new Lpm6Peer(lpm));
    for (const Block6& b : blocks) {
      const V6Bytes ip = ToBytes(b.base);
      if (const int rc = rte_lpm6_add(lpm, ip.data(), b.depth, b.rule);
          rc != 0) {
        return RteError("rte_lpm6_add", rc);
      }
    }
    peer->bytes_ = HeapBytes() - before;
    return peer;
  }
  ~Lpm6Peer() override { rte_lpm6_free(lpm_); }

  void Batch(std::span<const Ipv6Addr> keys,
             std::span<uint32_t> out) const override {
    ForChunks(keys, [&](size_t i, size_t n, const V6Bytes* b) {
      // Misses come back as -1, which is kNoValue as uint32_t.
      rte_lpm6_lookup_bulk_func(
          lpm_, reinterpret_cast<V6Array>(const_cast<V6Bytes*>(b)),
          reinterpret_cast<int32_t*>(out.data() + i), static_cast<unsigned>(n));
    });
  }
  size_t bytes() const override { return bytes_; }
  uint32_t Find(const V6Bytes& ip) const {
    uint32_t hop;
    return rte_lpm6_lookup(lpm_, ip.data(), &hop) == 0 ? hop : kNoValue;
  }

 private:
  explicit Lpm6Peer(rte_lpm6* lpm) : lpm_(lpm) {}
  rte_lpm6* lpm_;
  size_t bytes_ = 0;
};

class Fib6Peer final : public V6BytesScalarPeer<Fib6Peer> {
 public:
  static absl::StatusOr<std::unique_ptr<Ipv6Peer>> Make(
      const IntervalMap<Ipv6Addr>& map) {
    const std::vector<Block6> blocks = Blocks(map);
    // The trie writes each route as a range and opens group chains at its
    // edges, so it needs more groups than the prefix paths alone; the pool
    // is allocated up front.  Start at twice the path count and double on
    // ENOSPC: the memory figure then includes up to 2x pool slack.
    absl::Status last;
    for (uint64_t groups = 2 * Tbl8Groups6(blocks);
         groups * 256 * 4 <= (uint64_t{kEalMegabytes} << 20) / 2; groups *= 2) {
      absl::StatusOr<std::unique_ptr<Ipv6Peer>> p = Try(blocks, groups);
      if (p.ok() || !absl::IsResourceExhausted(p.status())) return p;
      last = p.status();
    }
    return absl::ResourceExhaustedError(absl::StrCat(
        "rte_fib6 needs more tbl8 groups than the benchmark's DPDK heap "
        "holds (",
        last.message(), ")"));
  }

 private:
  static absl::StatusOr<std::unique_ptr<Ipv6Peer>> Try(
      const std::vector<Block6>& blocks, uint64_t groups) {
    const size_t before = HeapBytes();
    rte_fib6_conf conf{};
    conf.type = RTE_FIB6_TRIE;
    conf.default_nh = kFibMiss;
    conf.max_routes = static_cast<int>(blocks.size()) + 1;
    conf.rib_ext_sz = 0;
    conf.trie.nh_sz = RTE_FIB6_TRIE_4B;
    conf.trie.num_tbl8 = static_cast<uint32_t>(groups);
    rte_fib6* fib =
        rte_fib6_create(NextName("fib6").c_str(), SOCKET_ID_ANY, &conf);
    if (!fib) return RteError("rte_fib6_create");
    auto peer = std::unique_ptr<Fib6Peer>(new Fib6Peer(fib));
    for (const Block6& b : blocks) {
      const V6Bytes ip = ToBytes(b.base);
      if (const int rc = rte_fib6_add(fib, ip.data(), b.depth, b.rule);
          rc != 0) {
        if (rc == -ENOSPC) {
          return absl::ResourceExhaustedError(
              absl::StrCat(groups, " groups were too few"));
        }
        return RteError("rte_fib6_add", rc);
      }
    }
    peer->bytes_ = HeapBytes() - before;
    return peer;
  }

 public:
  ~Fib6Peer() override { rte_fib6_free(fib_); }

  void Batch(std::span<const Ipv6Addr> keys,
             std::span<uint32_t> out) const override {
    uint64_t hops[kChunk];
    ForChunks(keys, [&](size_t i, size_t n, const V6Bytes* b) {
      rte_fib6_lookup_bulk(fib_,
                           reinterpret_cast<V6Array>(const_cast<V6Bytes*>(b)),
                           hops, static_cast<int>(n));
      for (size_t j = 0; j < n; ++j) out[i + j] = Hop(hops[j]);
    });
  }
  size_t bytes() const override { return bytes_; }
  uint32_t Find(const V6Bytes& ip) const {
    uint64_t hop;
    V6Bytes copy = ip;
    rte_fib6_lookup_bulk(fib_, reinterpret_cast<V6Array>(&copy), &hop, 1);
    return Hop(hop);
  }

 private:
  explicit Fib6Peer(rte_fib6* fib) : fib_(fib) {}
  static uint32_t Hop(uint64_t v) {
    return v == kFibMiss ? kNoValue : static_cast<uint32_t>(v);
  }
  rte_fib6* fib_;
  size_t bytes_ = 0;
};

}  // namespace

bool DpdkCompiledIn() { return true; }

absl::Status StartDpdk() {
  static std::once_flag once;
  static absl::Status status;
  std::call_once(once, [] {
    // rte_eal_init pins the calling thread to lcore 0; the benchmarks should
    // run wherever the OS puts them, as the other implementations do.
    cpu_set_t saved;
    const bool have_saved =
        pthread_getaffinity_np(pthread_self(), sizeof saved, &saved) == 0;
    std::string mem = std::to_string(kEalMegabytes);
    std::vector<std::string> args = {
        "hatmatch_bench", "--no-huge",      "--no-shconf", "-m", mem,
        "--no-pci",       "--no-telemetry", "-l",          "0",  "--log-level",
        "lib.eal:error"};
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    const int rc = rte_eal_init(static_cast<int>(argv.size()), argv.data());
    if (rc < 0) {
      status = absl::UnavailableError(
          absl::StrCat("DPDK EAL did not start: ", rte_strerror(rte_errno)));
    }
    if (have_saved) {
      pthread_setaffinity_np(pthread_self(), sizeof saved, &saved);
    }
  });
  return status;
}

absl::StatusOr<std::unique_ptr<Ipv4Peer>> MakeDpdkLpm(
    const IntervalMap<uint32_t>& map) {
  if (absl::Status s = StartDpdk(); !s.ok()) return s;
  return LpmPeer::Make(map);
}
absl::StatusOr<std::unique_ptr<Ipv4Peer>> MakeDpdkFib(
    const IntervalMap<uint32_t>& map) {
  if (absl::Status s = StartDpdk(); !s.ok()) return s;
  return FibPeer::Make(map);
}
absl::StatusOr<std::unique_ptr<Ipv6Peer>> MakeDpdkLpm6(
    const IntervalMap<Ipv6Addr>& map) {
  if (absl::Status s = StartDpdk(); !s.ok()) return s;
  return Lpm6Peer::Make(map);
}
absl::StatusOr<std::unique_ptr<Ipv6Peer>> MakeDpdkFib6(
    const IntervalMap<Ipv6Addr>& map) {
  if (absl::Status s = StartDpdk(); !s.ok()) return s;
  return Fib6Peer::Make(map);
}

}  // namespace hatmatch::bench

#endif  // HATMATCH_HAVE_DPDK
