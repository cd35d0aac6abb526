// Copyright 2026 The hatmatch Authors.
// Validating the IPv4 poptrie, and the batched lookup.

#include "engine/table/ipv4_trie.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "engine/table/ipv4_batch_avx512.h"
#include "engine/table/poptrie.h"

namespace hatmatch {

namespace {

// Addresses per block of LookupBatch: enough top-level loads to keep the
// memory system busy, few enough to stay in L1.
constexpr size_t kBlock = 512;

// Passes 1 and 2 of LookupBatch, portable: o[j] = the answer when the top
// entry of a[j] is a value or a terminal, else the node entry, with j listed
// in `pending`.  Returns the number listed.  (ipv4_batch_avx512.h does the
// same sixteen addresses at a time where the CPU allows.)
size_t TopAndTerminals(const uint32_t* top, const uint32_t* terminals,
                       unsigned top_bits, const uint32_t* a, uint32_t* o,
                       size_t m, uint32_t* pending) {
  const unsigned shift = 32 - top_bits;
  // Pass 1: every top entry of the block (independent loads), listing the
  // addresses that go on with a branch-free compaction.
  size_t np = 0;
  for (size_t j = 0; j < m; ++j) {
    const uint32_t e = top[a[j] >> shift];
    o[j] = e;
    pending[np] = static_cast<uint32_t>(j);
    np += poptrie::IsNodeEntry(e);
  }
  // Pass 2: terminals, independent of each other, so the out-of-order core
  // overlaps their cache misses.  On a routing table nearly every listed
  // address has one, so the branch predicts well; the few below a node stay
  // listed.
  size_t nn = 0;
  for (size_t k = 0; k < np; ++k) {
    const uint32_t j = pending[k];
    const uint32_t e = o[j];
    if (poptrie::IsTerminalOrBlock(e)) [[likely]] {
      o[j] = poptrie::TerminalValue(
          terminals, e - poptrie::kTerminalFlag,
          poptrie::InvChunk(uint64_t{a[j]} << 32, top_bits));
    } else {
      pending[nn++] = j;
    }
  }
  return nn;
}

}  // namespace

absl::Status Ipv4Trie::Validate() const {
  if (direct_.active()) {
    if (top_bits_ != Ipv4Direct::kTopBits || !top_.empty() || !nodes_.empty() ||
        !leaves_.empty() || !terminals_.empty()) {
      return absl::DataLossError(
          "ipv4 trie: poptrie arrays beside the direct layout");
    }
    return direct_.Validate();
  }
  if (direct_.bytes() != 0) {
    return absl::DataLossError(
        "ipv4 trie: direct layout arrays beside the poptrie");
  }
  if (top_bits_ != 16 && top_bits_ != 18) {
    return absl::DataLossError(
        absl::StrCat("ipv4 trie: top level of ", top_bits_, " bits"));
  }
  return poptrie::ValidatePoptrie(
      poptrie::PoptrieShape{static_cast<int>(top_bits_), 0, false}, top_, {},
      nodes_, leaves_, terminals_);
}

void Ipv4Trie::LookupBatch(const uint32_t* addrs, uint32_t* out,
                           size_t n) const {
  LookupBatchWith(/*portable=*/false, addrs, out, n);
}

void Ipv4Trie::LookupBatchWith(bool portable, const uint32_t* addrs,
                               uint32_t* out, size_t n) const {
  if (direct_.active()) {
    direct_.LookupBatchWith(portable, addrs, out, n);
    return;
  }
  // Locals, so that the stores to `out` do not make the compiler reload
  // them from *this on every iteration.
  const uint32_t* top = top_.data();
  const uint32_t* terminals = terminals_.data();
  const unsigned top_bits = top_bits_;
  const bool avx512 = !portable && Ipv4Avx512Usable();
  uint32_t pending[kBlock];
  for (size_t base = 0; base < n; base += kBlock) {
    const size_t m = std::min(kBlock, n - base);
    const uint32_t* a = addrs + base;
    uint32_t* o = out + base;
    const size_t nn =
        avx512 ? Ipv4TopAndTerminalsAvx512(top, terminals, top_bits, a, o, m,
                                           pending)
               : TopAndTerminals(top, terminals, top_bits, a, o, m, pending);
    // Pass 3: the descents below nodes.
    for (size_t k = 0; k < nn; ++k) {
      const uint32_t j = pending[k];
      o[j] = Descend(o[j] - poptrie::kNodeFlag, a[j]);
    }
  }
}

}  // namespace hatmatch
