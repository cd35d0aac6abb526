// Copyright 2026 The hatmatch Authors.
//
// metadata.h: the cold part of a compiled table: everything needed to name a
// decision (rule and policy names, policy parameters, entry texts and source
// lines, the file name) and to rebuild the RuleSet the table came from, in
// flat fixed-width records that a table file maps without copying.
//
//   MetadataData d = BuildMetadata(rules);   // compile time, owns vectors
//   MetadataView v(d);                       // or spans over a mapped file
//   DecisionDetail detail = v.Detail(decision);   // views into the pool
//   absl::StatusOr<RuleSet> rs = v.Restore();     // O(entries), allocates
//
// Every string lives once in `pool` and is referenced as (offset, length).
// Records (sizes are part of the file format, docs/TABLE-FORMAT.md):
//
//   PolicyRecord   28 B   name, action, params [first, first + count), loc
//   ParamRecord    20 B   key, value, quoted
//   RuleRecord     40 B   name, comment, kind, action, policy, entries, loc
//   EntryRecord    24 B   text, loc, rule, value (kind << 28 | index)
//   WarningRecord  24 B   file, message, loc
//
// An entry's value is stored in the array of its kind (ipv4, ipv6, host,
// sbrs, sbo, dnslist), in entry order; `sbrs[none]` and the DNS states need
// no array (the index is 0, or the DnsState).  Detail() touches two or three
// records; nothing here is on the lookup path.
//
// Validate() proves every reference (string, policy, param, rule, entry,
// value index) is in range and every enum is known, so Detail() and
// Restore() cannot read out of bounds on any file that passed it.

#ifndef HATMATCH_ENGINE_TABLE_METADATA_H_
#define HATMATCH_ENGINE_TABLE_METADATA_H_

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "hatmatch/address.h"
#include "hatmatch/decision.h"
#include "hatmatch/rules.h"

namespace hatmatch {

struct StrRef {
  uint32_t offset = 0;
  uint32_t length = 0;
};

struct MetaInfo {
  StrRef file;                // the rule file's name
  uint32_t all_rule = 0;      // first non-CONTINUE ALL rule, or kNoRule
  uint32_t ipv4_entries = 0;  // entries of non-CONTINUE rules, per kind
  uint32_t ipv6_entries = 0;  //   (TableStats)
  uint32_t host_entries = 0;
  uint32_t reserved[2] = {0, 0};
};
static_assert(sizeof(MetaInfo) == 32);

struct PolicyRecord {
  StrRef name;  // empty for an inline action
  uint32_t first_param = 0;
  uint32_t param_count = 0;
  uint32_t line = 0, col = 0;
  uint8_t action = 0;  // Action
  uint8_t pad[3] = {0, 0, 0};
};
static_assert(sizeof(PolicyRecord) == 28);

struct ParamRecord {
  StrRef key;
  StrRef value;
  uint32_t quoted = 0;  // 0 or 1
};
static_assert(sizeof(ParamRecord) == 20);

struct RuleRecord {
  StrRef name;
  StrRef comment;
  uint32_t policy = 0;
  uint32_t first_entry = 0;
  uint32_t entry_count = 0;
  uint32_t line = 0, col = 0;
  uint8_t kind = 0;    // RuleKind
  uint8_t action = 0;  // the policy's Action, cached
  uint8_t pad[2] = {0, 0};
};
static_assert(sizeof(RuleRecord) == 40);

// Entry value kinds, the top 4 bits of EntryRecord::value.
enum class ValueKind : uint8_t {
  kIpv4 = 0,
  kIpv6 = 1,
  kHost = 2,
  kSbrs = 3,
  kSbrsNone = 4,
  kOwner = 5,
  kDnsList = 6,
  kDnsState = 7,
};
inline constexpr uint32_t kValueIndexBits = 28;
inline constexpr uint32_t kValueIndexMask =
    (uint32_t{1} << kValueIndexBits) - 1;

struct EntryRecord {
  StrRef text;
  uint32_t line = 0, col = 0;
  uint32_t rule = 0;
  uint32_t value = 0;  // kind << 28 | index into that kind's array
};
static_assert(sizeof(EntryRecord) == 24);

struct WarningRecord {
  StrRef file;
  StrRef message;
  uint32_t line = 0, col = 0;
};
static_assert(sizeof(WarningRecord) == 24);

struct Ipv4Value {  // inclusive
  uint32_t lo = 0, hi = 0;
};
struct Ipv6Value {  // inclusive
  Ipv6Addr lo, hi;
};
struct HostValue {
  StrRef name;
  uint32_t partial = 0;  // 0 or 1
};
struct SbrsValue {  // the doubles' bit patterns (doubles are not file-safe)
  uint64_t lo_bits = 0, hi_bits = 0;
};

struct MetadataData {
  MetaInfo info;
  std::vector<char> pool;
  std::vector<PolicyRecord> policies;
  std::vector<ParamRecord> params;
  std::vector<RuleRecord> rules;
  std::vector<EntryRecord> entries;
  std::vector<WarningRecord> warnings;
  std::vector<Ipv4Value> ipv4;
  std::vector<Ipv6Value> ipv6;
  std::vector<HostValue> hosts;
  std::vector<SbrsValue> sbrs;
  std::vector<uint64_t> owners;
  std::vector<StrRef> dnslists;
};

class MetadataView {
 public:
  MetadataView() = default;
  explicit MetadataView(const MetadataData& d);

  absl::Status Validate() const;

  std::string_view Str(StrRef r) const {
    return {pool.data() + r.offset, r.length};
  }
  DecisionDetail Detail(const Decision& d) const;  // as DetailFromRuleSet()
  // Rebuilds the RuleSet, equal to the one BuildMetadata() was given.
  // O(entries + text) with one allocation per string.
  RuleSet Restore() const;
  size_t bytes() const;

  MetaInfo info;
  std::span<const char> pool;
  std::span<const PolicyRecord> policies;
  std::span<const ParamRecord> params;
  std::span<const RuleRecord> rules;
  std::span<const EntryRecord> entries;
  std::span<const WarningRecord> warnings;
  std::span<const Ipv4Value> ipv4;
  std::span<const Ipv6Value> ipv6;
  std::span<const HostValue> hosts;
  std::span<const SbrsValue> sbrs;
  std::span<const uint64_t> owners;
  std::span<const StrRef> dnslists;

 private:
  // The steps of Validate(), in order.
  absl::Status ValidateInfo() const;
  absl::Status ValidatePolicies() const;
  absl::Status ValidateRules() const;
  absl::Status ValidateEntries() const;
  bool EntriesSound() const;
  absl::Status ValidateValues() const;
  bool InPool(StrRef r) const;
  // How many values of this kind the entries may index.
  size_t ValueCount(ValueKind kind) const;
};

}  // namespace hatmatch

#endif  // HATMATCH_ENGINE_TABLE_METADATA_H_
