// Copyright 2026 The hatmatch Authors.
//
// A deliberately broken program, built only in sanitizer builds, that shows
// the test environment tells a sanitizer report from "bad input": like
// hatmatch on a bad rule file it prints an error and would exit 1, but first
// it commits the defect named by its argument.
//
//   hatmatch_sanitizer_probe heap-overflow     one byte past a heap block
//   hatmatch_sanitizer_probe signed-overflow   INT_MAX + 1
//   hatmatch_sanitizer_probe none              just the error and exit 1

#include <climits>
#include <cstdio>
#include <cstring>
#include <memory>

namespace {

// volatile: the compiler must not see (and warn about, or fold) the defect.
volatile int one = 1;

int HeapOverflow() {
  auto block = std::make_unique<char[]>(8);
  const int past_the_end = 7 + one;
  block[past_the_end] = 'x';
  return block[past_the_end];
}

int SignedOverflow() {
  int x = INT_MAX;
  x += one;
  return x;
}

}  // namespace

int main(int argc, char** argv) {
  std::fprintf(stderr, "probe.hat:1:1: bad input\n");
  const char* what = argc > 1 ? argv[1] : "none";
  int sink = 0;
  if (std::strcmp(what, "heap-overflow") == 0) sink = HeapOverflow();
  if (std::strcmp(what, "signed-overflow") == 0) sink = SignedOverflow();
  std::printf("%d\n", sink);
  return 1;
}
