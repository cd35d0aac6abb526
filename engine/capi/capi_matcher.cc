// Copyright 2026 The hatmatch Authors.
//
// The C API's hatmatch_matcher: hatmatch::Matcher behind an opaque handle.

#include <string>

#include "engine/capi/capi_classify.h"
#include "engine/capi/capi_internal.h"
#include "engine/matcher/matcher_guard.h"
#include "hatmatch/hatmatch.h"
#include "hatmatch/matcher.h"
#include "hatmatch/table.h"

using hatmatch::capi::Fail;
using hatmatch::capi::Guarded;
using hatmatch::capi::Source;

extern "C" {

hatmatch_status hatmatch_matcher_new(const hatmatch_db* initial,
                                     hatmatch_matcher** matcher) {
  if (matcher == nullptr) return HATMATCH_ERROR_INVALID_ARGUMENT;
  *matcher = nullptr;
  return Guarded(nullptr, [&] {
    *matcher = initial != nullptr ? new hatmatch_matcher(initial->table)
                                  : new hatmatch_matcher();
    return HATMATCH_OK;
  });
}

void hatmatch_matcher_free(hatmatch_matcher* matcher) { delete matcher; }

hatmatch_status hatmatch_matcher_reload(hatmatch_matcher* matcher,
                                        const char* path, char** error) {
  hatmatch::capi::ClearError(error);
  if (matcher == nullptr || path == nullptr) {
    return Fail(HATMATCH_ERROR_INVALID_ARGUMENT,
                matcher == nullptr ? "matcher is NULL" : "path is NULL", error);
  }
  return Guarded(error, [&] {
    const bool table = hatmatch::Table::IsTableFile(path);
    const absl::Status s = table ? matcher->matcher.Reload(path)
                                 : matcher->matcher.ReloadRules(path);
    if (s.ok()) return HATMATCH_OK;
    return Fail(s, table ? Source::kTable : Source::kRules, error);
  });
}

hatmatch_status hatmatch_matcher_swap(hatmatch_matcher* matcher,
                                      const hatmatch_db* db) {
  if (matcher == nullptr) return HATMATCH_ERROR_INVALID_ARGUMENT;
  return Guarded(nullptr, [&] {
    matcher->matcher.Swap(db != nullptr ? db->table : nullptr);
    return HATMATCH_OK;
  });
}

hatmatch_status hatmatch_matcher_classify(const hatmatch_matcher* matcher,
                                          const hatmatch_conn* conn,
                                          unsigned flags,
                                          hatmatch_decision* out) {
  if (matcher == nullptr) return HATMATCH_ERROR_INVALID_ARGUMENT;
  return Guarded(nullptr, [&] {
    const hatmatch::Matcher::Guard g(matcher->matcher);
    return hatmatch::capi::ClassifyOn(g.table(), conn, flags, out);
  });
}

hatmatch_status hatmatch_matcher_classify_batch(const hatmatch_matcher* matcher,
                                                const hatmatch_conn* conns,
                                                size_t n, unsigned flags,
                                                hatmatch_decision* out) {
  if (matcher == nullptr) return HATMATCH_ERROR_INVALID_ARGUMENT;
  if (hatmatch_status st = hatmatch::capi::CheckBatch(conns, n, out);
      st != HATMATCH_OK || n == 0) {
    return st;
  }
  return Guarded(nullptr, [&] {
    // One guard for the whole batch: it runs on one table.
    const hatmatch::Matcher::Guard g(matcher->matcher);
    return hatmatch::capi::ClassifyManyOn(g.table(), conns, n, flags, out);
  });
}

hatmatch_status hatmatch_matcher_get(const hatmatch_matcher* matcher,
                                     hatmatch_db** db) {
  if (db != nullptr) *db = nullptr;
  if (matcher == nullptr || db == nullptr) {
    return HATMATCH_ERROR_INVALID_ARGUMENT;
  }
  return Guarded(nullptr, [&] {
    std::shared_ptr<const hatmatch::Table> t = matcher->matcher.Get();
    if (t != nullptr) *db = new hatmatch_db(std::move(t));
    return HATMATCH_OK;
  });
}

uint64_t hatmatch_matcher_generation(const hatmatch_matcher* matcher) {
  return matcher == nullptr ? 0 : matcher->matcher.generation();
}

}  // extern "C"
