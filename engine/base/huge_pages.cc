// Copyright 2026 The hatmatch Authors.
//
// Huge-page advice for large buffers (see huge_pages.h).

#include "engine/base/huge_pages.h"

#include <cstddef>
#include <cstdint>

#if defined(__linux__)
#include <sys/mman.h>
#include <unistd.h>
#endif

namespace hatmatch::base {

void AdviseHugePages(const void* p, size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  if (p == nullptr) return;
  const uintptr_t begin = reinterpret_cast<uintptr_t>(p);
  const uintptr_t start = (begin + kHugePageBytes - 1) & ~(kHugePageBytes - 1);
  const uintptr_t end = (begin + bytes) & ~(kHugePageBytes - 1);
  // The buffer belongs to its allocator; the advice only sets how its pages
  // are backed, so an error (no THP in this kernel) changes nothing.
  if (end > start) {
    (void)madvise(reinterpret_cast<void*>(start), end - start, MADV_HUGEPAGE);
  }
#else
  (void)p;
  (void)bytes;
#endif
}

void PopulateForWrite(void* p, size_t bytes) {
#if defined(__linux__) && defined(MADV_POPULATE_WRITE)
  if (p == nullptr) return;
  const uintptr_t page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
  const uintptr_t start = reinterpret_cast<uintptr_t>(p) & ~(page - 1);
  const uintptr_t end = reinterpret_cast<uintptr_t>(p) + bytes;
  if (end > start) {
    (void)madvise(reinterpret_cast<void*>(start), end - start,
                  MADV_POPULATE_WRITE);
  }
#else
  (void)p;
  (void)bytes;
#endif
}

void AdviseAndPopulate(void* p, size_t bytes) {
  AdviseHugePages(p, bytes);
  PopulateForWrite(p, bytes);
}

}  // namespace hatmatch::base
