/*
 * run: one program run the way replay, conform and explain run it: in a
 * fresh child of a worker that holds the implementation (runner.h),
 * under --timeout and a memory limit; or, with --no-fork, here (for
 * debuggers). And its result printed.
 */
#ifndef VPCERT_RUN_H
#define VPCERT_RUN_H

#include "child.h"
#include "cli.h"
#include "runner.h"

struct run_tally {
    unsigned skipped; /* vectors that do not apply under the ICS */
    unsigned passed;  /* programs that passed */
    unsigned failed;  /* programs with a MUST finding, crash or timeout */
    unsigned bad;     /* programs that could not be read */
};

/* The implementation a command runs programs on. */
struct run_target {
    struct runner runner; /* its workers (not with --no-fork) */
    struct impl impl;     /* --no-fork: loaded here */
    int here;             /* --no-fork */
    const char *name;     /* what to call it */
    unsigned services;    /* SVC_* it exports */
};

/* Load the implementation chosen by --impl (the built-in shim without
 * it) in a worker, or here with --no-fork; child_stdout: the programs'
 * children write to vpcert's standard output (explain). 0, or -1 with
 * one line printed. */
int run_open(const struct cli *c, struct run_target *t, int child_stdout);
/* Run p with the command line's ICS. */
void run_program(const struct cli *c, struct run_target *t,
                 const struct program *p, struct child_result *run);
/* Run p with options o. */
void run_program_with(struct run_target *t, const struct program *p,
                      const struct exec_options *o, struct child_result *run);
void run_close(struct run_target *t);
/* The result: one line (none for a quiet pass), then the findings. */
void run_print(const char *path, const struct program *p,
               const struct child_result *run, int verbose);
/* A run passes when it ended normally with no MUST finding. SHOULD
 * findings are printed but do not fail it. */
int run_passed(const struct child_result *run);

#endif /* VPCERT_RUN_H */
