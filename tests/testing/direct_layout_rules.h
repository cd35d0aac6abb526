// Copyright 2026 The hatmatch Authors.
//
// direct_layout_rules.h: a rule file whose IPv4 structure takes the direct
// layout (engine/table/ipv4_direct.h), for the tests and the table_load
// fuzz target.  24,576 /24s every other /24 of 10/8 (49,152 segments in 768
// split 18-bit blocks) in three rules A, B, C, and two longer prefixes that
// split 10.0.1.0/24 and 10.0.3.0/24: three rules give 3-bit codes (values
// 0..2, none, and the split code), so that a code can name a rule that does
// not exist.

#ifndef HATMATCH_TESTS_TESTING_DIRECT_LAYOUT_RULES_H_
#define HATMATCH_TESTS_TESTING_DIRECT_LAYOUT_RULES_H_

#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"

namespace hatmatch::testing {

inline std::string DirectLayoutRules() {
  std::string groups[3] = {"A:\n    ACCEPT\n", "B:\n    REJECT\n",
                           "C:\n    RELAY\n"};
  for (uint32_t i = 0; i < 24576; ++i) {
    const uint32_t lo = 0x0A000000 + (i << 9);
    absl::StrAppend(&groups[i % 3], "    ", lo >> 24, ".", (lo >> 16) & 255,
                    ".", (lo >> 8) & 255, ".0/24\n");
  }
  groups[0] += "    10.0.1.128/25, 10.0.3.7/32\n";
  return groups[0] + groups[1] + groups[2];
}

}  // namespace hatmatch::testing

#endif  // HATMATCH_TESTS_TESTING_DIRECT_LAYOUT_RULES_H_
