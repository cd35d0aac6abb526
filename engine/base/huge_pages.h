// Copyright 2026 The hatmatch Authors.
//
// huge_pages.h: asks the kernel to back a large buffer with transparent huge
// pages (Linux `madvise` mode).  A buffer filled once front to back, such as
// the parser's entry vector or the rule text, otherwise takes a page fault
// every 4 KiB; on a virtual machine each fault is a trip to the hypervisor.

#ifndef HATMATCH_ENGINE_BASE_HUGE_PAGES_H_
#define HATMATCH_ENGINE_BASE_HUGE_PAGES_H_

#include <cstddef>

namespace hatmatch::base {

// Advises huge pages for the whole 2 MiB pages inside [p, p + bytes).  Best
// effort and harmless: the memory keeps its owner (any allocator) and its
// contents; a buffer under 2 MiB, or a kernel that declines, is unchanged.
void AdviseHugePages(const void* p, size_t bytes);

// AdviseHugePages, then faults the pages of [p, p + bytes) in with one call
// (MADV_POPULATE_WRITE) instead of one fault each: for a buffer that read()
// is about to fill, whose faults inside the kernel's copy cost more still.
// The contents are unchanged.
void AdviseAndPopulate(void* p, size_t bytes);

}  // namespace hatmatch::base

#endif  // HATMATCH_ENGINE_BASE_HUGE_PAGES_H_
