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
//   PolicyRecord     28 B   name, action, params [first, first + count), loc
//   ParamRecord      20 B   key, value, quoted
//   RuleRecord       40 B   name, comment, kind, action, policy, entries, loc
//   EntryRecord       8 B   value (kind << 28 | index), location, text form
//   EntryTextRecord  12 B   entry, text: the texts that are not derived
//   EntryLocRecord   12 B   entry, line, col: the locations that are not
//                           encoded in EntryRecord::loc
//   WarningRecord    24 B   file, message, loc
//
// Entries are compact because a million of them are most of a table file,
// and opening a table costs time in proportion to its size:
//
// - An entry's rule is not stored: the rules own consecutive runs of
//   entries (RuleRecord::first_entry, entry_count).
// - An entry's text is stored only when it is not its value formatted: an
//   IP entry written `lo/len` (kPrefix) or as a bare address (kAddress), a
//   hostname written as its name or as `.` and its name (the name is in the
//   pool, for a partial name right after the dot) needs nothing more.  The
//   builder keeps a form only when formatting gives back the text exactly,
//   so Restore() and Detail() give the texts as written.
// - Locations are delta-coded: entries come in blocks of kEntryBlock, the
//   block's first line is in `entry_lines`, and each entry's `loc` holds
//   its line minus the previous entry's (0..15) and its column (0..4095);
//   an entry that does not fit is kLocListed and its line and column are in
//   `entry_locs`.  Detail() decodes at most one block.
//
// An entry's value is stored in the array of its kind (ipv4, ipv6, host,
// sbrs, sbo, dnslist), in entry order; `sbrs[none]` and the DNS states need
// no array (the index is 0, or the DnsState).  Detail() touches a few
// records, and formats (once per entry, cached for the table's lifetime) a
// derived IP text; nothing here is on the lookup path.
//
// Validate() proves every reference (string, policy, param, rule, entry,
// value index, listed text and location) is in range, every enum is known,
// every derived text form fits its value, and the listed texts and
// locations are exactly the entries marked so, so Detail() and Restore()
// cannot read out of bounds on any file that passed it.

#ifndef HATMATCH_ENGINE_TABLE_METADATA_H_
#define HATMATCH_ENGINE_TABLE_METADATA_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
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

// How an entry's text is kept (EntryRecord::text).
enum class EntryText : uint8_t {
  kListed = 0,       // in entry_texts
  kPrefix = 1,       // IP: FormatIpv4/6(lo) "/" prefix length
  kAddress = 2,      // IP, lo == hi: FormatIpv4/6(lo)
  kHostName = 3,     // hostname: its name
  kDotHostName = 4,  // hostname: "." and its name (the dot precedes it)
};
inline constexpr uint8_t kEntryTextForms = 5;

inline constexpr uint32_t kEntryBlock = 64;  // entries per entry_lines item
inline constexpr uint16_t kLocListed = 0xFFFF;
inline constexpr uint32_t kLocColumnBits = 12;
inline constexpr uint32_t kLocMaxDelta = 15;
inline constexpr uint32_t kLocMaxColumn = (1u << kLocColumnBits) - 1;

struct EntryRecord {
  uint32_t value = 0;  // kind << 28 | index into that kind's array
  uint16_t loc = 0;    // line delta << 12 | col, or kLocListed
  uint8_t text = 0;    // EntryText
  uint8_t reserved = 0;
};
static_assert(sizeof(EntryRecord) == 8);

struct EntryTextRecord {
  uint32_t entry = 0;
  StrRef text;
};
static_assert(sizeof(EntryTextRecord) == 12);

struct EntryLocRecord {
  uint32_t entry = 0;
  uint32_t line = 0, col = 0;
};
static_assert(sizeof(EntryLocRecord) == 12);

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
  std::vector<EntryTextRecord> entry_texts;  // ascending entries
  std::vector<uint32_t> entry_lines;         // one per kEntryBlock entries
  std::vector<EntryLocRecord> entry_locs;    // ascending entries
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
  // Entry e's source location and text, as written.  Precondition:
  // Validate() passed, e < entries.size().  TextViewOf() lives as long
  // as this view's data (a derived IP text is formatted on the first call
  // and kept).
  SourceLoc LocOf(uint32_t e) const;
  std::string TextOf(uint32_t e) const;
  std::string_view TextViewOf(uint32_t e) const;
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
  std::span<const EntryTextRecord> entry_texts;
  std::span<const uint32_t> entry_lines;
  std::span<const EntryLocRecord> entry_locs;
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
  absl::Status ValidateEntryForms() const;
  absl::Status ValidateListed() const;
  absl::Status ValidateValues() const;
  bool InPool(StrRef r) const;
  // How many values of this kind the entries may index.
  size_t ValueCount(ValueKind kind) const;
  const EntryTextRecord* ListedText(uint32_t e) const;
  // Entry e's text when the table holds its bytes (every form but a derived
  // IP text); empty otherwise.
  std::string_view StoredText(uint32_t e) const;
  bool HasDerivedText(uint32_t e) const;

  // The derived IP texts handed out by TextViewOf(), formatted once.
  struct TextCache {
    std::mutex mu;
    std::unordered_map<uint32_t, std::string> texts;  // nodes never move
  };
  std::shared_ptr<TextCache> text_cache_ = std::make_shared<TextCache>();
};

// The text of an IP value in a derived form (kPrefix: `lo/len`, kAddress:
// `lo`); empty when the value does not have that shape (not a prefix, or
// lo != hi).  The builder and the reader share them, so a derived text
// reads back exactly as it was compared.
std::string DerivedIpText(EntryText form, const Ipv4Value& v);
std::string DerivedIpText(EntryText form, const Ipv6Value& v);
// The IPv4 one without allocating (the builder compares 700k texts): the
// same bytes written to `out`, and their count (0 for no such shape).
// Dotted decimal as FormatIpv4() writes it.
inline constexpr size_t kDerivedIpv4Chars = 18;  // 255.255.255.255/32
size_t DerivedIpv4Text(EntryText form, const Ipv4Value& v,
                       char out[kDerivedIpv4Chars]);

}  // namespace hatmatch

#endif  // HATMATCH_ENGINE_TABLE_METADATA_H_
