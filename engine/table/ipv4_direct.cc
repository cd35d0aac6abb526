// Copyright 2026 The hatmatch Authors.
//
// The direct IPv4 layout's validation, split lookups and batch (layout in
// ipv4_direct.h).

#include "engine/table/ipv4_direct.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "engine/table/ipv4_batch_avx512.h"

namespace hatmatch {

namespace {

// Addresses per block of the batch: enough top-level loads in flight, few
// enough to stay in L1 (as in the poptrie's batch).
constexpr size_t kBatchBlock = 512;

absl::Status Bad(auto&&... what) {
  return absl::DataLossError(absl::StrCat("ipv4 direct: ", what...));
}

}  // namespace

size_t Ipv4Direct::CodeCount() const {
  return (codes_.size() - 4) / (size_t{8} * code_bits_) * kBlockCodes;
}

uint32_t Ipv4Direct::SplitLookup(uint32_t addr) const {
  // Validate() proved that a segment starts at every split /24's first
  // address, so the search never lands before the first start.
  const auto it =
      std::upper_bound(split_starts_.begin(), split_starts_.end(), addr);
  return split_values_[static_cast<size_t>(it - split_starts_.begin()) - 1];
}

absl::Status Ipv4Direct::Validate() const {
  if (code_bits_ < kMinCodeBits || code_bits_ > kMaxCodeBits) {
    return Bad("codes of ", code_bits_, " bits");
  }
  if (top_.size() != kTopEntries) {
    return Bad(top_.size(), " top entries, expected ", kTopEntries);
  }
  if (top_[kTopEntries - 2] != 0 || top_[kTopEntries - 1] != 0) {
    return Bad("top padding is not zero");
  }
  const size_t block_bytes = size_t{8} * code_bits_;
  if (codes_.size() < 4 || (codes_.size() - 4) % block_bytes != 0) {
    return Bad(codes_.size(), " code bytes for codes of ", code_bits_, " bits");
  }
  const size_t blocks = (codes_.size() - 4) / block_bytes;
  if (blocks > kMaxBlocks) return Bad(blocks, " blocks");
  for (size_t i = codes_.size() - 4; i < codes_.size(); ++i) {
    if (codes_[i] != 0) return Bad("code padding is not zero");
  }
  if (split_starts_.size() != split_values_.size()) {
    return Bad(split_starts_.size(), " split starts for ", split_values_.size(),
               " values");
  }
  for (size_t i = 1; i < split_starts_.size(); ++i) {
    if (split_starts_[i] <= split_starts_[i - 1]) {
      return Bad("split segment ", i, " is out of order");
    }
  }
  // One pass over the top entries: each block entry names a block, and
  // every split code of that block's /24s has a segment at the /24's start.
  for (size_t i = 0; i + 2 < kTopEntries; ++i) {
    if (top_[i] < kBlockFlag16) continue;
    const size_t block = size_t{top_[i]} - kBlockFlag16;
    if (block >= blocks) {
      return Bad("top entry ", i, " names block ", block, " of ", blocks);
    }
    const uint32_t base = static_cast<uint32_t>(i) << (32 - kTopBits);
    for (uint32_t c = 0; c < kBlockCodes; ++c) {
      const uint32_t slash24 = base | c << 8;
      if (Code(BlockCode(top_[i], slash24)) != SplitCode()) continue;
      if (!std::binary_search(split_starts_.begin(), split_starts_.end(),
                              slash24)) {
        return Bad("split /24 ", slash24 >> 8, " has no segment at its start");
      }
    }
  }
  return absl::OkStatus();
}

void Ipv4Direct::LookupBatchWith(bool portable, const uint32_t* addrs,
                                 uint32_t* out, size_t n) const {
  const bool avx512 = !portable && Ipv4Avx512Usable();
  uint32_t pending[kBatchBlock];
  for (size_t base = 0; base < n; base += kBatchBlock) {
    const size_t m = std::min(kBatchBlock, n - base);
    const uint32_t* a = addrs + base;
    uint32_t* o = out + base;
    size_t np = 0;
    if (avx512) {
      np = Ipv4DirectAvx512(*this, a, o, m, pending);
    } else {
      // Every top entry first (independent loads), then the codes.
      for (size_t j = 0; j < m; ++j) o[j] = top_[a[j] >> (32 - kTopBits)];
      for (size_t j = 0; j < m; ++j) {
        bool split;
        o[j] = Answer(o[j], a[j], &split);
        pending[np] = static_cast<uint32_t>(j);
        np += split;
      }
    }
    for (size_t k = 0; k < np; ++k) {
      o[pending[k]] = SplitLookup(a[pending[k]]);
    }
  }
}

}  // namespace hatmatch
