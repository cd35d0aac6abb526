// Copyright 2026 The hatmatch Authors.
//
// The batch input line parser (HAT-RULES.md section 5).  Its error messages
// are what `hatmatch classify` prints after `?`, so they name the offending
// text the way an operator would look for it in the input.

#include "hatmatch/connection.h"

#include <cctype>
#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/parse/text.h"
#include "fmt/format.h"
#include "hatmatch/address.h"

namespace hatmatch {
namespace {

using parse_internal::SafeText;

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// Strict decimal: [+-]? digits [. digits] | [+-]? . digits.  No exponents,
// no inf/nan: a score is a plain number in -10..10.
bool ParseDecimal(std::string_view s, double* out) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  size_t int_digits = 0, frac_digits = 0;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])))
    ++i, ++int_digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])))
      ++i, ++frac_digits;
  }
  if (i != s.size() || int_digits + frac_digits == 0) return false;
  std::string_view digits = s[0] == '+' ? s.substr(1) : s;
  auto [ptr, ec] =
      std::from_chars(digits.data(), digits.data() + digits.size(), *out);
  return ec == std::errc() && ptr == digits.data() + digits.size();
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Splits on any of `seps`, dropping empty pieces when skip_empty.
std::vector<std::string_view> Split(std::string_view s, std::string_view seps,
                                    bool skip_empty) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || seps.find(s[i]) != std::string_view::npos) {
      if (i > start || !skip_empty) out.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return out;
}

}  // namespace

bool IsSkippedConnectionLine(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && IsBlank(line[i])) ++i;
  return i == line.size() || line[i] == '#';
}

absl::StatusOr<Connection> ParseConnection(std::string_view line) {
  std::vector<std::string_view> tokens = Split(line, " \t\r", true);
  if (tokens.empty()) return absl::InvalidArgumentError("empty line");

  Connection conn;
  absl::StatusOr<IpAddress> addr = ParseIpAddress(tokens[0]);
  if (!addr.ok()) return addr.status();
  conn.address = *addr;

  bool seen_ptr = false, seen_dns = false, seen_sbrs = false, seen_sbo = false,
       seen_dnslist = false;
  auto once = [](bool* seen, std::string_view key) -> absl::Status {
    if (*seen)
      return absl::InvalidArgumentError(
          fmt::format("duplicate field {}", SafeText(key)));
    *seen = true;
    return absl::OkStatus();
  };
  for (size_t t = 1; t < tokens.size(); ++t) {
    std::string_view tok = tokens[t];
    size_t eq = tok.find('=');
    if (eq == std::string_view::npos || eq == 0) {
      return absl::InvalidArgumentError(
          fmt::format("bad field '{}'", SafeText(tok)));
    }
    std::string key = Lower(tok.substr(0, eq));
    std::string_view value = tok.substr(eq + 1);
    if (key == "ptr") {
      if (auto s = once(&seen_ptr, key); !s.ok()) return s;
      conn.ptr = std::string(value);
    } else if (key == "dns") {
      if (auto s = once(&seen_dns, key); !s.ok()) return s;
      if (!DnsStateFromInputName(value, &conn.dns)) {
        return absl::InvalidArgumentError(
            fmt::format("bad dns '{}': expected nx, servfail or mismatch",
                        SafeText(value)));
      }
    } else if (key == "sbrs") {
      if (auto s = once(&seen_sbrs, key); !s.ok()) return s;
      if (Lower(value) == "none") continue;
      double score;
      if (!ParseDecimal(value, &score)) {
        return absl::InvalidArgumentError(fmt::format(
            "could not convert string to float: '{}'", SafeText(value)));
      }
      if (score < -10.0 || score > 10.0) {
        return absl::InvalidArgumentError(
            fmt::format("sbrs out of range -10..10: {}", SafeText(value)));
      }
      conn.sbrs = score;
    } else if (key == "sbo") {
      if (auto s = once(&seen_sbo, key); !s.ok()) return s;
      uint64_t id = 0;
      auto [ptr, ec] =
          std::from_chars(value.data(), value.data() + value.size(), id);
      if (value.empty() || ec != std::errc() ||
          ptr != value.data() + value.size()) {
        return absl::InvalidArgumentError(fmt::format(
            "bad sbo '{}': expected a decimal owner id", SafeText(value)));
      }
      conn.sbo = id;
    } else if (key == "dnslist") {
      if (auto s = once(&seen_dnslist, key); !s.ok()) return s;
      for (std::string_view zone : Split(value, ",", false)) {
        if (zone.empty()) {
          return absl::InvalidArgumentError(
              fmt::format("bad dnslist '{}': empty zone", SafeText(value)));
        }
        // As given, like ptr=: a zone is normalized once, where it is
        // compared (NormalizeHostname), so no layer strips a second dot.
        conn.dnslists.push_back(std::string(zone));
      }
    } else {
      return absl::InvalidArgumentError(
          fmt::format("unknown field {}", SafeText(key)));
    }
  }
  if (seen_ptr && !seen_dns) conn.dns = DnsState::kVerified;
  return conn;
}

}  // namespace hatmatch
