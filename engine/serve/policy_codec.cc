// Copyright 2026 The hatmatch Authors.

#include "engine/serve/policy_codec.h"

#include <utility>

#include "fmt/format.h"

namespace hatmatch::serve {

void PolicyParser::Feed(std::string_view bytes, OnRequest on_request) {
  lines_.Feed(bytes, [&](std::string_view line, bool too_long) {
    OnLine(line, too_long, on_request);
  });
}

void PolicyParser::Feed(std::string_view bytes,
                        std::vector<PolicyRequest>* out) {
  Feed(bytes, [out](const PolicyRequest& r) { out->push_back(r); });
}

void PolicyParser::Fail(std::string message) {
  // The first problem is the one worth logging; later ones follow from it.
  if (current_.error.empty()) current_.error = std::move(message);
}

void PolicyParser::OnLine(std::string_view line, bool too_long,
                          OnRequest on_request) {
  if (!too_long && line.empty()) {
    if (attributes_ == 0 && current_.error.empty()) {
      Fail("empty request (no attributes)");
    }
    on_request(current_);
    current_ = PolicyRequest();
    attributes_ = 0;
    return;
  }
  ++attributes_;
  if (too_long) {
    Fail(fmt::format("attribute line {} longer than {} bytes", attributes_,
                     limits_.max_line));
    return;
  }
  if (attributes_ > limits_.max_attributes) {
    Fail(fmt::format("more than {} attributes", limits_.max_attributes));
    return;
  }
  size_t eq = line.find('=');
  if (eq == std::string_view::npos) {
    Fail(fmt::format("attribute line {} has no '='", attributes_));
    return;
  }
  Keep(line.substr(0, eq), line.substr(eq + 1));
}

void PolicyParser::Keep(std::string_view name, std::string_view value) {
  if (name == "client_address") {
    current_.client_address = std::string(value);
  } else if (name == "client_name") {
    current_.client_name = std::string(value);
  } else if (name == "reverse_client_name") {
    current_.reverse_client_name = std::string(value);
  } else if (name == "encryption_protocol") {
    current_.encryption_protocol = std::string(value);
  } else if (name == "protocol_state") {
    current_.protocol_state = std::string(value);
  } else if (name == "request") {
    current_.request = std::string(value);
  }
}

void AppendPolicyReply(std::string_view action, std::string* out) {
  out->append("action=");
  // A line break inside the text would end the reply early and put client
  // and server out of step; configured texts and rule names never need one.
  for (char c : action) out->push_back(c == '\n' || c == '\r' ? ' ' : c);
  out->append("\n\n");
}

}  // namespace hatmatch::serve
