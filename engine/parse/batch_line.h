// Copyright 2026 The hatmatch Authors.
//
// batch_line.h: one line of the batch format (HAT-RULES.md section 5) and
// the answer line it gets.  Shared by `hatmatch classify` (stdin/stdout) and
// the line mode of `hatmatch serve` (a socket), so both speak exactly the
// same format:
//
//   input:  ADDRESS [ptr=NAME] [dns=...] [sbrs=...] [sbo=N] [dnslist=...]
//   output: RULE<TAB>ACTION      the deciding rule and its action
//           -<TAB>-              no rule matches
//           ?<TAB>MESSAGE        the line is malformed (or too long)
//   blank and `#` lines get no output line.

#ifndef HATMATCH_ENGINE_PARSE_BATCH_LINE_H_
#define HATMATCH_ENGINE_PARSE_BATCH_LINE_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "hatmatch/connection.h"
#include "hatmatch/decision.h"

namespace hatmatch {

// The connection on `line`, an error for a malformed line, or nullopt for a
// line that gets no answer (blank or comment).  `too_long` says the reader
// dropped the line because it exceeded `max_line` bytes.
std::optional<absl::StatusOr<Connection>> ParseBatchLine(std::string_view line,
                                                         bool too_long,
                                                         size_t max_line);

// Appends "RULE\tACTION\n" (or "-\t-\n" when !d.matched()) to *out.
void AppendBatchDecision(const Decision& d, std::string_view rule_name,
                         std::string* out);

// Appends "?\tMESSAGE\n" to *out.
void AppendBatchError(std::string_view message, std::string* out);

}  // namespace hatmatch

#endif  // HATMATCH_ENGINE_PARSE_BATCH_LINE_H_
