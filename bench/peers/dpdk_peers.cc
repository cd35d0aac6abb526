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
    const IntervalMap<uint32_t>&, bool) {
  return StartDpdk();
}
absl::StatusOr<std::unique_ptr<Ipv6Peer>> MakeDpdkLpm6(
    const IntervalMap<Ipv6Addr>&) {
  return StartDpdk();
}
absl::StatusOr<std::unique_ptr<Ipv6Peer>> MakeDpdkFib6(
    const IntervalMap<Ipv6Addr>&, bool) {
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
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "bench/peers/cidr.h"

namespace hatmatch::bench {
namespace {

using u128 = unsigned __int128;
using V6Bytes = std::array<uint8_t, 16>;

// Memory the lookup structures may take from the EAL heap (-m).
constexpr int kEalMegabytes = 4096;
// IPv6 keys are converted to DPDK's byte arrays this many at a time when
// they were not prepared in that form.
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
V6Bytes ToBytes(const Ipv6Addr& a) {
  return ToBytes((u128{a.hi} << 64) | a.lo);
}

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

// Lookup-structure bytes of a 24-bit first level and 256-entry groups.
size_t Dir24Bytes(uint64_t groups, size_t entry_bytes) {
  return ((size_t{1} << 24) + groups * 256) * entry_bytes;
}

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
    peer->table_bytes_ = HeapBytes() - before;
    peer->bytes_ = Dir24Bytes(conf.number_tbl8s, sizeof(uint32_t));
    return peer;
  }
  ~LpmPeer() override { rte_lpm_free(lpm_); }

  // The answers stay as rte_lpm returns them (hop | RTE_LPM_LOOKUP_SUCCESS).
  void Batch(std::span<const uint32_t> keys,
             std::span<uint32_t> out) const override {
    rte_lpm_lookup_bulk(lpm_, keys.data(), out.data(),
                        static_cast<unsigned>(keys.size()));
  }
  void Decode(std::span<uint32_t> out) const override {
    for (uint32_t& v : out) {
      v = (v & RTE_LPM_LOOKUP_SUCCESS) ? (v & 0x00ffffff) : kNoValue;
    }
  }
  uint32_t Find(uint32_t ip) const {
    uint32_t hop;
    return rte_lpm_lookup(lpm_, ip, &hop) == 0 ? hop : kNoValue;
  }
  size_t bytes() const override { return bytes_; }
  size_t table_bytes() const override { return table_bytes_; }

 private:
  explicit LpmPeer(rte_lpm* lpm) : lpm_(lpm) {}
  rte_lpm* lpm_;
  size_t bytes_ = 0, table_bytes_ = 0;
};

// ---- rte_fib / rte_fib6: next-hop width and lookup function -----------------

// Next hops of 8 << nh_sz bits; the top bit marks a group index, so the
// largest storable hop is 2^(bits-1) - 1.  That value is the miss ("default
// next hop"), so every rule must stay below it: the narrowest width where
// the rules and the group count fit is the fastest configuration.
struct HopWidth {
  int nh_sz;      // DPDK's enum value: bytes = 1 << nh_sz
  uint64_t miss;  // default_nh
  size_t entry_bytes;
};

std::optional<HopWidth> NarrowestWidth(int min_sz, uint32_t max_rule,
                                       uint64_t groups) {
  for (int sz = min_sz; sz <= 2; ++sz) {
    const uint64_t max_nh = (uint64_t{1} << ((8 << sz) - 1)) - 1;
    if (max_rule < max_nh && groups <= max_nh) {
      return HopWidth{sz, max_nh, size_t{1} << sz};
    }
  }
  return std::nullopt;
}

uint32_t MaxRule(const IntervalMap<uint32_t>& m) {
  uint32_t r = 0;
  for (uint32_t v : m.values) r = v == kNoValue ? r : std::max(r, v);
  return r;
}
uint32_t MaxRule(const IntervalMap<Ipv6Addr>& m) {
  uint32_t r = 0;
  for (uint32_t v : m.values) r = v == kNoValue ? r : std::max(r, v);
  return r;
}

// The 64-bit next hops of the last batch, kept by the peer: the application
// reads them where DPDK wrote them.
class HopBuffer {
 public:
  uint64_t* For(size_t n) const {
    if (hops_.size() < n) hops_.resize(n);
    last_ = n;
    return hops_.data();
  }
  void Decode(uint64_t miss, std::span<uint32_t> out) const {
    for (size_t i = 0; i < out.size() && i < last_; ++i) {
      out[i] = hops_[i] == miss ? kNoValue : static_cast<uint32_t>(hops_[i]);
    }
  }

 private:
  mutable std::vector<uint64_t> hops_;
  mutable size_t last_ = 0;
};

// ---- rte_fib ---------------------------------------------------------------

class FibPeer final : public ScalarPeer<uint32_t, FibPeer> {
 public:
  static absl::StatusOr<std::unique_ptr<Ipv4Peer>> Make(
      const IntervalMap<uint32_t>& map, bool avx512) {
    const std::vector<Block4> blocks = Blocks(map);
    const uint32_t groups = Tbl8Groups4(blocks);
    const std::optional<HopWidth> w =
        NarrowestWidth(RTE_FIB_DIR24_8_1B, MaxRule(map), groups);
    if (!w) return absl::ResourceExhaustedError("rules do not fit rte_fib");
    const size_t before = HeapBytes();
    rte_fib_conf conf{};
    conf.type = RTE_FIB_DIR24_8;
    conf.default_nh = w->miss;
    conf.max_routes = static_cast<int>(blocks.size()) + 1;
    conf.rib_ext_sz = 0;
    conf.dir24_8.nh_sz = static_cast<rte_fib_dir24_8_nh_sz>(w->nh_sz);
    conf.dir24_8.num_tbl8 = groups;
    rte_fib* fib =
        rte_fib_create(NextName("fib").c_str(), SOCKET_ID_ANY, &conf);
    if (!fib) return RteError("rte_fib_create");
    auto peer = std::unique_ptr<FibPeer>(new FibPeer(fib, w->miss));
    for (const Block4& b : blocks) {
      if (const int rc = rte_fib_add(fib, b.base, b.depth, b.rule); rc != 0) {
        return RteError("rte_fib_add", rc);
      }
    }
    if (const int rc = rte_fib_select_lookup(
            fib, avx512 ? RTE_FIB_LOOKUP_DIR24_8_VECTOR_AVX512
                        : RTE_FIB_LOOKUP_DIR24_8_SCALAR_MACRO);
        rc != 0) {
      return absl::UnavailableError(
          "rte_fib has no AVX-512 lookup on this CPU or build");
    }
    peer->table_bytes_ = HeapBytes() - before;
    peer->bytes_ = Dir24Bytes(groups, w->entry_bytes);
    return peer;
  }
  ~FibPeer() override { rte_fib_free(fib_); }

  void Batch(std::span<const uint32_t> keys,
             std::span<uint32_t> out) const override {
    (void)out;
    // The API takes a non-const pointer but only reads the addresses.
    rte_fib_lookup_bulk(fib_, const_cast<uint32_t*>(keys.data()),
                        hops_.For(keys.size()), static_cast<int>(keys.size()));
  }
  void Decode(std::span<uint32_t> out) const override {
    hops_.Decode(miss_, out);
  }
  // rte_fib has no single-address call: a bulk lookup of one is its API.
  uint32_t Find(uint32_t ip) const {
    uint64_t hop;
    rte_fib_lookup_bulk(fib_, &ip, &hop, 1);
    return hop == miss_ ? kNoValue : static_cast<uint32_t>(hop);
  }
  size_t bytes() const override { return bytes_; }
  size_t table_bytes() const override { return table_bytes_; }

 private:
  FibPeer(rte_fib* fib, uint64_t miss) : fib_(fib), miss_(miss) {}
  rte_fib* fib_;
  uint64_t miss_;
  HopBuffer hops_;
  size_t bytes_ = 0, table_bytes_ = 0;
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
    peer->table_bytes_ = HeapBytes() - before;
    peer->bytes_ = Dir24Bytes(groups, sizeof(uint32_t));
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
  size_t table_bytes() const override { return table_bytes_; }
  uint32_t Find(const V6Bytes& ip) const {
    uint32_t hop;
    return rte_lpm6_lookup(lpm_, ip.data(), &hop) == 0 ? hop : kNoValue;
  }

 private:
  explicit Lpm6Peer(rte_lpm6* lpm) : lpm_(lpm) {}
  rte_lpm6* lpm_;
  size_t bytes_ = 0, table_bytes_ = 0;
};

class Fib6Peer final : public V6BytesScalarPeer<Fib6Peer> {
 public:
  static absl::StatusOr<std::unique_ptr<Ipv6Peer>> Make(
      const IntervalMap<Ipv6Addr>& map, bool avx512) {
    const std::vector<Block6> blocks = Blocks(map);
    // The trie writes each route as a range and opens group chains at its
    // edges, so it needs more groups than the prefix paths alone; the pool
    // is allocated up front.  Start at twice the path count and double on
    // ENOSPC: the memory figures then include up to 2x pool slack.
    absl::Status last;
    for (uint64_t groups = 2 * Tbl8Groups6(blocks);
         groups * 256 * 4 <= (uint64_t{kEalMegabytes} << 20) / 2; groups *= 2) {
      absl::StatusOr<std::unique_ptr<Ipv6Peer>> p =
          Try(blocks, MaxRule(map), groups, avx512);
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
      const std::vector<Block6>& blocks, uint32_t max_rule, uint64_t groups,
      bool avx512) {
    const std::optional<HopWidth> w =
        NarrowestWidth(RTE_FIB6_TRIE_2B, max_rule, groups);
    if (!w) return absl::InvalidArgumentError("rules do not fit rte_fib6");
    const size_t before = HeapBytes();
    rte_fib6_conf conf{};
    conf.type = RTE_FIB6_TRIE;
    conf.default_nh = w->miss;
    conf.max_routes = static_cast<int>(blocks.size()) + 1;
    conf.rib_ext_sz = 0;
    conf.trie.nh_sz = static_cast<rte_fib_trie_nh_sz>(w->nh_sz);
    conf.trie.num_tbl8 = static_cast<uint32_t>(groups);
    rte_fib6* fib =
        rte_fib6_create(NextName("fib6").c_str(), SOCKET_ID_ANY, &conf);
    if (!fib) return RteError("rte_fib6_create");
    auto peer = std::unique_ptr<Fib6Peer>(new Fib6Peer(fib, w->miss));
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
    if (const int rc = rte_fib6_select_lookup(
            fib, avx512 ? RTE_FIB6_LOOKUP_TRIE_VECTOR_AVX512
                        : RTE_FIB6_LOOKUP_TRIE_SCALAR);
        rc != 0) {
      return absl::UnavailableError(
          "rte_fib6 has no AVX-512 lookup on this CPU or build");
    }
    peer->table_bytes_ = HeapBytes() - before;
    peer->bytes_ = Dir24Bytes(groups, w->entry_bytes);
    return peer;
  }

 public:
  ~Fib6Peer() override { rte_fib6_free(fib_); }

  void Batch(std::span<const Ipv6Addr> keys,
             std::span<uint32_t> out) const override {
    (void)out;
    uint64_t* hops = hops_.For(keys.size());
    ForChunks(keys, [&](size_t i, size_t n, const V6Bytes* b) {
      rte_fib6_lookup_bulk(fib_,
                           reinterpret_cast<V6Array>(const_cast<V6Bytes*>(b)),
                           hops + i, static_cast<int>(n));
    });
  }
  void Decode(std::span<uint32_t> out) const override {
    hops_.Decode(miss_, out);
  }
  size_t bytes() const override { return bytes_; }
  size_t table_bytes() const override { return table_bytes_; }
  uint32_t Find(const V6Bytes& ip) const {
    uint64_t hop;
    V6Bytes copy = ip;
    rte_fib6_lookup_bulk(fib_, reinterpret_cast<V6Array>(&copy), &hop, 1);
    return hop == miss_ ? kNoValue : static_cast<uint32_t>(hop);
  }

 private:
  Fib6Peer(rte_fib6* fib, uint64_t miss) : fib_(fib), miss_(miss) {}
  rte_fib6* fib_;
  uint64_t miss_;
  HopBuffer hops_;
  size_t bytes_ = 0, table_bytes_ = 0;
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
        "hatmatch_bench", "--no-huge", "--no-shconf", "-m", mem, "--no-pci",
        "--no-telemetry", "-l", "0", "--log-level", "lib.eal:error",
        // Lets rte_fib/rte_fib6 select their AVX-512 lookups; the scalar
        // peers select theirs explicitly.
        "--force-max-simd-bitwidth=512"};
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
    const IntervalMap<uint32_t>& map, bool avx512) {
  if (absl::Status s = StartDpdk(); !s.ok()) return s;
  return FibPeer::Make(map, avx512);
}
absl::StatusOr<std::unique_ptr<Ipv6Peer>> MakeDpdkLpm6(
    const IntervalMap<Ipv6Addr>& map) {
  if (absl::Status s = StartDpdk(); !s.ok()) return s;
  return Lpm6Peer::Make(map);
}
absl::StatusOr<std::unique_ptr<Ipv6Peer>> MakeDpdkFib6(
    const IntervalMap<Ipv6Addr>& map, bool avx512) {
  if (absl::Status s = StartDpdk(); !s.ok()) return s;
  return Fib6Peer::Make(map, avx512);
}

}  // namespace hatmatch::bench

#endif  // HATMATCH_HAVE_DPDK
