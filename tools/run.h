/*
 * run: one program run the way replay and conform run it (in a child
 * process under --timeout and a memory limit, unless --no-fork), and its
 * result printed.
 */
#ifndef VPCERT_RUN_H
#define VPCERT_RUN_H

#include "child.h"
#include "cli.h"

struct run_tally {
    unsigned skipped; /* vectors that do not apply under the ICS */
    unsigned passed;  /* programs that passed */
    unsigned failed;  /* programs with a MUST finding, crash or timeout */
    unsigned bad;     /* programs that could not be read */
};

void run_program(const struct cli *c, const struct program *p,
                 const struct impl *impl, struct child_result *run);
/* The result: one line (none for a quiet pass), then the findings. */
void run_print(const char *path, const struct program *p,
               const struct child_result *run, int verbose);
/* A run passes when it ended normally with no MUST finding. SHOULD
 * findings are printed but do not fail it. */
int run_passed(const struct child_result *run);

#endif /* VPCERT_RUN_H */
