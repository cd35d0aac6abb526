// Copyright 2026 The hatmatch Authors.

#include "engine/cli/output_path.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <string_view>

#include "engine/cli/flags.h"
#include "fmt/format.h"

namespace hatmatch::cli {
namespace {

std::string_view TypeName(mode_t mode) {
  if (S_ISLNK(mode)) return "a symbolic link";
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

}  // namespace

absl::Status CheckOutputPath(const std::string& input,
                             const std::string& output) {
  struct stat out;
  if (lstat(output.c_str(), &out) != 0) {
    if (errno == ENOENT) return absl::OkStatus();  // a new file
    return absl::FailedPreconditionError(
        fmt::format("{}: cannot check the output path: {}", QuoteArg(output),
                    std::strerror(errno)));
  }
  if (!S_ISREG(out.st_mode)) {
    return absl::FailedPreconditionError(fmt::format(
        "{}: is {}; only a regular file is replaced{}", QuoteArg(output),
        TypeName(out.st_mode),
        S_ISLNK(out.st_mode)
            ? " (writing would replace the link, not its target: name the "
              "target instead)"
            : ""));
  }
  struct stat in;
  if (!input.empty() && stat(input.c_str(), &in) == 0 &&
      in.st_dev == out.st_dev && in.st_ino == out.st_ino) {
    return absl::FailedPreconditionError(
        fmt::format("{}: is the input file {} itself; writing it would "
                    "destroy the input",
                    QuoteArg(output), QuoteArg(input)));
  }
  return absl::OkStatus();
}

}  // namespace hatmatch::cli
