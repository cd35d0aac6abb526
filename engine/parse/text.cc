// Copyright 2026 The hatmatch Authors.
// Byte-level helpers of the rule-file parser; see text.h.

#include "engine/parse/text.h"

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "fmt/format.h"

namespace hatmatch::parse_internal {

std::string AsciiLowerCopy(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = AsciiLower(c);
  return out;
}

bool EqualsIgnoreCase(std::string_view s, std::string_view lower) {
  if (s.size() != lower.size()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (AsciiLower(s[i]) != lower[i]) return false;
  }
  return true;
}

bool StartsWithIgnoreCase(std::string_view s, std::string_view lower_prefix) {
  return s.size() >= lower_prefix.size() &&
         EqualsIgnoreCase(s.substr(0, lower_prefix.size()), lower_prefix);
}

namespace {

// Length of the well-formed UTF-8 sequence starting at s[i], or 0 when the
// bytes there are not one (RFC 3629, Table 3-7 of the Unicode standard).
size_t Utf8SequenceLength(std::string_view s, size_t i) {
  const auto b = [&](size_t k) -> uint8_t {
    return i + k < s.size() ? static_cast<uint8_t>(s[i + k]) : 0;
  };
  const uint8_t c = b(0);
  if (c < 0x80) return 1;
  const auto cont = [&](size_t k, uint8_t lo, uint8_t hi) {
    return i + k < s.size() && b(k) >= lo && b(k) <= hi;
  };
  if (c >= 0xC2 && c <= 0xDF) return cont(1, 0x80, 0xBF) ? 2 : 0;
  if (c == 0xE0) return cont(1, 0xA0, 0xBF) && cont(2, 0x80, 0xBF) ? 3 : 0;
  if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) {
    return cont(1, 0x80, 0xBF) && cont(2, 0x80, 0xBF) ? 3 : 0;
  }
  if (c == 0xED) return cont(1, 0x80, 0x9F) && cont(2, 0x80, 0xBF) ? 3 : 0;
  if (c == 0xF0) {
    return cont(1, 0x90, 0xBF) && cont(2, 0x80, 0xBF) && cont(3, 0x80, 0xBF)
               ? 4
               : 0;
  }
  if (c >= 0xF1 && c <= 0xF3) {
    return cont(1, 0x80, 0xBF) && cont(2, 0x80, 0xBF) && cont(3, 0x80, 0xBF)
               ? 4
               : 0;
  }
  if (c == 0xF4) {
    return cont(1, 0x80, 0x8F) && cont(2, 0x80, 0xBF) && cont(3, 0x80, 0xBF)
               ? 4
               : 0;
  }
  return 0;
}

}  // namespace

size_t FirstInvalidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    // Rule files are almost all ASCII: skip eight such bytes at a time.
    uint64_t word;
    if (i + 8 <= s.size() && (std::memcpy(&word, s.data() + i, 8),
                              word & 0x8080808080808080u) == 0) {
      i += 8;
      continue;
    }
    if (static_cast<uint8_t>(s[i]) < 0x80) {  // the short tail of a line
      ++i;
      continue;
    }
    const size_t n = Utf8SequenceLength(s, i);
    if (n == 0) return i;
    i += n;
  }
  return std::string_view::npos;
}

bool IsValidUtf8(std::string_view s) {
  return FirstInvalidUtf8(s) == std::string_view::npos;
}

std::string SafeText(std::string_view s, size_t max_bytes) {
  std::string out;
  size_t i = 0;
  while (i < s.size()) {
    if (out.size() >= max_bytes) {
      out += "...";
      break;
    }
    const char c = s[i];
    const auto u = static_cast<uint8_t>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
      ++i;
    } else if (u < 0x20 || u == 0x7F) {
      out += fmt::format("\\x{:02x}", u);
      ++i;
    } else if (u < 0x80) {
      out += c;
      ++i;
    } else {
      const size_t n = Utf8SequenceLength(s, i);
      if (n == 0) {
        out += fmt::format("\\x{:02x}", u);
        ++i;
      } else {
        out.append(s.substr(i, n));
        i += n;
      }
    }
  }
  return out;
}

std::string Quote(std::string_view s, size_t max_bytes) {
  return '"' + SafeText(s, max_bytes) + '"';
}

}  // namespace hatmatch::parse_internal
