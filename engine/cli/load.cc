// Copyright 2026 The hatmatch Authors.

#include "engine/cli/load.h"

#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/parse/input_file.h"
#include "fmt/format.h"
#include "hatmatch/parse.h"

namespace hatmatch::cli {
namespace {

using parse_internal::InputFile;

void PrintError(const absl::Status& s, LoadErrors* errors) {
  const absl::string_view m = s.message();
  fmt::print(stderr, "{}\n", std::string_view(m.data(), m.size()));
  if (errors != nullptr) errors->message = std::string(m.data(), m.size());
}

// The input was a table: its bytes are `head` and what is left to read,
// read straight into the table's memory.
absl::StatusOr<std::shared_ptr<const Table>> ReadTable(InputFile& in,
                                                       std::string head) {
  return Table::Read(in.fd(), head, in.path());
}

absl::StatusOr<RuleSet> ReadRules(InputFile& in, std::string head,
                                  std::vector<Diagnostic>* diagnostics) {
  const ParseOptions options;
  if (absl::Status s = in.ReadRuleText(options, &head); !s.ok()) return s;
  return ParseRules(head, in.path(), options, diagnostics);
}

}  // namespace

std::optional<Loaded> LoadRules(const std::string& path, LoadNeeds needs,
                                LoadErrors* errors) {
  absl::StatusOr<InputFile> in = InputFile::Open(path, "rule file");
  if (!in.ok()) {
    PrintError(in.status(), errors);
    return std::nullopt;
  }
  // The first bytes say what the input is; they are kept, never re-read.
  std::string head;
  if (absl::Status s = in->ReadUpTo(Table::kMagicBytes, &head); !s.ok()) {
    PrintError(s, errors);
    return std::nullopt;
  }
  Loaded out;
  out.is_table_file = Table::StartsLikeTable(head);
  if (out.is_table_file) {
    absl::StatusOr<std::shared_ptr<const Table>> t =
        ReadTable(*in, std::move(head));
    if (!t.ok()) {
      PrintError(t.status(), errors);  // table errors name the file
      return std::nullopt;
    }
    out.table = *std::move(t);
    if (needs.rules) out.rules = out.table->RestoreRuleSet();
    return out;
  }
  absl::StatusOr<RuleSet> rs =
      ReadRules(*in, std::move(head), errors ? &errors->diagnostics : nullptr);
  if (!rs.ok()) {
    PrintError(rs.status(), errors);
    return std::nullopt;
  }
  out.rules = *std::move(rs);
  if (needs.table) {
    absl::StatusOr<std::shared_ptr<const Table>> t = Table::Compile(*out.rules);
    if (!t.ok()) {
      PrintError(absl::Status(t.status().code(),
                              fmt::format("{}: {}", path,
                                          std::string(t.status().message()))),
                 errors);
      return std::nullopt;
    }
    out.table = *std::move(t);
  }
  return out;
}

}  // namespace hatmatch::cli
