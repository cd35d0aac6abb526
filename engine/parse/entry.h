// Copyright 2026 The hatmatch Authors.
//
// entry.h: the sender-entry parser (HAT-RULES.md section 2) as used by the
// rule-file reader.  Internal; the public form is ParseEntry() in parse.h.
//
// ParseEntryText() takes one entry with blanks already trimmed and either
// fills *out, or returns false with a one-line message in *error that quotes
// the entry and says what was expected (no file:line prefix: the caller adds
// it).  Non-fatal findings (host bits set in a CIDR, ...) are appended to
// *warnings when it is non-null.  Linear in the entry length except for IDNA
// conversion, which libidn2 does on at most ~1 KiB.

#ifndef HATMATCH_ENGINE_PARSE_ENTRY_H_
#define HATMATCH_ENGINE_PARSE_ENTRY_H_

#include <string>
#include <string_view>
#include <vector>

#include "hatmatch/rules.h"

namespace hatmatch::parse_internal {

bool ParseEntryText(std::string_view text, EntryValue* out, std::string* error,
                    std::vector<std::string>* warnings);

}  // namespace hatmatch::parse_internal

#endif  // HATMATCH_ENGINE_PARSE_ENTRY_H_
