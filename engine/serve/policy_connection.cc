// Copyright 2026 The hatmatch Authors.

#include "engine/serve/policy_connection.h"

#include <string>

#include "absl/status/status.h"
#include "fmt/format.h"
#include "hatmatch/address.h"

namespace hatmatch::serve {
namespace {

bool IsUnknown(const std::optional<std::string>& name) {
  return !name || name->empty() || *name == "unknown";
}

// Postfix never sends more than a host name here; anything longer than a
// DNS name cannot match a hostname entry and is not worth copying.
constexpr size_t kMaxName = 255;

void SetDnsState(const PolicyRequest& r, Connection* conn) {
  if (!r.client_name) return;  // no DNS information at all
  if (!IsUnknown(r.client_name)) {
    conn->dns = DnsState::kVerified;
    conn->ptr = r.client_name->substr(0, kMaxName + 1);
  } else if (!IsUnknown(r.reverse_client_name)) {
    conn->dns = DnsState::kMismatch;
    conn->ptr = r.reverse_client_name->substr(0, kMaxName + 1);
  } else {
    conn->dns = DnsState::kNxDomain;
  }
}

}  // namespace

absl::StatusOr<Connection> ConnectionFromPolicy(const PolicyRequest& request) {
  if (!request.client_address) {
    return absl::InvalidArgumentError("no client_address attribute");
  }
  const std::string& text = *request.client_address;
  absl::StatusOr<IpAddress> address = ParseIpAddress(text);
  if (!address.ok()) {
    std::string shown = text.substr(0, 64);
    for (char& c : shown) {
      if (c < 0x20 || c > 0x7e) c = '?';
    }
    return absl::InvalidArgumentError(
        fmt::format("malformed client_address '{}'", shown));
  }
  Connection conn;
  conn.address = *address;
  SetDnsState(request, &conn);
  return conn;
}

}  // namespace hatmatch::serve
