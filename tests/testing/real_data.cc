// Copyright 2026 The hatmatch Authors.

#include "tests/testing/real_data.h"

#include <cstdlib>
#include <string>

namespace hatmatch::testing {
namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

}  // namespace

std::string RealDataDir() {
  if (std::string data = Env("HATMATCH_DATA"); !data.empty()) return data;
  std::string base = Env("XDG_CACHE_HOME");
  if (base.empty()) base = Env("HOME") + "/.cache";
  return base + "/hatmatch";
}

std::string RealDataPath(const std::string& relative) {
  return RealDataDir() + "/" + relative;
}

bool RealDataRequired() {
  const std::string v = Env("HATMATCH_REQUIRE_DATA");
  return !v.empty() && v != "0";
}

}  // namespace hatmatch::testing
