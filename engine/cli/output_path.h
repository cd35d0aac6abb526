// Copyright 2026 The hatmatch Authors.
//
// output_path.h: what a command may write over.  `compile -o` and
// `gen -o` write whole files; a path naming a device, a FIFO, a directory,
// a socket or a symbolic link, or the command's own input, is refused before
// anything is read or written, with the reason.

#ifndef HATMATCH_ENGINE_CLI_OUTPUT_PATH_H_
#define HATMATCH_ENGINE_CLI_OUTPUT_PATH_H_

#include <string>

#include "absl/status/status.h"

namespace hatmatch::cli {

// OK when `output` does not exist or is a regular file other than `input`
// (compared by device and inode, so a hard link or another spelling of the
// same path is caught).  `input` may be empty (no input to protect).
absl::Status CheckOutputPath(const std::string& input,
                             const std::string& output);

}  // namespace hatmatch::cli

#endif  // HATMATCH_ENGINE_CLI_OUTPUT_PATH_H_
