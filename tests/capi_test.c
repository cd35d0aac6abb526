/* Copyright 2026 The hatmatch Authors.
 *
 * capi_test.c: the C API from C, every function and every error path.
 * Compiled as C99 (so the header is checked as C) and run by ctest, under
 * AddressSanitizer and UndefinedBehaviorSanitizer in the asan preset.
 *
 *   capi_test SOURCE_DIR     (reads SOURCE_DIR/data/cres.hat)
 *
 * Writes its scratch files into a fresh directory under $TMPDIR.
 */

#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hatmatch/hatmatch.h"

static int failures = 0;

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                              \
    }                                                                          \
  } while (0)
#define CHECK_STATUS(expr, want) CHECK_EQ_INT((int)(expr), (int)(want))
#define CHECK_EQ_INT(a, b)                                            \
  do {                                                                \
    long long a_ = (long long)(a), b_ = (long long)(b);               \
    if (a_ != b_) {                                                   \
      fprintf(stderr, "%s:%d: %s is %lld, expected %lld\n", __FILE__, \
              __LINE__, #a, a_, b_);                                  \
      ++failures;                                                     \
    }                                                                 \
  } while (0)
#define CHECK_STR(a, b)                                                   \
  do {                                                                    \
    const char *a_ = (a), *b_ = (b);                                      \
    if (a_ == NULL || strcmp(a_, b_) != 0) {                              \
      fprintf(stderr, "%s:%d: %s is \"%s\", expected \"%s\"\n", __FILE__, \
              __LINE__, #a, a_ ? a_ : "(null)", b_);                      \
      ++failures;                                                         \
    }                                                                     \
  } while (0)
#define CHECK_CONTAINS(a, b)                                          \
  do {                                                                \
    const char *a_ = (a), *b_ = (b);                                  \
    if (a_ == NULL || strstr(a_, b_) == NULL) {                       \
      fprintf(stderr, "%s:%d: %s is \"%s\", should contain \"%s\"\n", \
              __FILE__, __LINE__, #a, a_ ? a_ : "(null)", b_);        \
      ++failures;                                                     \
    }                                                                 \
  } while (0)

static char cres_path[4096];
static char scratch_dir[1024];

/* A path inside the scratch directory (one static buffer per slot). */
static const char *scratch(const char *name) {
  static char paths[8][2048];
  static int next = 0;
  char *p = paths[next++ % 8];
  snprintf(p, sizeof paths[0], "%s/%s", scratch_dir, name);
  return p;
}

static void write_file(const char *path, const void *data, size_t size) {
  FILE *f = fopen(path, "wb");
  CHECK(f != NULL);
  if (f == NULL) return;
  CHECK(fwrite(data, 1, size, f) == size);
  fclose(f);
}

static char *read_file(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *data = malloc((size_t)n);
  *size = fread(data, 1, (size_t)n, f);
  fclose(f);
  return data;
}

static hatmatch_conn v4(const char *text) {
  hatmatch_conn c;
  memset(&c, 0, sizeof c);
  c.family = HATMATCH_FAMILY_IPV4;
  CHECK(inet_pton(AF_INET, text, c.address) == 1);
  return c;
}

static hatmatch_conn v6(const char *text) {
  hatmatch_conn c;
  memset(&c, 0, sizeof c);
  c.family = HATMATCH_FAMILY_IPV6;
  CHECK(inet_pton(AF_INET6, text, c.address) == 1);
  return c;
}

static hatmatch_db *load_cres(void) {
  hatmatch_db *db = NULL;
  char *error = NULL;
  CHECK_STATUS(hatmatch_db_compile_file(cres_path, &db, &error), HATMATCH_OK);
  CHECK(error == NULL);
  CHECK(db != NULL);
  return db;
}

/* The rule name and action `conn` gets, as "RULE ACTION" ("- -": none). */
static const char *decide(const hatmatch_db *db, const hatmatch_conn *conn) {
  static char out[256];
  hatmatch_decision d;
  if (hatmatch_db_classify(db, conn, 0, &d) != HATMATCH_OK) return "error";
  if (d.rule == HATMATCH_NO_RULE) return "- -";
  snprintf(out, sizeof out, "%s %s", hatmatch_db_rule_name(db, d.rule),
           hatmatch_action_name(d.action));
  return out;
}

static void test_version_and_names(void) {
  CHECK_STR(hatmatch_version(), HATMATCH_VERSION_STRING);
  CHECK_STR(hatmatch_status_string(HATMATCH_OK), "ok");
  CHECK_STR(hatmatch_status_string(HATMATCH_ERROR_INVALID_ARGUMENT),
            "invalid argument");
  CHECK_STR(hatmatch_status_string(HATMATCH_ERROR_IO), "cannot read file");
  CHECK_STR(hatmatch_status_string(HATMATCH_ERROR_RULES),
            "rule file has errors");
  CHECK_STR(hatmatch_status_string(HATMATCH_ERROR_TABLE),
            "not a valid table file");
  CHECK_STR(hatmatch_status_string(HATMATCH_ERROR_NO_MEMORY), "out of memory");
  CHECK_STR(hatmatch_status_string(HATMATCH_ERROR_INTERNAL), "internal error");
  CHECK_STR(hatmatch_status_string((hatmatch_status)99), "unknown status");
  CHECK_STR(hatmatch_action_name(HATMATCH_ACTION_ACCEPT), "ACCEPT");
  CHECK_STR(hatmatch_action_name(HATMATCH_ACTION_REJECT), "REJECT");
  CHECK_STR(hatmatch_action_name(HATMATCH_ACTION_TCPREFUSE), "TCPREFUSE");
  CHECK_STR(hatmatch_action_name(HATMATCH_ACTION_RELAY), "RELAY");
  CHECK_STR(hatmatch_action_name(HATMATCH_ACTION_CONTINUE), "CONTINUE");
  CHECK_STR(hatmatch_action_name((hatmatch_action)42), "-");
  hatmatch_error_free(NULL);
}

static void test_classify_cres(void) {
  hatmatch_db *db = load_cres();
  CHECK_EQ_INT(hatmatch_db_rule_count(db), 5);
  CHECK_STR(hatmatch_db_rule_name(db, 0), "RELAYLIST");
  CHECK_STR(hatmatch_db_rule_name(db, 4), "ALL");
  CHECK(hatmatch_db_rule_name(db, 5) == NULL);
  CHECK(hatmatch_db_rule_name(db, HATMATCH_NO_RULE) == NULL);

  hatmatch_conn c = v4("208.90.57.32");
  c.ptr = "mxnat1.res.cisco.com";
  c.dns = HATMATCH_DNS_VERIFIED;
  CHECK_STR(decide(db, &c), "CRES_TLS ACCEPT");
  c = v4("198.51.100.26");
  c.ptr = "ESA4.CRES.IPHMX.COM.";
  c.dns = HATMATCH_DNS_VERIFIED;
  CHECK_STR(decide(db, &c), "CRES_TLS ACCEPT");
  c.dns = HATMATCH_DNS_MISMATCH; /* the name no longer counts */
  CHECK_STR(decide(db, &c), "SUSPECTLIST ACCEPT");
  c = v4("10.10.0.1");
  CHECK_STR(decide(db, &c), "RELAYLIST RELAY");
  c = v6("2001:db8:10::25");
  CHECK_STR(decide(db, &c), "RELAYLIST RELAY");
  c = v6("2001:db8:11::25");
  CHECK_STR(decide(db, &c), "ALL ACCEPT");
  c = v6("::ffff:208.90.57.32"); /* an IPv4 host in IPv6 spelling */
  CHECK_STR(decide(db, &c), "CRES_TLS ACCEPT");
  c = v4("192.0.2.10");
  c.has_sbrs = 1;
  c.sbrs = -9.5;
  CHECK_STR(decide(db, &c), "BLOCKLIST REJECT");
  c.sbrs = -2.99;
  CHECK_STR(decide(db, &c), "SUSPECTLIST ACCEPT");
  c.sbrs = 2.0;
  CHECK_STR(decide(db, &c), "ALL ACCEPT");
  const char *zones[] = {"other.example", "ZEN.spamhaus.org"};
  c.dnslists = zones;
  c.dnslist_count = 2;
  CHECK_STR(decide(db, &c), "BLOCKLIST REJECT");
  c = v4("192.0.2.17");
  c.dns = HATMATCH_DNS_NXDOMAIN;
  CHECK_STR(decide(db, &c), "SUSPECTLIST ACCEPT");
  c.dns = HATMATCH_DNS_SERVFAIL;
  CHECK_STR(decide(db, &c), "SUSPECTLIST ACCEPT");
  hatmatch_db_free(db);
}

static void test_details(void) {
  hatmatch_db *db = load_cres();
  hatmatch_conn c = v4("208.90.57.32");
  c.ptr = "mxnat1.res.cisco.com";
  c.dns = HATMATCH_DNS_VERIFIED;
  hatmatch_decision d;
  CHECK_STATUS(hatmatch_db_classify(db, &c, HATMATCH_WITH_ENTRY, &d),
               HATMATCH_OK);
  CHECK(d.entry != HATMATCH_NO_ENTRY);
  hatmatch_detail *detail = NULL;
  CHECK_STATUS(hatmatch_db_detail(db, &d, &detail), HATMATCH_OK);
  hatmatch_db_free(db); /* the detail owns its strings */
  if (detail == NULL) return;
  CHECK_EQ_INT(detail->matched, 1);
  CHECK_STR(detail->rule_name, "CRES_TLS");
  CHECK_EQ_INT(detail->action, HATMATCH_ACTION_ACCEPT);
  CHECK_STR(detail->policy_name, "TLS_REQUIRED");
  CHECK_EQ_INT(detail->param_count, 3);
  if (detail->param_count == 3) {
    CHECK_STR(detail->params[0].key, "tls");
    CHECK_STR(detail->params[0].value, "required");
    CHECK_STR(detail->params[2].key, "max_rcpts_per_msg");
    CHECK_STR(detail->params[2].value, "1000");
  }
  CHECK_STR(detail->entry_text, ".res.cisco.com");
  CHECK_EQ_INT(detail->entry_line, 38);
  CHECK_EQ_INT(detail->entry_col, 5);
  CHECK_EQ_INT(detail->rule_line, 36);
  CHECK_STR(detail->file, cres_path);
  hatmatch_detail_free(detail);
  hatmatch_detail_free(NULL);
}

static void test_no_match_and_owner(void) {
  const char rules[] =
      "OWNERS:\n"
      "    REJECT\n"
      "    SBO:12345\n";
  hatmatch_db *db = NULL;
  CHECK_STATUS(hatmatch_db_compile_text(rules, sizeof rules - 1, "owners.hat",
                                        &db, NULL),
               HATMATCH_OK);
  if (db == NULL) return;
  hatmatch_conn c = v4("192.0.2.1");
  c.has_sbo = 1;
  c.sbo = 12345;
  CHECK_STR(decide(db, &c), "OWNERS REJECT");
  c.sbo = 12346;
  CHECK_STR(decide(db, &c), "- -");
  hatmatch_decision d;
  CHECK_STATUS(hatmatch_db_classify(db, &c, HATMATCH_WITH_ENTRY, &d),
               HATMATCH_OK);
  CHECK(d.rule == HATMATCH_NO_RULE && d.entry == HATMATCH_NO_ENTRY);
  hatmatch_detail *detail = NULL;
  CHECK_STATUS(hatmatch_db_detail(db, &d, &detail), HATMATCH_OK);
  if (detail != NULL) {
    CHECK_EQ_INT(detail->matched, 0);
    CHECK_STR(detail->rule_name, "-");
    CHECK_STR(detail->entry_text, "");
    CHECK_EQ_INT(detail->entry_line, 0);
  }
  hatmatch_detail_free(detail);
  hatmatch_db_free(db);
}

static void test_classify_errors(void) {
  hatmatch_db *db = load_cres();
  hatmatch_conn c = v4("192.0.2.1");
  hatmatch_decision d;
  CHECK_STATUS(hatmatch_db_classify(NULL, &c, 0, &d),
               HATMATCH_ERROR_INVALID_ARGUMENT);
  CHECK_STATUS(hatmatch_db_classify(db, NULL, 0, &d),
               HATMATCH_ERROR_INVALID_ARGUMENT);
  CHECK_STATUS(hatmatch_db_classify(db, &c, 0, NULL),
               HATMATCH_ERROR_INVALID_ARGUMENT);
  c.family = (hatmatch_family)5;
  CHECK_STATUS(hatmatch_db_classify(db, &c, 0, &d),
               HATMATCH_ERROR_INVALID_ARGUMENT);
  c = v4("192.0.2.1");
  c.dns = (hatmatch_dns)9;
  CHECK_STATUS(hatmatch_db_classify(db, &c, 0, &d),
               HATMATCH_ERROR_INVALID_ARGUMENT);
  c = v4("192.0.2.1");
  c.has_sbrs = 1;
  c.sbrs = 10.5;
  CHECK_STATUS(hatmatch_db_classify(db, &c, 0, &d),
               HATMATCH_ERROR_INVALID_ARGUMENT);
  c.sbrs = NAN;
  CHECK_STATUS(hatmatch_db_classify(db, &c, 0, &d),
               HATMATCH_ERROR_INVALID_ARGUMENT);
  c.has_sbrs = 0; /* the value is ignored without the flag */
  CHECK_STATUS(hatmatch_db_classify(db, &c, 0, &d), HATMATCH_OK);
  c.dnslist_count = 1;
  CHECK_STATUS(hatmatch_db_classify(db, &c, 0, &d),
               HATMATCH_ERROR_INVALID_ARGUMENT);
  const char *zones[] = {"zen.spamhaus.org", NULL};
  c.dnslists = zones;
  c.dnslist_count = 2;
  CHECK_STATUS(hatmatch_db_classify(db, &c, 0, &d),
               HATMATCH_ERROR_INVALID_ARGUMENT);
  c = v4("192.0.2.1");
  c.ptr = NULL; /* allowed even when verified: no name, no name match */
  c.dns = HATMATCH_DNS_VERIFIED;
  CHECK_STR(decide(db, &c), "ALL ACCEPT");
  hatmatch_db_free(db);
}

/* Connections of every kind, more than one internal block. */
static size_t make_traffic(hatmatch_conn *conns, size_t n) {
  static const char *zones[] = {"zen.spamhaus.org"};
  for (size_t i = 0; i < n; ++i) {
    char text[64];
    if (i % 5 == 4) {
      snprintf(text, sizeof text, "2001:db8:%x::%zx", (unsigned)(i % 32), i);
      conns[i] = v6(text);
    } else {
      snprintf(text, sizeof text, "%u.%u.57.%zu", i % 3 == 0 ? 208u : 192u,
               i % 3 == 0 ? 90u : 0u, i % 256);
      conns[i] = v4(text);
    }
    if (i % 7 == 0) {
      conns[i].ptr = i % 2 ? "a.res.cisco.com" : "x.cres.iphmx.com";
      conns[i].dns = HATMATCH_DNS_VERIFIED;
    }
    if (i % 11 == 0) conns[i].dns = HATMATCH_DNS_NXDOMAIN;
    if (i % 3 == 1) {
      conns[i].has_sbrs = 1;
      conns[i].sbrs = -10.0 + (double)(i % 21);
    }
    if (i % 13 == 0) {
      conns[i].dnslists = zones;
      conns[i].dnslist_count = 1;
    }
  }
  return n;
}

static void test_batch(void) {
  enum { kN = 700 };
  static hatmatch_conn conns[kN];
  static hatmatch_decision batch[kN];
  make_traffic(conns, kN);
  hatmatch_db *db = load_cres();
  for (unsigned flags = 0; flags <= HATMATCH_WITH_ENTRY; ++flags) {
    CHECK_STATUS(hatmatch_db_classify_batch(db, conns, kN, flags, batch),
                 HATMATCH_OK);
    int mismatches = 0;
    for (size_t i = 0; i < kN; ++i) {
      hatmatch_decision d;
      CHECK_STATUS(hatmatch_db_classify(db, &conns[i], flags, &d), HATMATCH_OK);
      if (d.rule != batch[i].rule || d.entry != batch[i].entry ||
          d.action != batch[i].action) {
        ++mismatches;
      }
    }
    CHECK_EQ_INT(mismatches, 0);
  }
  CHECK_STATUS(hatmatch_db_classify_batch(db, NULL, 0, 0, NULL), HATMATCH_OK);
  CHECK_STATUS(hatmatch_db_classify_batch(NULL, conns, kN, 0, batch),
               HATMATCH_ERROR_INVALID_ARGUMENT);
  CHECK_STATUS(hatmatch_db_classify_batch(db, NULL, 1, 0, batch),
               HATMATCH_ERROR_INVALID_ARGUMENT);
  CHECK_STATUS(hatmatch_db_classify_batch(db, conns, 1, 0, NULL),
               HATMATCH_ERROR_INVALID_ARGUMENT);
  conns[600].family = (hatmatch_family)0; /* in the third block */
  CHECK_STATUS(hatmatch_db_classify_batch(db, conns, kN, 0, batch),
               HATMATCH_ERROR_INVALID_ARGUMENT);
  hatmatch_db_free(db);
}

static void test_load_errors(void) {
  hatmatch_db *db = (hatmatch_db *)&db; /* must be reset to NULL */
  char *error = NULL;
  CHECK_STATUS(hatmatch_db_load(scratch("missing.hat"), &db, &error),
               HATMATCH_ERROR_IO);
  CHECK(db == NULL);
  CHECK_CONTAINS(error, "missing.hat");
  hatmatch_error_free(error);

  CHECK_STATUS(hatmatch_db_open_table(scratch("missing.hmt"), &db, &error),
               HATMATCH_ERROR_IO);
  CHECK_CONTAINS(error, "missing.hmt");
  hatmatch_error_free(error);

  /* Without an error pointer: the status alone. */
  CHECK_STATUS(hatmatch_db_compile_file(scratch("missing.hat"), &db, NULL),
               HATMATCH_ERROR_IO);
  CHECK_STATUS(hatmatch_db_load(scratch(""), &db, &error), HATMATCH_ERROR_IO);
  hatmatch_error_free(error);

  /* NULL where the header forbids it. */
  error = NULL;
  CHECK_STATUS(hatmatch_db_load(NULL, &db, &error),
               HATMATCH_ERROR_INVALID_ARGUMENT);
  CHECK_CONTAINS(error, "NULL");
  hatmatch_error_free(error);
  CHECK_STATUS(hatmatch_db_load(cres_path, NULL, NULL),
               HATMATCH_ERROR_INVALID_ARGUMENT);
  CHECK_STATUS(hatmatch_db_open_table(NULL, &db, NULL),
               HATMATCH_ERROR_INVALID_ARGUMENT);
  CHECK_STATUS(hatmatch_db_compile_file(NULL, &db, NULL),
               HATMATCH_ERROR_INVALID_ARGUMENT);
  CHECK_STATUS(hatmatch_db_compile_text(NULL, 0, "x", &db, NULL),
               HATMATCH_ERROR_INVALID_ARGUMENT);
  CHECK_STATUS(hatmatch_db_open_table_bytes(NULL, 0, "x", &db, NULL),
               HATMATCH_ERROR_INVALID_ARGUMENT);

  /* Rule errors: every one, as file:line:col. */
  const char bad[] =
      "GOOD:\n"
      "    ACCEPT\n"
      "    10.0.0.0/8\n"
      "BAD:\n"
      "    REJECT\n"
      "    10.0.0.256, .example..com\n";
  write_file(scratch("bad.hat"), bad, sizeof bad - 1);
  CHECK_STATUS(hatmatch_db_load(scratch("bad.hat"), &db, &error),
               HATMATCH_ERROR_RULES);
  CHECK(db == NULL);
  CHECK_CONTAINS(error, "bad.hat:6:5: ");
  CHECK_CONTAINS(error, "\n");
  CHECK_CONTAINS(error, "bad.hat:6:17: ");
  hatmatch_error_free(error);
  CHECK_STATUS(hatmatch_db_compile_text(bad, sizeof bad - 1, NULL, &db, &error),
               HATMATCH_ERROR_RULES);
  CHECK_CONTAINS(error, "<memory>:6:5: ");
  hatmatch_error_free(error);

  /* A directory is not a rule file. */
  CHECK_STATUS(hatmatch_db_compile_file(scratch_dir, &db, &error),
               HATMATCH_ERROR_IO);
  hatmatch_error_free(error);
}

/* A rule file read from a pipe is read once: the sniff for the table magic
 * must not eat the first bytes ("192.168.1.0/24" would become "1.0/24"). */
static void test_load_from_a_pipe(void) {
  static const char rules[] =
      "192.168.1.0/24\n    REJECT\nALL\n    ACCEPT\n";
  int fds[2];
  CHECK(pipe(fds) == 0);
  CHECK(write(fds[1], rules, sizeof rules - 1) == (ssize_t)(sizeof rules - 1));
  CHECK(close(fds[1]) == 0);
  char path[64];
  snprintf(path, sizeof path, "/dev/fd/%d", fds[0]);
  hatmatch_db *db = NULL;
  char *error = NULL;
  CHECK_STATUS(hatmatch_db_load(path, &db, &error), HATMATCH_OK);
  CHECK(error == NULL);
  const hatmatch_conn inside = v4("192.168.1.7"), outside = v4("1.0.0.7");
  CHECK(strcmp(decide(db, &inside), "192.168.1.0/24 REJECT") == 0);
  CHECK(strcmp(decide(db, &outside), "ALL ACCEPT") == 0);
  hatmatch_db_free(db);
  CHECK(close(fds[0]) == 0);
}

static void test_tables(void) {
  hatmatch_db *db = load_cres();
  char *error = NULL;
  const char *table = scratch("cres.hmt");
  CHECK_STATUS(hatmatch_db_write_table(db, table, &error), HATMATCH_OK);
  CHECK(error == NULL);
  CHECK_STATUS(hatmatch_db_write_table(NULL, table, &error),
               HATMATCH_ERROR_INVALID_ARGUMENT);
  hatmatch_error_free(error);
  CHECK_STATUS(hatmatch_db_write_table(db, NULL, NULL),
               HATMATCH_ERROR_INVALID_ARGUMENT);
  CHECK_STATUS(hatmatch_db_write_table(db, scratch("no/such/dir.hmt"), &error),
               HATMATCH_ERROR_IO);
  CHECK_CONTAINS(error, "no/such");
  hatmatch_error_free(error);

  hatmatch_db *t = NULL;
  CHECK_STATUS(hatmatch_db_open_table(table, &t, NULL), HATMATCH_OK);
  hatmatch_conn c = v4("208.90.57.63");
  CHECK_STR(decide(t, &c), "CRES_TLS ACCEPT");
  hatmatch_db_free(t);
  CHECK_STATUS(hatmatch_db_load(table, &t, NULL), HATMATCH_OK);
  CHECK_STR(decide(t, &c), "CRES_TLS ACCEPT");
  hatmatch_db_free(t);

  size_t size = 0;
  char *bytes = read_file(table, &size);
  CHECK(bytes != NULL && size > 64);
  if (bytes == NULL) return;
  CHECK_STATUS(hatmatch_db_open_table_bytes(bytes, size, NULL, &t, NULL),
               HATMATCH_OK);
  CHECK_STR(decide(t, &c), "CRES_TLS ACCEPT");
  hatmatch_db_free(t);
  CHECK_STATUS(
      hatmatch_db_open_table_bytes(bytes, size / 2, "half", &t, &error),
      HATMATCH_ERROR_TABLE);
  CHECK_CONTAINS(error, "half");
  hatmatch_error_free(error);

  /* One flipped byte in the middle: the checksum catches it. */
  bytes[size / 2] ^= 0x5a;
  write_file(scratch("corrupt.hmt"), bytes, size);
  CHECK_STATUS(hatmatch_db_open_table(scratch("corrupt.hmt"), &t, &error),
               HATMATCH_ERROR_TABLE);
  CHECK(t == NULL);
  CHECK_CONTAINS(error, "corrupt.hmt");
  hatmatch_error_free(error);
  CHECK_STATUS(hatmatch_db_load(scratch("corrupt.hmt"), &t, &error),
               HATMATCH_ERROR_TABLE);
  hatmatch_error_free(error);
  free(bytes);

  /* A rule file is not a table. */
  CHECK_STATUS(hatmatch_db_open_table(cres_path, &t, &error),
               HATMATCH_ERROR_TABLE);
  hatmatch_error_free(error);
  hatmatch_db_free(db);
  hatmatch_db_free(NULL);
}

static void test_detail_errors(void) {
  hatmatch_db *db = load_cres();
  hatmatch_decision d = {0, HATMATCH_NO_ENTRY, HATMATCH_ACTION_RELAY};
  hatmatch_detail *detail = (hatmatch_detail *)&d; /* must be reset */
  CHECK_STATUS(hatmatch_db_detail(NULL, &d, &detail),
               HATMATCH_ERROR_INVALID_ARGUMENT);
  CHECK(detail == NULL);
  CHECK_STATUS(hatmatch_db_detail(db, NULL, &detail),
               HATMATCH_ERROR_INVALID_ARGUMENT);
  CHECK_STATUS(hatmatch_db_detail(db, &d, NULL),
               HATMATCH_ERROR_INVALID_ARGUMENT);
  d.rule = 99;
  CHECK_STATUS(hatmatch_db_detail(db, &d, &detail),
               HATMATCH_ERROR_INVALID_ARGUMENT);
  d.rule = 0;
  d.entry = 1000000;
  CHECK_STATUS(hatmatch_db_detail(db, &d, &detail),
               HATMATCH_ERROR_INVALID_ARGUMENT);
  d.entry = HATMATCH_NO_ENTRY;
  d.action = (hatmatch_action)42;
  CHECK_STATUS(hatmatch_db_detail(db, &d, &detail),
               HATMATCH_ERROR_INVALID_ARGUMENT);
  d.action = HATMATCH_ACTION_RELAY; /* a decision without its entry is fine */
  CHECK_STATUS(hatmatch_db_detail(db, &d, &detail), HATMATCH_OK);
  if (detail != NULL) CHECK_STR(detail->rule_name, "RELAYLIST");
  hatmatch_detail_free(detail);
  CHECK_EQ_INT(hatmatch_db_rule_count(NULL), 0);
  CHECK(hatmatch_db_rule_name(NULL, 0) == NULL);
  hatmatch_db_free(db);
}

static void test_matcher(void) {
  hatmatch_matcher *m = NULL;
  CHECK_STATUS(hatmatch_matcher_new(NULL, &m), HATMATCH_OK);
  if (m == NULL) return;
  hatmatch_conn c = v4("208.90.57.32");
  hatmatch_decision d;
  CHECK_STATUS(hatmatch_matcher_classify(m, &c, 0, &d), HATMATCH_OK);
  CHECK(d.rule == HATMATCH_NO_RULE);
  CHECK_EQ_INT(hatmatch_matcher_generation(m), 0);
  hatmatch_db *db = (hatmatch_db *)&d;
  CHECK_STATUS(hatmatch_matcher_get(m, &db), HATMATCH_OK);
  CHECK(db == NULL);

  char *error = NULL;
  CHECK_STATUS(hatmatch_matcher_reload(m, scratch("missing.hat"), &error),
               HATMATCH_ERROR_IO);
  CHECK_CONTAINS(error, "missing.hat");
  hatmatch_error_free(error);
  CHECK_EQ_INT(hatmatch_matcher_generation(m), 0);

  CHECK_STATUS(hatmatch_matcher_reload(m, cres_path, &error), HATMATCH_OK);
  CHECK(error == NULL);
  CHECK_EQ_INT(hatmatch_matcher_generation(m), 1);
  CHECK_STATUS(hatmatch_matcher_classify(m, &c, HATMATCH_WITH_ENTRY, &d),
               HATMATCH_OK);
  CHECK_STATUS(hatmatch_matcher_get(m, &db), HATMATCH_OK);
  CHECK_STR(hatmatch_db_rule_name(db, d.rule), "CRES_TLS");
  CHECK(d.entry != HATMATCH_NO_ENTRY);

  /* Failed reloads keep the old table serving. */
  CHECK_STATUS(hatmatch_matcher_reload(m, scratch("bad.hat"), &error),
               HATMATCH_ERROR_RULES);
  CHECK_CONTAINS(error, "bad.hat:6:5: ");
  hatmatch_error_free(error);
  CHECK_STATUS(hatmatch_matcher_reload(m, scratch("corrupt.hmt"), NULL),
               HATMATCH_ERROR_TABLE);
  CHECK_EQ_INT(hatmatch_matcher_generation(m), 1);
  CHECK_STATUS(hatmatch_matcher_classify(m, &c, 0, &d), HATMATCH_OK);
  CHECK_STR(hatmatch_db_rule_name(db, d.rule), "CRES_TLS");

  CHECK_STATUS(hatmatch_matcher_reload(m, scratch("cres.hmt"), NULL),
               HATMATCH_OK);
  CHECK_EQ_INT(hatmatch_matcher_generation(m), 2);

  /* Batches agree with the pinned db's own answers. */
  enum { kN = 300 };
  static hatmatch_conn conns[kN];
  static hatmatch_decision from_matcher[kN], from_db[kN];
  make_traffic(conns, kN);
  CHECK_STATUS(hatmatch_matcher_classify_batch(m, conns, kN, 0, from_matcher),
               HATMATCH_OK);
  CHECK_STATUS(hatmatch_db_classify_batch(db, conns, kN, 0, from_db),
               HATMATCH_OK);
  CHECK(memcmp(from_matcher, from_db, sizeof from_db) == 0);
  CHECK_STATUS(hatmatch_matcher_classify_batch(m, NULL, 0, 0, NULL),
               HATMATCH_OK);

  /* Swap to nothing, then back to the pinned db. */
  CHECK_STATUS(hatmatch_matcher_swap(m, NULL), HATMATCH_OK);
  CHECK_STATUS(hatmatch_matcher_classify(m, &c, 0, &d), HATMATCH_OK);
  CHECK(d.rule == HATMATCH_NO_RULE);
  CHECK_STATUS(hatmatch_matcher_swap(m, db), HATMATCH_OK);
  CHECK_EQ_INT(hatmatch_matcher_generation(m), 4);
  hatmatch_db_free(db); /* the matcher keeps its own reference */
  CHECK_STATUS(hatmatch_matcher_classify(m, &c, 0, &d), HATMATCH_OK);
  CHECK(d.rule == 1);

  /* NULL where the header forbids it. */
  CHECK_STATUS(hatmatch_matcher_new(NULL, NULL),
               HATMATCH_ERROR_INVALID_ARGUMENT);
  CHECK_STATUS(hatmatch_matcher_reload(NULL, cres_path, NULL),
               HATMATCH_ERROR_INVALID_ARGUMENT);
  CHECK_STATUS(hatmatch_matcher_reload(m, NULL, &error),
               HATMATCH_ERROR_INVALID_ARGUMENT);
  hatmatch_error_free(error);
  CHECK_STATUS(hatmatch_matcher_swap(NULL, NULL),
               HATMATCH_ERROR_INVALID_ARGUMENT);
  CHECK_STATUS(hatmatch_matcher_classify(NULL, &c, 0, &d),
               HATMATCH_ERROR_INVALID_ARGUMENT);
  CHECK_STATUS(hatmatch_matcher_classify(m, NULL, 0, &d),
               HATMATCH_ERROR_INVALID_ARGUMENT);
  CHECK_STATUS(hatmatch_matcher_classify_batch(NULL, conns, 1, 0, &d),
               HATMATCH_ERROR_INVALID_ARGUMENT);
  CHECK_STATUS(hatmatch_matcher_get(NULL, &db),
               HATMATCH_ERROR_INVALID_ARGUMENT);
  CHECK(db == NULL);
  CHECK_STATUS(hatmatch_matcher_get(m, NULL), HATMATCH_ERROR_INVALID_ARGUMENT);
  CHECK_EQ_INT(hatmatch_matcher_generation(NULL), 0);
  hatmatch_matcher_free(m);
  hatmatch_matcher_free(NULL);

  /* A matcher built on a db outlives the caller's handle. */
  db = load_cres();
  CHECK_STATUS(hatmatch_matcher_new(db, &m), HATMATCH_OK);
  hatmatch_db_free(db);
  CHECK_STATUS(hatmatch_matcher_classify(m, &c, 0, &d), HATMATCH_OK);
  CHECK(d.rule == 1);
  CHECK_EQ_INT(hatmatch_matcher_generation(m), 0);
  hatmatch_matcher_free(m);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s SOURCE_DIR\n", argv[0]);
    return 2;
  }
  snprintf(cres_path, sizeof cres_path, "%s/data/cres.hat", argv[1]);
  const char *tmp = getenv("TMPDIR");
  snprintf(scratch_dir, sizeof scratch_dir, "%s/hatmatch-capi-XXXXXX",
           tmp != NULL ? tmp : "/tmp");
  if (mkdtemp(scratch_dir) == NULL) {
    perror("mkdtemp");
    return 2;
  }
  test_version_and_names();
  test_classify_cres();
  test_details();
  test_no_match_and_owner();
  test_classify_errors();
  test_batch();
  test_load_errors();
  test_load_from_a_pipe();
  test_tables();
  test_detail_errors();
  test_matcher();

  const char *files[] = {"bad.hat", "cres.hmt", "corrupt.hmt"};
  for (size_t i = 0; i < sizeof files / sizeof files[0]; ++i) {
    unlink(scratch(files[i]));
  }
  rmdir(scratch_dir);
  if (failures != 0) {
    fprintf(stderr, "capi_test: %d checks failed\n", failures);
    return 1;
  }
  printf("capi_test: all checks passed\n");
  return 0;
}
