/*
 * clauses: the SPEC.md clause table in code (from clauses.def).
 */
#ifndef VPCERT_CLAUSES_H
#define VPCERT_CLAUSES_H

#include <stddef.h>

enum vp_level { VP_MUST = 0, VP_SHOULD = 1, VP_MAY = 2 };

struct vp_clause {
    const char *id;      /* stable ID, e.g. "QU-2" */
    enum vp_level level; /* MUST / SHOULD / MAY */
    const char *area;    /* CORE, QUOTA, POOL, HARNESS, CALLER */
    const char *title;   /* one line */
};

size_t vp_clause_count(void);
const struct vp_clause *vp_clause_at(size_t i);
/* Index of the clause with this ID, or -1. */
int vp_clause_index(const char *id);
const struct vp_clause *vp_clause_find(const char *id);
const char *vp_level_name(enum vp_level l);

#endif /* VPCERT_CLAUSES_H */
