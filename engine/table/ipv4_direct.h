// Copyright 2026 The hatmatch Authors.
//
// ipv4_direct.h: the direct layout of the IPv4 lookup structure, for big
// maps whose values are small (engine/table/ipv4_trie.h chooses it).
//
// An Ipv4Direct answers "the value of the segment holding this address" for
// an IntervalMap<uint32_t> in two dependent loads for every address outside
// the rare /24s that longer prefixes split, with no allocation and no
// failure.  Where the poptrie (poptrie.h) compresses the /24s below an
// 18-bit block into a bitmap and runs, which costs a third dependent load,
// this layout stores every /24 of a split block as a packed code: on CPUs
// whose gathers are fast (AMD Zen 5) the dependent depth, not the bytes,
// bounds a batch (docs/benchmarks/EXPERIMENTS.md).
//
//   address bits   31 ...... 14 | 13 ... 8 | 7 ... 0
//   level          top[]          code       split segments (rare)
//
//   top[]     uint16[2^18 + 2]: for the 18-bit block addr >> 14, a value
//             below kNoValue16 (every address of the block has it),
//             kNoValue16 (none has a value), or kBlockFlag16 + b: the
//             block's 64 /24s are codes 64 * b ... 64 * b + 63.  The two
//             entries after the last block are padding (0), so that a
//             32-bit gather at any entry stays inside the array.
//   codes[]   the codes, code_bits (2..16) bits each, packed from bit 0 of
//             byte 0 upwards, then 4 zero bytes (a 32-bit read at any
//             code's first byte stays inside).  A code is 0 (no value),
//             v + 1 (value v), or all ones (the /24 holds several segments:
//             its answer comes from the split segments).
//   split_starts[], split_values[]   the segments of every split /24,
//             sorted, each /24's first segment starting at the /24's first
//             address: the last start at or below an address in a split
//             /24 names its segment.
//
//   bytes = 2 * (2^18 + 2) + blocks * 8 * code_bits + 4 + 8 * splits.
//   On a routing table (bgp4: 606k prefixes, 1,000 rules) 28,896 of the
//   2^18 blocks are split and the codes are 10 bits: 2.8 MB, against 2.2 MB
//   for the poptrie.
//
// It fits a map when the map's values are below kNoValue16 - 1 (so that
// v + 1 and the split code fit 16 bits) and at most 32,768 blocks are
// split; BuildIpv4Direct() (engine/compile) says when it does not.
//
// Zero-copy shape: Ipv4DirectData owns the arrays as built (and as a table
// file stores them); Ipv4Direct is a trivially copyable view over spans of
// them.  A view over untrusted bytes must pass Validate() before its first
// lookup; after that no address makes a lookup read outside the spans.
// A default-constructed view is not active() and answers nothing.
//
// Threads: a view is immutable; share it freely.

#ifndef HATMATCH_ENGINE_TABLE_IPV4_DIRECT_H_
#define HATMATCH_ENGINE_TABLE_IPV4_DIRECT_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

#include "absl/status/status.h"
#include "engine/table/interval_map.h"

namespace hatmatch {

struct Ipv4DirectData {
  uint32_t code_bits = 0;  // 0: no direct layout
  std::vector<uint16_t> top;
  std::vector<uint8_t> codes;
  std::vector<uint32_t> split_starts;
  std::vector<uint32_t> split_values;
  size_t bytes() const {
    return top.size() * sizeof(uint16_t) + codes.size() +
           (split_starts.size() + split_values.size()) * sizeof(uint32_t);
  }
};

class Ipv4Direct {
 public:
  static constexpr unsigned kTopBits = 18;
  static constexpr size_t kTopEntries = (size_t{1} << kTopBits) + 2;
  static constexpr uint16_t kNoValue16 = 0x7FFF;
  static constexpr uint16_t kBlockFlag16 = 0x8000;
  static constexpr size_t kMaxBlocks = 0x8000;
  static constexpr size_t kBlockCodes = 64;
  static constexpr uint32_t kMinCodeBits = 2;
  static constexpr uint32_t kMaxCodeBits = 16;

  Ipv4Direct() = default;
  explicit Ipv4Direct(const Ipv4DirectData& d)
      : Ipv4Direct(d.code_bits, d.top, d.codes, d.split_starts,
                   d.split_values) {}
  Ipv4Direct(uint32_t code_bits, std::span<const uint16_t> top,
             std::span<const uint8_t> codes,
             std::span<const uint32_t> split_starts,
             std::span<const uint32_t> split_values)
      : code_bits_(code_bits),
        top_(top),
        codes_(codes),
        split_starts_(split_starts),
        split_values_(split_values) {}

  bool active() const { return code_bits_ != 0; }

  // The value of the segment holding `addr` (host order), or kNoValue.
  uint32_t Lookup(uint32_t addr) const {
    bool split;
    const uint32_t v = Answer(top_[addr >> (32 - kTopBits)], addr, &split);
    if (split) [[unlikely]] {
      return SplitLookup(addr);
    }
    return v;
  }

  // out[i] = Lookup(addrs[i]) for i < n; the AVX-512 passes
  // (ipv4_batch_avx512.h) unless `portable` or the CPU lacks them.
  void LookupBatchWith(bool portable, const uint32_t* addrs, uint32_t* out,
                       size_t n) const;

  // Proves the shape every lookup relies on: the array sizes, every block
  // index below the block count, codes of code_bits bits, padding zero,
  // split segments sorted with one starting at every split /24.  Values
  // are range-checked by the table's validation (ForEachValue).
  absl::Status Validate() const;

  // Calls f(v) for every value a lookup can return but kNoValue.
  template <class F>
  void ForEachValue(F f) const {
    for (size_t i = 0; i + 2 < top_.size(); ++i) {
      if (top_[i] < kNoValue16) f(uint32_t{top_[i]});
    }
    const size_t codes = CodeCount();
    for (size_t i = 0; i < codes; ++i) {
      const uint32_t c = Code(i);
      if (c != 0 && c != SplitCode()) f(c - 1);
    }
    for (uint32_t v : split_values_) {
      if (v != kNoValue) f(v);
    }
  }

  size_t bytes() const {
    return top_.size_bytes() + codes_.size_bytes() +
           split_starts_.size_bytes() + split_values_.size_bytes();
  }
  uint32_t code_bits() const { return code_bits_; }
  std::span<const uint16_t> top() const { return top_; }
  std::span<const uint8_t> codes() const { return codes_; }
  std::span<const uint32_t> split_starts() const { return split_starts_; }
  std::span<const uint32_t> split_values() const { return split_values_; }

  // The code meaning "several segments in this /24".
  uint32_t SplitCode() const { return (uint32_t{1} << code_bits_) - 1; }
  // Index of the code of `addr`'s /24, in the block named by top entry e.
  static size_t BlockCode(uint32_t e, uint32_t addr) {
    return size_t{e - kBlockFlag16} * kBlockCodes + ((addr >> 8) & 63);
  }
  // Code i: a 32-bit read at its first byte (padding keeps it inside).
  uint32_t Code(size_t i) const {
    const size_t bit = i * code_bits_;
    uint32_t word;
    std::memcpy(&word, codes_.data() + bit / 8, sizeof word);
    return (word >> (bit % 8)) & SplitCode();
  }
  // The answer for `addr` from its top entry e (a value, or the code of
  // its /24), or *split set when the /24 holds several segments: then the
  // answer is SplitLookup(addr).  The scalar lookup and both batches' per
  // address steps.
  uint32_t Answer(uint32_t e, uint32_t addr, bool* split) const {
    if (e < kBlockFlag16) {
      *split = false;
      return e == kNoValue16 ? kNoValue : e;
    }
    const uint32_t c = Code(BlockCode(e, addr));
    *split = c == SplitCode();
    return c - 1;  // code 0 - 1 == kNoValue
  }
  // The segment of `addr`, which lies in a split /24.
  uint32_t SplitLookup(uint32_t addr) const;

 private:
  size_t CodeCount() const;

  uint32_t code_bits_ = 0;
  std::span<const uint16_t> top_;
  std::span<const uint8_t> codes_;
  std::span<const uint32_t> split_starts_;
  std::span<const uint32_t> split_values_;
};

}  // namespace hatmatch

#endif  // HATMATCH_ENGINE_TABLE_IPV4_DIRECT_H_
