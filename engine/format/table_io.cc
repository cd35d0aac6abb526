// Copyright 2026 The hatmatch Authors.
//
// Table files: Table::Open, OpenBytes, Write, Serialize and IsTableFile
// (docs/TABLE-FORMAT.md is the specification).  Open parses the container
// (table_file.h), views its sections and validates the whole table
// (sections.h).  Nothing is copied; the mapping is owned by the Table.

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/format/sections.h"
#include "engine/format/table_file.h"
#include "engine/table/table_impl.h"
#include "fmt/format.h"
#include "hatmatch/table.h"

namespace hatmatch {

// --- Table entry points ------------------------------------------------------

namespace {

absl::StatusOr<std::unique_ptr<Table::Impl>> OpenImpl(
    std::shared_ptr<const TableImage> image, std::string_view name) {
  absl::StatusOr<TableFileView> file = TableFileView::Parse(
      image->bytes(), name, TableCatalog(), image->payload_crc());
  if (!file.ok()) return file.status();
  auto impl = std::make_unique<Table::Impl>();
  absl::Status s = ViewSections(*file, impl.get());
  if (s.ok()) s = ValidateImpl(*impl);
  if (!s.ok()) {
    return absl::Status(
        s.code(),
        fmt::format("{}: invalid table: {}", name,
                    std::string_view(s.message().data(), s.message().size())));
  }
  impl->storage = std::move(image);
  impl->ComputeStats();
  return impl;
}

}  // namespace

absl::StatusOr<std::shared_ptr<const Table>> Table::Open(
    const std::string& path) {
  absl::StatusOr<std::shared_ptr<const TableImage>> image =
      TableImage::Read(path);
  if (!image.ok()) return image.status();
  absl::StatusOr<std::unique_ptr<Impl>> impl =
      OpenImpl(*std::move(image), path);
  if (!impl.ok()) return impl.status();
  return std::shared_ptr<const Table>(new Table(*std::move(impl)));
}

absl::StatusOr<std::shared_ptr<const Table>> Table::Read(
    int fd, std::string_view first_bytes, std::string_view name) {
  absl::StatusOr<std::shared_ptr<const TableImage>> image =
      TableImage::ReadFrom(fd, first_bytes, name);
  if (!image.ok()) return image.status();
  absl::StatusOr<std::unique_ptr<Impl>> impl =
      OpenImpl(*std::move(image), name);
  if (!impl.ok()) return impl.status();
  return std::shared_ptr<const Table>(new Table(*std::move(impl)));
}

absl::StatusOr<std::shared_ptr<const Table>> Table::OpenBytes(
    std::string_view bytes, std::string_view name) {
  absl::StatusOr<std::unique_ptr<Impl>> impl =
      OpenImpl(TableImage::Copy(bytes), name);
  if (!impl.ok()) return impl.status();
  return std::shared_ptr<const Table>(new Table(*std::move(impl)));
}

std::string Table::Serialize() const { return SerializeImpl(*impl_); }

absl::Status Table::Write(const std::string& path) const {
  return WriteFileAtomically(path, Serialize());
}

bool Table::StartsLikeTable(std::string_view first_bytes) {
  static_assert(sizeof kTableMagic == kMagicBytes);
  static_assert(kMaxFileBytes == kMaxTableFileBytes);
  // A rule file is text: it never starts with 0x89.  Any prefix of the magic
  // is taken as a (truncated) table, so its error is about the table.
  const size_t n = std::min(first_bytes.size(), sizeof kTableMagic);
  return n > 0 && std::memcmp(first_bytes.data(), kTableMagic, n) == 0;
}

bool Table::IsTableFile(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  char buf[kMagicBytes];
  ssize_t n;
  do {
    n = read(fd, buf, sizeof buf);
  } while (n < 0 && errno == EINTR);
  close(fd);
  return n > 0 &&
         StartsLikeTable(std::string_view(buf, static_cast<size_t>(n)));
}

}  // namespace hatmatch
