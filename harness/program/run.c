/*
 * run: the order in which a program's operations execute, with repeat
 * operations unrolled. Shared by everything that runs programs (the
 * executor, the model-alone fuzzer, the case generators), so that a repeat
 * means the same everywhere. See program.h, struct prog_run.
 */
#include "program.h"

#include <stdlib.h>

int prog_run_init(struct prog_run *r, const struct program *p,
                  uint64_t max_steps) {
    r->p = p;
    r->pc = 0;
    r->steps = 0;
    r->max_steps = max_steps < PROG_MAX_STEPS ? max_steps : PROG_MAX_STEPS;
    r->done = NULL;
    for (uint32_t i = 0; i < p->nops; i++) {
        if (p->ops[i].code != PROG_OP_REPEAT)
            continue;
        r->done = calloc(p->nops, sizeof *r->done);
        return r->done ? 0 : -1;
    }
    return 0;
}

void prog_run_fini(struct prog_run *r) {
    free(r->done);
    r->done = NULL;
}

int64_t prog_run_next(struct prog_run *r) {
    const struct program *p = r->p;
    while (r->pc < p->nops && r->steps < r->max_steps) {
        uint32_t i = r->pc;
        const struct prog_op *op = &p->ops[i];
        r->steps++;
        if (op->code != PROG_OP_REPEAT) {
            r->pc = i + 1;
            return i;
        }
        uint32_t back = op->index < i ? op->index : i;
        if (back && r->done[i] < op->value) {
            r->done[i]++;
            r->pc = i - back;
        } else {
            r->done[i] = 0;
            r->pc = i + 1;
        }
    }
    return -1;
}

uint64_t prog_run_length(const struct program *p, uint64_t max_steps) {
    struct prog_run r;
    uint64_t n = 0;
    if (prog_run_init(&r, p, max_steps) != 0)
        return UINT64_MAX;
    while (prog_run_next(&r) >= 0)
        n++;
    prog_run_fini(&r);
    return n;
}

void prog_normalize(struct program *p) {
    for (uint32_t i = 0; i < p->nops; i++)
        if (p->ops[i].code == PROG_OP_REPEAT && p->ops[i].index > i)
            p->ops[i].index = i;
}
