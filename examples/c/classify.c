/* Copyright 2026 The hatmatch Authors.
 *
 * classify.c: a minimal gateway hook in C.  Loads a HAT rule file or a
 * compiled table once, then classifies connection lines from stdin,
 *
 *   ADDRESS [ptr=NAME] [dns=nx|servfail|mismatch] [sbrs=N|none] [sbo=N]
 *           [dnslist=ZONE[,ZONE...]]
 *
 * printing "RULE<TAB>ACTION" per line ("-<TAB>-" when nothing matches) and
 * "?<TAB>reason" for a line it cannot read, as `hatmatch classify` does (with
 * the same reasons for the usual mistakes; the parser here is simpler).  A
 * real hook fills hatmatch_conn from what the MTA hands it (the client's
 * sockaddr, the verified PTR name, the reputation score) instead of parsing
 * text; the text here only keeps the example testable.
 *
 *   usage: hatmatch-classify-c RULES < CONNECTIONS
 */

#define _POSIX_C_SOURCE 200809L /* strtok_r */

#include <arpa/inet.h>
#include <errno.h>
#include <hatmatch/hatmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LINE 65536
#define MAX_DNSLISTS 64

/* Everything a parsed line owns: the connection points into `line`. */
typedef struct parsed {
  hatmatch_conn conn;
  const char *dnslists[MAX_DNSLISTS];
  int dns_given;
} parsed;

static int parse_address(const char *text, hatmatch_conn *c) {
  if (inet_pton(AF_INET, text, c->address) == 1) {
    c->family = HATMATCH_FAMILY_IPV4;
    return 1;
  }
  if (inet_pton(AF_INET6, text, c->address) == 1) {
    c->family = HATMATCH_FAMILY_IPV6;
    return 1;
  }
  return 0;
}

static int parse_number(const char *text, double lo, double hi, double *out) {
  char *end;
  errno = 0;
  *out = strtod(text, &end);
  return errno == 0 && end != text && *end == '\0' && *out >= lo && *out <= hi;
}

static int parse_dnslists(char *text, parsed *p) {
  for (char *zone = strtok(text, ","); zone != NULL; zone = strtok(NULL, ",")) {
    if (p->conn.dnslist_count == MAX_DNSLISTS) return 0;
    p->dnslists[p->conn.dnslist_count++] = zone;
  }
  p->conn.dnslists = p->dnslists;
  return 1;
}

/* One key=value field; returns 0 with the reason in why[] when it is bad.
 * The reasons read like those of `hatmatch classify`. */
static int parse_field(char *field, parsed *p, char *why, size_t n) {
  char *value = strchr(field, '=');
  if (value == NULL || value == field) {
    snprintf(why, n, "bad field '%s'", field);
    return 0;
  }
  *value++ = '\0';
  if (strcmp(field, "ptr") == 0) {
    /* ptr= without dns= means the name was verified; dns= overrides. */
    p->conn.ptr = value;
    if (!p->dns_given) p->conn.dns = HATMATCH_DNS_VERIFIED;
  } else if (strcmp(field, "dns") == 0) {
    p->dns_given = 1;
    if (strcmp(value, "nx") == 0) {
      p->conn.dns = HATMATCH_DNS_NXDOMAIN;
    } else if (strcmp(value, "servfail") == 0) {
      p->conn.dns = HATMATCH_DNS_SERVFAIL;
    } else if (strcmp(value, "mismatch") == 0) {
      p->conn.dns = HATMATCH_DNS_MISMATCH;
    } else {
      snprintf(why, n, "bad dns '%s': expected nx, servfail or mismatch",
               value);
      return 0;
    }
  } else if (strcmp(field, "sbrs") == 0) {
    if (strcmp(value, "none") == 0) return 1;
    if (!parse_number(value, -10.0, 10.0, &p->conn.sbrs)) {
      snprintf(why, n, "sbrs out of range -10..10: %s", value);
      return 0;
    }
    p->conn.has_sbrs = 1;
  } else if (strcmp(field, "sbo") == 0) {
    char *end;
    errno = 0;
    p->conn.sbo = strtoull(value, &end, 10);
    if (errno != 0 || end == value || *end != '\0' || value[0] == '-') {
      snprintf(why, n, "bad sbo '%s': expected a decimal owner id", value);
      return 0;
    }
    p->conn.has_sbo = 1;
  } else if (strcmp(field, "dnslist") == 0) {
    if (!parse_dnslists(value, p)) {
      snprintf(why, n, "more than %d dnslist zones", MAX_DNSLISTS);
      return 0;
    }
  } else {
    snprintf(why, n, "unknown field %s", field);
    return 0;
  }
  return 1;
}

/* Parses `line` (modified in place); returns 0 with the reason in why[]. */
static int parse_line(char *line, parsed *p, char *why, size_t n) {
  memset(p, 0, sizeof *p);
  const char *blanks = " \t\r\n";
  char *save = NULL;
  char *token = strtok_r(line, blanks, &save);
  if (!parse_address(token, &p->conn)) {
    snprintf(why, n, "'%s' does not appear to be an IPv4 or IPv6 address",
             token);
    return 0;
  }
  while ((token = strtok_r(NULL, blanks, &save)) != NULL) {
    if (!parse_field(token, p, why, n)) return 0;
  }
  return 1;
}

static int skipped(const char *line) {
  line += strspn(line, " \t\r\n");
  return *line == '\0' || *line == '#';
}

static void print_decision(const hatmatch_db *db, const hatmatch_decision *d) {
  if (d->rule == HATMATCH_NO_RULE) {
    fputs("-\t-\n", stdout);
  } else {
    printf("%s\t%s\n", hatmatch_db_rule_name(db, d->rule),
           hatmatch_action_name(d->action));
  }
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s RULES < CONNECTIONS\n", argv[0]);
    return 2;
  }
  hatmatch_db *db = NULL;
  char *error = NULL;
  if (hatmatch_db_load(argv[1], &db, &error) != HATMATCH_OK) {
    fprintf(stderr, "%s\n", error != NULL ? error : "out of memory");
    hatmatch_error_free(error);
    return 1;
  }
  static char line[MAX_LINE];
  while (fgets(line, sizeof line, stdin) != NULL) {
    if (skipped(line)) continue;
    parsed p;
    char why[512];
    hatmatch_decision d;
    if (!parse_line(line, &p, why, sizeof why)) {
      printf("?\t%s\n", why);
    } else if (hatmatch_db_classify(db, &p.conn, 0, &d) != HATMATCH_OK) {
      printf("?\t%s\n", "rejected by hatmatch_db_classify");
    } else {
      print_decision(db, &d);
    }
  }
  hatmatch_db_free(db);
  return 0;
}
