// Copyright 2026 The hatmatch Authors.

#include "engine/cli/flags.h"

#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/parse/text.h"
#include "fmt/format.h"

namespace hatmatch::cli {

std::string QuoteArg(std::string_view word) {
  return parse_internal::Quote(word, 200);
}

void Flags::Switch(std::initializer_list<std::string_view> names, bool* on) {
  for (std::string_view n : names) switches_.emplace(std::string(n), on);
}

void Flags::Value(std::initializer_list<std::string_view> names,
                  Handler handler) {
  for (std::string_view n : names) values_.emplace(std::string(n), handler);
}

void Flags::String(std::initializer_list<std::string_view> names,
                   std::string* out) {
  Value(names, [out](std::string_view v) {
    *out = std::string(v);
    return absl::OkStatus();
  });
}

int Flags::UsageError(std::string_view why) const {
  fmt::print(stderr, "hatmatch {}: {}\n(see `hatmatch {} --help`)\n", command_,
             why, command_);
  return 2;
}

std::optional<int> Flags::Parse(const CommandArgs& args,
                                std::vector<std::string>* positional,
                                size_t first) const {
  for (size_t i = first; i < args.size(); ++i) {
    if (args[i] == "-h" || args[i] == "--help") {
      std::fwrite(usage_.data(), 1, usage_.size(), stdout);
      return 0;
    }
  }
  bool flags_done = false;
  for (size_t i = first; i < args.size(); ++i) {
    const std::string& word = args[i];
    if (flags_done || word.size() < 2 || word[0] != '-') {
      positional->push_back(word);
      continue;
    }
    if (word == "--") {
      flags_done = true;
      continue;
    }
    std::string_view name = word;
    std::optional<std::string_view> value;
    if (const size_t eq = name.find('=');
        eq != std::string_view::npos && name.rfind("--", 0) == 0) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    if (auto s = switches_.find(name); s != switches_.end()) {
      if (value) {
        return UsageError(fmt::format("{} takes no value", QuoteArg(name)));
      }
      *s->second = true;
      continue;
    }
    auto v = values_.find(name);
    if (v == values_.end()) {
      return UsageError(fmt::format("unknown flag {}", QuoteArg(word)));
    }
    if (!value) {
      if (i + 1 == args.size()) {
        return UsageError(fmt::format("{} needs a value", QuoteArg(name)));
      }
      value = args[++i];
    }
    if (absl::Status s = v->second(*value); !s.ok()) {
      const absl::string_view m = s.message();
      return UsageError(fmt::format("{}: {}", QuoteArg(name),
                                    std::string_view(m.data(), m.size())));
    }
  }
  return std::nullopt;
}

}  // namespace hatmatch::cli
