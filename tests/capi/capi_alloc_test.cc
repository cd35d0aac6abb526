// Copyright 2026 The hatmatch Authors.
//
// capi_alloc_test.cc: the C API when an allocation fails.
//
// This binary replaces the global operator new and new[] (every form) with
// ones that can be armed to fail the Nth allocation from now (std::bad_alloc;
// the nothrow forms return nullptr), once.  For each loader and each matcher
// writer, the sweep arms N = 0, 1, 2, ... and calls it, until a call runs
// without meeting the fault.  Every call must return HATMATCH_OK or
// HATMATCH_ERROR_NO_MEMORY (never crash, never throw), with its
// out-parameters as the header says; after a failure nothing may have
// changed (a matcher still serves its old table at its old generation), and
// the same call without a fault must then succeed and give the right
// answers on data/cres.conn.  Under the asan preset LeakSanitizer checks
// that no failure path leaks.
//
// The replacement is this executable's, so it also serves libhatmatch.so
// (operator new is not bound inside the library).  The allocations are
// malloc'd, so the sanitizers still see them.

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <new>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "hatmatch/connection.h"
#include "hatmatch/hatmatch.h"
#include "tests/capi/c_conns.h"

namespace {

// Allocations left before the one that fails; -1: disarmed.
std::atomic<int64_t> g_left{-1};

bool FailThisOne() {
  int64_t left = g_left.load(std::memory_order_relaxed);
  if (left < 0) return false;
  g_left.store(left - 1, std::memory_order_relaxed);
  return left == 0;
}

void* Allocate(std::size_t size, std::size_t align) {
  if (FailThisOne()) return nullptr;
  if (size == 0) size = 1;
  if (align <= alignof(std::max_align_t)) return std::malloc(size);
  return std::aligned_alloc(align, (size + align - 1) / align * align);
}

void* AllocateOrThrow(std::size_t size, std::size_t align) {
  void* p = Allocate(size, align);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}

}  // namespace

void* operator new(std::size_t n) { return AllocateOrThrow(n, 0); }
void* operator new[](std::size_t n) { return AllocateOrThrow(n, 0); }
void* operator new(std::size_t n, std::align_val_t a) {
  return AllocateOrThrow(n, static_cast<std::size_t>(a));
}
void* operator new[](std::size_t n, std::align_val_t a) {
  return AllocateOrThrow(n, static_cast<std::size_t>(a));
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  return Allocate(n, 0);
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
  return Allocate(n, 0);
}
void* operator new(std::size_t n, std::align_val_t a,
                   const std::nothrow_t&) noexcept {
  return Allocate(n, static_cast<std::size_t>(a));
}
void* operator new[](std::size_t n, std::align_val_t a,
                     const std::nothrow_t&) noexcept {
  return Allocate(n, static_cast<std::size_t>(a));
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept {
  std::free(p);
}
void operator delete(void* p, std::align_val_t,
                     const std::nothrow_t&) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::align_val_t,
                       const std::nothrow_t&) noexcept {
  std::free(p);
}

namespace hatmatch {
namespace {

// Arms the fault for the allocation `n` from now.
void Arm(int64_t n) { g_left.store(n, std::memory_order_relaxed); }
// Disarms; true when the fault was met.
bool Disarm() {
  const int64_t left = g_left.exchange(-1, std::memory_order_relaxed);
  return left < 0;
}

std::string SourceDir() {
  const char* env = std::getenv("HATMATCH_SOURCE_DIR");
  return env != nullptr && *env != '\0' ? env : HATMATCH_SOURCE_DIR;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The C API's answers to data/cres.conn on one db or matcher.
using Answers = std::vector<hatmatch_decision>;

bool Same(const Answers& a, const Answers& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].rule != b[i].rule || a[i].entry != b[i].entry ||
        a[i].action != b[i].action) {
      return false;
    }
  }
  return true;
}

class CApiAllocTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const std::string dir = SourceDir();
    rules_path_ = new std::string(dir + "/data/cres.hat");
    rules_text_ = new std::string(ReadFile(*rules_path_));
    conns_ = new std::vector<hatmatch_conn>;
    store_ = new testing::CConns;
    testing::Rng rng(1);
    std::istringstream lines(ReadFile(dir + "/data/cres.conn"));
    for (std::string line; std::getline(lines, line);) {
      if (IsSkippedConnectionLine(line)) continue;
      // The file has a few bad lines on purpose (for `hatmatch classify`).
      absl::StatusOr<Connection> c = ParseConnection(line);
      if (c.ok()) conns_->push_back(store_->Make(rng, *c));
    }
    ASSERT_GT(conns_->size(), 20u);
    char tmpl[] = "/tmp/capi_alloc_test.XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    tmp_dir_ = new std::string(tmpl);
    table_path_ = new std::string(*tmp_dir_ + "/cres.hmt");
    ASSERT_EQ(hatmatch_db_compile_file(rules_path_->c_str(), &cres_, nullptr),
              HATMATCH_OK);
    ASSERT_EQ(hatmatch_db_write_table(cres_, table_path_->c_str(), nullptr),
              HATMATCH_OK);
    table_image_ = new std::string(ReadFile(*table_path_));
    const char kOther[] =
        "OTHER:\n    10.0.0.0/8\n    ACCEPT\nALL\n    REJECT\n";
    ASSERT_EQ(hatmatch_db_compile_text(kOther, sizeof kOther - 1, "other.hat",
                                       &other_, nullptr),
              HATMATCH_OK);
    want_cres_ = new Answers(Classify(cres_));
    want_other_ = new Answers(Classify(other_));
    ASSERT_FALSE(Same(*want_cres_, *want_other_));
  }
  static void TearDownTestSuite() {
    hatmatch_db_free(cres_);
    hatmatch_db_free(other_);
    unlink(table_path_->c_str());
    rmdir(tmp_dir_->c_str());
    delete rules_path_;
    delete rules_text_;
    delete table_path_;
    delete table_image_;
    delete tmp_dir_;
    delete conns_;
    delete store_;
    delete want_cres_;
    delete want_other_;
  }

  static Answers Classify(const hatmatch_db* db) {
    Answers out(conns_->size());
    EXPECT_EQ(hatmatch_db_classify_batch(db, conns_->data(), conns_->size(),
                                         HATMATCH_WITH_ENTRY, out.data()),
              HATMATCH_OK);
    return out;
  }
  static Answers Classify(const hatmatch_matcher* m) {
    Answers out(conns_->size());
    EXPECT_EQ(hatmatch_matcher_classify_batch(m, conns_->data(), conns_->size(),
                                              HATMATCH_WITH_ENTRY, out.data()),
              HATMATCH_OK);
    return out;
  }

  // Sweeps a loader: load(&db, &error) under a fault at every allocation in
  // turn.  Returns the number of allocations the loader made.
  static int64_t SweepLoader(
      const std::function<hatmatch_status(hatmatch_db**, char**)>& load) {
    for (int64_t n = 0;; ++n) {
      hatmatch_db* db = reinterpret_cast<hatmatch_db*>(1);
      char* error = reinterpret_cast<char*>(1);
      Arm(n);
      const hatmatch_status st = load(&db, &error);
      const bool met = Disarm();
      if (!met) {
        EXPECT_EQ(st, HATMATCH_OK) << "no fault";
        EXPECT_EQ(error, nullptr);
        if (db != nullptr && st == HATMATCH_OK) {
          EXPECT_TRUE(Same(Classify(db), *want_cres_));
          hatmatch_db_free(db);
        }
        return n;
      }
      EXPECT_TRUE(st == HATMATCH_OK || st == HATMATCH_ERROR_NO_MEMORY)
          << "allocation " << n << " failed: status " << st << " "
          << (st != HATMATCH_OK && error != nullptr ? error : "");
      if (st == HATMATCH_OK) {
        EXPECT_EQ(error, nullptr);
        EXPECT_TRUE(db != nullptr && Same(Classify(db), *want_cres_))
            << "allocation " << n;
        hatmatch_db_free(db);
      } else {
        EXPECT_EQ(db, nullptr) << "allocation " << n;
        if (error != nullptr) {
          EXPECT_STREQ(error, "out of memory") << "allocation " << n;
        }
        hatmatch_error_free(error);
      }
      // The same call without a fault.
      db = nullptr;
      error = nullptr;
      EXPECT_EQ(load(&db, &error), HATMATCH_OK) << "after allocation " << n;
      if (db != nullptr) {
        EXPECT_TRUE(Same(Classify(db), *want_cres_));
      }
      hatmatch_db_free(db);
      hatmatch_error_free(error);
      if (::testing::Test::HasFailure()) return n;
    }
  }

  // Sweeps a matcher writer: write(m, &error) on a matcher serving `other`,
  // which on success serves cres.
  static int64_t SweepWriter(
      const std::function<hatmatch_status(hatmatch_matcher*, char**)>& write) {
    for (int64_t n = 0;; ++n) {
      hatmatch_matcher* m = nullptr;
      EXPECT_EQ(hatmatch_matcher_new(other_, &m), HATMATCH_OK);
      if (m == nullptr) return n;
      EXPECT_TRUE(Same(Classify(m), *want_other_));  // registers this thread
      char* error = reinterpret_cast<char*>(1);
      Arm(n);
      const hatmatch_status st = write(m, &error);
      const bool met = Disarm();
      EXPECT_TRUE(st == HATMATCH_OK || (met && st == HATMATCH_ERROR_NO_MEMORY))
          << "allocation " << n << ": status " << st;
      if (st == HATMATCH_OK) {
        EXPECT_EQ(error, nullptr);
        EXPECT_EQ(hatmatch_matcher_generation(m), 1u) << "allocation " << n;
        EXPECT_TRUE(Same(Classify(m), *want_cres_)) << "allocation " << n;
      } else {
        // Nothing changed: the old table serves at the old generation.
        EXPECT_EQ(hatmatch_matcher_generation(m), 0u) << "allocation " << n;
        EXPECT_TRUE(Same(Classify(m), *want_other_)) << "allocation " << n;
        hatmatch_error_free(error);
        error = nullptr;
        EXPECT_EQ(write(m, &error), HATMATCH_OK) << "after allocation " << n;
        EXPECT_EQ(hatmatch_matcher_generation(m), 1u);
        EXPECT_TRUE(Same(Classify(m), *want_cres_)) << "after allocation " << n;
      }
      hatmatch_error_free(error);
      hatmatch_db* got = nullptr;
      EXPECT_EQ(hatmatch_matcher_get(m, &got), HATMATCH_OK);
      EXPECT_TRUE(got != nullptr && Same(Classify(got), *want_cres_));
      hatmatch_db_free(got);
      hatmatch_matcher_free(m);
      if (!met || ::testing::Test::HasFailure()) return n;
    }
  }

  static std::string* rules_path_;
  static std::string* rules_text_;
  static std::string* tmp_dir_;
  static std::string* table_path_;
  static std::string* table_image_;
  static std::vector<hatmatch_conn>* conns_;
  static testing::CConns* store_;
  static hatmatch_db* cres_;
  static hatmatch_db* other_;
  static Answers* want_cres_;
  static Answers* want_other_;
};

std::string* CApiAllocTest::rules_path_ = nullptr;
std::string* CApiAllocTest::rules_text_ = nullptr;
std::string* CApiAllocTest::tmp_dir_ = nullptr;
std::string* CApiAllocTest::table_path_ = nullptr;
std::string* CApiAllocTest::table_image_ = nullptr;
std::vector<hatmatch_conn>* CApiAllocTest::conns_ = nullptr;
testing::CConns* CApiAllocTest::store_ = nullptr;
hatmatch_db* CApiAllocTest::cres_ = nullptr;
hatmatch_db* CApiAllocTest::other_ = nullptr;
Answers* CApiAllocTest::want_cres_ = nullptr;
Answers* CApiAllocTest::want_other_ = nullptr;

// The sweeps must meet some allocations, or the replacement is not in use.
constexpr int64_t kSomeAllocations = 10;

TEST_F(CApiAllocTest, CompileFile) {
  EXPECT_GT(SweepLoader([](hatmatch_db** db, char** error) {
              return hatmatch_db_compile_file(rules_path_->c_str(), db, error);
            }),
            kSomeAllocations);
}

TEST_F(CApiAllocTest, CompileText) {
  EXPECT_GT(SweepLoader([](hatmatch_db** db, char** error) {
              return hatmatch_db_compile_text(rules_text_->data(),
                                              rules_text_->size(), "cres.hat",
                                              db, error);
            }),
            kSomeAllocations);
}

TEST_F(CApiAllocTest, LoadRules) {
  EXPECT_GT(SweepLoader([](hatmatch_db** db, char** error) {
              return hatmatch_db_load(rules_path_->c_str(), db, error);
            }),
            kSomeAllocations);
}

TEST_F(CApiAllocTest, LoadTable) {
  EXPECT_GT(SweepLoader([](hatmatch_db** db, char** error) {
              return hatmatch_db_load(table_path_->c_str(), db, error);
            }),
            0);
}

TEST_F(CApiAllocTest, OpenTable) {
  EXPECT_GT(SweepLoader([](hatmatch_db** db, char** error) {
              return hatmatch_db_open_table(table_path_->c_str(), db, error);
            }),
            0);
}

TEST_F(CApiAllocTest, OpenTableBytes) {
  EXPECT_GT(SweepLoader([](hatmatch_db** db, char** error) {
              return hatmatch_db_open_table_bytes(table_image_->data(),
                                                  table_image_->size(),
                                                  "cres.hmt", db, error);
            }),
            0);
}

TEST_F(CApiAllocTest, MatcherReloadRules) {
  EXPECT_GT(SweepWriter([](hatmatch_matcher* m, char** error) {
              return hatmatch_matcher_reload(m, rules_path_->c_str(), error);
            }),
            kSomeAllocations);
}

TEST_F(CApiAllocTest, MatcherReloadTable) {
  EXPECT_GT(SweepWriter([](hatmatch_matcher* m, char** error) {
              return hatmatch_matcher_reload(m, table_path_->c_str(), error);
            }),
            0);
}

TEST_F(CApiAllocTest, MatcherSwap) {
  EXPECT_GT(SweepWriter([](hatmatch_matcher* m, char** error) {
              *error = nullptr;
              return hatmatch_matcher_swap(m, cres_);
            }),
            0);
}

// The calls that make one object: under a fault each returns
// HATMATCH_ERROR_NO_MEMORY with a NULL result, or succeeds whole.  `make`
// runs with the fault armed and returns the status; `check(status)` then
// looks at what was made (with no fault armed) and frees it.
int64_t SweepMaker(const std::function<hatmatch_status()>& make,
                   const std::function<void(hatmatch_status)>& check) {
  for (int64_t n = 0;; ++n) {
    Arm(n);
    const hatmatch_status st = make();
    const bool met = Disarm();
    EXPECT_TRUE(st == HATMATCH_OK || (met && st == HATMATCH_ERROR_NO_MEMORY))
        << "allocation " << n << ": status " << st;
    check(st);
    if (!met || ::testing::Test::HasFailure()) return n;
  }
}

// The first deciding-entry lookup on a table read from a file builds the
// table's entry maps: under a fault, single and batch calls report
// HATMATCH_ERROR_NO_MEMORY (nothing escapes the C boundary), and the next
// call without one builds them and answers right.
TEST_F(CApiAllocTest, FirstClassifyWithEntryOnAnOpenedTable) {
  const size_t count = conns_->size();
  for (bool batch : {false, true}) {
    for (int64_t n = 0;; ++n) {
      hatmatch_db* db = nullptr;
      ASSERT_EQ(hatmatch_db_open_table_bytes(table_image_->data(),
                                             table_image_->size(), "cres.hmt",
                                             &db, nullptr),
                HATMATCH_OK);
      Answers got(count);
      Arm(n);
      hatmatch_status st = HATMATCH_OK;
      if (batch) {
        st = hatmatch_db_classify_batch(db, conns_->data(), count,
                                        HATMATCH_WITH_ENTRY, got.data());
      } else {
        for (size_t i = 0; i < count && st == HATMATCH_OK; ++i) {
          st = hatmatch_db_classify(db, &(*conns_)[i], HATMATCH_WITH_ENTRY,
                                    &got[i]);
        }
      }
      const bool met = Disarm();
      EXPECT_TRUE(st == HATMATCH_OK || (met && st == HATMATCH_ERROR_NO_MEMORY))
          << "batch " << batch << ", allocation " << n << ": status " << st;
      if (st != HATMATCH_OK) got = Classify(db);  // no fault now
      EXPECT_TRUE(Same(got, *want_cres_))
          << "batch " << batch << ", allocation " << n;
      hatmatch_db_free(db);
      if (!met || ::testing::Test::HasFailure()) {
        EXPECT_GT(n, 0) << "the entry maps allocate";
        break;
      }
    }
  }
}

TEST_F(CApiAllocTest, DetailMatcherNewAndGet) {
  hatmatch_decision decision;
  const hatmatch_conn& conn = conns_->front();
  ASSERT_EQ(hatmatch_db_classify(cres_, &conn, HATMATCH_WITH_ENTRY, &decision),
            HATMATCH_OK);
  ASSERT_NE(decision.rule, HATMATCH_NO_RULE);
  const std::string rule_name = hatmatch_db_rule_name(cres_, decision.rule);

  hatmatch_detail* detail = nullptr;
  EXPECT_GT(SweepMaker(
                [&] {
                  detail = reinterpret_cast<hatmatch_detail*>(1);
                  return hatmatch_db_detail(cres_, &decision, &detail);
                },
                [&](hatmatch_status st) {
                  if (st != HATMATCH_OK) {
                    EXPECT_EQ(detail, nullptr);
                    return;
                  }
                  EXPECT_STREQ(detail->rule_name, rule_name.c_str());
                  hatmatch_detail_free(detail);
                }),
            0);

  hatmatch_matcher* made = nullptr;
  EXPECT_GT(SweepMaker(
                [&] {
                  made = reinterpret_cast<hatmatch_matcher*>(1);
                  return hatmatch_matcher_new(cres_, &made);
                },
                [&](hatmatch_status st) {
                  if (st != HATMATCH_OK) {
                    EXPECT_EQ(made, nullptr);
                    return;
                  }
                  EXPECT_TRUE(Same(Classify(made), *want_cres_));
                  hatmatch_matcher_free(made);
                }),
            0);

  hatmatch_matcher* m = nullptr;
  ASSERT_EQ(hatmatch_matcher_new(cres_, &m), HATMATCH_OK);
  hatmatch_db* got = nullptr;
  EXPECT_GT(
      SweepMaker(
          [&] {
            got = reinterpret_cast<hatmatch_db*>(1);
            return hatmatch_matcher_get(m, &got);
          },
          [&](hatmatch_status st) {
            if (st != HATMATCH_OK) {
              EXPECT_EQ(got, nullptr);
              return;
            }
            EXPECT_TRUE(got != nullptr && Same(Classify(got), *want_cres_));
            hatmatch_db_free(got);
          }),
      0);
  hatmatch_matcher_free(m);
}

}  // namespace
}  // namespace hatmatch
