// Copyright 2026 The hatmatch Authors.
//
// policy_connection.h: what a Postfix policy request says about the SMTP
// client, as the Connection the rules classify.
//
//   client_address       the address (IPv4 or IPv6, no brackets); required
//   client_name          the verified name, or "unknown"
//   reverse_client_name  the PTR name, unverified, or "unknown"
//
// DNS state (docs/SERVE.md):
//   client_name is a name                      -> verified, ptr = client_name
//   client_name "unknown", reverse is a name   -> not.double.verified
//                                                 (ptr kept, never consulted)
//   both "unknown"                             -> nx.domain
//   client_name absent (not an smtpd request)  -> no DNS information
// Postfix reports a temporary PTR lookup failure as "unknown" too, so a
// temporary failure classifies as nx.domain: `serv.fail` entries never match
// through Postfix.  A rule set that wants both should list both (as
// data/cres.hat's SUSPECTLIST does).

#ifndef HATMATCH_ENGINE_SERVE_POLICY_CONNECTION_H_
#define HATMATCH_ENGINE_SERVE_POLICY_CONNECTION_H_

#include "absl/status/statusor.h"
#include "engine/serve/policy_codec.h"
#include "hatmatch/connection.h"

namespace hatmatch::serve {

// An error (for the log) when client_address is missing or malformed.
absl::StatusOr<Connection> ConnectionFromPolicy(const PolicyRequest& request);

}  // namespace hatmatch::serve

#endif  // HATMATCH_ENGINE_SERVE_POLICY_CONNECTION_H_
