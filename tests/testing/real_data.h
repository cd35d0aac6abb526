// Copyright 2026 The hatmatch Authors.
//
// real_data.h: where tests find the real tables that bench/data/fetch_data.py
// downloads, and whether a missing file is a failure or a skip.
//
// The cache is resolved exactly as the fetcher resolves it: $HATMATCH_DATA,
// else ${XDG_CACHE_HOME:-$HOME/.cache}/hatmatch.  scripts/test fetches the
// data and sets HATMATCH_REQUIRE_DATA=1, so there a missing file fails the
// test; a developer without the data gets a skip that names the path.

#ifndef HATMATCH_TESTS_TESTING_REAL_DATA_H_
#define HATMATCH_TESTS_TESTING_REAL_DATA_H_

#include <string>

namespace hatmatch::testing {

// The fetcher's cache directory (no trailing slash).
std::string RealDataDir();

// RealDataDir() + "/" + relative.
std::string RealDataPath(const std::string& relative);

// True when HATMATCH_REQUIRE_DATA is set to a non-empty value other than 0.
bool RealDataRequired();

}  // namespace hatmatch::testing

#endif  // HATMATCH_TESTS_TESTING_REAL_DATA_H_
