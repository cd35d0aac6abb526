// Copyright 2026 The hatmatch Authors.
//
// c_conns.h: hatmatch_conn structs made from hatmatch::Connection for the
// C API's C++ tests, with the strings they point into.
//
// Make() varies what the C struct can say differently for the same
// connection: an IPv4 host spelled as IPv4-mapped or IPv4-compatible IPv6,
// a missing PTR name as NULL or "", garbage in sbrs/sbo when has_sbrs /
// has_sbo are zero (and any nonzero has_sbrs), an empty DNS-list array as
// NULL or not.  Spoil() makes a connection the C API must reject.

#ifndef HATMATCH_TESTS_CAPI_C_CONNS_H_
#define HATMATCH_TESTS_CAPI_C_CONNS_H_

#include <deque>
#include <string>
#include <vector>

#include "hatmatch/connection.h"
#include "hatmatch/hatmatch.h"
#include "tests/testing/random_draw.h"

namespace hatmatch::testing {

// The C connections of a test and their strings (deques: elements never
// move, so the pointers stay valid as long as the CConns).
class CConns {
 public:
  hatmatch_conn Make(Rng& rng, const Connection& c);
  // Turns `c` into one the C API must reject: a family other than 4 and 6,
  // an unlisted DNS state, a NaN, infinite or out-of-range score, a NULL
  // DNS-list array with a nonzero count or a NULL zone.
  void Spoil(Rng& rng, hatmatch_conn* c);

 private:
  const char* Keep(const std::string& s) {
    return strings_.emplace_back(s).c_str();
  }
  std::deque<std::string> strings_;
  std::deque<std::vector<const char*>> lists_;
};

}  // namespace hatmatch::testing

#endif  // HATMATCH_TESTS_CAPI_C_CONNS_H_
