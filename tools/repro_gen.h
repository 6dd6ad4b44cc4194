/*
 * repro_gen: the walk that writes a recorded run as C (repro_c.c), shared
 * with the file's opening comment (repro_c_head.c) and the check written
 * where the clause was found (repro_c_check.c). Private to those three.
 */
#ifndef VPCERT_REPRO_GEN_H
#define VPCERT_REPRO_GEN_H

#include "repro_c.h"

/* What the walk knows. */
struct repro_gen {
    const struct repro_c_input *in; /* the input */
    struct sbuf *b;                 /* the program so far */
    const struct exec_trace *call;  /* the call in progress or last made */
    int slot;                       /* its allocation (a[slot]), -1 none */
    int nslots;                     /* allocations numbered so far */
    uintptr_t *ptr;                 /* per slot: the pointer recorded */
    int *live;                      /* per slot: handed out, not given back */
    int open;                       /* an "if (a[N]) {" is open */
    int give_back;                  /* slot to forget when it closes, -1 */
    const struct exec_trace *judge; /* the model's judgement of the call */
    const struct exec_trace *ctx;   /* the last record that is no finding */
    uint32_t last_op;               /* the operation last commented */
    unsigned calls;                 /* calls written */
};

/* repro_c.c: the slot holding the live allocation at ptr, or -1. */
int repro_gen_slot(const struct repro_gen *g, uintptr_t ptr);
/* repro_c.c: close an open "if (a[N]) {", forgetting what was given back. */
void repro_gen_close(struct repro_gen *g);
/* repro_c.c: the indentation of the next line. */
const char *repro_gen_ind(const struct repro_gen *g);
/* repro_c_check.c: the check of finding f; -1 when none is written for it
 * here. */
int repro_gen_check(struct repro_gen *g, const struct exec_trace *f);
/* repro_c_head.c: the opening comment. */
void repro_gen_head(const struct repro_gen *g);

#endif /* VPCERT_REPRO_GEN_H */
