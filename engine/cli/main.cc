// Copyright 2026 The hatmatch Authors.
// Placeholder entry point; the real CLI lands with the foundation issue.
#include <cstdio>

int main() {
  std::puts("hatmatch " HATMATCH_VERSION);
  return 0;
}
