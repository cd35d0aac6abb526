// Copyright 2026 The hatmatch Authors.
//
// text.h: small byte-level helpers shared by the rule-file parser
// (engine/parse/*.cc).  Internal; not part of the public API.
//
// Everything here works on raw bytes in std::string_view (Debian's abseil does
// not alias absl::string_view to std::string_view, so absl::StrSplit and
// friends are not used).  All functions are linear in their input, allocate
// only for their result, and accept any bytes.

#ifndef HATMATCH_ENGINE_PARSE_TEXT_H_
#define HATMATCH_ENGINE_PARSE_TEXT_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace hatmatch::parse_internal {

// Space or tab: the only blanks of the rule language.
constexpr bool IsBlank(char c) { return c == ' ' || c == '\t'; }
constexpr bool IsDigit(char c) { return c >= '0' && c <= '9'; }
constexpr bool IsAsciiAlpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
constexpr char AsciiLower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// Removes leading and trailing blanks (space, tab).  Inline: the reader
// trims every line and every entry.
inline std::string_view TrimBlanks(std::string_view s) {
  size_t b = 0;
  size_t e = s.size();
  while (b < e && IsBlank(s[b])) ++b;
  while (e > b && IsBlank(s[e - 1])) --e;
  return s.substr(b, e - b);
}

// ASCII-only lowercase copy; other bytes are copied unchanged.
std::string AsciiLowerCopy(std::string_view s);

// Case-insensitive ASCII comparison; `lower` must already be lowercase.
bool EqualsIgnoreCase(std::string_view s, std::string_view lower);
bool StartsWithIgnoreCase(std::string_view s, std::string_view lower_prefix);

// True when `s` is well-formed UTF-8 (no overlong forms, no surrogates, no
// code point above U+10FFFF).
bool IsValidUtf8(std::string_view s);
// The offset of the first byte of `s` that does not start a well-formed
// UTF-8 sequence, or std::string_view::npos when `s` is valid UTF-8.
size_t FirstInvalidUtf8(std::string_view s);

// `s` in double quotes, safe to print: control bytes, DEL, '"', '\\' and bytes
// of invalid UTF-8 are written as escapes, and text beyond `max_bytes` is cut
// and marked with "...", so a hostile 1 MiB line cannot flood a message.
std::string Quote(std::string_view s, size_t max_bytes = 120);
// The same escaping without the quotes, for messages that quote otherwise
// ('...'): no byte of `s` reaches a terminal raw.
std::string SafeText(std::string_view s, size_t max_bytes = 120);

}  // namespace hatmatch::parse_internal

#endif  // HATMATCH_ENGINE_PARSE_TEXT_H_
