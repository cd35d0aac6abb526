// Copyright 2026 The hatmatch Authors.
// The one-pass bounds proof shared by the IPv4 and IPv6 tries.

#include "engine/table/poptrie.h"

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace hatmatch {
namespace poptrie {

namespace {

// The array sizes the shape asks for.
absl::Status CheckSizes(PoptrieShape shape, std::span<const uint32_t> top,
                        std::span<const uint32_t> blocks,
                        std::span<const uint32_t> leaves,
                        std::span<const uint32_t> terminals) {
  if (shape.top_bits < 1 || shape.top_bits > 24 || shape.block_bits < 0 ||
      shape.block_bits > 16) {
    return absl::InternalError("trie: bad shape");
  }
  const size_t top_size = size_t{1} << shape.top_bits;
  if (top.size() != top_size) {
    return absl::DataLossError(absl::StrCat("trie: top level has ", top.size(),
                                            " entries, want ", top_size));
  }
  const bool has_blocks = shape.block_bits > 0;
  const size_t block_size = size_t{1} << shape.block_bits;
  if (!has_blocks ? !blocks.empty() : blocks.size() % block_size != 0) {
    return absl::DataLossError(
        absl::StrCat("trie: ", blocks.size(), " block entries"));
  }
  if (leaves.empty()) return absl::DataLossError("trie: no leaves");
  if (terminals.size() > kBlockFlag - kTerminalFlag) {
    return absl::DataLossError("trie: terminals array too large");
  }
  return absl::OkStatus();
}

// Walks the terminals, marking where each starts: an entry may only name a
// start, so every index a lookup computes from it lies in its own runs.
absl::Status MarkTerminalStarts(std::span<const uint32_t> terminals,
                                std::vector<bool>* start) {
  start->assign(terminals.size(), false);
  for (size_t i = 0; i < terminals.size();) {
    if (terminals.size() - i < 2) {
      return absl::DataLossError(
          absl::StrCat("trie: terminal at ", i, " is truncated"));
    }
    const uint64_t leafvec = TerminalLeafvec(terminals.data(), i);
    const uint32_t runs = Rank(leafvec);
    if ((leafvec & 1) == 0 || terminals.size() - i - 2 < runs) {
      return absl::DataLossError(
          absl::StrCat("trie: terminal at ", i, " is malformed"));
    }
    (*start)[i] = true;
    i += 2 + runs;
  }
  return absl::OkStatus();
}

// Every entry of top[] and blocks[]: a value, a node or terminal that
// exists or, in top[] only, a block that exists.
absl::Status CheckEntries(PoptrieShape shape, std::span<const uint32_t> top,
                          std::span<const uint32_t> blocks,
                          std::span<const PoptrieNode> nodes,
                          const std::vector<bool>& terminal_start) {
  const bool has_blocks = shape.block_bits > 0;
  const size_t block_size = size_t{1} << shape.block_bits;
  auto check_entry = [&](uint32_t e, bool from_block) -> bool {
    if (!IsNodeEntry(e)) return true;
    if (IsBlockEntry(e)) {
      return has_blocks && !from_block &&
             (uint64_t{e - kBlockFlag} + 1) * block_size <= blocks.size();
    }
    if (IsTerminalEntry(e)) {
      const size_t i = e - kTerminalFlag;
      return i < terminal_start.size() && terminal_start[i];
    }
    return e - kNodeFlag < nodes.size();
  };
  for (size_t t = 0; t < top.size(); ++t) {
    if (!check_entry(top[t], false)) {
      return absl::DataLossError(
          absl::StrCat("trie: top entry ", t, " (", top[t], ") out of range"));
    }
  }
  for (size_t i = 0; i < blocks.size(); ++i) {
    if (!check_entry(blocks[i], true)) {
      return absl::DataLossError(absl::StrCat("trie: block entry ", i, " (",
                                              blocks[i], ") out of range"));
    }
  }
  return absl::OkStatus();
}

// Every rank a lookup computes lies in 1 .. popcount(vector): for a node
// child because bit c itself is set, for a leaf child because bit 0 of
// leafvec is.  So base + popcount(vector) <= size bounds every index.
absl::Status CheckNodes(PoptrieShape shape, std::span<const PoptrieNode> nodes,
                        std::span<const uint32_t> leaves) {
  for (size_t i = 0; i < nodes.size(); ++i) {
    const PoptrieNode& n = nodes[i];
    if (IsSkip(n)) {
      if (!shape.allow_skip) {
        return absl::DataLossError(
            absl::StrCat("trie: node ", i, " is a skip node"));
      }
      if (n.leafvec > 2 * (kMaxSkipLevels - 1) ||
          n.inner_base >= nodes.size()) {
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

}  // namespace

absl::Status ValidatePoptrie(PoptrieShape shape, std::span<const uint32_t> top,
                             std::span<const uint32_t> blocks,
                             std::span<const PoptrieNode> nodes,
                             std::span<const uint32_t> leaves,
                             std::span<const uint32_t> terminals) {
  std::vector<bool> terminal_start;
  absl::Status s = CheckSizes(shape, top, blocks, leaves, terminals);
  if (s.ok()) s = MarkTerminalStarts(terminals, &terminal_start);
  if (s.ok()) s = CheckEntries(shape, top, blocks, nodes, terminal_start);
  if (s.ok()) s = CheckNodes(shape, nodes, leaves);
  return s;
}

}  // namespace poptrie
}  // namespace hatmatch
