// Copyright 2026 The hatmatch Authors.
//
// The C API's hatmatch_db: loading (table file, rule file, either, or
// memory), writing, classifying, rule names and decision details.

#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "engine/capi/capi_classify.h"
#include "engine/capi/capi_internal.h"
#include "engine/parse/input_file.h"
#include "hatmatch/hatmatch.h"
#include "hatmatch/parse.h"
#include "hatmatch/table.h"

namespace hatmatch::capi {

namespace {

using TablePtr = std::shared_ptr<const Table>;

// Hands `table` (or its error) to the caller as a new hatmatch_db.
hatmatch_status Publish(const absl::StatusOr<TablePtr>& table, Source source,
                        hatmatch_db** db, char** error) {
  if (!table.ok()) return Fail(table.status(), source, error);
  *db = new hatmatch_db(*table);
  return HATMATCH_OK;
}

absl::StatusOr<TablePtr> CompileRules(const absl::StatusOr<RuleSet>& rules) {
  if (!rules.ok()) return rules.status();
  return Table::Compile(*rules);
}

// The common frame of every loader: argument checks, out-parameters reset,
// exceptions caught.
template <class Load>
hatmatch_status Loader(const void* input, hatmatch_db** db, char** error,
                       Load&& load) {
  ClearError(error);
  if (db != nullptr) *db = nullptr;
  if (input == nullptr || db == nullptr) {
    return Fail(HATMATCH_ERROR_INVALID_ARGUMENT,
                db == nullptr ? "db is NULL" : "input is NULL", error);
  }
  return Guarded(error, load);
}

// Copies the string pieces of a DecisionDetail so that they outlive the
// table and end in NUL.  The public struct is the base: a hatmatch_detail*
// handed out converts back with static_cast.
struct OwnedDetail : hatmatch_detail {
  std::vector<std::string> strings;  // reserved up front: never reallocates
  std::vector<hatmatch_param> param_list;

  explicit OwnedDetail(const DecisionDetail& d) : hatmatch_detail{} {
    strings.reserve(4 + 2 * d.params.size());
    matched = d.matched ? 1 : 0;
    rule_name = Keep(d.rule_name);
    action = static_cast<hatmatch_action>(d.action);
    policy_name = Keep(d.policy_name);
    for (const auto& [key, value] : d.params) {
      param_list.push_back({Keep(key), Keep(value)});
    }
    params = param_list.data();
    param_count = param_list.size();
    entry_text = Keep(d.entry_text);
    entry_line = d.entry_loc.line;
    entry_col = d.entry_loc.col;
    rule_line = d.rule_loc.line;
    file = Keep(d.file);
  }
  const char* Keep(std::string_view s) {
    return strings.emplace_back(s).c_str();
  }
};

bool DecisionFits(const Table& t, const hatmatch_decision& d) {
  if (Raw(d.action) > HATMATCH_ACTION_CONTINUE) return false;
  if (d.rule == HATMATCH_NO_RULE) return true;
  if (d.rule >= t.rule_count()) return false;
  return d.entry == HATMATCH_NO_ENTRY || d.entry < t.Stats().entries;
}

}  // namespace
}  // namespace hatmatch::capi

using hatmatch::capi::Fail;
using hatmatch::capi::Guarded;
using hatmatch::capi::Loader;
using hatmatch::capi::Publish;
using hatmatch::capi::Source;

extern "C" {

hatmatch_status hatmatch_db_open_table(const char* path, hatmatch_db** db,
                                       char** error) {
  return Loader(path, db, error, [&] {
    return Publish(hatmatch::Table::Open(path), Source::kTable, db, error);
  });
}

hatmatch_status hatmatch_db_open_table_bytes(const void* bytes, size_t size,
                                             const char* name, hatmatch_db** db,
                                             char** error) {
  return Loader(bytes, db, error, [&] {
    const std::string_view image(static_cast<const char*>(bytes), size);
    return Publish(
        hatmatch::Table::OpenBytes(image, name != nullptr ? name : "<memory>"),
        Source::kTable, db, error);
  });
}

hatmatch_status hatmatch_db_compile_file(const char* path, hatmatch_db** db,
                                         char** error) {
  return Loader(path, db, error, [&] {
    return Publish(hatmatch::capi::CompileRules(hatmatch::ParseRuleFile(path)),
                   Source::kRules, db, error);
  });
}

hatmatch_status hatmatch_db_compile_text(const char* text, size_t size,
                                         const char* name, hatmatch_db** db,
                                         char** error) {
  return Loader(text, db, error, [&] {
    return Publish(
        hatmatch::capi::CompileRules(hatmatch::ParseRules(
            std::string_view(text, size), name != nullptr ? name : "<memory>")),
        Source::kRules, db, error);
  });
}

// Reads `path` once, whatever it is (a regular file, a pipe, a FIFO): the
// table magic is sniffed from the first bytes, which the table reader or the
// rule text then continues from.
hatmatch_status hatmatch_db_load(const char* path, hatmatch_db** db,
                                 char** error) {
  return Loader(path, db, error, [&] {
    absl::StatusOr<hatmatch::parse_internal::InputFile> in =
        hatmatch::parse_internal::InputFile::Open(path, "rule file");
    if (!in.ok()) return Fail(in.status(), Source::kRules, error);
    std::string text;
    if (absl::Status s = in->ReadUpTo(hatmatch::Table::kMagicBytes, &text);
        !s.ok()) {
      return Fail(s, Source::kRules, error);
    }
    if (hatmatch::Table::StartsLikeTable(text)) {
      return Publish(hatmatch::Table::Read(in->fd(), text, path),
                     Source::kTable, db, error);
    }
    const hatmatch::ParseOptions options;
    if (absl::Status s = in->ReadRuleText(options, &text); !s.ok()) {
      return Fail(s, Source::kRules, error);
    }
    return Publish(
        hatmatch::capi::CompileRules(hatmatch::ParseRules(text, path, options)),
        Source::kRules, db, error);
  });
}

hatmatch_status hatmatch_db_write_table(const hatmatch_db* db, const char* path,
                                        char** error) {
  hatmatch::capi::ClearError(error);
  if (db == nullptr || path == nullptr) {
    return Fail(HATMATCH_ERROR_INVALID_ARGUMENT,
                db == nullptr ? "db is NULL" : "path is NULL", error);
  }
  return Guarded(error, [&] {
    absl::Status s = db->table->Write(path);
    if (s.ok()) return HATMATCH_OK;
    return Fail(HATMATCH_ERROR_IO, hatmatch::capi::Message(s), error);
  });
}

void hatmatch_db_free(hatmatch_db* db) { delete db; }

// flatten: the classifier is inlined into the entry point, as it is into
// Table::Classify (one call less per connection on the single path).
[[gnu::flatten]] hatmatch_status hatmatch_db_classify(const hatmatch_db* db,
                                                      const hatmatch_conn* conn,
                                                      unsigned flags,
                                                      hatmatch_decision* out) {
  if (db == nullptr) return HATMATCH_ERROR_INVALID_ARGUMENT;
  return hatmatch::capi::ClassifyOn(db->table.get(), conn, flags, out);
}

hatmatch_status hatmatch_db_classify_batch(const hatmatch_db* db,
                                           const hatmatch_conn* conns, size_t n,
                                           unsigned flags,
                                           hatmatch_decision* out) {
  if (db == nullptr) return HATMATCH_ERROR_INVALID_ARGUMENT;
  if (hatmatch_status st = hatmatch::capi::CheckBatch(conns, n, out);
      st != HATMATCH_OK || n == 0) {
    return st;
  }
  return hatmatch::capi::ClassifyManyOn(db->table.get(), conns, n, flags, out);
}

size_t hatmatch_db_rule_count(const hatmatch_db* db) {
  return db == nullptr ? 0 : db->table->rule_count();
}

const char* hatmatch_db_rule_name(const hatmatch_db* db, uint32_t rule) {
  if (db == nullptr || rule >= db->table->rule_count()) return nullptr;
  try {
    std::call_once(db->names_once, [db] {
      const hatmatch::Table& t = *db->table;
      std::vector<std::string> names;
      names.reserve(t.rule_count());
      for (uint32_t r = 0; r < t.rule_count(); ++r) {
        names.emplace_back(t.rule_name(r));
      }
      db->names = std::move(names);
    });
  } catch (...) {
    return nullptr;  // out of memory; a later call tries again
  }
  return db->names[rule].c_str();
}

hatmatch_status hatmatch_db_detail(const hatmatch_db* db,
                                   const hatmatch_decision* decision,
                                   hatmatch_detail** detail) {
  if (detail != nullptr) *detail = nullptr;
  if (db == nullptr || decision == nullptr || detail == nullptr ||
      !hatmatch::capi::DecisionFits(*db->table, *decision)) {
    return HATMATCH_ERROR_INVALID_ARGUMENT;
  }
  return Guarded(nullptr, [&] {
    const hatmatch::Decision d{decision->rule, decision->entry,
                               static_cast<hatmatch::Action>(decision->action)};
    *detail = new hatmatch::capi::OwnedDetail(db->table->Detail(d));
    return HATMATCH_OK;
  });
}

void hatmatch_detail_free(hatmatch_detail* detail) {
  delete static_cast<hatmatch::capi::OwnedDetail*>(detail);
}

}  // extern "C"
