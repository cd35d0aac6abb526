// Copyright 2026 The hatmatch Authors.
//
// The section catalog of format version 6, writing a Table's views as
// sections, and viewing a file's sections (docs/TABLE-FORMAT.md is the
// specification).

#include "engine/format/sections.h"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <span>
#include <string>

#include "absl/status/status.h"
#include "engine/format/table_file.h"
#include "engine/table/table_impl.h"
#include "fmt/format.h"

namespace hatmatch {
namespace {

// --- The catalog of format version 6 -----------------------------------------

enum SectionId : uint32_t {
  // Metadata (cold).
  kMetaInfo = 1,
  kStrings = 2,
  kPolicies = 3,
  kParams = 4,
  kRules = 5,
  kEntries = 6,
  kWarnings = 7,
  kIpv4Values = 8,
  kIpv6Values = 9,
  kHostValues = 10,
  kSbrsValues = 11,
  kOwnerValues = 12,
  kDnsListValues = 13,
  kEntryTexts = 14,
  kEntryLines = 15,
  kEntryLocs = 18,
  // Rule and entry maps.
  kEntryRules = 16,
  kRuleActions = 17,
  // IPv4 trie (rule-valued).
  kIpv4TrieInfo = 20,
  kIpv4Top = 21,
  kIpv4Nodes = 22,
  kIpv4Leaves = 23,
  kIpv4Terminals = 24,
  // IPv4 direct layout (rule-valued; empty when the trie is a poptrie).
  kIpv4DirectTop = 34,
  kIpv4DirectCodes = 35,
  kIpv4SplitStarts = 36,
  kIpv4SplitValues = 37,
  // IPv6 range tree (rule-valued).
  kIpv6Tree = 25,
  kIpv6TreeValues = 26,
  kIpv6RefineRuns = 27,
  kIpv6RefineLows = 28,
  kIpv6RefineValues = 29,
  // Host table: exact set, then partial set.
  kHostExactHeader = 40,
  kHostExactBuckets = 41,
  kHostExactPriorities = 42,
  kHostExactPool = 43,
  kHostPartialHeader = 45,
  kHostPartialBuckets = 46,
  kHostPartialPriorities = 47,
  kHostPartialPool = 48,
  // Criteria.
  kCriteriaScalars = 56,
  kSbrsStarts = 57,
  kSbrsMapValues = 58,
  kSboIds = 59,
  kSboMapValues = 60,
  kZoneOffsets = 61,
  kZonePool = 62,
  kZoneValues = 63,
};

struct TrieInfo {
  uint32_t top_bits;
  uint32_t code_bits;  // 0: the poptrie; else the direct layout's code width
};
static_assert(sizeof(TrieInfo) == 8);

struct CriteriaScalars {
  uint32_t sbrs_none;
  uint32_t dns_state[kDnsStateCount];
  uint32_t reserved[2];
};
static_assert(sizeof(CriteriaScalars) == 32);

static_assert(kIsFileSafe<Action>);
static_assert(kIsFileSafe<Ipv6Addr>);
static_assert(kIsFileSafe<PoptrieNode>);
static_assert(kIsFileSafe<HostBucket>);
static_assert(kIsFileSafe<HostSetHeader>);
static_assert(kIsFileSafe<MetaInfo> && kIsFileSafe<PolicyRecord> &&
              kIsFileSafe<ParamRecord> && kIsFileSafe<RuleRecord> &&
              kIsFileSafe<EntryRecord> && kIsFileSafe<EntryTextRecord> &&
              kIsFileSafe<EntryLocRecord> && kIsFileSafe<WarningRecord> &&
              kIsFileSafe<Ipv4Value> && kIsFileSafe<Ipv6Value> &&
              kIsFileSafe<HostValue> && kIsFileSafe<SbrsValue> &&
              kIsFileSafe<StrRef>);

#define HM_SECTION(id, name, type) \
  SectionSpec { id, name, sizeof(type), true }

constexpr SectionSpec kCatalog[] = {
    HM_SECTION(kMetaInfo, "table info", MetaInfo),
    HM_SECTION(kStrings, "strings", char),
    HM_SECTION(kPolicies, "policies", PolicyRecord),
    HM_SECTION(kParams, "policy parameters", ParamRecord),
    HM_SECTION(kRules, "rules", RuleRecord),
    HM_SECTION(kEntries, "entries", EntryRecord),
    HM_SECTION(kWarnings, "warnings", WarningRecord),
    HM_SECTION(kIpv4Values, "ipv4 entry values", Ipv4Value),
    HM_SECTION(kIpv6Values, "ipv6 entry values", Ipv6Value),
    HM_SECTION(kHostValues, "hostname entry values", HostValue),
    HM_SECTION(kSbrsValues, "sbrs entry values", SbrsValue),
    HM_SECTION(kOwnerValues, "sbo entry values", uint64_t),
    HM_SECTION(kDnsListValues, "dnslist entry values", StrRef),
    HM_SECTION(kEntryTexts, "entry texts", EntryTextRecord),
    HM_SECTION(kEntryLines, "entry lines", uint32_t),
    HM_SECTION(kEntryRules, "entry rules", uint32_t),
    HM_SECTION(kRuleActions, "rule actions", Action),
    HM_SECTION(kEntryLocs, "entry locations", EntryLocRecord),
    HM_SECTION(kIpv4TrieInfo, "ipv4 trie info", TrieInfo),
    HM_SECTION(kIpv4Top, "ipv4 top", uint32_t),
    HM_SECTION(kIpv4Nodes, "ipv4 nodes", PoptrieNode),
    HM_SECTION(kIpv4Leaves, "ipv4 leaves", uint32_t),
    HM_SECTION(kIpv4Terminals, "ipv4 terminals", uint32_t),
    HM_SECTION(kIpv4DirectTop, "ipv4 direct top", uint16_t),
    HM_SECTION(kIpv4DirectCodes, "ipv4 direct codes", uint8_t),
    HM_SECTION(kIpv4SplitStarts, "ipv4 split starts", uint32_t),
    HM_SECTION(kIpv4SplitValues, "ipv4 split values", uint32_t),
    HM_SECTION(kIpv6Tree, "ipv6 tree", uint64_t),
    HM_SECTION(kIpv6TreeValues, "ipv6 tree values", uint32_t),
    HM_SECTION(kIpv6RefineRuns, "ipv6 refine runs", uint32_t),
    HM_SECTION(kIpv6RefineLows, "ipv6 refine lows", uint64_t),
    HM_SECTION(kIpv6RefineValues, "ipv6 refine values", uint32_t),
    HM_SECTION(kHostExactHeader, "exact hostname header", HostSetHeader),
    HM_SECTION(kHostExactBuckets, "exact hostname buckets", HostBucket),
    HM_SECTION(kHostExactPriorities, "exact hostname priorities", uint32_t),
    HM_SECTION(kHostExactPool, "exact hostname pool", char),
    HM_SECTION(kHostPartialHeader, "partial hostname header", HostSetHeader),
    HM_SECTION(kHostPartialBuckets, "partial hostname buckets", HostBucket),
    HM_SECTION(kHostPartialPriorities, "partial hostname priorities", uint32_t),
    HM_SECTION(kHostPartialPool, "partial hostname pool", char),
    HM_SECTION(kCriteriaScalars, "criteria scalars", CriteriaScalars),
    HM_SECTION(kSbrsStarts, "sbrs starts", uint64_t),
    HM_SECTION(kSbrsMapValues, "sbrs values", uint32_t),
    HM_SECTION(kSboIds, "sbo ids", uint64_t),
    HM_SECTION(kSboMapValues, "sbo values", uint32_t),
    HM_SECTION(kZoneOffsets, "dnslist zone offsets", uint32_t),
    HM_SECTION(kZonePool, "dnslist zone pool", char),
    HM_SECTION(kZoneValues, "dnslist zone values", uint32_t),
};

#undef HM_SECTION

// --- Writing -----------------------------------------------------------------

// Scalars live in the Impl; the writer needs them at a stable address until
// Finish().
struct Scalars {
  TrieInfo v4_info;
  CriteriaScalars criteria;
  HostSetHeader exact, partial;
};

void AddHostSet(const HostSetView& set, const HostSetHeader& header,
                uint32_t first_id, TableFileWriter* w) {
  w->AddRecord(first_id, header);
  w->Add(first_id + 1, set.buckets());
  w->Add(first_id + 2, set.priorities());
  w->Add(first_id + 3, set.pool());
}

}  // namespace

std::span<const SectionSpec> TableCatalog() { return kCatalog; }

std::string SerializeImpl(const Table::Impl& m) {
  Scalars sc{};  // every field, reserved ones included, zero
  sc.v4_info.top_bits = m.v4.top_bits();
  sc.v4_info.code_bits = m.v4.direct().code_bits();
  sc.criteria.sbrs_none = m.criteria.sbrs_none;
  std::copy(m.criteria.dns_state.begin(), m.criteria.dns_state.end(),
            sc.criteria.dns_state);
  sc.exact = m.hosts.exact().header();
  sc.partial = m.hosts.partial().header();

  const MetadataView& meta = m.meta;
  TableFileWriter w(kCatalog);
  w.AddRecord(kMetaInfo, meta.info);
  w.Add(kStrings, meta.pool);
  w.Add(kPolicies, meta.policies);
  w.Add(kParams, meta.params);
  w.Add(kRules, meta.rules);
  w.Add(kEntries, meta.entries);
  w.Add(kWarnings, meta.warnings);
  w.Add(kIpv4Values, meta.ipv4);
  w.Add(kIpv6Values, meta.ipv6);
  w.Add(kHostValues, meta.hosts);
  w.Add(kSbrsValues, meta.sbrs);
  w.Add(kOwnerValues, meta.owners);
  w.Add(kDnsListValues, meta.dnslists);
  w.Add(kEntryTexts, meta.entry_texts);
  w.Add(kEntryLines, meta.entry_lines);
  w.Add(kEntryRules, m.entry_rule);
  w.Add(kRuleActions, m.rule_action);
  w.Add(kEntryLocs, meta.entry_locs);
  w.AddRecord(kIpv4TrieInfo, sc.v4_info);
  w.Add(kIpv4Top, m.v4.top());
  w.Add(kIpv4Nodes, m.v4.nodes());
  w.Add(kIpv4Leaves, m.v4.leaves());
  w.Add(kIpv4Terminals, m.v4.terminals());
  w.Add(kIpv4DirectTop, m.v4.direct().top());
  w.Add(kIpv4DirectCodes, m.v4.direct().codes());
  w.Add(kIpv4SplitStarts, m.v4.direct().split_starts());
  w.Add(kIpv4SplitValues, m.v4.direct().split_values());
  w.Add(kIpv6Tree, m.v6.tree());
  w.Add(kIpv6TreeValues, m.v6.values());
  w.Add(kIpv6RefineRuns, m.v6.refine_runs());
  w.Add(kIpv6RefineLows, m.v6.refine_lo());
  w.Add(kIpv6RefineValues, m.v6.refine_values());
  AddHostSet(m.hosts.exact(), sc.exact, kHostExactHeader, &w);
  AddHostSet(m.hosts.partial(), sc.partial, kHostPartialHeader, &w);
  w.AddRecord(kCriteriaScalars, sc.criteria);
  w.Add(kSbrsStarts, m.criteria.sbrs_starts);
  w.Add(kSbrsMapValues, m.criteria.sbrs_values);
  w.Add(kSboIds, m.criteria.sbo_ids);
  w.Add(kSboMapValues, m.criteria.sbo_values);
  w.Add(kZoneOffsets, m.criteria.zone_offsets);
  w.Add(kZonePool, m.criteria.zone_pool);
  w.Add(kZoneValues, m.criteria.zone_values);
  return w.Finish();
}

// --- Reading -----------------------------------------------------------------

absl::Status ViewSections(const TableFileView& f, Table::Impl* m) {
  auto one = [&f](uint32_t id) -> absl::Status {
    for (const SectionEntry& e : f.directory()) {
      if (e.id == id && e.size != e.width) {
        return absl::DataLossError(fmt::format(
            "section \"{}\" must hold exactly one record", f.SectionName(id)));
      }
    }
    return absl::OkStatus();
  };
  for (uint32_t id : {kMetaInfo, kIpv4TrieInfo, kHostExactHeader,
                      kHostPartialHeader, kCriteriaScalars}) {
    if (absl::Status s = one(id); !s.ok()) return s;
  }
  MetadataView& meta = m->meta;
  meta.info = *f.GetRecord<MetaInfo>(kMetaInfo);
  meta.pool = f.Get<char>(kStrings);
  meta.policies = f.Get<PolicyRecord>(kPolicies);
  meta.params = f.Get<ParamRecord>(kParams);
  meta.rules = f.Get<RuleRecord>(kRules);
  meta.entries = f.Get<EntryRecord>(kEntries);
  meta.warnings = f.Get<WarningRecord>(kWarnings);
  meta.ipv4 = f.Get<Ipv4Value>(kIpv4Values);
  meta.ipv6 = f.Get<Ipv6Value>(kIpv6Values);
  meta.hosts = f.Get<HostValue>(kHostValues);
  meta.sbrs = f.Get<SbrsValue>(kSbrsValues);
  meta.owners = f.Get<uint64_t>(kOwnerValues);
  meta.dnslists = f.Get<StrRef>(kDnsListValues);
  meta.entry_texts = f.Get<EntryTextRecord>(kEntryTexts);
  meta.entry_lines = f.Get<uint32_t>(kEntryLines);
  meta.entry_locs = f.Get<EntryLocRecord>(kEntryLocs);
  m->all_rule = meta.info.all_rule;

  m->entry_rule = f.Get<uint32_t>(kEntryRules);
  m->rule_action = f.Get<Action>(kRuleActions);

  // Both layouts' sections; Ipv4Trie::Validate() requires those of the
  // layout not in use (code_bits 0: the poptrie) to be empty.
  const TrieInfo& v4_info = *f.GetRecord<TrieInfo>(kIpv4TrieInfo);
  m->v4 =
      Ipv4Trie(v4_info.top_bits, f.Get<uint32_t>(kIpv4Top),
               f.Get<PoptrieNode>(kIpv4Nodes), f.Get<uint32_t>(kIpv4Leaves),
               f.Get<uint32_t>(kIpv4Terminals),
               Ipv4Direct(v4_info.code_bits, f.Get<uint16_t>(kIpv4DirectTop),
                          f.Get<uint8_t>(kIpv4DirectCodes),
                          f.Get<uint32_t>(kIpv4SplitStarts),
                          f.Get<uint32_t>(kIpv4SplitValues)));
  m->v6 = Ipv6RangeTree(
      f.Get<uint64_t>(kIpv6Tree), f.Get<uint32_t>(kIpv6TreeValues),
      f.Get<uint32_t>(kIpv6RefineRuns), f.Get<uint64_t>(kIpv6RefineLows),
      f.Get<uint32_t>(kIpv6RefineValues));
  auto host_set = [&f](uint32_t id) {
    return HostSetView(*f.GetRecord<HostSetHeader>(id),
                       f.Get<HostBucket>(id + 1), f.Get<uint32_t>(id + 2),
                       f.Get<char>(id + 3));
  };
  m->hosts =
      HostTable(host_set(kHostExactHeader), host_set(kHostPartialHeader));

  const CriteriaScalars& cs = *f.GetRecord<CriteriaScalars>(kCriteriaScalars);
  if (cs.reserved[0] != 0 || cs.reserved[1] != 0) {
    return absl::DataLossError("criteria scalars: reserved field is not zero");
  }
  Criteria& c = m->criteria;
  c.sbrs_none = cs.sbrs_none;
  std::copy(std::begin(cs.dns_state), std::end(cs.dns_state),
            c.dns_state.begin());
  c.sbrs_starts = f.Get<uint64_t>(kSbrsStarts);
  c.sbrs_values = f.Get<uint32_t>(kSbrsMapValues);
  c.sbo_ids = f.Get<uint64_t>(kSboIds);
  c.sbo_values = f.Get<uint32_t>(kSboMapValues);
  c.zone_offsets = f.Get<uint32_t>(kZoneOffsets);
  c.zone_pool = f.Get<char>(kZonePool);
  c.zone_values = f.Get<uint32_t>(kZoneValues);
  return absl::OkStatus();
}

}  // namespace hatmatch
