// Copyright 2026 The hatmatch Authors.
//
// sections.h: a Table's arrays as the sections of a table file, format
// version 6 (docs/TABLE-FORMAT.md), and the whole-table checks run on load.
// Internal to engine/format.
//
// Open = TableFileView::Parse (container checks and checksums, table_file.h)
//      + ViewSections (spans over the mapping; record counts)
//      + ValidateImpl (each structure's Validate() and every cross-index).

#ifndef HATMATCH_ENGINE_FORMAT_SECTIONS_H_
#define HATMATCH_ENGINE_FORMAT_SECTIONS_H_

#include <span>
#include <string>

#include "absl/status/status.h"
#include "engine/format/table_file.h"
#include "engine/table/table_impl.h"

namespace hatmatch {

// The catalog of format version 6: every section id, name and width.
std::span<const SectionSpec> TableCatalog();

// The table file bytes of `impl`'s views.
std::string SerializeImpl(const Table::Impl& impl);

// Points impl's views at the sections of `file` (which impl->storage must
// keep alive).  Checks what the views need to be formed: one-record
// sections hold one record, reserved fields are zero.
absl::Status ViewSections(const TableFileView& file, Table::Impl* impl);

// Every check that makes lookups on untrusted arrays safe: each structure's
// own Validate(), plus the cross-references between them (every rule-valued
// answer is a rule index, every entry-valued answer an entry index, the
// action and rule tables agree with the metadata).  O(size of the table).
absl::Status ValidateImpl(const Table::Impl& impl);

}  // namespace hatmatch

#endif  // HATMATCH_ENGINE_FORMAT_SECTIONS_H_
