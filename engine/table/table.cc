// Copyright 2026 The hatmatch Authors.
//
// Table: answer lookups on the per-dimension structures.  A decision is the
// minimum rule index over the dimensions that apply to the connection, and
// the ALL rule.  Table::Compile is engine/compile/compile.cc; Open, Write
// and Serialize are engine/format/table_io.cc.

#include "hatmatch/table.h"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/table/classify_block.h"
#include "engine/table/table_impl.h"

namespace hatmatch {

Table::Table(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Table::~Table() = default;

Table::Impl::Impl() : v4(16, {}, {}, {}, {}), v6({}, {}, {}, {}, {}) {}

void Table::Impl::ComputeStats() {
  TableStats& st = stats;
  st.rules = meta.rules.size();
  st.entries = meta.entries.size();
  st.ipv4_entries = meta.info.ipv4_entries;
  st.ipv6_entries = meta.info.ipv6_entries;
  st.host_entries = meta.info.host_entries;
  st.ipv4_bytes = v4.bytes();
  st.ipv6_bytes = v6.bytes();
  st.host_bytes = hosts.bytes();
  st.criteria_bytes = criteria.bytes();
  st.side_bytes = entry_rule.size_bytes() + rule_action.size_bytes();
  st.metadata_bytes = meta.bytes();
}

uint32_t Table::LookupIpv4(uint32_t addr) const {
  return impl_->v4.Lookup(addr);
}
void Table::LookupIpv4Batch(std::span<const uint32_t> addrs,
                            std::span<uint32_t> rules) const {
  impl_->v4.LookupBatch(addrs.data(), rules.data(), addrs.size());
}
uint32_t Table::LookupIpv6(const Ipv6Addr& addr) const {
  return impl_->v6.Lookup(addr);
}
void Table::LookupIpv6Batch(std::span<const Ipv6Addr> addrs,
                            std::span<uint32_t> rules) const {
  impl_->v6.LookupBatch(addrs.data(), rules.data(), addrs.size());
}
uint32_t Table::LookupHost(std::string_view name) const {
  return impl_->RuleOfEntry(impl_->HostEntry(name));
}
void Table::LookupHostBatch(std::span<const std::string_view> names,
                            std::span<uint32_t> rules) const {
  const Impl& m = *impl_;
  m.hosts.LookupBatch(names.data(), rules.data(), names.size());
  for (size_t i = 0; i < names.size(); ++i) rules[i] = m.RuleOfEntry(rules[i]);
}

// The classifier itself is classify_block.h, shared with the C API.
Decision Table::Classify(const Connection& conn) const {
  return ClassifyConnection(*impl_, ConnectionRefs(&conn), 0);
}

Decision Table::ClassifyWithEntry(const Connection& conn) const {
  return ClassifyConnectionWithEntry(*impl_, ConnectionRefs(&conn), 0);
}

void Table::ClassifyBatch(std::span<const Connection> conns,
                          std::span<Decision> out) const {
  ClassifyConnections(*impl_, ConnectionRefs(conns.data()), conns.size(),
                      [&out](size_t i, const Decision& d) { out[i] = d; });
}

DecisionDetail Table::Detail(const Decision& d) const {
  return impl_->meta.Detail(d);
}
RuleSet Table::RestoreRuleSet() const { return impl_->meta.Restore(); }
size_t Table::rule_count() const { return impl_->meta.rules.size(); }
std::string_view Table::rule_name(uint32_t rule) const {
  return impl_->meta.Str(impl_->meta.rules[rule].name);
}
Action Table::rule_action(uint32_t rule) const {
  return impl_->rule_action[rule];
}
TableStats Table::Stats() const { return impl_->stats; }

}  // namespace hatmatch
