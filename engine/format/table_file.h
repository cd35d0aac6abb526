// Copyright 2026 The hatmatch Authors.
//
// table_file.h: the container of a compiled table file, independent of what
// the sections hold.  docs/TABLE-FORMAT.md is the specification; this header
// is its implementation.
//
//   offset 0    TableFileHeader    64 bytes: magic, format version, byte-order
//                                  mark, sizes, checksums
//   offset 64   SectionEntry[n]    32 bytes each: id, element width, offset,
//                                  size, CRC-32C of the section
//   ...         sections           each starting on a 64-byte boundary, in
//                                  ascending id order; every gap is zero bytes
//   file_size                      a multiple of 64
//
// Writing: TableFileWriter collects typed sections (spans of trivially
// copyable PODs without padding bits) and Finish() lays out the image.  The
// image is a pure function of the sections: no time stamps, no host names,
// every padding byte zero; so the same table always gives the same bytes.
// WriteFileAtomically() puts an image on disk so that a crash at any moment
// leaves either the old file or the complete new one under the final name.
//
// Reading: TableImage reads a file (or copies a buffer) into private
// 64-byte-aligned memory; TableFileView::Parse() validates the container
// completely (magic, version, byte order, header checksum, file size,
// directory, payload checksum, each section's id, width, alignment, bounds
// and order, zero gaps) before it hands out a single span.  After Parse()
// succeeds, Get<T>(id) returns a span over the image: no copy, no further
// check.  What the section *contents* mean is checked by their owners
// (Ipv4Trie::Validate(), ...), see sections.cc and validate.cc.
//
// Cost of Parse(): one CRC-32C pass over the file (several GB/s with SSE4.2)
// plus O(sections); none for the payload when TableImage::Read() already
// checksummed it while reading.  Errors name the file and what is wrong:
//   "t.hmt: not a hatmatch table (bad magic)"                FailedPrecondition
//   "t.hmt: format version 2, this build reads 3"            FailedPrecondition
//   "t.hmt: section 3 (ipv4 nodes) extends past end of file" DataLoss
//   "t.hmt: checksum mismatch in section 5 (rules)"          DataLoss

#ifndef HATMATCH_ENGINE_FORMAT_TABLE_FILE_H_
#define HATMATCH_ENGINE_FORMAT_TABLE_FILE_H_

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace hatmatch {

// "\x89HMT\r\n\x1a\n": a high byte first so no text file starts like this,
// then CR LF, ^Z and LF so that a text-mode transfer that mangles line ends
// is caught by the magic alone (the PNG trick).
inline constexpr char kTableMagic[8] = {'\x89', 'H',  'M',    'T',
                                        '\r',   '\n', '\x1a', '\n'};
inline constexpr uint32_t kTableFormatVersion = 6;
// Written in the writer's native order; reads back as 0x04030201 on a
// machine of the other byte order.
inline constexpr uint32_t kByteOrderMark = 0x01020304;
inline constexpr size_t kSectionAlignment = 64;
inline constexpr uint32_t kMaxSections = 1024;
// Larger files are refused before mapping (a table of the whole IPv4 and
// IPv6 BGP tables with every name is a few hundred MB).
inline constexpr uint64_t kMaxTableFileBytes = uint64_t{1} << 36;  // 64 GiB

struct TableFileHeader {
  char magic[8];            //  0  kTableMagic
  uint32_t format_version;  //  8  kTableFormatVersion
  uint32_t byte_order;      // 12  kByteOrderMark
  uint32_t header_size;     // 16  sizeof(TableFileHeader) == 64
  uint32_t entry_size;      // 20  sizeof(SectionEntry) == 32
  uint32_t section_count;   // 24  entries in the directory
  uint32_t flags;           // 28  0 (no flags are defined in versions 1-2)
  uint64_t file_size;       // 32  the whole file, a multiple of 64
  uint32_t payload_crc;     // 40  CRC-32C of bytes [64, file_size)
  uint32_t directory_crc;   // 44  CRC-32C of the section directory
  uint32_t reserved[3];     // 48  0
  uint32_t header_crc;      // 60  CRC-32C of bytes [0, 60)
};
static_assert(sizeof(TableFileHeader) == 64);
static_assert(std::has_unique_object_representations_v<TableFileHeader>);

struct SectionEntry {
  uint32_t id;        //  0  what the section holds (the catalog's id)
  uint32_t width;     //  4  bytes per element; size is a multiple of it
  uint64_t offset;    //  8  from the start of the file, a multiple of 64
  uint64_t size;      // 16  bytes (0 for an empty array)
  uint32_t crc;       // 24  CRC-32C of the section's bytes
  uint32_t reserved;  // 28  0
};
static_assert(sizeof(SectionEntry) == 32);
static_assert(std::has_unique_object_representations_v<SectionEntry>);

// What a reader knows about one section id.  A file holding an id that is
// not in the catalog, or with a different width, is rejected: every change
// of layout bumps kTableFormatVersion.
struct SectionSpec {
  uint32_t id;
  std::string_view name;  // for messages: "ipv4 nodes"
  uint32_t width;         // sizeof the element type
  bool required;
};

// Copyable POD check used by the writer and the reader: the bytes of a T are
// exactly its value (no padding, no float), so writing is deterministic and
// reading needs no conversion.
template <class T>
inline constexpr bool kIsFileSafe = std::is_trivially_copyable_v<T>&&
    std::has_unique_object_representations_v<T>;

class TableFileWriter {
 public:
  explicit TableFileWriter(std::span<const SectionSpec> catalog)
      : catalog_(catalog) {}

  // Adds section `id` with the elements of `v`.  The span is not copied
  // until Finish(): it must stay valid until then.  Each id at most once; the
  // width must be the catalog's (both checked, abort on misuse).
  template <class T>
  void Add(uint32_t id, std::span<const T> v) {
    static_assert(kIsFileSafe<T>, "section elements must be padding-free PODs");
    AddRaw(id, sizeof(T), v.data(), v.size_bytes());
  }
  template <class T>
  void Add(uint32_t id, const std::vector<T>& v) {
    Add(id, std::span<const T>(v));
  }
  // A single fixed-size record.
  template <class T>
  void AddRecord(uint32_t id, const T& record) {
    Add(id, std::span<const T>(&record, 1));
  }

  // The complete file image.  Sections appear in ascending id order.
  std::string Finish() const;

 private:
  struct Pending {
    uint32_t id;
    uint32_t width;
    const void* data;
    size_t size;
  };
  void AddRaw(uint32_t id, uint32_t width, const void* data, size_t size);

  std::span<const SectionSpec> catalog_;
  std::vector<Pending> sections_;
};

// Owns the bytes of a table file, in 64-byte-aligned private memory (an
// anonymous mapping for a file read, an aligned allocation for a copy).
// Immutable; share it.
class TableImage {
 public:
  // Reads the file into private memory (not a mapping of the file, so
  // rewriting the file in place later cannot disturb the table).  Fails
  // (with the path in the message) when the file cannot be opened or read,
  // is not a regular file or a pipe, is empty, is larger than
  // kMaxTableFileBytes or shrinks while read.
  static absl::StatusOr<std::shared_ptr<const TableImage>> Read(
      const std::string& path);
  // The same from a descriptor whose first bytes, `head`, were already read
  // from it (a reader that sniffed the magic); `name` prefixes messages.
  static absl::StatusOr<std::shared_ptr<const TableImage>> ReadFrom(
      int fd, std::string_view head, std::string_view name);
  // Copies `bytes` into aligned memory (for fuzzers, tests and embedders
  // that receive tables over the network).  Throws std::bad_alloc when the
  // memory cannot be had.
  static std::shared_ptr<const TableImage> Copy(std::string_view bytes);

  ~TableImage();
  TableImage(const TableImage&) = delete;
  TableImage& operator=(const TableImage&) = delete;

  std::span<const std::byte> bytes() const { return {data_, size_}; }
  // CRC-32C of bytes [64, size), computed while a file was read (on bytes
  // still in cache, so the container check need not read them again);
  // nullopt for a copy and for an image shorter than a header.
  std::optional<uint32_t> payload_crc() const { return payload_crc_; }

 private:
  TableImage(const std::byte* data, size_t size, bool mapped)
      : data_(data), size_(size), mapped_(mapped) {}
  const std::byte* data_;
  size_t size_;
  bool mapped_;  // munmap, else std::free
  std::optional<uint32_t> payload_crc_;
};

// A validated container.  Holds no ownership: the image must outlive it.
class TableFileView {
 public:
  // Runs every container check of docs/TABLE-FORMAT.md section "Checks on
  // load", in that order; `name` (the path) prefixes every message.  The
  // image must be 64-byte aligned (TableImage's always is).  A known
  // `payload_crc` (TableImage::payload_crc(), of these very bytes) replaces
  // the payload checksum pass.
  static absl::StatusOr<TableFileView> Parse(
      std::span<const std::byte> image, std::string_view name,
      std::span<const SectionSpec> catalog,
      std::optional<uint32_t> payload_crc = std::nullopt);

  // The elements of section `id`; empty when an optional section is absent.
  // Aborts if sizeof(T) is not the width Parse() checked (a programming
  // error, not a file error).
  template <class T>
  std::span<const T> Get(uint32_t id) const {
    static_assert(kIsFileSafe<T>);
    const SectionEntry* e = Find(id);
    if (e == nullptr) return {};
    if (e->width != sizeof(T)) std::abort();
    return {reinterpret_cast<const T*>(image_.data() + e->offset),
            e->size / sizeof(T)};
  }
  // The single record of a section that holds exactly one, or nullptr (the
  // caller checks the count: ViewSections in sections.cc).
  template <class T>
  const T* GetRecord(uint32_t id) const {
    std::span<const T> s = Get<T>(id);
    return s.size() == 1 ? s.data() : nullptr;
  }
  bool Has(uint32_t id) const { return Find(id) != nullptr; }

  const TableFileHeader& header() const {
    return *reinterpret_cast<const TableFileHeader*>(image_.data());
  }
  std::span<const SectionEntry> directory() const { return directory_; }
  std::string_view name() const { return name_; }
  // The catalog name of an id ("ipv4 nodes"), or "unknown".
  std::string_view SectionName(uint32_t id) const;

 private:
  const SectionEntry* Find(uint32_t id) const;

  std::span<const std::byte> image_;
  std::string name_;
  std::span<const SectionSpec> catalog_;
  std::span<const SectionEntry> directory_;
};

// For tests and fuzzers that forge tables: recomputes every checksum of an
// image (each section's, as far as the directory entry lies inside the
// image; the directory's; the payload's; the header's) so that an edit gets
// past the checksums to the structural checks behind them.  Leaves an image
// too short for a header unchanged.
void ResealTableImage(std::string* image);

// True when the first bytes of `prefix` are kTableMagic.
bool HasTableMagic(std::span<const std::byte> prefix);

// Writes `bytes` to `path` so that readers only ever see the old file or the
// complete new one: a temporary file in the same directory, write, fsync,
// rename over `path`, fsync the directory.  The new file gets mode 0644.  On
// failure the temporary file is removed and the message names the step.
absl::Status WriteFileAtomically(const std::string& path,
                                 std::string_view bytes);

}  // namespace hatmatch

#endif  // HATMATCH_ENGINE_FORMAT_TABLE_FILE_H_
