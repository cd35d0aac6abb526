// Copyright 2026 The hatmatch Authors.
//
// huge_pages.h: advice that a large buffer about to be filled should be
// backed by transparent huge pages.
//
// Rule sets and tables are built once, large (tens of MB for a 1M-entry
// file) and written end to end.  With 4 KiB pages every first touch is a
// page fault, and in a virtual machine with nested paging a fault and a TLB
// miss cost several times what they cost on bare metal: on the Zen 5 guest
// of docs/benchmarks/COMPILE.md, about 7 us per fault, a third of the time
// to read and parse a 1M-entry rule file.  Where the kernel grants huge
// pages only to regions that ask (transparent_hugepage = madvise, the common
// default), AdviseHugePages() asks, for the whole 2 MiB pages inside the
// buffer.
//
// Advice only: it never fails, never changes what the buffer holds, and does
// nothing for buffers smaller than a huge page, on kernels without
// transparent huge pages, or on systems other than Linux.  Call it on a
// buffer's reserved capacity before the buffer is filled: pages already
// touched keep their size.  The advice outlives the buffer: memory the
// allocator later reuses from that range may also sit on huge pages, so a
// process can hold up to a huge page more per advised range than it uses.

#ifndef HATMATCH_ENGINE_BASE_HUGE_PAGES_H_
#define HATMATCH_ENGINE_BASE_HUGE_PAGES_H_

#include <cstddef>
#include <string>
#include <vector>

namespace hatmatch {

// The size of a huge page on x86-64 and arm64 (4 KiB base pages).
inline constexpr size_t kHugePageBytes = size_t{2} << 20;

// Asks for huge pages behind the whole 2 MiB pages of [data, data + bytes).
void AdviseHugePages(const void* data, size_t bytes);

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

}  // namespace hatmatch

#endif  // HATMATCH_ENGINE_BASE_HUGE_PAGES_H_
