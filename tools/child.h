/*
 * child: the result of one program run in a child process (runner.h), so
 * that a crash, a hang, an exit() or runaway memory in the implementation
 * becomes a result instead of the end of vpcert.
 */
#ifndef VPCERT_CHILD_H
#define VPCERT_CHILD_H

#include "exec.h"

enum child_outcome {
    CH_PASS = 0,    /* ran to the end, no MUST finding */
    CH_FAIL = 1,    /* a MUST finding */
    CH_CRASH = 2,   /* killed by a signal */
    CH_EXIT = 3,    /* exited before reporting (exit() in the implementation,
                       sanitizer) */
    CH_TIMEOUT = 4, /* no result within the time limit */
    CH_MEMORY = 5,  /* resident memory above the limit */
    CH_KILL = 6,    /* vpcert's processes around it died: the implementation
                       signalled its parent or outside its own group */
    CH_ERROR = 7,   /* vpcert could not run it or vouch for it (fork, out of
                       memory, a lost event, one of its own invariants) */
    CH_STOPPED = 8, /* not run: the time budget ran out, or an interrupt */
    CH_COUNT = 9    /* number of outcomes */
};

struct child_result {
    enum child_outcome out; /* what happened */
    struct exec_result r;   /* findings (PASS/FAIL) */
    uint32_t op;            /* operation running when it ended */
    const char *clause;     /* clause that call exercised (crash attribution) */
    double seconds;         /* wall-clock seconds the program ran */
    char what[160];         /* crash/timeout/exit text */
};

const char *child_outcome_name(enum child_outcome o);
/* Run p here, in this process (--no-fork, and the runner's children). */
void child_run_here(const struct program *p, const struct impl *impl,
                    const struct exec_options *o, struct child_result *res);
/* Did the implementation end abnormally (crash, exit, hang, memory,
 * signalling vpcert)? Then res->clause says which clause the call in
 * progress exercised. */
int child_abnormal(const struct child_result *res);

#endif /* VPCERT_CHILD_H */
