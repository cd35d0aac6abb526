// Copyright 2026 The hatmatch Authors.

#include "engine/serve/listen_address.h"

#include <charconv>

#include "absl/status/status.h"
#include "fmt/format.h"
#include "hatmatch/address.h"

namespace hatmatch::serve {
namespace {

absl::Status Bad(std::string_view text, std::string_view why) {
  return absl::InvalidArgumentError(
      fmt::format("listen address '{}': {} (expected inet:HOST:PORT or "
                  "unix:PATH)",
                  text, why));
}

}  // namespace

absl::StatusOr<ListenAddress> ParseListenAddress(std::string_view text) {
  ListenAddress a;
  if (text.starts_with("unix:")) {
    a.is_unix = true;
    a.path = std::string(text.substr(5));
    if (a.path.empty()) return Bad(text, "empty path");
    if (a.path.size() >= 108) return Bad(text, "path too long for a socket");
    return a;
  }
  if (!text.starts_with("inet:")) return Bad(text, "unknown scheme");
  std::string_view rest = text.substr(5);
  size_t colon = rest.rfind(':');
  if (colon == std::string_view::npos) return Bad(text, "no port");
  std::string_view host = rest.substr(0, colon);
  std::string_view port = rest.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
    if (!ParseIpv6(host).ok()) return Bad(text, "bad IPv6 address");
  } else if (!ParseIpv4(host).ok()) {
    return Bad(text, "bad IPv4 address (IPv6 goes in brackets)");
  }
  unsigned value = 0;
  auto [end, ec] =
      std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc() || end != port.data() + port.size() ||
      value > 65535) {
    return Bad(text, "bad port");
  }
  a.host = std::string(host);
  a.port = static_cast<uint16_t>(value);
  return a;
}

std::string FormatListenAddress(const ListenAddress& a) {
  if (a.is_unix) return "unix:" + a.path;
  if (a.host.find(':') != std::string::npos) {
    return fmt::format("inet:[{}]:{}", a.host, a.port);
  }
  return fmt::format("inet:{}:{}", a.host, a.port);
}

}  // namespace hatmatch::serve
