/* Copyright 2026 The hatmatch Authors.
 *
 * hatmatch.h: the C API.  C99, usable from C++, no C++ type in sight.
 *
 * For gateways written in C (Postfix and Exim hooks, milters, OpenSMTPD
 * filters) and for FFI (Python ctypes/cffi, Node, Go cgo).  Link with
 * -lhatmatch (pkg-config --libs hatmatch) or hatmatch::hatmatch in CMake.
 *
 *   char *err = NULL;
 *   hatmatch_db *db = NULL;
 *   if (hatmatch_db_load("/etc/hat/hat.rules", &db, &err) != HATMATCH_OK) {
 *     syslog(LOG_ERR, "%s", err);   // "hat.rules:12:5: ..." one per line
 *     hatmatch_error_free(err);
 *     return;
 *   }
 *   hatmatch_conn c = {0};
 *   c.family = HATMATCH_FAMILY_IPV4;
 *   memcpy(c.address, &sin->sin_addr, 4);   // network byte order
 *   c.ptr = "mail.example.com";
 *   c.dns = HATMATCH_DNS_VERIFIED;
 *   hatmatch_decision d;
 *   hatmatch_db_classify(db, &c, 0, &d);
 *   if (d.action == HATMATCH_ACTION_REJECT) ...
 *   hatmatch_db_free(db);
 *
 * Errors.  Every function that can fail returns a hatmatch_status; nothing
 * is ever printed, nothing aborts, no C++ exception leaves the library (an
 * allocation failure is HATMATCH_ERROR_NO_MEMORY).  Loaders take an optional
 * `char **error`: when it is non-NULL and the call fails, *error receives a
 * message the caller owns and frees with hatmatch_error_free() (NULL if even
 * the message could not be allocated).  Rule errors come one per line as
 * "file:line:col: message"; table and I/O errors name the file.  On success
 * *error is set to NULL.
 *
 * Ownership.  Every pointer a function returns through an out-parameter is
 * owned by the caller and freed with the matching *_free function, which
 * accepts NULL.  `const char *` results of accessor functions point into the
 * object they were read from and live exactly as long as it does.  Pointers
 * the caller passes in (paths, names, connections) are only read during the
 * call and never kept.
 *
 * Threads.  A hatmatch_db is immutable: any number of threads may classify
 * with it and read from it at once, with no locking.  Freeing it while
 * another thread uses that same handle is undefined.  A hatmatch_matcher is
 * the handle for servers that reload rules while serving: classify from any
 * number of threads (lock-free) while one or more threads reload (writers
 * are serialized inside).  A hatmatch_detail is immutable and may be read
 * from any thread.  The free functions are not thread-safe for the object
 * they free.
 *
 * Classification takes no lock, never blocks and allocates nothing: the
 * connections are read where the caller keeps them.  (A matcher registers
 * each thread that classifies with it once, on its first call, and may then
 * return HATMATCH_ERROR_NO_MEMORY.  The first HATMATCH_WITH_ENTRY call on a
 * table read from a table file builds that table's entry maps once, and may
 * likewise return HATMATCH_ERROR_NO_MEMORY; a later call builds them.)
 *
 * ABI.  The structs below are part of the ABI: changing their layout
 * changes the library's SONAME (libhatmatch.so.N).  New functions may be
 * added in minor versions.
 */

#ifndef HATMATCH_HATMATCH_H_
#define HATMATCH_HATMATCH_H_

#include <stddef.h>
#include <stdint.h>

#include "hatmatch/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The version these headers describe; hatmatch_version() gives the
 * library's.  Checked against the build's project version at configure
 * time. */
#define HATMATCH_VERSION_MAJOR 0
#define HATMATCH_VERSION_MINOR 1
#define HATMATCH_VERSION_PATCH 0
#define HATMATCH_VERSION_STRING "0.1.0"

/* ---- Status codes -------------------------------------------------------- */

typedef enum hatmatch_status {
  HATMATCH_OK = 0,
  HATMATCH_ERROR_INVALID_ARGUMENT = 1, /* NULL where not allowed, bad value */
  HATMATCH_ERROR_IO = 2,        /* file missing, unreadable, not a file */
  HATMATCH_ERROR_RULES = 3,     /* the rule file has errors */
  HATMATCH_ERROR_TABLE = 4,     /* not a table file, or a damaged one */
  HATMATCH_ERROR_NO_MEMORY = 5, /* an allocation failed */
  HATMATCH_ERROR_INTERNAL = 6   /* a bug: please report it */
} hatmatch_status;

/* A static, English description of `status` ("invalid argument", ...);
 * "unknown status" for values not listed above.  Never NULL. */
HATMATCH_EXPORT const char *hatmatch_status_string(hatmatch_status status);

/* Frees an error message returned by a loader.  NULL is allowed. */
HATMATCH_EXPORT void hatmatch_error_free(char *error);

/* The library's version, "MAJOR.MINOR.PATCH".  Static; never NULL. */
HATMATCH_EXPORT const char *hatmatch_version(void);

/* ---- Connections and decisions ----------------------------------------- */

typedef enum hatmatch_family {
  HATMATCH_FAMILY_IPV4 = 4, /* address[0..3], network byte order */
  HATMATCH_FAMILY_IPV6 = 6  /* address[0..15], network byte order */
} hatmatch_family;

/* What the gateway's PTR verification found (HAT-RULES.md section 5). */
typedef enum hatmatch_dns {
  HATMATCH_DNS_UNKNOWN = 0,  /* nothing known: no PTR name is consulted */
  HATMATCH_DNS_VERIFIED = 1, /* PTR found and confirmed forward: ptr used */
  HATMATCH_DNS_NXDOMAIN = 2, /* no PTR record           (`nx.domain`) */
  HATMATCH_DNS_SERVFAIL = 3, /* PTR lookup failed       (`serv.fail`) */
  HATMATCH_DNS_MISMATCH = 4  /* PTR does not resolve back
                                                    (`not.double.verified`) */
} hatmatch_dns;

typedef enum hatmatch_action {
  HATMATCH_ACTION_ACCEPT = 0,
  HATMATCH_ACTION_REJECT = 1,
  HATMATCH_ACTION_TCPREFUSE = 2,
  HATMATCH_ACTION_RELAY = 3,
  HATMATCH_ACTION_CONTINUE = 4 /* never decides; listed for completeness */
} hatmatch_action;

/* "ACCEPT", "REJECT", "TCPREFUSE", "RELAY", "CONTINUE"; "-" for anything
 * else.  Static; never NULL. */
HATMATCH_EXPORT const char *hatmatch_action_name(hatmatch_action action);

/* One SMTP connection.  Zero-initialize it, then fill what is known; the
 * pointers are read during the classify call only.  An IPv6 spelling of an
 * IPv4 host (::ffff:a.b.c.d, ::a.b.c.d) is treated as that IPv4 host. */
typedef struct hatmatch_conn {
  hatmatch_family family;
  uint8_t address[16];
  hatmatch_dns dns;
  const char *ptr; /* NUL-terminated PTR name, any case, one trailing dot
                      allowed; consulted only when dns is
                      HATMATCH_DNS_VERIFIED; may be NULL */
  int has_sbrs;    /* nonzero: sbrs holds the SenderBase score */
  double sbrs;     /* -10.0 .. 10.0 */
  int has_sbo;     /* nonzero: sbo holds the SenderBase owner id */
  uint64_t sbo;
  const char *const *dnslists; /* zones the address is listed in, each
                                  NUL-terminated; NULL when none */
  size_t dnslist_count;
} hatmatch_conn;

#define HATMATCH_NO_RULE UINT32_MAX
#define HATMATCH_NO_ENTRY UINT32_MAX

typedef struct hatmatch_decision {
  uint32_t rule;  /* deciding rule's index; HATMATCH_NO_RULE: no match */
  uint32_t entry; /* deciding entry's index (file order) with
                     HATMATCH_WITH_ENTRY; else HATMATCH_NO_ENTRY.  Also
                     HATMATCH_NO_ENTRY when ALL decides. */
  hatmatch_action action; /* meaningful only when rule != HATMATCH_NO_RULE */
} hatmatch_decision;

/* Flags for the classify functions. */
#define HATMATCH_WITH_ENTRY                        \
  1u /* also find the deciding entry (for details; \
        costs a few more lookups) */

/* ---- Compiled rules: hatmatch_db --------------------------------------- */

typedef struct hatmatch_db hatmatch_db;

/* Opens `path`: a compiled table file (`hatmatch compile`) when the file
 * starts with the table magic, otherwise a HAT rule file, parsed and
 * compiled.  On success *db is a new handle; on failure *db is NULL.
 * Returns HATMATCH_ERROR_IO, _RULES, _TABLE, _NO_MEMORY or
 * _INVALID_ARGUMENT (path or db NULL). */
HATMATCH_EXPORT hatmatch_status hatmatch_db_load(const char *path,
                                                 hatmatch_db **db,
                                                 char **error);
/* Reads a compiled table file into private memory and validates it
 * completely. */
HATMATCH_EXPORT hatmatch_status hatmatch_db_open_table(const char *path,
                                                       hatmatch_db **db,
                                                       char **error);
/* A table file image in memory (copied; `bytes` may be freed after the
 * call).  `name` (may be NULL) prefixes error messages. */
HATMATCH_EXPORT hatmatch_status hatmatch_db_open_table_bytes(const void *bytes,
                                                             size_t size,
                                                             const char *name,
                                                             hatmatch_db **db,
                                                             char **error);
/* Parses and compiles a rule file. */
HATMATCH_EXPORT hatmatch_status hatmatch_db_compile_file(const char *path,
                                                         hatmatch_db **db,
                                                         char **error);
/* Parses and compiles rule text (`size` bytes, no NUL needed); `name` (may
 * be NULL: "<memory>") is the file name used in error messages. */
HATMATCH_EXPORT hatmatch_status hatmatch_db_compile_text(const char *text,
                                                         size_t size,
                                                         const char *name,
                                                         hatmatch_db **db,
                                                         char **error);
/* Writes `db` as a table file, atomically. */
HATMATCH_EXPORT hatmatch_status hatmatch_db_write_table(const hatmatch_db *db,
                                                        const char *path,
                                                        char **error);
/* Releases the handle.  NULL is allowed. */
HATMATCH_EXPORT void hatmatch_db_free(hatmatch_db *db);

/* Classifies one connection into *out.  `flags`: 0 or HATMATCH_WITH_ENTRY.
 * HATMATCH_ERROR_INVALID_ARGUMENT for a NULL db, conn or out, a family other
 * than 4 or 6, a dns value not listed above, a score (has_sbrs) outside
 * -10.0 .. 10.0 or NaN, or dnslist_count > 0 with a NULL list or a NULL
 * zone. */
HATMATCH_EXPORT hatmatch_status hatmatch_db_classify(const hatmatch_db *db,
                                                     const hatmatch_conn *conn,
                                                     unsigned flags,
                                                     hatmatch_decision *out);
/* Classifies conns[0..n) into out[0..n), overlapping the memory accesses of
 * independent lookups (faster than n single calls).  n == 0 is allowed (the
 * arrays may then be NULL).  On an invalid connection, returns
 * HATMATCH_ERROR_INVALID_ARGUMENT and out's contents are unspecified. */
HATMATCH_EXPORT hatmatch_status
hatmatch_db_classify_batch(const hatmatch_db *db, const hatmatch_conn *conns,
                           size_t n, unsigned flags, hatmatch_decision *out);

/* Number of rules; rule indices run from 0 to this minus 1. */
HATMATCH_EXPORT size_t hatmatch_db_rule_count(const hatmatch_db *db);
/* The rule's name (the group name, "ALL", or an anonymous rule's text),
 * NUL-terminated, valid as long as db; NULL when db is NULL or rule is out
 * of range (HATMATCH_NO_RULE included). */
HATMATCH_EXPORT const char *hatmatch_db_rule_name(const hatmatch_db *db,
                                                  uint32_t rule);

/* ---- Decision details ---------------------------------------------------- */

typedef struct hatmatch_param {
  const char *key;   /* lowercase */
  const char *value; /* integer text, or the string without its quotes */
} hatmatch_param;

/* Everything an administrator wants to see about a decision.  Owns its
 * strings: they stay valid after the db is freed, until
 * hatmatch_detail_free(). */
typedef struct hatmatch_detail {
  int matched;           /* 0: no rule matched */
  const char *rule_name; /* "-" when no rule matched */
  hatmatch_action action;
  const char *policy_name;      /* "" for an inline action */
  const hatmatch_param *params; /* the policy's parameters, in file order */
  size_t param_count;
  const char *entry_text; /* deciding entry as written; "" when none (ALL, no
                             match, or no HATMATCH_WITH_ENTRY) */
  uint32_t entry_line;    /* 1-based; 0 when no entry */
  uint32_t entry_col;
  uint32_t rule_line; /* the rule's header line; 0 when no match */
  const char *file;   /* the rule file the rules came from */
} hatmatch_detail;

/* Describes `decision`, which must come from classifying with `db` (a
 * decision from another table gives HATMATCH_ERROR_INVALID_ARGUMENT when its
 * indices are out of range, and meaningless names otherwise). */
HATMATCH_EXPORT hatmatch_status
hatmatch_db_detail(const hatmatch_db *db, const hatmatch_decision *decision,
                   hatmatch_detail **detail);
HATMATCH_EXPORT void hatmatch_detail_free(hatmatch_detail *detail);

/* ---- Hot reload: hatmatch_matcher -------------------------------------- */

/* Classifies with "the current table" while another thread replaces it.
 * Readers (classify, get, generation) never lock or wait; a lookup or a
 * batch runs entirely on one table.  Writers (reload, swap) are serialized
 * among themselves and never block readers.  A reload that fails leaves the
 * current table serving.  A replaced table is freed once no lookup runs on
 * it and no handle from hatmatch_matcher_get() holds it. */
typedef struct hatmatch_matcher hatmatch_matcher;

/* A new matcher serving `initial` (may be NULL: every connection gets "no
 * match" until a reload).  The matcher takes its own reference: the caller
 * still owns and frees `initial`. */
HATMATCH_EXPORT hatmatch_status
hatmatch_matcher_new(const hatmatch_db *initial, hatmatch_matcher **matcher);
/* Must not race with any other call on the same matcher.  NULL allowed. */
HATMATCH_EXPORT void hatmatch_matcher_free(hatmatch_matcher *matcher);

/* Loads `path` as hatmatch_db_load() does and, on success, publishes it. */
HATMATCH_EXPORT hatmatch_status hatmatch_matcher_reload(
    hatmatch_matcher *matcher, const char *path, char **error);
/* Publishes `db` (NULL: no table).  The caller keeps its own handle. */
HATMATCH_EXPORT hatmatch_status hatmatch_matcher_swap(hatmatch_matcher *matcher,
                                                      const hatmatch_db *db);

HATMATCH_EXPORT hatmatch_status hatmatch_matcher_classify(
    const hatmatch_matcher *matcher, const hatmatch_conn *conn, unsigned flags,
    hatmatch_decision *out);
HATMATCH_EXPORT hatmatch_status hatmatch_matcher_classify_batch(
    const hatmatch_matcher *matcher, const hatmatch_conn *conns, size_t n,
    unsigned flags, hatmatch_decision *out);

/* The current table as a new db handle (keeps that table alive until
 * hatmatch_db_free), for rule names and details consistent with a decision:
 * get, classify with the db, read names, free.  *db is NULL when the
 * matcher has no table (HATMATCH_OK all the same). */
HATMATCH_EXPORT hatmatch_status
hatmatch_matcher_get(const hatmatch_matcher *matcher, hatmatch_db **db);
/* 0 for the initial table, +1 per successful reload or swap; 0 for NULL. */
HATMATCH_EXPORT uint64_t
hatmatch_matcher_generation(const hatmatch_matcher *matcher);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* HATMATCH_HATMATCH_H_ */
