// Copyright 2026 The hatmatch Authors.
//
// Fuzz target: the line protocol of `hatmatch serve` (LineSplitter plus the
// batch-line parsing and answer formatting shared with `hatmatch classify`)
// on arbitrary bytes.  Must never crash; every line that is not blank or a
// comment gets exactly one answer line; feeding the bytes in pieces must
// answer exactly as feeding them at once.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "engine/parse/batch_line.h"
#include "engine/serve/line_splitter.h"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

constexpr size_t kMaxLine = 48;

// Answers every line with its parse result (no table: a fixed decision),
// and counts the lines that must be answered.
struct Answerer {
  std::string out;
  size_t answered = 0;
  void operator()(std::string_view line, bool too_long) {
    auto conn = hatmatch::ParseBatchLine(line, too_long, kMaxLine);
    if (!conn) return;
    ++answered;
    if (!conn->ok()) {
      auto m = conn->status().message();
      hatmatch::AppendBatchError(std::string_view(m.data(), m.size()), &out);
    } else {
      hatmatch::AppendBatchDecision(hatmatch::Decision{}, "-", &out);
    }
  }
};

size_t Count(const std::string& s, char c) {
  size_t n = 0;
  for (char x : s) n += x == c;
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  size_t chunk = 1 + data[0] % 13;
  std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  hatmatch::serve::LineSplitter whole(kMaxLine), pieces(kMaxLine);
  Answerer a, b;
  whole.Feed(bytes, [&](std::string_view l, bool t) { a(l, t); });
  for (size_t at = 0; at < bytes.size(); at += chunk) {
    pieces.Feed(bytes.substr(at, chunk),
                [&](std::string_view l, bool t) { b(l, t); });
  }
  Check(a.out == b.out);
  Check(Count(a.out, '\n') == a.answered);
  Check(a.answered <= Count(std::string(bytes), '\n'));
  return 0;
}
