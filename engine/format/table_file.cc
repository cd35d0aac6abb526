// Copyright 2026 The hatmatch Authors.

#include "engine/format/table_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "engine/base/huge_pages.h"
#include "engine/format/crc32c.h"
#include "fmt/format.h"

namespace hatmatch {
namespace {

constexpr uint64_t RoundUp(uint64_t n) {
  return (n + kSectionAlignment - 1) & ~uint64_t{kSectionAlignment - 1};
}

const SectionSpec* FindSpec(std::span<const SectionSpec> catalog, uint32_t id) {
  for (const SectionSpec& s : catalog) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

std::string ErrnoText(int err) { return std::strerror(err); }

bool AllZero(const std::byte* p, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (p[i] != std::byte{0}) return false;
  }
  return true;
}

}  // namespace

// --- Writing -----------------------------------------------------------------

void TableFileWriter::AddRaw(uint32_t id, uint32_t width, const void* data,
                             size_t size) {
  const SectionSpec* spec = FindSpec(catalog_, id);
  if (spec == nullptr || spec->width != width) {
    std::fprintf(stderr,
                 "TableFileWriter: section %u: not in catalog or "
                 "width %u mismatch\n",
                 id, width);
    std::abort();
  }
  for (const Pending& p : sections_) {
    if (p.id == id) {
      std::fprintf(stderr, "TableFileWriter: section %u added twice\n", id);
      std::abort();
    }
  }
  sections_.push_back({id, width, data, size});
}

std::string TableFileWriter::Finish() const {
  std::vector<Pending> sections = sections_;
  std::sort(sections.begin(), sections.end(),
            [](const Pending& a, const Pending& b) { return a.id < b.id; });

  const uint64_t dir_end =
      sizeof(TableFileHeader) + sections.size() * sizeof(SectionEntry);
  std::vector<SectionEntry> dir(sections.size());
  uint64_t pos = RoundUp(dir_end);
  for (size_t i = 0; i < sections.size(); ++i) {
    SectionEntry& e = dir[i];
    std::memset(&e, 0, sizeof e);
    e.id = sections[i].id;
    e.width = sections[i].width;
    e.offset = pos;
    e.size = sections[i].size;
    e.crc = Crc32c(sections[i].data, sections[i].size);
    pos = RoundUp(pos + e.size);
  }
  const uint64_t file_size = pos;

  // On huge pages, faulted in at once (a large table is a fault per 4 KiB
  // page otherwise); resize() zeroes it, so every gap is already zero.
  std::string image;
  image.reserve(file_size);
  base::AdviseAndPopulate(image.data(), image.capacity());
  image.resize(file_size);
  for (size_t i = 0; i < sections.size(); ++i) {
    if (sections[i].size != 0) {
      std::memcpy(image.data() + dir[i].offset, sections[i].data,
                  sections[i].size);
    }
  }
  if (!dir.empty()) {
    std::memcpy(image.data() + sizeof(TableFileHeader), dir.data(),
                dir.size() * sizeof(SectionEntry));
  }

  TableFileHeader h;
  std::memset(&h, 0, sizeof h);
  std::memcpy(h.magic, kTableMagic, sizeof h.magic);
  h.format_version = kTableFormatVersion;
  h.byte_order = kByteOrderMark;
  h.header_size = sizeof(TableFileHeader);
  h.entry_size = sizeof(SectionEntry);
  h.section_count = static_cast<uint32_t>(sections.size());
  h.file_size = file_size;
  h.directory_crc = Crc32c(dir.data(), dir.size() * sizeof(SectionEntry));
  h.payload_crc = Crc32c(image.data() + sizeof(TableFileHeader),
                         file_size - sizeof(TableFileHeader));
  h.header_crc = Crc32c(&h, offsetof(TableFileHeader, header_crc));
  std::memcpy(image.data(), &h, sizeof h);
  return image;
}

absl::Status WriteFileAtomically(const std::string& path,
                                 std::string_view bytes) {
  const size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "."
                          : slash == 0               ? "/"
                                                     : path.substr(0, slash);
  const std::string base =
      slash == std::string::npos ? path : path.substr(slash + 1);
  if (base.empty()) {
    return absl::InvalidArgumentError(fmt::format("{}: not a file name", path));
  }
  // The rename replaces whatever has the name: only a regular file (or no
  // file) may be replaced, never a device, a FIFO, a directory or a symbolic
  // link (the link itself would be replaced, not its target).
  if (struct stat st; lstat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    return absl::FailedPreconditionError(fmt::format(
        "{}: not a regular file{}; a table replaces only a regular file", path,
        S_ISLNK(st.st_mode) ? " (a symbolic link: name its target)" : ""));
  }
  std::string tmp = fmt::format("{}/.{}.tmp.XXXXXX", dir, base);
  const int fd = mkostemp(tmp.data(), O_CLOEXEC);
  if (fd < 0) {
    return absl::UnavailableError(
        fmt::format("{}: cannot create a temporary file in {}: {}", path, dir,
                    ErrnoText(errno)));
  }
  auto fail = [&](std::string_view step, int err) {
    close(fd);
    unlink(tmp.c_str());
    return absl::UnavailableError(
        fmt::format("{}: {} {}: {}", path, step, tmp, ErrnoText(err)));
  };
  const char* p = bytes.data();
  size_t left = bytes.size();
  while (left > 0) {
    const ssize_t n = write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("writing", errno);
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  // mkstemp creates 0600; a table is meant to be read by the gateway.
  if (fchmod(fd, 0644) != 0) return fail("chmod", errno);
  if (fsync(fd) != 0) return fail("fsync", errno);
  if (close(fd) != 0) {
    const int err = errno;
    unlink(tmp.c_str());
    return absl::UnavailableError(
        fmt::format("{}: closing {}: {}", path, tmp, ErrnoText(err)));
  }
  if (rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    unlink(tmp.c_str());
    return absl::UnavailableError(fmt::format("{}: renaming {} into place: {}",
                                              path, tmp, ErrnoText(err)));
  }
  // The rename is durable only once the directory itself is synced.
  const int dfd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) {
    return absl::UnavailableError(
        fmt::format("{}: opening directory {} to sync it: {}", path, dir,
                    ErrnoText(errno)));
  }
  const int rc = fsync(dfd);
  const int err = errno;
  close(dfd);
  if (rc != 0) {
    return absl::UnavailableError(fmt::format("{}: fsync of directory {}: {}",
                                              path, dir, ErrnoText(err)));
  }
  return absl::OkStatus();
}

// --- Images ------------------------------------------------------------------

absl::StatusOr<std::shared_ptr<const TableImage>> TableImage::Read(
    const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return absl::NotFoundError(
        fmt::format("{}: cannot open: {}", path, ErrnoText(errno)));
  }
  absl::StatusOr<std::shared_ptr<const TableImage>> image =
      ReadFrom(fd, {}, path);
  close(fd);
  return image;
}

namespace {

constexpr size_t kHugePage = base::kHugePageBytes;

// The length of the mapping that holds an image of `size` bytes: whole huge
// pages for an image of a huge page or more, else whole small pages (munmap
// rounds those up itself).
size_t MappingLength(size_t size) {
  size = std::max<size_t>(size, 1);
  return size >= kHugePage ? (size + kHugePage - 1) & ~(kHugePage - 1) : size;
}

// Private memory for `size` bytes.  An image of 2 MiB or more sits on
// transparent huge pages when the kernel grants them (`madvise` mode): one
// fault per 2 MiB instead of 512, which for an 85 MB table takes the
// allocation from about 25 ms to 10 ms; Populate() faults them in.  A
// smaller one gets small pages with MAP_POPULATE (one kernel call instead
// of a fault per page).  nullptr when the system refuses.
std::byte* AllocateImage(size_t size) {
  const size_t len = MappingLength(size);
  if (len >= kHugePage) {
    // Over-allocate by one huge page, keep the aligned middle.
    void* raw = mmap(nullptr, len + kHugePage, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (raw != MAP_FAILED) {
      const uintptr_t base = reinterpret_cast<uintptr_t>(raw);
      const uintptr_t start = (base + kHugePage - 1) & ~(kHugePage - 1);
      if (start > base) munmap(raw, start - base);
      if (start + len < base + len + kHugePage) {
        munmap(reinterpret_cast<void*>(start + len),
               base + len + kHugePage - (start + len));
      }
      void* p = reinterpret_cast<void*>(start);
      madvise(p, len, MADV_HUGEPAGE);
      return static_cast<std::byte*>(p);
    }
  }
  void* p = mmap(nullptr, len, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
  return p == MAP_FAILED ? nullptr : static_cast<std::byte*>(p);
}

// Faults in the pages of bytes [from, to) of an image at once, before the
// bytes arrive: a fault per huge page taken inside read() costs far more.
void Populate(std::byte* image, size_t from, size_t to) {
  if (to > from) base::PopulateForWrite(image + from, to - from);
}

// The chunk read at a time: small enough that the checksum finds it in L2,
// so the payload checksum costs no second pass over memory.
constexpr size_t kReadChunk = size_t{1} << 20;

// Reads bytes [from, to) of the image from file offset `from` (pread: two
// ranges may be read at once), checksumming each chunk as it arrives.
// *crc becomes the CRC-32C of bytes [max(from, 64), to).  The message says
// what went wrong, without the file's name.
absl::Status FillRange(int fd, std::byte* image, size_t from, size_t to,
                       uint32_t* crc) {
  Populate(image, from, to);
  uint32_t c = 0;
  size_t done = from;
  while (done < to) {
    const size_t want = std::min(kReadChunk, to - done);
    const ssize_t n = pread(fd, image + done, want, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      return absl::UnavailableError(
          n < 0 ? "cannot read: " + ErrnoText(errno)
                : std::string("file became shorter while it was read"));
    }
    const size_t summed_from = std::max(done, sizeof(TableFileHeader));
    done += static_cast<size_t>(n);
    if (done > summed_from) {
      c = Crc32cExtend(c, image + summed_from, done - summed_from);
    }
  }
  *crc = c;
  return absl::OkStatus();
}

// A file this large is read by two threads, each reading and checksumming
// half of it (the second core, when there is one, halves the time; on one
// core it costs a thread start).
constexpr size_t kParallelReadBytes = size_t{32} << 20;

// Fills bytes [head.size(), size) of the image from a regular file whose
// first bytes, `head`, were already read; *crc becomes the CRC-32C of bytes
// [64, size).
absl::Status FillFromFile(int fd, std::string_view head, std::byte* image,
                          size_t size, uint32_t* crc) {
  const size_t from = head.size();
  Populate(image, 0, from);
  if (!head.empty()) std::memcpy(image, head.data(), head.size());
  uint32_t head_crc = 0;
  if (from > sizeof(TableFileHeader)) {
    head_crc =
        Crc32c(image + sizeof(TableFileHeader), from - sizeof(TableFileHeader));
  }
  const size_t payload_from = std::max(from, sizeof(TableFileHeader));
  if (size < kParallelReadBytes) {
    uint32_t rest = 0;
    absl::Status s = FillRange(fd, image, from, size, &rest);
    *crc = Crc32cCombine(head_crc, rest, size - std::min(size, payload_from));
    return s;
  }
  const size_t split = (size / 2) & ~(kHugePage - 1);
  uint32_t crc1 = 0, crc2 = 0;
  absl::Status s2;
  std::thread second([&] { s2 = FillRange(fd, image, split, size, &crc2); });
  absl::Status s1 = FillRange(fd, image, from, split, &crc1);
  second.join();
  if (!s1.ok()) return s1;
  if (!s2.ok()) return s2;
  *crc = Crc32cCombine(Crc32cCombine(head_crc, crc1, split - payload_from),
                       crc2, size - split);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::shared_ptr<const TableImage>> TableImage::ReadFrom(
    int fd, std::string_view head, std::string_view name) {
  struct stat st;
  if (fstat(fd, &st) != 0) {
    return absl::UnavailableError(
        fmt::format("{}: cannot stat: {}", name, ErrnoText(errno)));
  }
  const bool regular = S_ISREG(st.st_mode);
  if (!regular && !S_ISFIFO(st.st_mode)) {
    return absl::FailedPreconditionError(fmt::format(
        "{}: not a hatmatch table (not a regular file or a pipe)", name));
  }
  // Read into private memory rather than map the file: a mapping of a file
  // that is later rewritten in place (`cp new.hmt live.hmt` truncates it
  // first) faults with SIGBUS in the middle of a lookup, and even a private
  // mapping shows the new bytes on pages not yet copied.  The copy costs
  // one read of the file, which the checksum pass needs anyway.
  std::string piped;  // a pipe's bytes, whose size is known only at the end
  if (!regular) {
    piped.assign(head);
    char buf[1 << 16];
    for (;;) {
      const ssize_t n = read(fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        return absl::UnavailableError(
            fmt::format("{}: cannot read: {}", name, ErrnoText(errno)));
      }
      if (n == 0) break;
      piped.append(buf, static_cast<size_t>(n));
      if (piped.size() > kMaxTableFileBytes) break;
    }
    head = piped;
  }
  const uint64_t size =
      regular ? static_cast<uint64_t>(st.st_size) : uint64_t{head.size()};
  if (size == 0) {
    return absl::FailedPreconditionError(
        fmt::format("{}: not a hatmatch table (empty file)", name));
  }
  if (size > kMaxTableFileBytes) {
    return absl::FailedPreconditionError(
        fmt::format("{}: {} bytes, larger than the {} bytes a table may have",
                    name, size, kMaxTableFileBytes));
  }
  if (head.size() > size) {
    return absl::UnavailableError(
        fmt::format("{}: file became shorter while it was read", name));
  }
  std::byte* p = AllocateImage(static_cast<size_t>(size));
  if (p == nullptr) {
    return absl::ResourceExhaustedError(fmt::format(
        "{}: cannot allocate {} bytes: {}", name, size, ErrnoText(errno)));
  }
  // Owned by the image from here; without memory for the image object the
  // mapping goes back before std::bad_alloc passes on (a shared_ptr whose
  // control block cannot be allocated deletes the image itself).
  TableImage* owner;
  try {
    owner = new TableImage(p, static_cast<size_t>(size), /*mapped=*/true);
  } catch (...) {
    munmap(p, MappingLength(static_cast<size_t>(size)));
    throw;
  }
  auto image = std::shared_ptr<TableImage>(owner);
  uint32_t crc = 0;
  absl::Status s;
  if (regular) {
    s = FillFromFile(fd, head, p, static_cast<size_t>(size), &crc);
  } else {  // a pipe's bytes are all in `head` already
    Populate(p, 0, head.size());
    std::memcpy(p, head.data(), head.size());
    if (head.size() > sizeof(TableFileHeader)) {
      crc = Crc32c(p + sizeof(TableFileHeader),
                   head.size() - sizeof(TableFileHeader));
    }
  }
  if (!s.ok()) {
    return absl::Status(
        s.code(),
        fmt::format("{}: {}", name,
                    std::string_view(s.message().data(), s.message().size())));
  }
  if (size >= sizeof(TableFileHeader)) image->payload_crc_ = crc;
  mprotect(p, static_cast<size_t>(size), PROT_READ);  // immutable from here
  return std::shared_ptr<const TableImage>(std::move(image));
}

std::shared_ptr<const TableImage> TableImage::Copy(std::string_view bytes) {
  const size_t alloc = RoundUp(std::max<size_t>(bytes.size(), 1));
  void* p = std::aligned_alloc(kSectionAlignment, alloc);
  if (p == nullptr) throw std::bad_alloc();  // as any allocation would
  if (!bytes.empty()) std::memcpy(p, bytes.data(), bytes.size());
  TableImage* owner;  // as in ReadFrom: p is freed if this cannot be had
  try {
    owner = new TableImage(static_cast<const std::byte*>(p), bytes.size(),
                           /*mapped=*/false);
  } catch (...) {
    std::free(p);
    throw;
  }
  return std::shared_ptr<const TableImage>(owner);
}

TableImage::~TableImage() {
  void* p = const_cast<std::byte*>(data_);
  if (mapped_) {
    munmap(p, MappingLength(size_));
  } else {
    std::free(p);
  }
}

void ResealTableImage(std::string* image) {
  if (image->size() < sizeof(TableFileHeader)) return;
  TableFileHeader h;
  std::memcpy(&h, image->data(), sizeof h);
  const uint64_t room = (image->size() - sizeof h) / sizeof(SectionEntry);
  const uint64_t n = std::min<uint64_t>(h.section_count, room);
  for (uint64_t i = 0; i < n; ++i) {
    SectionEntry e;
    char* at = image->data() + sizeof h + i * sizeof e;
    std::memcpy(&e, at, sizeof e);
    if (e.offset <= image->size() && e.size <= image->size() - e.offset) {
      e.crc = Crc32c(image->data() + e.offset, e.size);
      std::memcpy(at, &e, sizeof e);
    }
  }
  h.directory_crc = Crc32c(image->data() + sizeof h, n * sizeof(SectionEntry));
  h.payload_crc = Crc32c(image->data() + sizeof h, image->size() - sizeof h);
  h.header_crc = Crc32c(&h, offsetof(TableFileHeader, header_crc));
  std::memcpy(image->data(), &h, sizeof h);
}

bool HasTableMagic(std::span<const std::byte> prefix) {
  return prefix.size() >= sizeof kTableMagic &&
         std::memcmp(prefix.data(), kTableMagic, sizeof kTableMagic) == 0;
}

// --- Reading -----------------------------------------------------------------

std::string_view TableFileView::SectionName(uint32_t id) const {
  const SectionSpec* s = FindSpec(catalog_, id);
  return s ? s->name : std::string_view("unknown");
}

const SectionEntry* TableFileView::Find(uint32_t id) const {
  // Parse() checked the ids are strictly ascending.
  auto it = std::lower_bound(
      directory_.begin(), directory_.end(), id,
      [](const SectionEntry& e, uint32_t v) { return e.id < v; });
  return it != directory_.end() && it->id == id ? &*it : nullptr;
}

namespace {

// The checks of Parse(), in order (docs/TABLE-FORMAT.md, "Checks on load").
// Every message starts with the file's name.
class ContainerChecks {
 public:
  ContainerChecks(std::span<const std::byte> image, std::string_view name,
                  std::span<const SectionSpec> catalog)
      : image_(image), name_(name), catalog_(catalog) {}

  absl::Status MagicOrderVersion() const;
  absl::Status Header(TableFileHeader* h) const;
  absl::Status FileSize(const TableFileHeader& h) const;
  absl::Status Directory(const TableFileHeader& h,
                         std::span<const SectionEntry>* dir) const;
  absl::Status Payload(const TableFileHeader& h,
                       std::span<const SectionEntry> dir,
                       std::optional<uint32_t> known_crc) const;
  absl::Status Padding(std::span<const SectionEntry> dir) const;

 private:
  // Damage or truncation.
  absl::Status Loss(std::string_view what) const {
    return absl::DataLossError(fmt::format("{}: {}", name_, what));
  }
  // A file this build cannot read, intact or not.
  absl::Status Unusable(std::string_view what) const {
    return absl::FailedPreconditionError(fmt::format("{}: {}", name_, what));
  }
  absl::Status Entry(size_t i, std::span<const SectionEntry> dir,
                     uint64_t* expected_offset) const;
  absl::Status RequiredSections(std::span<const SectionEntry> dir) const;

  size_t size() const { return image_.size(); }
  const std::byte* base() const { return image_.data(); }
  uint64_t DirectoryEnd(const TableFileHeader& h) const {
    return sizeof(TableFileHeader) +
           uint64_t{h.section_count} * sizeof(SectionEntry);
  }

  std::span<const std::byte> image_;
  std::string_view name_;
  std::span<const SectionSpec> catalog_;
};

// 1. Magic.  A short prefix of the magic is a truncated table; anything
// else is some other file.  2. Byte order, then version: these 16 bytes
// keep their place in every format version, so any future file gets this
// message, not a checksum error.
absl::Status ContainerChecks::MagicOrderVersion() const {
  const size_t magic_n = std::min(size(), sizeof kTableMagic);
  if (size() == 0 || std::memcmp(base(), kTableMagic, magic_n) != 0) {
    return Unusable("not a hatmatch table (bad magic)");
  }
  if (size() < 16) {
    return Loss(fmt::format("truncated: {} bytes, a table file has at least {}",
                            size(), sizeof(TableFileHeader)));
  }
  uint32_t version, order;
  std::memcpy(&version, base() + offsetof(TableFileHeader, format_version), 4);
  std::memcpy(&order, base() + offsetof(TableFileHeader, byte_order), 4);
  if (order == __builtin_bswap32(kByteOrderMark)) {
    const bool little = std::endian::native == std::endian::little;
    return Unusable(fmt::format(
        "written on a {}-endian machine; this build reads {}-endian tables",
        little ? "big" : "little", little ? "little" : "big"));
  }
  if (order != kByteOrderMark) {
    return Loss(fmt::format("bad byte-order mark 0x{:08x}", order));
  }
  if (version != kTableFormatVersion) {
    return Unusable(fmt::format("format version {}, this build reads {}",
                                version, kTableFormatVersion));
  }
  if (size() < sizeof(TableFileHeader)) {
    return Loss(fmt::format("truncated: {} bytes, the header alone is {}",
                            size(), sizeof(TableFileHeader)));
  }
  if (reinterpret_cast<uintptr_t>(base()) % kSectionAlignment != 0) {
    return absl::InternalError(fmt::format("{}: image is not {}-byte aligned",
                                           name_, kSectionAlignment));
  }
  return absl::OkStatus();
}

// 3. Header checksum, then the header's own fields.
absl::Status ContainerChecks::Header(TableFileHeader* out) const {
  TableFileHeader& h = *out;
  std::memcpy(&h, base(), sizeof h);
  if (Crc32c(base(), offsetof(TableFileHeader, header_crc)) != h.header_crc) {
    return Loss("header checksum mismatch");
  }
  if (h.header_size != sizeof(TableFileHeader)) {
    return Loss(fmt::format("header size {}, expected {}", h.header_size,
                            sizeof(TableFileHeader)));
  }
  if (h.entry_size != sizeof(SectionEntry)) {
    return Loss(fmt::format("directory entry size {}, expected {}",
                            h.entry_size, sizeof(SectionEntry)));
  }
  if (h.flags != 0) return Loss(fmt::format("unknown flags 0x{:x}", h.flags));
  if (h.reserved[0] != 0 || h.reserved[1] != 0 || h.reserved[2] != 0) {
    return Loss("reserved header fields are not zero");
  }
  return absl::OkStatus();
}

// 4. File size.
absl::Status ContainerChecks::FileSize(const TableFileHeader& h) const {
  if (h.file_size > size()) {
    return Loss(fmt::format("truncated: header says {} bytes, file has {}",
                            h.file_size, size()));
  }
  if (h.file_size < size()) {
    return Loss(
        fmt::format("{} trailing bytes after the table (header says "
                    "{} bytes, file has {})",
                    size() - h.file_size, h.file_size, size()));
  }
  if (h.file_size % kSectionAlignment != 0) {
    return Loss(fmt::format("file size {} is not a multiple of {}", h.file_size,
                            kSectionAlignment));
  }
  return absl::OkStatus();
}

// 5. Directory: bounds, checksum, then every entry, then the catalog's
// required sections.
absl::Status ContainerChecks::Directory(
    const TableFileHeader& h, std::span<const SectionEntry>* out) const {
  if (h.section_count > kMaxSections) {
    return Loss(fmt::format("{} sections, at most {} are allowed",
                            h.section_count, kMaxSections));
  }
  const uint64_t dir_end = DirectoryEnd(h);
  if (dir_end > size()) {
    return Loss("section directory extends past end of file");
  }
  if (Crc32c(base() + sizeof(TableFileHeader),
             dir_end - sizeof(TableFileHeader)) != h.directory_crc) {
    return Loss("checksum mismatch in the section directory");
  }
  std::span<const SectionEntry> dir(
      reinterpret_cast<const SectionEntry*>(base() + sizeof(TableFileHeader)),
      h.section_count);
  uint64_t expected_offset = RoundUp(dir_end);
  for (size_t i = 0; i < dir.size(); ++i) {
    if (absl::Status s = Entry(i, dir, &expected_offset); !s.ok()) return s;
  }
  if (expected_offset != size()) {
    return Loss(fmt::format("file size {}, but the sections end at {}", size(),
                            expected_offset));
  }
  *out = dir;
  return RequiredSections(dir);
}

absl::Status ContainerChecks::Entry(size_t i, std::span<const SectionEntry> dir,
                                    uint64_t* expected_offset) const {
  const SectionEntry& e = dir[i];
  const SectionSpec* spec = FindSpec(catalog_, e.id);
  const std::string what = spec ? fmt::format("section {} ({})", i, spec->name)
                                : fmt::format("section {} (id {})", i, e.id);
  if (spec == nullptr) {
    return Loss(fmt::format("{}: unknown section id", what));
  }
  if (i > 0 && e.id <= dir[i - 1].id) {
    return Loss(fmt::format("{}: section ids not strictly ascending", what));
  }
  if (e.width != spec->width) {
    return Loss(fmt::format("{}: element width {}, this build expects {}", what,
                            e.width, spec->width));
  }
  if (e.reserved != 0) {
    return Loss(fmt::format("{}: reserved field is not zero", what));
  }
  if (e.offset % kSectionAlignment != 0) {
    return Loss(fmt::format("{}: offset {} is not {}-byte aligned", what,
                            e.offset, kSectionAlignment));
  }
  if (e.offset > size() || e.size > size() - e.offset) {
    return Loss(fmt::format("{} extends past end of file", what));
  }
  if (e.size % e.width != 0) {
    return Loss(
        fmt::format("{}: size {} is not a multiple of its element "
                    "width {}",
                    what, e.size, e.width));
  }
  // Sections sit exactly where the writer puts them: no overlap, no room
  // for hidden bytes, one valid layout per content.
  if (e.offset != *expected_offset) {
    return Loss(
        fmt::format("{}: offset {}, expected {} (sections must "
                    "follow each other)",
                    what, e.offset, *expected_offset));
  }
  *expected_offset = RoundUp(e.offset + e.size);
  return absl::OkStatus();
}

absl::Status ContainerChecks::RequiredSections(
    std::span<const SectionEntry> dir) const {
  for (const SectionSpec& s : catalog_) {
    if (!s.required) continue;
    bool found = false;
    for (const SectionEntry& e : dir) found = found || e.id == s.id;
    if (!found) {
      return Loss(fmt::format("required section \"{}\" (id {}) is missing",
                              s.name, s.id));
    }
  }
  return absl::OkStatus();
}

// 6. Payload checksum; when it fails, the per-section checksums say which
// section was damaged.
absl::Status ContainerChecks::Payload(const TableFileHeader& h,
                                      std::span<const SectionEntry> dir,
                                      std::optional<uint32_t> known_crc) const {
  const uint32_t crc = known_crc.has_value()
                           ? *known_crc
                           : Crc32c(base() + sizeof(TableFileHeader),
                                    size() - sizeof(TableFileHeader));
  if (crc == h.payload_crc) {
    return absl::OkStatus();
  }
  for (size_t i = 0; i < dir.size(); ++i) {
    if (Crc32c(base() + dir[i].offset, dir[i].size) != dir[i].crc) {
      return Loss(fmt::format("checksum mismatch in section {} ({})", i,
                              FindSpec(catalog_, dir[i].id)->name));
    }
  }
  return Loss("checksum mismatch in the padding between sections");
}

// 7. Padding is zero (the writer never writes anything else there, and a
// deterministic file has no room for stray bytes).
absl::Status ContainerChecks::Padding(std::span<const SectionEntry> dir) const {
  uint64_t gap_start = sizeof(TableFileHeader) + dir.size_bytes();
  for (size_t i = 0; i <= dir.size(); ++i) {
    const uint64_t gap_end = i < dir.size() ? dir[i].offset : size();
    if (!AllZero(base() + gap_start, gap_end - gap_start)) {
      return Loss(fmt::format("non-zero padding before offset {}", gap_end));
    }
    if (i < dir.size()) gap_start = dir[i].offset + dir[i].size;
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<TableFileView> TableFileView::Parse(
    std::span<const std::byte> image, std::string_view name,
    std::span<const SectionSpec> catalog, std::optional<uint32_t> payload_crc) {
  const ContainerChecks check(image, name, catalog);
  TableFileHeader h;
  std::span<const SectionEntry> dir;
  absl::Status s = check.MagicOrderVersion();
  if (s.ok()) s = check.Header(&h);
  if (s.ok()) s = check.FileSize(h);
  if (s.ok()) s = check.Directory(h, &dir);
  if (s.ok()) s = check.Payload(h, dir, payload_crc);
  if (s.ok()) s = check.Padding(dir);
  if (!s.ok()) return s;
  TableFileView v;
  v.image_ = image;
  v.name_ = std::string(name);
  v.catalog_ = catalog;
  v.directory_ = dir;
  return v;
}

}  // namespace hatmatch
