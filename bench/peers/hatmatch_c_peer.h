// Copyright 2026 The hatmatch Authors.
//
// hatmatch_c_peer.h: whole connections through the C API (hatmatch.h), the
// way a C gateway calls libhatmatch.so: the table handed over as a table
// file image (hatmatch_db_open_table_bytes), the connections as
// hatmatch_conn structs, hatmatch_db_classify_batch / hatmatch_db_classify
// per iteration.  Set beside conn_*/hatmatch (Table::ClassifyBatch on the
// same table and traffic) it measures what the C boundary costs.

#ifndef HATMATCH_BENCH_PEERS_HATMATCH_C_PEER_H_
#define HATMATCH_BENCH_PEERS_HATMATCH_C_PEER_H_

#include <memory>
#include <span>
#include <vector>

#include "absl/status/statusor.h"
#include "hatmatch/connection.h"
#include "hatmatch/decision.h"
#include "hatmatch/hatmatch.h"
#include "hatmatch/table.h"

namespace hatmatch::bench {

class CApiConnections {
 public:
  // Opens `table`'s serialized image through the C API and builds the C
  // form of `conns` (names copied into an arena of this object).
  static absl::StatusOr<std::unique_ptr<CApiConnections>> Make(
      const Table& table, std::span<const Connection> conns);
  ~CApiConnections();
  CApiConnections(const CApiConnections&) = delete;
  CApiConnections& operator=(const CApiConnections&) = delete;

  // Classifies the first n connections into the C decision array: one
  // hatmatch_db_classify_batch call, or one hatmatch_db_classify call per
  // connection.  Aborts on a C API error (the connections are valid).
  void Batch(size_t n);
  void Single(size_t n);
  // The i-th decision of the last Batch/Single call.
  Decision decision(size_t i) const;
  const hatmatch_decision* decisions() const { return out_.data(); }

 private:
  CApiConnections() = default;
  hatmatch_db* db_ = nullptr;
  std::vector<char> arena_;  // names and zones, NUL-terminated
  std::vector<hatmatch_conn> conns_;
  std::vector<std::vector<const char*>> zones_;
  std::vector<hatmatch_decision> out_;
};

}  // namespace hatmatch::bench

#endif  // HATMATCH_BENCH_PEERS_HATMATCH_C_PEER_H_
