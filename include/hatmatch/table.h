// Copyright 2026 The hatmatch Authors.
//
// table.h: the compiled, immutable classification table.
//
// Compile() turns a RuleSet into a Table whose answers are, by construction
// and by differential test, exactly those of the reference classifier
// (reference.h), but computed without walking the rule list:
//
//   IPv4      multibit radix trie (poptrie-style) over the priority map
//   IPv6      its own multibit trie over the (sparse) IPv6 priority map
//   hostname  suffix hash over label boundaries (one probe per boundary)
//   criteria  small tables for sbrs ranges/none, SBO ids, DNS lists and DNS
//             verification states
//
// Each dimension yields the lowest rule it matches; the decision is the
// minimum over the dimensions and the ALL rule.  CONTINUE rules are dropped at
// compile time (they never decide).
//
// Lifetime and threads: a Table is immutable after Compile()/Open().  Share it
// through std::shared_ptr<const Table> across any number of threads without
// locks.  The lookup functions allocate nothing, throw nothing and make no
// virtual calls.  The per-dimension lookups return a rule index (or kNoRule)
// and exist for benchmarks and embedders that classify on the address alone.
//
// Deciding entries (file:line) come from side tables consulted only by
// ClassifyWithEntry() and Detail(), so they cost the hot path nothing.
//
// Lifetimes, and the library that implements each: Compile() is the
// compiler (hatmatch_compile, engine/compile/); Open(), OpenBytes(),
// Write(), Serialize() and IsTableFile() the table file (hatmatch_format,
// engine/format/); everything else the run-time (hatmatch_table,
// engine/table/), which needs neither.

#ifndef HATMATCH_TABLE_H_
#define HATMATCH_TABLE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "hatmatch/address.h"
#include "hatmatch/connection.h"
#include "hatmatch/decision.h"
#include "hatmatch/export.h"
#include "hatmatch/rules.h"

namespace hatmatch {

struct TableStats {
  size_t rules = 0;
  size_t entries = 0;
  size_t ipv4_entries = 0, ipv6_entries = 0, host_entries = 0;
  size_t ipv4_bytes = 0;      // IPv4 trie
  size_t ipv6_bytes = 0;      // IPv6 trie
  size_t host_bytes = 0;      // hostname suffix table (incl. name bytes)
  size_t criteria_bytes = 0;  // sbrs, SBO, DNS lists, DNS states
  size_t side_bytes = 0;      // entry-rule and rule-action maps
  size_t metadata_bytes = 0;  // names, policies, entry texts, source lines
  double compile_seconds = 0;
  size_t total_bytes() const {
    return ipv4_bytes + ipv6_bytes + host_bytes + criteria_bytes + side_bytes +
           metadata_bytes;
  }
};

class HATMATCH_EXPORT Table {
 public:
  // Compiles a rule set.  Linear-logarithmic in the number of entries.
  static absl::StatusOr<std::shared_ptr<const Table>> Compile(
      const RuleSet& rules);

  // Reads a table file written by Write() into private memory (one read; no
  // mapping, so `cp new.hmt live.hmt` over the file later cannot make a
  // running lookup fault), validating it completely first: container (magic,
  // version, byte order, sizes, offsets, alignment, CRC-32C) and every
  // structure's indices, so lookups need no checks.  Errors name the file and
  // what is wrong (docs/TABLE-FORMAT.md).  Cost: one read of the file,
  // checksummed as it arrives, plus a linear validation; no re-compile.  A
  // large file (32 MB or more) is read, and its metadata validated, by two
  // threads (docs/benchmarks/COMPILE.md).
  static absl::StatusOr<std::shared_ptr<const Table>> Open(
      const std::string& path);
  // The same from a descriptor (a file or a pipe) whose first bytes,
  // `first_bytes`, the caller already read from it (to sniff the magic):
  // the rest is read once, straight into the table's memory.  `name`
  // prefixes error messages.
  static absl::StatusOr<std::shared_ptr<const Table>> Read(
      int fd, std::string_view first_bytes, std::string_view name);
  // The same from a table file image in memory (copied once into aligned
  // memory); `name` prefixes error messages.  For fuzzers, tests and
  // embedders that receive tables over the network.
  static absl::StatusOr<std::shared_ptr<const Table>> OpenBytes(
      std::string_view bytes, std::string_view name = "<memory>");
  // Writes the table file atomically (temporary file in the same directory,
  // fsync, rename, fsync of the directory).
  absl::Status Write(const std::string& path) const;
  // The exact bytes Write() puts in the file.  Deterministic: the same rules
  // always give the same bytes, and an opened table serializes to the bytes
  // it was opened from.
  std::string Serialize() const;
  // True when the file at `path` starts with the table magic (or a prefix
  // of it, so that a truncated table gets a table error, not a rule error).
  // It opens and reads the file itself, so it is for regular files only:
  // on a pipe it would consume the bytes the real reader needs.
  static bool IsTableFile(const std::string& path);
  // The same test on the first bytes of an input already read (at least
  // kMagicBytes of them unless the input is shorter), for readers that must
  // read a pipe only once.
  static constexpr size_t kMagicBytes = 8;
  static bool StartsLikeTable(std::string_view first_bytes);
  // The largest table file Open() and OpenBytes() accept.
  static constexpr uint64_t kMaxFileBytes = uint64_t{1} << 36;  // 64 GiB

  ~Table();
  Table(const Table&) = delete;
  Table& operator=(const Table&) = delete;

  // Full decision: rule and action.  entry is left kNoEntry.
  Decision Classify(const Connection& conn) const;
  // Same, plus the deciding entry (equal to the reference classifier's).
  Decision ClassifyWithEntry(const Connection& conn) const;
  // Classifies conns[i] into out[i] (out.size() >= conns.size()), overlapping
  // the memory accesses of independent lookups.  entry is left kNoEntry.
  void ClassifyBatch(std::span<const Connection> conns,
                     std::span<Decision> out) const;

  // Per-dimension lookups: the lowest non-CONTINUE rule with an entry of that
  // kind matching, or kNoRule.  IPv4 is host order; IPv6 as in Ipv6Addr.
  uint32_t LookupIpv4(uint32_t addr) const;
  void LookupIpv4Batch(std::span<const uint32_t> addrs,
                       std::span<uint32_t> rules) const;
  uint32_t LookupIpv6(const Ipv6Addr& addr) const;
  void LookupIpv6Batch(std::span<const Ipv6Addr> addrs,
                       std::span<uint32_t> rules) const;
  // `name` may have any case and one trailing dot; invalid names match
  // nothing.  No allocation.
  uint32_t LookupHost(std::string_view name) const;
  void LookupHostBatch(std::span<const std::string_view> names,
                       std::span<uint32_t> rules) const;

  DecisionDetail Detail(const Decision& d) const;
  // The RuleSet the table was compiled from, rebuilt from the table's
  // metadata (names, policies, entries with their values, lines, warnings):
  // lets a compiled table feed the reference classifier and the analyses.
  // O(entries) time and allocations; nothing on the lookup path uses it.
  RuleSet RestoreRuleSet() const;
  size_t rule_count() const;
  std::string_view rule_name(uint32_t rule) const;
  Action rule_action(uint32_t rule) const;
  TableStats Stats() const;

  struct Impl;  // engine/table/table_impl.h

 private:
  explicit Table(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace hatmatch

#endif  // HATMATCH_TABLE_H_
