// Copyright 2026 The hatmatch Authors.
//
// capi_classify.h: single and batch classification through the C API.
//
// A C connection becomes a hatmatch::Connection in per-thread scratch space
// that keeps its capacity, so nothing is allocated per call once a thread is
// warm.  For a Table (hatmatch_db) the PTR name is not copied at all: the
// scratch connection goes to Table::Classify / ClassifyBatch without it, the
// name goes to Table::LookupHost / LookupHostBatch as a view of the caller's
// string, and the decision is the lower of the two rules.  That is the
// definition of the decision (the minimum over the dimensions), so the
// answer is the same; it keeps the copy of every name off the hot path.  A
// Matcher must answer from one table per call, so there the name is copied
// and the Matcher classifies the whole connection.

#ifndef HATMATCH_ENGINE_CAPI_CAPI_CLASSIFY_H_
#define HATMATCH_ENGINE_CAPI_CAPI_CLASSIFY_H_

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <span>
#include <string_view>
#include <type_traits>
#include <vector>

#include "engine/capi/capi_internal.h"

namespace hatmatch::capi {

// Batches go to the engine in blocks of this many connections: enough for
// the batch lookups to overlap their memory accesses, few enough for the
// scratch connections to stay in the first-level cache.
inline constexpr size_t kBatchBlock = 64;

struct Scratch {
  std::vector<Connection> conns;
  std::vector<Decision> decisions;
  std::vector<std::string_view> names;
  std::vector<uint32_t> name_rules;
  std::vector<uint32_t> name_at;
};
Scratch& ThreadScratch();

// The verified PTR name of `c`, or an empty view when there is none.
inline std::string_view VerifiedName(const hatmatch_conn& c) {
  if (Raw(c.dns) != HATMATCH_DNS_VERIFIED || c.ptr == nullptr) return {};
  return std::string_view(c.ptr, std::strlen(c.ptr));
}

// `d` improved by the hostname dimension's answer `host_rule`.
inline Decision WithHostRule(const Table& t, Decision d, uint32_t host_rule) {
  if (host_rule < d.rule)
    d = Decision{host_rule, kNoEntry, t.rule_action(host_rule)};
  return d;
}

// Table, one connection, no entry: the name by view.
inline hatmatch_status ClassifyTable(const Table& t, const hatmatch_conn& conn,
                                     Connection* scratch,
                                     hatmatch_decision* out) {
  const hatmatch_status st = ToConnection(conn, scratch, NameCopy::kNone);
  if (st != HATMATCH_OK) return st;
  const std::string_view name = VerifiedName(conn);
  Decision d = t.Classify(*scratch);
  if (!name.empty()) d = WithHostRule(t, d, t.LookupHost(name));
  *out = ToC(d);
  return HATMATCH_OK;
}

// Table, a block of n <= kBatchBlock connections, no entry.
inline hatmatch_status ClassifyTableBlock(const Table& t,
                                          const hatmatch_conn* conns, size_t n,
                                          Scratch& s, hatmatch_decision* out) {
  size_t names = 0;
  for (size_t i = 0; i < n; ++i) {
    const hatmatch_status st =
        ToConnection(conns[i], &s.conns[i], NameCopy::kNone);
    if (st != HATMATCH_OK) return st;
    const std::string_view name = VerifiedName(conns[i]);
    if (!name.empty()) {
      s.names[names] = name;
      s.name_at[names++] = static_cast<uint32_t>(i);
    }
  }
  t.ClassifyBatch(std::span<const Connection>(s.conns.data(), n),
                  std::span<Decision>(s.decisions.data(), n));
  t.LookupHostBatch(std::span<const std::string_view>(s.names.data(), names),
                    std::span<uint32_t>(s.name_rules.data(), names));
  for (size_t j = 0; j < names; ++j) {
    Decision& d = s.decisions[s.name_at[j]];
    d = WithHostRule(t, d, s.name_rules[j]);
  }
  for (size_t i = 0; i < n; ++i) out[i] = ToC(s.decisions[i]);
  return HATMATCH_OK;
}

// Matcher (or a Table asked for the deciding entry): the whole connection,
// name copied, one call.
template <class Classifier>
hatmatch_status ClassifyWhole(const Classifier& c, const hatmatch_conn& conn,
                              unsigned flags, Connection* scratch,
                              hatmatch_decision* out) {
  const hatmatch_status st = ToConnection(conn, scratch, NameCopy::kCopy);
  if (st != HATMATCH_OK) return st;
  *out = ToC((flags & HATMATCH_WITH_ENTRY) != 0 ? c.ClassifyWithEntry(*scratch)
                                                : c.Classify(*scratch));
  return HATMATCH_OK;
}

template <class Classifier>
hatmatch_status ClassifyOne(const Classifier& c, const hatmatch_conn* conn,
                            unsigned flags, hatmatch_decision* out) {
  if (conn == nullptr || out == nullptr) return HATMATCH_ERROR_INVALID_ARGUMENT;
  return Guarded(nullptr, [&] {
    if constexpr (std::is_same_v<Classifier, Table>) {
      if ((flags & HATMATCH_WITH_ENTRY) == 0 && conn->dnslist_count == 0) {
        // Nothing to copy: a Connection on the stack allocates nothing and
        // saves the thread-local lookup.
        Connection local;
        return ClassifyTable(c, *conn, &local, out);
      }
    }
    Scratch& s = ThreadScratch();
    if (s.conns.empty()) s.conns.resize(1);
    if constexpr (std::is_same_v<Classifier, Table>) {
      if ((flags & HATMATCH_WITH_ENTRY) == 0) {
        return ClassifyTable(c, *conn, &s.conns[0], out);
      }
    }
    return ClassifyWhole(c, *conn, flags, &s.conns[0], out);
  });
}

template <class Classifier>
hatmatch_status ClassifyMany(const Classifier& c, const hatmatch_conn* conns,
                             size_t n, unsigned flags, hatmatch_decision* out) {
  if (n == 0) return HATMATCH_OK;
  if (conns == nullptr || out == nullptr) {
    return HATMATCH_ERROR_INVALID_ARGUMENT;
  }
  return Guarded(nullptr, [&] {
    Scratch& s = ThreadScratch();
    if (s.conns.size() < kBatchBlock) {
      s.conns.resize(kBatchBlock);
      s.decisions.resize(kBatchBlock);
      s.names.resize(kBatchBlock);
      s.name_rules.resize(kBatchBlock);
      s.name_at.resize(kBatchBlock);
    }
    for (size_t base = 0; base < n; base += kBatchBlock) {
      const size_t m = std::min(kBatchBlock, n - base);
      hatmatch_status st = HATMATCH_OK;
      if constexpr (std::is_same_v<Classifier, Table>) {
        if ((flags & HATMATCH_WITH_ENTRY) == 0) {
          st = ClassifyTableBlock(c, conns + base, m, s, out + base);
          if (st != HATMATCH_OK) return st;
          continue;
        }
      }
      for (size_t i = 0; i < m && st == HATMATCH_OK; ++i) {
        st = ClassifyWhole(c, conns[base + i], flags, &s.conns[0],
                           &out[base + i]);
      }
      if (st != HATMATCH_OK) return st;
    }
    return HATMATCH_OK;
  });
}

}  // namespace hatmatch::capi

#endif  // HATMATCH_ENGINE_CAPI_CAPI_CLASSIFY_H_
