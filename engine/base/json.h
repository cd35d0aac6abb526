// Copyright 2026 The hatmatch Authors.
//
// json.h: the one JSON writer of hatmatch (the analyses' and the command's
// --json output).  Output is ASCII: control bytes and bytes >= 0x7f are
// \u00XX escapes, so any byte string gives valid JSON text.

#ifndef HATMATCH_ENGINE_BASE_JSON_H_
#define HATMATCH_ENGINE_BASE_JSON_H_

#include <string>
#include <string_view>

namespace hatmatch {

// Appends `s` as a JSON string literal, quotes included.
void AppendJson(std::string_view s, std::string* out);

}  // namespace hatmatch

#endif  // HATMATCH_ENGINE_BASE_JSON_H_
