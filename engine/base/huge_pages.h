// Copyright 2026 The hatmatch Authors.
//
// huge_pages.h: asks the kernel to back a large buffer with transparent huge
// pages (Linux, `madvise` mode: the common default, where only regions that
// ask get them).
//
// Rule sets and tables are built once, large (tens of MB for a 1M-entry
// file) and written front to back.  With 4 KiB pages every first touch is a
// page fault, and in a virtual machine a fault and a TLB miss cost several
// times what they cost on bare metal: on the Zen 5 guest of
// docs/benchmarks/COMPILE.md about 7 us per fault, a third of the time to
// read and parse a 1M-entry rule file.
//
// Advice only: nothing here fails or changes what a buffer holds.  A buffer
// smaller than a huge page, a kernel without transparent huge pages and a
// system other than Linux are left as they are.  Advise a buffer's reserved
// capacity before it is filled: pages already touched keep their size.  The
// advice outlives the buffer: memory the allocator later reuses from that
// range may also sit on huge pages, so a process can hold up to a huge page
// more per advised range than it uses.

#ifndef HATMATCH_ENGINE_BASE_HUGE_PAGES_H_
#define HATMATCH_ENGINE_BASE_HUGE_PAGES_H_

#include <cstddef>
#include <string>
#include <vector>

namespace hatmatch::base {

// The size of a huge page on x86-64 and arm64 (4 KiB base pages).
inline constexpr size_t kHugePageBytes = size_t{2} << 20;

// Advises huge pages for the whole 2 MiB pages inside [p, p + bytes).
void AdviseHugePages(const void* p, size_t bytes);

// Faults the pages of [p, p + bytes) in with one call (MADV_POPULATE_WRITE,
// Linux 5.14 and later) instead of one fault each: for a buffer that read()
// is about to fill, whose faults inside the kernel's copy cost more still.
// Elsewhere the pages fault in as they are written.
void PopulateForWrite(void* p, size_t bytes);

// AdviseHugePages, then PopulateForWrite.
void AdviseAndPopulate(void* p, size_t bytes);

// v.reserve(n), then the advice for the reserved capacity.
template <class T>
void ReserveHuge(std::vector<T>& v, size_t n) {
  v.reserve(n);
  AdviseHugePages(v.data(), v.capacity() * sizeof(T));
}

inline void ReserveHuge(std::string& s, size_t n) {
  s.reserve(n);
  AdviseHugePages(s.data(), s.capacity());
}

}  // namespace hatmatch::base

#endif  // HATMATCH_ENGINE_BASE_HUGE_PAGES_H_
