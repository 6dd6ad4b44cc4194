/*
 * ics: the implementation conformance statement, a `key = value` text file
 * with `#` comments. Keys and defaults are documented in SPEC.md.
 */
#ifndef VPCERT_ICS_H
#define VPCERT_ICS_H

#include <stddef.h>

struct ics {
    int quota_enabled; /* quota = per-device (1, default) | none (0) */
    int quota_first; /* quota-order = quota-first (1, default) | pool-first (0)
                      */
    unsigned services; /* SVC_* mask, default SVC_ALL */
    int zero_size;     /* enum vpm_zero_size: any (default), allocate, reject */
    int thread_safe;   /* concurrency = thread-safe (1) | serialized (0,
                          default) */
};

void ics_default(struct ics *ics);
/* Parse text; on error returns -1 with "FILE:LINE:COL: message" in err. */
int ics_parse(const char *text, size_t len, const char *file, struct ics *ics,
              char *err, size_t errlen);
/* Read and parse the ICS file at path (NULL: the defaults). 0, or -1 with
 * "FILE: reason" or "FILE:LINE:COL: message" in err. */
int ics_load(const char *path, struct ics *ics, char *err, size_t errlen);
struct spec_clause;
struct program;
struct prog_op;
/* Why clause cl does not apply to an implementation with this ICS (the
 * clause binds vpcert itself, the ICS declares no quota, no pool
 * services...), or NULL when it applies. */
const char *ics_not_applicable(const struct ics *ics,
                               const struct spec_clause *cl);
/* Does a conformance vector apply under this ICS? Only when it calls no
 * pool service the ICS leaves out, and, under concurrency = serialized,
 * runs on one thread. */
int ics_vector_applies(const struct ics *ics, const struct program *p,
                       const unsigned char *cites);
/* The outcomes an `expect` annotation states for op under this ICS, as a
 * mask of (1u << enum prog_expect); 0 when op states none. The outcome for
 * a choice the ICS makes (expect@none=, expect@pool-first=,
 * expect@allocate=, expect@reject=) replaces `expect`; zero-size first,
 * then quota = none, then pool-first (which quota = none overrides). Under
 * zero-size = any, the outcomes stated for allocate and reject are both
 * expected, with `expect`. */
unsigned ics_expected(const struct ics *ics, const struct prog_op *op);
/* Services an ICS requires exported (ICS-1): the declared services, and
 * VpcertDeviceStart/Stop when it declares a per-device quota (the quota
 * reaches the implementation only through them). SVC_* mask. */
unsigned ics_required(const struct ics *ics);

/* Write the declared values after defaults, one `key = value` per line. */
size_t ics_write(const struct ics *ics, char *out, size_t cap);

#endif /* VPCERT_ICS_H */
