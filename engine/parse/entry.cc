// Copyright 2026 The hatmatch Authors.
// Sender entries (HAT-RULES.md section 2): classification and the value of
// every form.  See entry.h for the internal contract, parse.h for ParseEntry.
//
// Classification, on the trimmed text, case-insensitively:
//   sbrs[...]  dnslist[...]  sbo:N  nx.domain  serv.fail  not.double.verified
//   ALL -> error;  *... -> error with a hint
//   contains ':'                        -> IPv6 address, CIDR or range
//   only digits, '.', '/', '-' (and at least one digit)
//                                       -> one of the IPv4 forms
//   anything else                       -> hostname ('.' first: partial)

#include "engine/parse/entry.h"

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/parse/ip_text.h"
#include "engine/parse/text.h"
#include "fmt/format.h"
#include "hatmatch/parse.h"

namespace hatmatch {
namespace parse_internal {
namespace {

bool Fail(std::string* error, std::string msg) {
  *error = std::move(msg);
  return false;
}

void Warn(std::vector<std::string>* warnings, std::string msg) {
  if (warnings != nullptr) warnings->push_back(std::move(msg));
}

// Prefix length: decimal, no leading zero, 0..max.
bool ParsePrefixLength(std::string_view s, int max, std::string_view entry,
                       int* out, std::string* error) {
  if (s.empty()) {
    return Fail(error,
                fmt::format("missing prefix length after '/' in {}; expected "
                            "a number 0..{}",
                            Quote(entry), max));
  }
  for (char c : s) {
    if (!IsDigit(c)) {
      return Fail(error, fmt::format("prefix length {} is not a decimal "
                                     "number 0..{}, in {}",
                                     Quote(s, 20), max, Quote(entry)));
    }
  }
  if (s.size() > 1 && s[0] == '0') {
    return Fail(error, fmt::format("prefix length {} has a leading zero in {}; "
                                   "expected a number 0..{}",
                                   Quote(s, 20), Quote(entry), max));
  }
  if (s.size() > 3) {
    return Fail(error, fmt::format("prefix length {} out of range 0..{} in {}",
                                   Quote(s, 20), max, Quote(entry)));
  }
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  if (v > max) {
    return Fail(error, fmt::format("prefix length {} out of range 0..{} in {}",
                                   v, max, Quote(entry)));
  }
  *out = v;
  return true;
}

// --- IPv4 -------------------------------------------------------------------

// "WHY in "ENTRY"", with the rule about leading zeros spelled out when that
// is the problem: an administrator who wrote 010 may have meant octal.
std::string OctetMessage(std::string_view why, std::string_view entry) {
  const bool zero = why.find("leading zero") != std::string_view::npos;
  return fmt::format("{} in {}{}", why, Quote(entry),
                     zero ? "; octets are decimal 0..255 without leading "
                            "zeros (never octal)"
                          : "");
}

bool OctetListOrFail(std::string_view s, std::string_view entry, OctetList* o,
                     std::string* error) {
  std::string why;
  if (!ParseOctetList(s, o, &why)) {
    return Fail(error, OctetMessage(why, entry));
  }
  return true;
}

// Range of every address whose first `n` octets are `o.v[0..n)`, with the
// last of them replaced by `last`.
void PartialRange(const OctetList& o, uint32_t first_last, uint32_t last_last,
                  Ipv4Range* r) {
  OctetList lo = o;
  OctetList hi = o;
  lo.v[o.n - 1] = first_last;
  hi.v[o.n - 1] = last_last;
  for (int k = o.n; k < 4; ++k) {
    lo.v[k] = 0;
    hi.v[k] = 255;
  }
  r->lo = lo.Value();
  r->hi = hi.Value();
}

// a.b.c.d/N, or a shorter a.b/N: the address before `slash`.
bool ParseIpv4Cidr(std::string_view t, size_t slash, EntryValue* out,
                   std::string* error, std::vector<std::string>* warnings) {
  const std::string_view addr = t.substr(0, slash);
  const std::string_view len = t.substr(slash + 1);
  if (addr.empty()) {
    return Fail(error,
                fmt::format("missing address before '/' in {}", Quote(t)));
  }
  OctetList o;
  if (!OctetListOrFail(addr, t, &o, error)) return false;
  if (o.trailing_dot) {
    return Fail(error, fmt::format("trailing dot before '/' in {}; expected "
                                   "a/N, a.b/N, a.b.c/N or a.b.c.d/N",
                                   Quote(t)));
  }
  int bits = 0;
  if (!ParsePrefixLength(len, 32, t, &bits, error)) return false;
  Ipv4Range r;
  Ipv4Prefix(o.Value(), bits, &r.lo, &r.hi);
  if (r.lo != o.Value()) {
    Warn(warnings, fmt::format("host bits set in {}; read as {}/{}", Quote(t),
                               FormatIpv4(r.lo), bits));
  }
  *out = r;
  return true;
}

// a.b.c.d-w.x.y.z: `lo` parsed, `right` the text after the '-'.
bool ParseIpv4AddressRange(std::string_view t, const OctetList& lo,
                           std::string_view right, EntryValue* out,
                           std::string* error) {
  OctetList hi;
  if (!OctetListOrFail(right, t, &hi, error)) return false;
  if (lo.n != 4 || hi.n != 4 || hi.trailing_dot) {
    return Fail(error, fmt::format("{} is neither an octet range (such "
                                   "as 10.1.2.3-9) nor a range of full "
                                   "addresses a.b.c.d-w.x.y.z",
                                   Quote(t)));
  }
  if (lo.Value() > hi.Value()) {
    return Fail(error, fmt::format("descending range in {}; the first "
                                   "address must not exceed the second",
                                   Quote(t)));
  }
  *out = Ipv4Range{lo.Value(), hi.Value()};
  return true;
}

// 10.1.2-5 or 10.1.2.3-9: the last written octet of `lo` spans d..e, where
// `right` is e with at most one trailing dot.
bool ParseIpv4OctetRange(std::string_view t, const OctetList& lo,
                         std::string_view right, EntryValue* out,
                         std::string* error) {
  std::string_view e_text = right;
  if (e_text.back() == '.') e_text.remove_suffix(1);
  const bool trailing = right.size() != e_text.size();
  if (trailing && lo.n == 4) {
    return Fail(error, fmt::format("trailing dot after the fourth octet in "
                                   "{}; expected a.b.c.d-e",
                                   Quote(t)));
  }
  uint32_t e = 0;
  std::string why;
  if (!ParseDecimalOctet(e_text, &e, &why)) {
    return Fail(error, OctetMessage(why, t));
  }
  const uint32_t d = lo.v[lo.n - 1];
  if (d > e) {
    return Fail(error, fmt::format("descending range {}-{} in {}; the first "
                                   "value must not exceed the second",
                                   d, e, Quote(t)));
  }
  Ipv4Range r;
  PartialRange(lo, d, e, &r);
  *out = r;
  return true;
}

// Either range form; `dash` is where the '-' is.
bool ParseIpv4Range(std::string_view t, size_t dash, EntryValue* out,
                    std::string* error) {
  if (t.find('-', dash + 1) != std::string_view::npos) {
    return Fail(error, fmt::format("more than one '-' in {}", Quote(t)));
  }
  const std::string_view left = t.substr(0, dash);
  const std::string_view right = t.substr(dash + 1);
  if (left.empty()) {
    return Fail(error, fmt::format("missing start of range before '-' in {}",
                                   Quote(t)));
  }
  if (right.empty()) {
    return Fail(error,
                fmt::format("missing end of range after '-' in {}", Quote(t)));
  }
  OctetList lo;
  if (!OctetListOrFail(left, t, &lo, error)) return false;
  if (lo.trailing_dot) {
    return Fail(error, fmt::format("dot before '-' in {}; expected a range "
                                   "of the last octet such as 10.1.2-5 or "
                                   "10.1.2-5.",
                                   Quote(t)));
  }
  std::string_view right_core = right;
  if (right_core.back() == '.') right_core.remove_suffix(1);
  if (right_core.find('.') != std::string_view::npos) {
    return ParseIpv4AddressRange(t, lo, right, out, error);
  }
  return ParseIpv4OctetRange(t, lo, right, out, error);
}

// An address a.b.c.d, or a partial address a.b.c. standing for its block.
bool ParseIpv4Partial(std::string_view t, EntryValue* out, std::string* error) {
  OctetList o;
  if (!OctetListOrFail(t, t, &o, error)) return false;
  if (o.n == 4 && o.trailing_dot) {
    return Fail(error, fmt::format("trailing dot after the fourth octet in {}; "
                                   "expected an address a.b.c.d or a partial "
                                   "address such as a.b.c.",
                                   Quote(t)));
  }
  Ipv4Range r;
  PartialRange(o, o.v[o.n - 1], o.v[o.n - 1], &r);
  *out = r;
  return true;
}

// One decimal octet of `t` from *i up to `end` (the next '.', '/' or the
// end): 1-3 digits, no leading zero, at most 255; *i is left after it.
bool TakeCanonicalOctet(std::string_view t, size_t* i, uint32_t* octet) {
  size_t k = *i;
  uint32_t v = 0;
  while (k < t.size() && IsDigit(t[k]) && k - *i < 3) {
    v = v * 10 + static_cast<uint32_t>(t[k] - '0');
    ++k;
  }
  const size_t digits = k - *i;
  if (digits == 0 || (digits > 1 && t[*i] == '0') || v > 255) return false;
  *i = k;
  *octet = v;
  return true;
}

// The common shapes a.b.c.d and a.b.c.d/N, written canonically (no leading
// zeros, no host bits set), in one pass.  False for anything else, which
// then takes the general path below with its exact messages and warnings;
// what this accepts, that path reads the same way.
bool ParseCanonicalIpv4(std::string_view t, Ipv4Range* out) {
  size_t i = 0;
  uint32_t a = 0;
  for (int n = 0; n < 4; ++n) {
    uint32_t octet = 0;
    if (n > 0) {
      if (i >= t.size() || t[i] != '.') return false;
      ++i;
    }
    if (!TakeCanonicalOctet(t, &i, &octet)) return false;
    a = a << 8 | octet;
  }
  if (i == t.size()) {
    *out = Ipv4Range{a, a};
    return true;
  }
  if (t[i] != '/' || t.size() - i < 2 || t.size() - i > 3) return false;
  uint32_t bits = 0;
  for (size_t k = i + 1; k < t.size(); ++k) {
    if (!IsDigit(t[k])) return false;
    bits = bits * 10 + static_cast<uint32_t>(t[k] - '0');
  }
  if ((t.size() - i == 3 && t[i + 1] == '0') || bits > 32) return false;
  Ipv4Range r;
  Ipv4Prefix(a, static_cast<int>(bits), &r.lo, &r.hi);
  if (r.lo != a) return false;  // host bits set: the general path warns
  *out = r;
  return true;
}

bool ParseIpv4Entry(std::string_view t, EntryValue* out, std::string* error,
                    std::vector<std::string>* warnings) {
  if (Ipv4Range r; ParseCanonicalIpv4(t, &r)) {
    *out = r;
    return true;
  }
  const size_t slash = t.find('/');
  const size_t dash = t.find('-');
  if (slash != std::string_view::npos && dash != std::string_view::npos) {
    return Fail(error, fmt::format("both '/' and '-' in {}; expected a CIDR "
                                   "a.b.c.d/N or a range, not both",
                                   Quote(t)));
  }
  if (slash != std::string_view::npos) {
    return ParseIpv4Cidr(t, slash, out, error, warnings);
  }
  if (dash != std::string_view::npos) {
    return ParseIpv4Range(t, dash, out, error);
  }
  return ParseIpv4Partial(t, out, error);
}

// --- IPv6 -------------------------------------------------------------------

bool Ipv6OrFail(std::string_view s, std::string_view entry, Ipv6Addr* a,
                std::string* error) {
  std::string why;
  if (ScanIpv6(s, a, &why)) return true;
  if (s.size() == entry.size()) {
    return Fail(error,
                fmt::format("{} is not an IPv6 address: {}", Quote(s), why));
  }
  return Fail(error, fmt::format("{} is not an IPv6 address: {}, in {}",
                                 Quote(s), why, Quote(entry)));
}

// IPv6 entries are kept as written even when they only cover IPv4-mapped or
// -compatible addresses, but such an entry can never match (a connection from
// there is IPv4), so the administrator is told.
void WarnIfOnlyEmbeddedIpv4(const Ipv6Range& r, std::string_view entry,
                            std::vector<std::string>* warnings) {
  if (!Ipv6RangeEmbedsIpv4Only(r.lo, r.hi)) return;
  Warn(warnings,
       fmt::format("{} covers only IPv6 spellings of IPv4 addresses "
                   "(::ffff:0:0/96 or ::/96); connections from there are "
                   "IPv4, so it matches nothing; write the IPv4 form",
                   Quote(entry)));
}

bool ParseIpv6Entry(std::string_view t, EntryValue* out, std::string* error,
                    std::vector<std::string>* warnings) {
  const size_t slash = t.find('/');
  const size_t dash = t.find('-');
  Ipv6Range r;
  if (slash != std::string_view::npos && dash != std::string_view::npos) {
    return Fail(error, fmt::format("both '/' and '-' in {}; expected a CIDR "
                                   "or a range, not both",
                                   Quote(t)));
  }
  if (slash != std::string_view::npos) {
    Ipv6Addr a;
    if (!Ipv6OrFail(t.substr(0, slash), t, &a, error)) return false;
    int bits = 0;
    if (!ParsePrefixLength(t.substr(slash + 1), 128, t, &bits, error)) {
      return false;
    }
    Ipv6Prefix(a, bits, &r.lo, &r.hi);
    if (r.lo != a) {
      Warn(warnings, fmt::format("host bits set in {}; read as {}/{}", Quote(t),
                                 FormatIpv6(r.lo), bits));
    }
  } else if (dash != std::string_view::npos) {
    if (t.find('-', dash + 1) != std::string_view::npos) {
      return Fail(error, fmt::format("more than one '-' in {}", Quote(t)));
    }
    if (!Ipv6OrFail(t.substr(0, dash), t, &r.lo, error)) return false;
    if (!Ipv6OrFail(t.substr(dash + 1), t, &r.hi, error)) return false;
    if (r.lo > r.hi) {
      return Fail(error, fmt::format("descending range in {}; the first "
                                     "address must not exceed the second",
                                     Quote(t)));
    }
  } else {
    if (!Ipv6OrFail(t, t, &r.lo, error)) return false;
    r.hi = r.lo;
  }
  WarnIfOnlyEmbeddedIpv4(r, t, warnings);
  *out = r;
  return true;
}

// --- criteria ---------------------------------------------------------------

// A plain decimal as a double: optional sign, digits with an optional
// fraction, at least one digit in all ("-3", "-2.99", "+1.5", ".5", "5.").
// No exponent, inf or nan; the same forms as `sbrs=` of a connection.
bool ParseScore(std::string_view s, double* out) {
  std::string_view body = s;
  if (!body.empty() && (body[0] == '-' || body[0] == '+'))
    body.remove_prefix(1);
  if (body.empty() || body.size() > 64) return false;
  size_t i = 0;
  size_t digits = 0;
  const auto skip_digits = [&] {
    while (i < body.size() && IsDigit(body[i])) {
      ++i;
      ++digits;
    }
  };
  skip_digits();
  if (i < body.size() && body[i] == '.') {
    ++i;
    skip_digits();
  }
  if (digits == 0 || i != body.size()) return false;
  // std::from_chars does not take '+' and ignores the locale.
  const std::string_view num = s[0] == '+' ? s.substr(1) : s;
  double v = 0;
  const auto [ptr, ec] = std::from_chars(num.data(), num.data() + num.size(), v,
                                         std::chars_format::fixed);
  if (ec != std::errc() || ptr != num.data() + num.size()) return false;
  *out = v;
  return true;
}

bool ParseSbrs(std::string_view t, std::string_view inner, EntryValue* out,
               std::string* error) {
  inner = TrimBlanks(inner);
  if (EqualsIgnoreCase(inner, "none")) {
    *out = SbrsNone{};
    return true;
  }
  const size_t colon = inner.find(':');
  if (colon == std::string_view::npos) {
    return Fail(error, fmt::format("{} has no ':'; expected sbrs[LOW:HIGH] "
                                   "with scores in -10.0..10.0, or "
                                   "sbrs[none]",
                                   Quote(t)));
  }
  const std::string_view parts[2] = {TrimBlanks(inner.substr(0, colon)),
                                     TrimBlanks(inner.substr(colon + 1))};
  double v[2] = {0, 0};
  for (int k = 0; k < 2; ++k) {
    if (!ParseScore(parts[k], &v[k])) {
      return Fail(error, fmt::format("score {} is not a decimal number in {}; "
                                     "expected sbrs[LOW:HIGH] with scores in "
                                     "-10.0..10.0",
                                     Quote(parts[k], 30), Quote(t)));
    }
    if (v[k] < -10.0 || v[k] > 10.0) {
      return Fail(error, fmt::format("score {} out of range -10.0..10.0 in {}",
                                     parts[k], Quote(t)));
    }
  }
  if (v[0] > v[1]) {
    return Fail(error, fmt::format("descending score range in {}; the low "
                                   "score must come first",
                                   Quote(t)));
  }
  *out = SbrsRange{v[0], v[1]};
  return true;
}

bool ParseOwner(std::string_view t, std::string_view digits, EntryValue* out,
                std::string* error) {
  if (digits.empty()) {
    return Fail(error, fmt::format("missing owner id in {}; expected SBO:N "
                                   "with N a decimal number",
                                   Quote(t)));
  }
  uint64_t v = 0;
  for (char c : digits) {
    if (!IsDigit(c)) {
      return Fail(error, fmt::format("owner id {} is not a decimal number in "
                                     "{}; expected SBO:N",
                                     Quote(digits, 30), Quote(t)));
    }
    const uint64_t d = static_cast<uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10) {
      return Fail(error, fmt::format("owner id out of range 0..{} in {}",
                                     UINT64_MAX, Quote(t)));
    }
    v = v * 10 + d;
  }
  *out = OwnerId{v};
  return true;
}

// `open` is the length of "sbrs[" or "dnslist[".
bool BracketBody(std::string_view t, size_t open, std::string_view form,
                 std::string_view* inner, std::string* error) {
  if (t.back() != ']') {
    return Fail(error, fmt::format("{} does not end with ']'; expected {}",
                                   Quote(t), form));
  }
  *inner = t.substr(open, t.size() - open - 1);
  if (inner->find_first_of("[]") != std::string_view::npos) {
    return Fail(error, fmt::format("nested or extra brackets in {}; expected "
                                   "{}",
                                   Quote(t), form));
  }
  return true;
}

bool ParseHostEntry(std::string_view t, EntryValue* out, std::string* error) {
  HostPattern h;
  std::string_view name = t;
  if (name[0] == '.') {
    h.partial = true;
    name.remove_prefix(1);
  }
  std::string why;
  if (!NormalizeHostname(name, /*allow_idna=*/true, &h.name, &why)) {
    return Fail(error, fmt::format("bad hostname {}: {}", Quote(t), why));
  }
  // A top-level label is never all digits (RFC 3696 section 2).  Refusing
  // it closes a trap: an address spelled with an invisible or compatibility
  // character ("10.0.0.1" after a BOM or a zero-width space, fullwidth
  // digits) is mapped by IDNA to the ASCII text of the address and would
  // silently become a hostname entry that never matches the address.
  const size_t last = h.name.rfind('.') + 1;  // npos + 1 == 0
  if (h.name.find_first_not_of("0123456789", last) == std::string::npos) {
    return Fail(error,
                fmt::format("bad hostname {}: the last label {} is all "
                            "digits, so this is no hostname; an address "
                            "must be written in plain ASCII dotted decimal",
                            Quote(t), Quote(h.name.substr(last), 20)));
  }
  *out = std::move(h);
  return true;
}

// What is left once the criteria are ruled out: an IPv6 form, an IPv4
// form or a hostname.
bool ParseAddressOrHost(std::string_view t, EntryValue* out, std::string* error,
                        std::vector<std::string>* warnings) {
  if (t.find(':') != std::string_view::npos) {
    return ParseIpv6Entry(t, out, error, warnings);
  }
  bool ipv4_chars = true;
  bool has_digit = false;
  for (char c : t) {
    if (IsDigit(c)) {
      has_digit = true;
    } else if (c != '.' && c != '/' && c != '-') {
      ipv4_chars = false;
      break;
    }
  }
  if (ipv4_chars && has_digit) return ParseIpv4Entry(t, out, error, warnings);
  return ParseHostEntry(t, out, error);
}

}  // namespace

bool ParseEntryText(std::string_view t, EntryValue* out, std::string* error,
                    std::vector<std::string>* warnings) {
  if (t.empty()) {
    return Fail(error,
                "empty entry; expected an address, a hostname or a "
                "criterion such as sbrs[...]");
  }
  // Every criterion, ALL and the wildcard start with a letter or '*': an
  // address that starts with a digit skips their tests.
  if (IsDigit(t[0])) return ParseAddressOrHost(t, out, error, warnings);
  if (StartsWithIgnoreCase(t, "sbrs[")) {
    std::string_view inner;
    if (!BracketBody(t, 5, "sbrs[LOW:HIGH] or sbrs[none]", &inner, error)) {
      return false;
    }
    return ParseSbrs(t, inner, out, error);
  }
  if (StartsWithIgnoreCase(t, "dnslist[")) {
    std::string_view inner;
    if (!BracketBody(t, 8, "dnslist[ZONE]", &inner, error)) return false;
    inner = TrimBlanks(inner);
    DnsListZone z;
    std::string why;
    if (!NormalizeHostname(inner, /*allow_idna=*/true, &z.zone, &why)) {
      return Fail(error, fmt::format("bad zone {} in {}: {}", Quote(inner),
                                     Quote(t), why));
    }
    *out = std::move(z);
    return true;
  }
  if (StartsWithIgnoreCase(t, "sbo:"))
    return ParseOwner(t, t.substr(4), out, error);
  if (DnsState state; DnsStateFromEntryName(t, &state)) {
    *out = DnsStateIs{state};
    return true;
  }
  if (EqualsIgnoreCase(t, "all")) {
    return Fail(error,
                "ALL is not an entry; write ALL alone at column 0, "
                "followed by an indented policy line, as the last "
                "rule");
  }
  if (t[0] == '*') {
    const std::string_view rest = t.substr(1);
    if (!rest.empty() && rest[0] == '.' && rest.size() > 1) {
      return Fail(error,
                  fmt::format("wildcard {} is not supported; write {} "
                              "to match every name below {}",
                              Quote(t), Quote(rest), Quote(rest.substr(1))));
    }
    return Fail(error, fmt::format("wildcard {} is not supported; write "
                                   ".example.com to match every name below "
                                   "example.com",
                                   Quote(t)));
  }
  return ParseAddressOrHost(t, out, error, warnings);
}

}  // namespace parse_internal

absl::StatusOr<EntryValue> ParseEntry(std::string_view text,
                                      std::vector<std::string>* warnings) {
  EntryValue v;
  std::string error;
  if (!parse_internal::ParseEntryText(parse_internal::TrimBlanks(text), &v,
                                      &error, warnings)) {
    return absl::InvalidArgumentError(error);
  }
  return v;
}

}  // namespace hatmatch
