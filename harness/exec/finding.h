/*
 * finding: a finding as a block of text, written by one function and read
 * back by one function, with named fields (fuzz_diff prints findings that
 * `vpcert fuzz` reads back from its output; `vpcert replay` prints them):
 *
 *   [QU-2] MUST at op 3 (alloc_buffer): expected NO_ERROR; observed status 122
 *   INDENTthe detail sentence
 *   INDENTsignature QU-2:status-vs-NO_ERROR
 *
 * Control characters in a field are written as spaces, and "; observed "
 * inside the expected text as ", observed ", so that every block reads
 * back; everything else round-trips exactly.
 */
#ifndef VPCERT_FINDING_H
#define VPCERT_FINDING_H

#include <stddef.h>

#include "exec.h"

/* fuzz_diff prints each finding after this, on a line of its own. */
#define EXEC_FINDING_FUZZ_MARK "vpcert-fuzz: FINDING "

struct exec_finding_text {
    struct exec_finding f; /* clause, level, op, expected, observed, detail */
    char op_name[24];      /* the operation at f.op, "end" past the last */
    char signature[160];   /* exec_signature() of f */
};

/* Fill t from a finding of program p (its operation name, its signature). */
void exec_finding_describe(const struct exec_finding *f,
                           const struct program *p,
                           struct exec_finding_text *t);
/* Write t as the three lines above, each ending in '\n', the second and
 * third after indent. Returns the length written (as snprintf: more than
 * cap - 1 means truncated). */
size_t exec_finding_format(const struct exec_finding_text *t,
                           const char *indent, char *out, size_t cap);
/* Read a block written by exec_finding_format with the same indent,
 * starting at its '['. Returns 0 and sets *end past the block, or -1 when
 * text is not such a block. */
int exec_finding_parse(const char *text, const char *indent,
                       struct exec_finding_text *t, const char **end);

#endif /* VPCERT_FINDING_H */
