// Copyright 2026 The hatmatch Authors.
//
// capi_classify.h: single and batch classification through the C API.
//
// The table's own classifier (engine/table/classify_block.h) runs over the
// caller's hatmatch_conn array through ConnRefs (capi_conn.h): the batch
// passes read each hatmatch_conn where it lies, the PTR name and the zones
// as views of the caller's strings, and validate it in the same pass.
// Nothing is converted, copied or allocated, so a call through the C API
// costs what Table::Classify / ClassifyBatch cost.  A Matcher pins its
// current table with one guard per call or per batch (a batch runs on one
// table) and classifies on it the same way.

#ifndef HATMATCH_ENGINE_CAPI_CAPI_CLASSIFY_H_
#define HATMATCH_ENGINE_CAPI_CAPI_CLASSIFY_H_

#include <cstddef>

#include "engine/capi/capi_conn.h"
#include "engine/capi/capi_internal.h"
#include "engine/table/classify_block.h"
#include "engine/table/table_impl.h"
#include "hatmatch/hatmatch.h"
#include "hatmatch/table.h"

namespace hatmatch::capi {

// One connection on `t` (nullptr: no table, every valid connection gets "no
// match").  Checks its arguments: NULL pointers and invalid connections are
// HATMATCH_ERROR_INVALID_ARGUMENT.  The deciding-entry path is guarded: its
// first call on a table read from a file builds the table's entry maps
// (Table::Impl::Sides), which allocates.  Each path stores its own decision:
// one join of the two classifier calls made the compiler pass the decision
// through the stack, on the path every single call takes.
inline hatmatch_status ClassifyOn(const Table* t, const hatmatch_conn* conn,
                                  unsigned flags, hatmatch_decision* out) {
  if (conn == nullptr || out == nullptr) return HATMATCH_ERROR_INVALID_ARGUMENT;
  const ConnRefs a(conn);
  if (!a.valid(0)) return HATMATCH_ERROR_INVALID_ARGUMENT;
  if (t == nullptr) {
    *out = ToC(Decision{});
  } else if ((flags & HATMATCH_WITH_ENTRY) == 0) {
    *out = ToC(ClassifyConnection(Table::Impl::Of(*t), a, 0));
  } else {
    return Guarded(nullptr, [&] {
      *out = ToC(ClassifyConnectionWithEntry(Table::Impl::Of(*t), a, 0));
      return HATMATCH_OK;
    });
  }
  return HATMATCH_OK;
}

// conns[0..n) into out[0..n) on `t` (nullptr as above); the caller has
// checked that n > 0 and that neither array is NULL.  On an invalid
// connection, HATMATCH_ERROR_INVALID_ARGUMENT with out partly written.
inline hatmatch_status ClassifyManyOn(const Table* t,
                                      const hatmatch_conn* conns, size_t n,
                                      unsigned flags, hatmatch_decision* out) {
  const ConnRefs a(conns);
  if (t == nullptr || (flags & HATMATCH_WITH_ENTRY) != 0) {
    return Guarded(nullptr, [&] {
      for (size_t i = 0; i < n; ++i) {
        if (!a.valid(i)) return HATMATCH_ERROR_INVALID_ARGUMENT;
        out[i] = ToC(t == nullptr ? Decision{}
                                  : ClassifyConnectionWithEntry(
                                        Table::Impl::Of(*t), a, i));
      }
      return HATMATCH_OK;
    });
  }
  const bool all_valid = ClassifyConnections(
      Table::Impl::Of(*t), a, n,
      [out](size_t i, const Decision& d) { out[i] = ToC(d); });
  return all_valid ? HATMATCH_OK : HATMATCH_ERROR_INVALID_ARGUMENT;
}

// The argument checks of the batch functions; HATMATCH_OK to go on.
inline hatmatch_status CheckBatch(const hatmatch_conn* conns, size_t n,
                                  const hatmatch_decision* out) {
  if (n > 0 && (conns == nullptr || out == nullptr)) {
    return HATMATCH_ERROR_INVALID_ARGUMENT;
  }
  return HATMATCH_OK;
}

}  // namespace hatmatch::capi

#endif  // HATMATCH_ENGINE_CAPI_CAPI_CLASSIFY_H_
