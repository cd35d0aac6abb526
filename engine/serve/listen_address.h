// Copyright 2026 The hatmatch Authors.
//
// listen_address.h: where the service listens, as written on the command
// line (the notation Postfix uses for check_policy_service):
//
//   inet:HOST:PORT    TCP; HOST an IPv4 address or a bracketed IPv6 address
//                     ([::1]); PORT 0 picks a free port (tests)
//   unix:PATH         a Unix-domain stream socket (an old socket file at PATH
//                     is replaced)

#ifndef HATMATCH_ENGINE_SERVE_LISTEN_ADDRESS_H_
#define HATMATCH_ENGINE_SERVE_LISTEN_ADDRESS_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace hatmatch::serve {

struct ListenAddress {
  bool is_unix = false;
  std::string host;  // inet: without brackets
  uint16_t port = 0;
  std::string path;  // unix
};

absl::StatusOr<ListenAddress> ParseListenAddress(std::string_view text);

// Back to the notation above (with the port actually bound, once known).
std::string FormatListenAddress(const ListenAddress& a);

}  // namespace hatmatch::serve

#endif  // HATMATCH_ENGINE_SERVE_LISTEN_ADDRESS_H_
