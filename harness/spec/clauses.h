/*
 * clauses: the SPEC.md clause table in code (from clauses.def).
 */
#ifndef VPCERT_CLAUSES_H
#define VPCERT_CLAUSES_H

#include <stddef.h>

enum spec_level { SPEC_MUST = 0, SPEC_SHOULD = 1, SPEC_MAY = 2 };

struct spec_clause {
    const char *id;        /* stable ID, e.g. "QU-2" */
    enum spec_level level; /* MUST / SHOULD / MAY */
    const char *area;      /* CORE, QUOTA, POOL, HARNESS, CALLER */
    const char *title;     /* one line */
};

size_t spec_clause_count(void);
const struct spec_clause *spec_clause_at(size_t i);
/* Index of the clause with this ID, or -1. */
int spec_clause_index(const char *id);
const struct spec_clause *spec_clause_find(const char *id);
const char *spec_level_name(enum spec_level l);

#endif /* VPCERT_CLAUSES_H */
