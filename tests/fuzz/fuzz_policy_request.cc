// Copyright 2026 The hatmatch Authors.
//
// Fuzz target: the Postfix policy request parser (PolicyParser) and the
// attribute -> Connection mapping on arbitrary bytes.  Must never crash;
// every empty line must end exactly one request; feeding the bytes in
// pieces (sizes taken from the input) must give the same requests as
// feeding them at once.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "engine/serve/policy_codec.h"
#include "engine/serve/policy_connection.h"

namespace {

using hatmatch::serve::PolicyLimits;
using hatmatch::serve::PolicyParser;
using hatmatch::serve::PolicyRequest;

void Check(bool ok) {
  if (!ok) std::abort();
}

size_t EmptyLines(std::string_view bytes) {
  size_t n = 0, start = 0;
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (bytes[i] != '\n') continue;
    std::string_view line = bytes.substr(start, i - start);
    if (line.empty() || line == "\r") ++n;
    start = i + 1;
  }
  return n;
}

bool Same(const PolicyRequest& a, const PolicyRequest& b) {
  return a.error == b.error && a.client_address == b.client_address &&
         a.client_name == b.client_name &&
         a.reverse_client_name == b.reverse_client_name &&
         a.encryption_protocol == b.encryption_protocol &&
         a.protocol_state == b.protocol_state && a.request == b.request;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  // Small limits so the fuzzer reaches them.
  PolicyLimits limits{.max_line = 32, .max_attributes = 8};
  size_t chunk = 1 + data[0] % 17;
  std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);

  PolicyParser whole(limits), pieces(limits);
  std::vector<PolicyRequest> a, b;
  whole.Feed(bytes, &a);
  for (size_t at = 0; at < bytes.size(); at += chunk) {
    pieces.Feed(bytes.substr(at, chunk), &b);
  }
  Check(a.size() == EmptyLines(bytes));
  Check(a.size() == b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    Check(Same(a[i], b[i]));
    if (a[i].client_address) Check(a[i].client_address->size() <= 33);
    (void)hatmatch::serve::ConnectionFromPolicy(a[i]);
  }
  Check(whole.mid_request() == pieces.mid_request());
  return 0;
}
