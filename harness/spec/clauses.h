/*
 * clauses: the SPEC.md clause table in code (from clauses.def).
 */
#ifndef VPCERT_CLAUSES_H
#define VPCERT_CLAUSES_H

#include <stddef.h>

/* The version of SPEC.md these clauses are (tests/test_spec.c checks that
 * SPEC.md states it). */
#define SPEC_VERSION "1.5"

enum spec_level { SPEC_MUST = 0, SPEC_SHOULD = 1, SPEC_MAY = 2 };

/* What a program holds, as the EXERCISED column of clauses.def names it. */
enum spec_has {
    SPEC_HAS_BUFFER = 1u << 0,   /* an alloc_buffer */
    SPEC_HAS_POOL = 1u << 1,     /* an alloc_pool */
    SPEC_HAS_DISPATCH = 1u << 2, /* an alloc_pool at DISPATCH_LEVEL */
    SPEC_HAS_START = 1u << 3,    /* a start */
    SPEC_HAS_INJECT = 1u << 4,   /* an inject */
    SPEC_HAS_DEVICES = 1u << 5,  /* more than one device */
    SPEC_HAS_THREADS = 1u << 6   /* operations on more than one thread */
};

/* The calls into an implementation, as the CHARGED column names them. */
enum spec_call {
    SPEC_CALL_NONE = 0,                /* no call */
    SPEC_CALL_ALLOC_BUFFER = 1,        /* AllocateBuffer, Size > 0 */
    SPEC_CALL_ALLOC_BUFFER_0 = 2,      /* AllocateBuffer, Size 0 */
    SPEC_CALL_RELEASE_BUFFER = 3,      /* ReleaseBuffer of a release op */
    SPEC_CALL_ALLOC_POOL = 4,          /* AllocatePool below DISPATCH */
    SPEC_CALL_ALLOC_POOL_DISPATCH = 5, /* AllocatePool at DISPATCH_LEVEL */
    SPEC_CALL_FREE_POOL = 6,           /* FreePool of a free op */
    SPEC_CALL_START = 7,               /* VpcertDeviceStart */
    SPEC_CALL_STOP = 8, /* a stop op: its releases and VpcertDeviceStop */
    SPEC_CALL_END = 9,  /* releases after the last operation */
    SPEC_CALL_COUNT = 10
};

struct spec_clause {
    const char *id;         /* stable ID, e.g. "QU-2" */
    enum spec_level level;  /* MUST / SHOULD / MAY */
    const char *area;       /* CORE, QUOTA, POOL, HARNESS, CALLER */
    const char *title;      /* one line */
    unsigned exercised;     /* enum spec_has bits a program needs, all of
                               them, to exercise it (0: every program) */
    enum spec_call charged; /* the call a crash is charged to it for */
};

size_t spec_clause_count(void);
const struct spec_clause *spec_clause_at(size_t i);
/* Index of the clause with this ID, or -1. */
int spec_clause_index(const char *id);
const struct spec_clause *spec_clause_find(const char *id);
const char *spec_level_name(enum spec_level l);
/* 1 when a program holding has (enum spec_has bits) exercises c. */
int spec_exercised_by(const struct spec_clause *c, unsigned has);
/* The clause a crash, hang, exit or runaway memory in call is charged to,
 * or NULL for SPEC_CALL_NONE and values out of range. */
const struct spec_clause *spec_charged(enum spec_call call);

#endif /* VPCERT_CLAUSES_H */
