// Copyright 2026 The hatmatch Authors.
//
// input_file.h: reading an input file once, with bounded memory.  Shared by
// ParseRuleFile and the command line's loader (engine/cli/load.h), which
// sniffs the table magic from the first bytes and goes on reading the same
// descriptor, so that a pipe, a FIFO or `<(...)` is read exactly once.
// Internal; not part of the public API.
//
//   absl::StatusOr<InputFile> in = InputFile::Open(path, "rule file");
//   std::string text;
//   absl::Status s = in->ReadRuleText(options, &text);
//
// What is refused up front, before any byte is read: directories, character
// and block devices (`/dev/zero` would otherwise be read until a limit),
// sockets.  Regular files, pipes and FIFOs are read; opening a FIFO waits for
// its writer, as every reader of a FIFO does.

#ifndef HATMATCH_ENGINE_PARSE_INPUT_FILE_H_
#define HATMATCH_ENGINE_PARSE_INPUT_FILE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "hatmatch/parse.h"

namespace hatmatch::parse_internal {

class InputFile {
 public:
  // `what` names the input in messages ("rule file").
  static absl::StatusOr<InputFile> Open(const std::string& path,
                                        std::string_view what);
  InputFile(InputFile&& other) noexcept;
  InputFile& operator=(InputFile&&) = delete;
  ~InputFile();

  const std::string& path() const { return path_; }
  // The descriptor, for readers that take over after the first bytes.
  int fd() const { return fd_; }
  bool is_regular() const { return regular_; }
  uint64_t regular_size() const { return size_; }  // 0 unless regular

  // Appends up to `n` bytes to *out, fewer only at end of input.
  absl::Status ReadUpTo(size_t n, std::string* out);
  // Appends the rest of the input, rule text, to *out (which may already
  // hold the first bytes): stops
  // at the first line longer than options.max_line_bytes and at
  // options.max_file_bytes + 1 bytes, so memory stays bounded by those
  // limits whatever the input.  The line error is "FILE:LINE:1: ..."; a file
  // over the size limit is read to max_file_bytes + 1 and left to the parser
  // to report.
  absl::Status ReadRuleText(const ParseOptions& options, std::string* out);

 private:
  InputFile(std::string path, int fd, bool regular, uint64_t size)
      : path_(std::move(path)), fd_(fd), regular_(regular), size_(size) {}
  // Reads one chunk; returns the bytes read (0 at end of input).
  absl::StatusOr<size_t> ReadChunk(char* buf, size_t n);

  std::string path_;
  int fd_ = -1;
  bool regular_ = false;
  uint64_t size_ = 0;
};

}  // namespace hatmatch::parse_internal

#endif  // HATMATCH_ENGINE_PARSE_INPUT_FILE_H_
