// Copyright 2026 The hatmatch Authors.

#include "engine/parse/input_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <string_view>

#include "engine/base/huge_pages.h"
#include "engine/parse/text.h"
#include "fmt/format.h"

namespace hatmatch::parse_internal {
namespace {

// 1 MiB: few system calls for a large file, and a line over the limit is
// still caught within a chunk of it.
constexpr size_t kChunk = size_t{1} << 20;

// Why a file of this type is not read, or an empty view when it is read.
std::string_view RefusedType(mode_t mode) {
  if (S_ISDIR(mode)) return "Is a directory";
  if (S_ISCHR(mode)) return "Is a character device";
  if (S_ISBLK(mode)) return "Is a block device";
  if (S_ISSOCK(mode)) return "Is a socket";
  if (S_ISREG(mode) || S_ISFIFO(mode)) return {};
  return "Not a regular file, pipe or FIFO";
}

absl::Status ErrnoStatus(int err, std::string msg) {
  return err == ENOENT   ? absl::NotFoundError(msg)
         : err == EACCES ? absl::PermissionDeniedError(msg)
                         : absl::FailedPreconditionError(msg);
}

}  // namespace

absl::StatusOr<InputFile> InputFile::Open(const std::string& path,
                                          std::string_view what) {
  const auto fail = [&](int err) {
    return ErrnoStatus(err, fmt::format("cannot read {} {}: {}", what,
                                        Quote(path), strerror(err)));
  };
  // Refuse devices before opening them: opening some (a tape, a modem line)
  // has effects of its own.  The type is checked again on the descriptor.
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return fail(errno);
  if (std::string_view why = RefusedType(st.st_mode); !why.empty()) {
    return absl::FailedPreconditionError(
        fmt::format("cannot read {} {}: {}; a {} must be a regular file or a "
                    "pipe",
                    what, Quote(path), why, what));
  }
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fail(errno);
  if (fstat(fd, &st) != 0 || !RefusedType(st.st_mode).empty()) {
    const int err = errno;
    close(fd);
    return fail(RefusedType(st.st_mode).empty() ? err : EINVAL);
  }
  const bool regular = S_ISREG(st.st_mode);
  return InputFile(path, fd, regular,
                   regular ? static_cast<uint64_t>(st.st_size) : 0);
}

InputFile::InputFile(InputFile&& other) noexcept
    : path_(std::move(other.path_)),
      fd_(std::exchange(other.fd_, -1)),
      regular_(other.regular_),
      size_(other.size_) {}

InputFile::~InputFile() {
  if (fd_ >= 0) close(fd_);
}

absl::StatusOr<size_t> InputFile::ReadChunk(char* buf, size_t n) {
  for (;;) {
    const ssize_t got = read(fd_, buf, n);
    if (got >= 0) return static_cast<size_t>(got);
    if (errno == EINTR) continue;
    const int err = errno;
    return ErrnoStatus(
        err, fmt::format("reading {}: {}", Quote(path_), strerror(err)));
  }
}

absl::Status InputFile::ReadUpTo(size_t n, std::string* out) {
  while (n > 0) {
    const size_t want = std::min(n, kChunk);
    const size_t old_size = out->size();
    out->resize(old_size + want);
    absl::StatusOr<size_t> got = ReadChunk(out->data() + old_size, want);
    out->resize(old_size + (got.ok() ? *got : 0));
    if (!got.ok()) return got.status();
    if (*got == 0) break;
    n -= *got;
  }
  return absl::OkStatus();
}

absl::Status InputFile::ReadRuleText(const ParseOptions& options,
                                     std::string* out) {
  const uint64_t cap = options.max_file_bytes == SIZE_MAX
                           ? UINT64_MAX
                           : uint64_t{options.max_file_bytes} + 1;
  if (regular_) {
    // One byte more than the file, so that the read which finds its end
    // needs no room beyond it (growing would copy the whole text).
    out->reserve(std::min<uint64_t>(size_ + 1, cap));
    base::AdviseAndPopulate(out->data(), out->capacity());
  }
  uint64_t line = 1;
  size_t line_start = 0;  // offset in *out of the current line
  size_t scanned = 0;
  for (;;) {
    // Track line lengths over what was read, so a single endless line stops
    // the read at the line limit rather than at the file limit.
    while (const void* nl = std::memchr(out->data() + scanned, '\n',
                                        out->size() - scanned)) {
      ++line;
      scanned =
          static_cast<size_t>(static_cast<const char*>(nl) - out->data()) + 1;
      line_start = scanned;
    }
    scanned = out->size();
    // One byte of slack for the '\r' of a CRLF line at the limit.
    if (out->size() - line_start > options.max_line_bytes + 1) {
      return absl::InvalidArgumentError(
          fmt::format("{}:{}:1: line longer than the limit of {} bytes", path_,
                      line, options.max_line_bytes));
    }
    if (out->size() >= cap) return absl::OkStatus();
    // Read straight into the string (no bounce buffer), a chunk at a time.
    size_t want =
        static_cast<size_t>(std::min<uint64_t>(cap - out->size(), kChunk));
    if (out->capacity() > out->size()) {
      want = std::min(want, out->capacity() - out->size());
    }
    const size_t old_size = out->size();
    out->resize(old_size + want);
    absl::StatusOr<size_t> got = ReadChunk(out->data() + old_size, want);
    out->resize(old_size + (got.ok() ? *got : 0));
    if (!got.ok()) return got.status();
    if (*got == 0) return absl::OkStatus();
  }
}

}  // namespace hatmatch::parse_internal
