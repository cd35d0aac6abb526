// Copyright 2026 The hatmatch Authors.

#include "engine/serve/line_splitter.h"

#include <cstring>

namespace hatmatch::serve {
namespace {

std::string_view DropCarriageReturn(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

}  // namespace

void LineSplitter::Append(std::string_view piece) {
  pending_ += piece.size();
  if (too_long_) return;
  // The '\r' of a "\r\n" ending does not count against the limit, so a line
  // of exactly max_line bytes fits whichever ending the client uses.
  if (pending_ > max_line_ + 1) {
    too_long_ = true;
    partial_.clear();
    partial_.shrink_to_fit();
    return;
  }
  partial_.append(piece);
}

void LineSplitter::Feed(std::string_view bytes, OnLine on_line) {
  while (!bytes.empty()) {
    const void* nl = std::memchr(bytes.data(), '\n', bytes.size());
    if (nl == nullptr) {
      Append(bytes);
      return;
    }
    size_t len = static_cast<const char*>(nl) - bytes.data();
    std::string_view piece = bytes.substr(0, len);
    bytes.remove_prefix(len + 1);
    if (pending_ == 0) {
      // The common case: the whole line is in this read; no copy.
      std::string_view line = DropCarriageReturn(piece);
      on_line(line.size() > max_line_ ? std::string_view() : line,
              line.size() > max_line_);
      continue;
    }
    Append(piece);
    std::string_view line = DropCarriageReturn(partial_);
    bool too_long = too_long_ || line.size() > max_line_;
    on_line(too_long ? std::string_view() : line, too_long);
    partial_.clear();
    pending_ = 0;
    too_long_ = false;
  }
}

}  // namespace hatmatch::serve
