// Copyright 2026 The hatmatch Authors.

#include "tests/testing/seed.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

#include "gtest/gtest.h"

namespace hatmatch::testing {
namespace {

// SplitMix64's finalizer: neighbouring inputs give unrelated outputs.
uint64_t Mix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

uint64_t Fnv1a(const std::string& s) {
  uint64_t h = 0xCBF29CE484222325ull;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001B3ull;
  return h;
}

uint64_t ReadBaseSeed() {
  if (const char* env = std::getenv("HATMATCH_TEST_SEED"); env && *env) {
    char* end = nullptr;
    const uint64_t v = std::strtoull(env, &end, 10);
    if (*end == '\0') return v;
    std::fprintf(stderr, "HATMATCH_TEST_SEED=%s is not a decimal number\n",
                 env);
    std::abort();
  }
  std::random_device rd;
  return uint64_t{rd()} << 32 | rd();
}

}  // namespace

uint64_t BaseSeed() {
  static const uint64_t base = ReadBaseSeed();
  return base;
}

uint64_t TestSeed() {
  const ::testing::TestInfo* info =
      ::testing::UnitTest::GetInstance()->current_test_info();
  const std::string name =
      info ? std::string(info->test_suite_name()) + "." + info->name() : "";
  const uint64_t seed = Mix(BaseSeed() ^ Fnv1a(name));
  std::fprintf(stderr, "HATMATCH_TEST_SEED=%llu (%s: seed %llu)\n",
               static_cast<unsigned long long>(BaseSeed()), name.c_str(),
               static_cast<unsigned long long>(seed));
  std::fflush(stderr);
  return seed;
}

}  // namespace hatmatch::testing
