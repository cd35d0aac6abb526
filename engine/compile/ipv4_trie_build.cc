// Copyright 2026 The hatmatch Authors.
// Building the IPv4 lookup structure: the poptrie, or the direct layout
// (engine/table/ipv4_trie.h, ipv4_direct.h).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <iterator>
#include <optional>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/compile/builders.h"
#include "engine/compile/poptrie_build.h"
#include "engine/table/interval_map.h"
#include "engine/table/ipv4_direct.h"
#include "engine/table/ipv4_trie.h"
#include "engine/table/poptrie.h"

namespace hatmatch {

namespace {

absl::StatusOr<Ipv4TrieData> BuildWithTop(const IntervalMap<uint32_t>& map,
                                          uint32_t top_bits) {
  Ipv4TrieData d;
  d.top_bits = top_bits;
  poptrie::Builder<uint32_t> b(
      poptrie::PoptrieShape{static_cast<int>(top_bits), 0, false}, 0,
      map.starts, map.values);
  std::vector<uint32_t> no_blocks;
  if (absl::Status s =
          b.Build(&d.top, &no_blocks, &d.nodes, &d.leaves, &d.terminals);
      !s.ok()) {
    return s;
  }
  return d;
}

// Maps with this many segments get the 18-bit top level, and the direct
// layout when it fits.
constexpr size_t kWideTopSegments = 32768;

// Bits for codes up to max_code (at least kMinCodeBits).
uint32_t CodeBits(uint32_t max_code) {
  uint32_t bits = Ipv4Direct::kMinCodeBits;
  while ((uint64_t{1} << bits) <= max_code) ++bits;
  return bits;
}

// Sets code i (of `bits` bits) of a zeroed array that has the 4 bytes of
// padding after its last code: a 32-bit read-modify-write at the code's
// first byte (bits <= 16, so the code ends within those 32 bits).
void PutCode(std::vector<uint8_t>* codes, size_t i, uint32_t bits,
             uint32_t code) {
  const size_t bit = i * bits;
  uint32_t word;
  std::memcpy(&word, codes->data() + bit / 8, sizeof word);
  word |= code << (bit % 8);
  std::memcpy(codes->data() + bit / 8, &word, sizeof word);
}

// Whether the 18-bit block at `lo` lies in one segment (`seg`, the one
// holding its first address).  When it does not, its 64 /24 values go to
// slash24[], kSplit24 where a /24 holds several segments.
constexpr uint64_t kSplit24 = uint64_t{1} << 32;
bool ScanBlock(const IntervalMap<uint32_t>& map, size_t seg, uint64_t lo,
               uint64_t* slash24) {
  constexpr uint64_t kBlockSize = uint64_t{1} << (32 - Ipv4Direct::kTopBits);
  const size_t n = map.size();
  if (seg + 1 >= n || map.starts[seg + 1] >= lo + kBlockSize) return true;
  for (size_t c = 0; c < Ipv4Direct::kBlockCodes; ++c) {
    const uint64_t first = lo + (uint64_t{c} << 8);
    while (seg + 1 < n && map.starts[seg + 1] <= first) ++seg;
    const bool split = seg + 1 < n && map.starts[seg + 1] < first + 256;
    slash24[c] = split ? kSplit24 : map.values[seg];
  }
  return false;
}

// The segments of every /24 that holds several: each such /24's segments
// from its first address on, in address order.  A /24 holds several
// segments exactly when one starts strictly inside it.
void AddSplitSegments(const IntervalMap<uint32_t>& map, Ipv4DirectData& d) {
  const size_t n = map.size();
  for (size_t i = 1; i < n;) {
    if ((map.starts[i] & 0xFF) == 0) {
      ++i;
      continue;
    }
    const uint32_t first = map.starts[i] & ~uint32_t{0xFF};
    d.split_starts.push_back(first);
    d.split_values.push_back(map.values[i - 1]);  // the segment holding it
    for (; i < n && map.starts[i] - first < 256; ++i) {
      d.split_starts.push_back(map.starts[i]);
      d.split_values.push_back(map.values[i]);
    }
  }
}

}  // namespace

std::optional<Ipv4DirectData> BuildIpv4Direct(
    const IntervalMap<uint32_t>& map) {
  // A malformed map is left to the poptrie builder, which says why.
  if (map.starts.empty() || map.starts[0] != 0 ||
      map.values.size() != map.starts.size() ||
      !std::is_sorted(map.starts.begin(), map.starts.end(),
                      std::less_equal<uint32_t>())) {
    return std::nullopt;
  }
  uint32_t max_value = 0;
  for (uint32_t v : map.values) {
    if (v == kNoValue) continue;
    // Values below kNoValue16 - 1 leave room for v + 1 and the split code.
    if (v >= Ipv4Direct::kNoValue16 - 1) return std::nullopt;
    max_value = std::max(max_value, v);
  }
  Ipv4DirectData d;
  d.code_bits = CodeBits(max_value + 2);  // codes 0, v + 1, and all ones
  const uint32_t split_code = (uint32_t{1} << d.code_bits) - 1;
  d.top.assign(Ipv4Direct::kTopEntries, 0);
  const size_t block_bytes = size_t{8} * d.code_bits;  // 64 codes
  d.codes.assign(4, 0);  // the padding, kept after the last block
  size_t blocks = 0;
  size_t seg = 0;
  uint64_t slash24[Ipv4Direct::kBlockCodes];
  for (uint32_t b = 0; b < (uint32_t{1} << Ipv4Direct::kTopBits); ++b) {
    const uint64_t lo = uint64_t{b} << (32 - Ipv4Direct::kTopBits);
    while (seg + 1 < map.size() && map.starts[seg + 1] <= lo) ++seg;
    if (ScanBlock(map, seg, lo, slash24)) {
      const uint32_t v = map.values[seg];
      d.top[b] =
          static_cast<uint16_t>(v == kNoValue ? Ipv4Direct::kNoValue16 : v);
      continue;
    }
    if (blocks == Ipv4Direct::kMaxBlocks) return std::nullopt;
    d.top[b] = static_cast<uint16_t>(Ipv4Direct::kBlockFlag16 + blocks);
    d.codes.resize(d.codes.size() + block_bytes, 0);
    for (size_t c = 0; c < Ipv4Direct::kBlockCodes; ++c) {
      const uint64_t v = slash24[c];
      PutCode(&d.codes, blocks * Ipv4Direct::kBlockCodes + c, d.code_bits,
              v == kSplit24 ? split_code : static_cast<uint32_t>(v + 1));
    }
    ++blocks;
  }
  AddSplitSegments(map, d);
  return d;
}

absl::StatusOr<Ipv4TrieData> BuildIpv4Trie(const IntervalMap<uint32_t>& map) {
  // 18 bits put a /24 one level higher (18 + 6 = 24) for 768 KiB more top
  // level, which big maps make up for with fewer nodes (a routing table's
  // 18-bit trie is even smaller than its 16-bit one).
  if (map.size() >= kWideTopSegments) {
    if (std::optional<Ipv4DirectData> direct = BuildIpv4Direct(map)) {
      Ipv4TrieData d;
      d.top_bits = Ipv4Direct::kTopBits;
      d.direct = *std::move(direct);
      return d;
    }
  }
  return BuildWithTop(map, map.size() >= kWideTopSegments ? 18 : 16);
}

}  // namespace hatmatch
