// Copyright 2026 The hatmatch Authors.
// NormalizeHostname (parse.h): one normal form for rule hostnames, DNS-list
// zones and connection PTR names, so that matching is a byte comparison.

#include <idn2.h>

#include <cstdlib>
#include <string>
#include <string_view>

#include "engine/parse/text.h"
#include "fmt/format.h"
#include "hatmatch/parse.h"

namespace hatmatch {

namespace {

using parse_internal::AsciiLower;
using parse_internal::IsValidUtf8;
using parse_internal::Quote;

constexpr size_t kMaxName = 253;
constexpr size_t kMaxLabel = 63;
// Bound on the UTF-8 input given to libidn2.  An A-label is at least as long
// as its U-label in code points, and a code point takes at most 4 bytes, so a
// longer input cannot give a name of 253 bytes unless it is mostly characters
// that UTS #46 maps to nothing; such input is refused rather than processed.
constexpr size_t kMaxUnicodeInput = 4 * kMaxName + 64;

bool Fail(std::string* why, std::string msg) {
  if (why != nullptr) *why = std::move(msg);
  return false;
}

// The checks of HAT-RULES.md section 2 on an ASCII, lowercase name without a
// trailing dot.
bool CheckAsciiName(std::string_view name, std::string* why) {
  if (name.empty()) return Fail(why, "empty name");
  if (name.size() > kMaxName) {
    return Fail(why, fmt::format("name of {} bytes, over the limit of {}",
                                 name.size(), kMaxName));
  }
  size_t label_start = 0;
  for (size_t i = 0; i <= name.size(); ++i) {
    if (i == name.size() || name[i] == '.') {
      const size_t len = i - label_start;
      if (len == 0) {
        return Fail(why,
                    "empty label (a dot at the start or two dots in a row)");
      }
      if (len > kMaxLabel) {
        return Fail(why,
                    fmt::format("label {} of {} bytes, over the limit of {}",
                                Quote(name.substr(label_start, len), 40), len,
                                kMaxLabel));
      }
      label_start = i + 1;
      continue;
    }
    const char c = name[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok) {
      return Fail(why,
                  fmt::format("character {} not allowed (expected letters, "
                              "digits, '-', '_' and dots)",
                              Quote(std::string_view(&name[i], 1))));
    }
  }
  return true;
}

// A label of a name written in a rule file: no hyphen at either end (RFC
// 1123; `-` alone would also read like classify's no-match marker), and an
// A-label (`xn--...`) only when it is valid under IDNA2008: decodable
// Punycode whose U-label libidn2 accepts and that encodes back to the same
// label (`xn--.com` and `xn--a.com` are not names).
bool CheckRuleLabel(std::string_view label, std::string* why) {
  if (!label.starts_with("xn--")) {
    if (label.front() == '-' || label.back() == '-') {
      return Fail(why, fmt::format("label {} starts or ends with '-'",
                                   Quote(label, 40)));
    }
    return true;
  }
  const std::string a(label);
  char* back = nullptr;
  const int rc = idn2_lookup_u8(reinterpret_cast<const uint8_t*>(a.c_str()),
                                reinterpret_cast<uint8_t**>(&back),
                                IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
  const bool same = rc == IDN2_OK && back != nullptr && a == back;
  if (back != nullptr) idn2_free(back);
  if (same) return true;
  return Fail(why, fmt::format("{} is not a valid IDNA2008 A-label ({})",
                               Quote(label, 40),
                               rc == IDN2_OK ? "not in its canonical form"
                                             : idn2_strerror(rc)));
}

bool CheckRuleLabels(std::string_view name, std::string* why) {
  size_t start = 0;
  while (start <= name.size()) {
    size_t dot = name.find('.', start);
    if (dot == std::string_view::npos) dot = name.size();
    if (!CheckRuleLabel(name.substr(start, dot - start), why)) return false;
    start = dot + 1;
  }
  return true;
}

}  // namespace

bool NormalizeHostname(std::string_view in, bool allow_idna, std::string* out,
                       std::string* why) {
  bool ascii = true;
  for (char c : in) {
    if (static_cast<unsigned char>(c) >= 0x80) {
      ascii = false;
      break;
    }
  }
  std::string name;
  if (ascii) {
    name.resize(in.size());
    for (size_t i = 0; i < in.size(); ++i) name[i] = AsciiLower(in[i]);
    if (!name.empty() && name.back() == '.') name.pop_back();
  } else {
    if (!allow_idna) return Fail(why, "non-ASCII characters");
    if (!IsValidUtf8(in)) return Fail(why, "invalid UTF-8");
    if (in.size() > kMaxUnicodeInput) {
      return Fail(why, fmt::format("name of {} bytes, over the limit of {}",
                                   in.size(), kMaxName));
    }
    const std::string u(in);
    if (u.find('\0') != std::string::npos) {
      return Fail(why, "character \"\\x00\" not allowed");
    }
    // IDNA2008 via libidn2 with UTS #46 non-transitional processing and NFC.
    // Why UTS #46: an administrator types `.Refeição.Online` or pastes a name
    // in NFD, and plain IDNA2008 refuses upper case and unnormalized text,
    // while UTS #46 mapping lowercases (case-folds) and normalizes first, as
    // browsers and resolvers do.  Non-transitional keeps IDNA2008's meaning
    // of 'ß' and ZWJ/ZWNJ (no mapping to "ss").  STD3 rules are off because
    // they silently drop '_', which DNS names in the wild (and the contract)
    // allow; our own ASCII check below runs on the result anyway.
    char* alabel = nullptr;
    const int rc = idn2_lookup_u8(reinterpret_cast<const uint8_t*>(u.c_str()),
                                  reinterpret_cast<uint8_t**>(&alabel),
                                  IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
    if (rc != IDN2_OK) {
      if (alabel != nullptr) idn2_free(alabel);
      return Fail(why, fmt::format("no valid IDNA2008 A-label form ({})",
                                   idn2_strerror(rc)));
    }
    for (const char* p = alabel; *p != '\0'; ++p) name += AsciiLower(*p);
    idn2_free(alabel);
    // libidn2 keeps a trailing dot (and maps U+3002 and friends to one), so
    // the one trailing dot is stripped after the conversion.
    if (!name.empty() && name.back() == '.') name.pop_back();
  }
  if (!CheckAsciiName(name, why)) return false;
  // Rule-side names only: a PTR name in a connection is compared as DNS
  // gives it, and one that no rule could name simply matches nothing.
  if (allow_idna && !CheckRuleLabels(name, why)) return false;
  *out = std::move(name);
  return true;
}

}  // namespace hatmatch
