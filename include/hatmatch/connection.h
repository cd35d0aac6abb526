// Copyright 2026 The hatmatch Authors.
//
// connection.h: what the gateway knows about one SMTP connection, and the
// parser for the batch input line format of HAT-RULES.md section 5.
//
//   address [ptr=NAME] [dns=nx|servfail|mismatch] [sbrs=NUMBER|none]
//           [sbo=N] [dnslist=ZONE[,ZONE...]]
//
// `ptr=` without `dns=` means the PTR name was verified (dns == kVerified).
// `dns=` says verification failed, so a `ptr=` beside it is kept but never
// consulted.  A ptr= value that is not a valid hostname is accepted here and
// simply matches no hostname entry.  A missing sbrs= means "no score".

#ifndef HATMATCH_CONNECTION_H_
#define HATMATCH_CONNECTION_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "hatmatch/address.h"
#include "hatmatch/export.h"
#include "hatmatch/rules.h"

namespace hatmatch {

struct Connection {
  IpAddress address;
  DnsState dns = DnsState::kUnknown;
  std::string ptr;             // as given; used only when dns == kVerified
  std::optional<double> sbrs;  // -10..10, or none
  std::optional<uint64_t> sbo;
  std::vector<std::string> dnslists;  // as given (compared like hostnames)
};

// Parses one input line (already known not to be blank or a comment).  The
// error message is the text printed after `?` by `hatmatch classify`.
HATMATCH_EXPORT absl::StatusOr<Connection> ParseConnection(
    std::string_view line);

// True when `line` produces no output (blank, or `#` after optional blanks).
HATMATCH_EXPORT bool IsSkippedConnectionLine(std::string_view line);

}  // namespace hatmatch

#endif  // HATMATCH_CONNECTION_H_
