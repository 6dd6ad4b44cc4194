/* holds: what a program holds, in the words of the clause table's EXERCISED
 * column (harness/spec/clauses.def). */
#include "clauses.h"
#include "program.h"

unsigned prog_holds(const struct program *p) {
    unsigned has = p->ndevices > 1 ? SPEC_HAS_DEVICES : 0;
    if (prog_threads(p) > 1)
        has |= SPEC_HAS_THREADS;
    for (uint32_t i = 0; i < p->nops; i++) {
        const struct prog_op *op = &p->ops[i];
        if (op->code == PROG_OP_ALLOC_BUFFER)
            has |= SPEC_HAS_BUFFER;
        else if (op->code == PROG_OP_ALLOC_POOL)
            has |= op->dispatch ? SPEC_HAS_POOL | SPEC_HAS_DISPATCH
                                : SPEC_HAS_POOL;
        else if (op->code == PROG_OP_START)
            has |= SPEC_HAS_START;
        else if (op->code == PROG_OP_INJECT)
            has |= SPEC_HAS_INJECT;
    }
    return has;
}
