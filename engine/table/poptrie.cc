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

absl::Status ValidatePoptrie(std::span<const uint32_t> top,
                             std::span<const PoptrieNode> nodes,
                             std::span<const uint32_t> leaves) {
  if (top.size() != kTopSize) {
    return absl::DataLossError(absl::StrCat("trie: top level has ", top.size(),
                                            " entries, want ", kTopSize));
  }
  if (leaves.empty()) return absl::DataLossError("trie: no leaves");
  if (nodes.empty()) return absl::DataLossError("trie: no sink node");
  const PoptrieNode& sink = nodes[0];
  if (sink.inner != 0 || sink.leafvec != 1 || sink.inner_base != 0 ||
      sink.leaf_base != 0) {
    return absl::DataLossError("trie: node 0 is not the sink");
  }
  for (size_t t = 0; t < top.size(); ++t) {
    uint32_t e = top[t];
    if (!IsNodeEntry(e)) continue;
    uint32_t index = e - kNodeFlag;
    if (index == 0 || index >= nodes.size()) {
      return absl::DataLossError(absl::StrCat(
          "trie: top entry ", t, " names node ", index, " of ", nodes.size()));
    }
  }
  // Every rank a lookup computes lies in 1 .. popcount(vector): for an inner
  // child because bit c itself is set, for a leaf child because bit 0 of
  // leafvec is.  So base + popcount(vector) <= size bounds every index.
  for (size_t i = 1; i < nodes.size(); ++i) {
    const PoptrieNode& n = nodes[i];
    if ((n.leafvec & 1) == 0) {
      return absl::DataLossError(
          absl::StrCat("trie: node ", i, " has no leaf run at child 0"));
    }
    if (uint64_t{n.leaf_base} + Rank(n.leafvec) > leaves.size()) {
      return absl::DataLossError(absl::StrCat("trie: node ", i, " leaf runs ",
                                              n.leaf_base, "+", Rank(n.leafvec),
                                              " overflow ", leaves.size()));
    }
    if (n.inner != 0 &&
        (n.inner_base == 0 ||
         uint64_t{n.inner_base} + Rank(n.inner) > nodes.size())) {
      return absl::DataLossError(absl::StrCat("trie: node ", i, " children ",
                                              n.inner_base, "+", Rank(n.inner),
                                              " outside 1..", nodes.size()));
    }
  }
  return absl::OkStatus();
}

}  // namespace poptrie
}  // namespace hatmatch
