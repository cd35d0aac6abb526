// Copyright 2026 The hatmatch Authors.
//
// shell.h: run a bash script against the built `hatmatch` binary, for the
// command-line cases a plain argument list cannot express: process
// substitution, FIFOs, devices, closed descriptors, redirections to
// /dev/full.  In the script, $HATMATCH is the binary, $CRES the sample rule
// file data/cres.hat (absolute path) and $TMP a fresh directory, removed
// afterwards.

#ifndef HATMATCH_TESTS_TESTING_SHELL_H_
#define HATMATCH_TESTS_TESTING_SHELL_H_

#include <string>

#include "tests/testing/run.h"

namespace hatmatch::testing {

// Runs `script` with bash; out and err are the script's own standard output
// and error, exit_code its exit status (-1 when killed by a signal).
RunResult RunShell(const std::string& script);

}  // namespace hatmatch::testing

#endif  // HATMATCH_TESTS_TESTING_SHELL_H_
