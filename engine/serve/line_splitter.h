// Copyright 2026 The hatmatch Authors.
//
// line_splitter.h: cuts a byte stream into lines in bounded memory.  Both
// wire protocols of `hatmatch serve` are line based; this is the one place
// that buffers a partial line between reads.
//
// A line ends at '\n'; one '\r' before it is dropped.  A line longer than
// max_line bytes is consumed but not kept: it is reported once, at its end,
// with too_long set and an empty text, so a client can never make the
// splitter hold more than max_line bytes.  Pure: no I/O, no clock.

#ifndef HATMATCH_ENGINE_SERVE_LINE_SPLITTER_H_
#define HATMATCH_ENGINE_SERVE_LINE_SPLITTER_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/functional/function_ref.h"

namespace hatmatch::serve {

class LineSplitter {
 public:
  using OnLine = absl::FunctionRef<void(std::string_view line, bool too_long)>;

  explicit LineSplitter(size_t max_line) : max_line_(max_line) {}

  // Calls on_line for every line completed by `bytes`, in order.
  void Feed(std::string_view bytes, OnLine on_line);

  // True while part of a line has been received and not yet ended.
  bool mid_line() const { return pending_ > 0; }
  size_t max_line() const { return max_line_; }

 private:
  void Append(std::string_view piece);

  size_t max_line_;
  std::string partial_;  // at most max_line_ bytes
  size_t pending_ = 0;   // bytes of the current line received so far
  bool too_long_ = false;
};

}  // namespace hatmatch::serve

#endif  // HATMATCH_ENGINE_SERVE_LINE_SPLITTER_H_
