/*
 * sarif: the parts of a SARIF 2.1.0 log that certify's report.sarif
 * (report_sarif.c) and fuzz's findings.sarif (fuzz_sarif.c) share: the
 * log's head, the tool and its rules (one per SPEC.md clause used, with
 * the clause's title and level and a link to its section of SPEC.md), a
 * result's level, and artifact locations.
 *
 * Files a log names lie under one directory, the run's uriBaseId "REPORT"
 * (run.originalUriBaseIds gives its absolute file: URI); the library under
 * test is named by its absolute file: URI.
 */
#ifndef VPCERT_SARIF_H
#define VPCERT_SARIF_H

#include "clauses.h"
#include "sbuf.h"

#include <stddef.h>

#define SARIF_VERSION "2.1.0"
#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"
#define SARIF_BASE "REPORT" /* uriBaseId of the files of the log */

/* A rule of the log that is not a SPEC.md clause (fuzz: an input fuzz_diff
 * fails on without a vpcert finding). */
struct sarif_rule {
    const char *id;    /* ruleId, never a clause ID */
    const char *title; /* shortDescription */
    const char *help;  /* help text */
    const char *level; /* defaultConfiguration.level */
};

/* "error" for MUST, "warning" for SHOULD, "note" for MAY. */
const char *sarif_level(enum spec_level level);
/* The log's head up to and including the run's "tool" object, whose
 * driver lists the clauses ids[0..n-1] as rules 0..n-1, then the extra
 * rules as n.. ; then "originalUriBaseIds" (base_dir, absolute). The
 * caller writes the run's other properties, then sarif_end. */
void sarif_begin(struct sbuf *b, const char *const ids[], size_t n,
                 const struct sarif_rule *extra, size_t nextra,
                 const char *base_dir);
/* Close the run and the log. */
void sarif_end(struct sbuf *b);
/* An artifactLocation object: {"uri": ..., "uriBaseId": "REPORT",
 * "index": index} for rel (relative to the base), or the absolute file:
 * URI of abs when rel is NULL. index < 0: none. */
void sarif_location(struct sbuf *b, const char *rel, const char *abs,
                    int index);
/* A result's "locations" (the last file present) and "attachments" (each
 * file present, described by what[j]), after ",\n": the files rel[0..n-1]
 * ("" when absent, relative to the base), the present ones being
 * run.artifacts first, first + 1, ... in order. Returns how many there
 * were. */
int sarif_result_files(struct sbuf *b, char (*rel)[300],
                       const char *const what[], int n, int first);
/* "expected E; observed O", escaped for a JSON string. */
void sarif_expected(struct sbuf *b, const char *expected, const char *observed);
/* The section of SPEC.md that states a clause, as a URI fragment:
 * "qu-2-must" for "### QU-2 (MUST)" (GitHub's heading anchors). */
void sarif_clause_anchor(const struct spec_clause *c, char *out, size_t cap);

#endif /* VPCERT_SARIF_H */
