// Copyright 2026 The hatmatch Authors.
// The one-pass bounds proof shared by the IPv4 and IPv6 tries.

#include "engine/table/poptrie.h"

#include <cstddef>
#include <cstdint>
#include <span>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace hatmatch {
namespace poptrie {

absl::Status ValidatePoptrie(int top_bits, bool allow_skip,
                             std::span<const uint32_t> top,
                             std::span<const PoptrieNode> nodes,
                             std::span<const uint32_t> leaves) {
  if (top_bits < 1 || top_bits > 24) {
    return absl::DataLossError(
        absl::StrCat("trie: top level of ", top_bits, " bits"));
  }
  const size_t top_size = size_t{1} << top_bits;
  if (top.size() != top_size) {
    return absl::DataLossError(absl::StrCat("trie: top level has ", top.size(),
                                            " entries, want ", top_size));
  }
  if (leaves.empty()) return absl::DataLossError("trie: no leaves");
  for (size_t t = 0; t < top.size(); ++t) {
    uint32_t e = top[t];
    if (IsNodeEntry(e) && e - kNodeFlag >= nodes.size()) {
      return absl::DataLossError(absl::StrCat("trie: top entry ", t,
                                              " names node ", e - kNodeFlag,
                                              " of ", nodes.size()));
    }
  }
  // Every rank a lookup computes lies in 1 .. popcount(vector): for a node
  // child because bit c itself is set, for a leaf child because bit 0 of
  // leafvec is.  So base + popcount(vector) <= size bounds every index.
  for (size_t i = 0; i < nodes.size(); ++i) {
    const PoptrieNode& n = nodes[i];
    if (IsSkip(n)) {
      if (!allow_skip) {
        return absl::DataLossError(
            absl::StrCat("trie: node ", i, " is a skip node"));
      }
      if (n.leafvec >= 16 || n.inner_base >= nodes.size()) {
        return absl::DataLossError(
            absl::StrCat("trie: skip node ", i, " is malformed"));
      }
      continue;
    }
    if (uint64_t{n.leaf_base} + Rank(n.leafvec) > leaves.size()) {
      return absl::DataLossError(absl::StrCat("trie: node ", i, " leaf runs ",
                                              n.leaf_base, "+", Rank(n.leafvec),
                                              " overflow ", leaves.size()));
    }
    if (uint64_t{n.inner_base} + Rank(n.inner) > nodes.size()) {
      return absl::DataLossError(absl::StrCat("trie: node ", i, " children ",
                                              n.inner_base, "+", Rank(n.inner),
                                              " overflow ", nodes.size()));
    }
  }
  return absl::OkStatus();
}

}  // namespace poptrie
}  // namespace hatmatch
