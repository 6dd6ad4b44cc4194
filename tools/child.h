/*
 * child: run one program in a child process under a time limit and a memory
 * limit, so that a crash, a hang, an exit() or runaway memory in the
 * implementation becomes a result instead of the end of vpcert.
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
    CH_ERROR = 6    /* vpcert could not run it or vouch for it (fork, out of
                       memory, a lost event, one of its own invariants) */
};

struct child_limits {
    double seconds;     /* wall-clock limit per program */
    uint64_t rss_bytes; /* resident memory limit, 0 = none */
    int in_process;     /* 1: no child (debugging) */
};

struct child_result {
    enum child_outcome out; /* what happened */
    struct exec_result r;   /* findings (PASS/FAIL) */
    uint32_t op;            /* operation running when it ended */
    const char *clause;     /* clause that call exercised (crash attribution) */
    char what[160];         /* crash/timeout/exit text */
};

void child_run(const struct program *p, const struct impl *impl,
               const struct exec_options *o, const struct child_limits *lim,
               struct child_result *res);
const char *child_outcome_name(enum child_outcome o);

#endif /* VPCERT_CHILD_H */
