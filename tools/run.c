/* run: a program in a child process, and its result printed. */
#include "run.h"

#include "finding.h"

#include <stdio.h>
#include <string.h>

void run_program(const struct cli *c, const struct program *p,
                 const struct impl *impl, struct child_result *run) {
    struct exec_options o;
    /* resident memory above 2 GiB is a runaway implementation (MEMORY) */
    struct child_limits lim = {c->timeout, 2048ull << 20, c->no_fork};
    exec_options_default(&o);
    o.ics = c->ics;
    child_run(p, impl, &o, &lim, run);
}

/* A finding, indented under its program's line. */
static void print_finding(const struct program *p,
                          const struct exec_finding *f) {
    struct exec_finding_text t;
    char block[1024];
    exec_finding_describe(f, p, &t);
    exec_finding_format(&t, "    ", block, sizeof block);
    printf("  %s", block);
}

/* The implementation's debug output beside its findings, indented. */
static void print_debug(const char *text) {
    printf("  debug output (HS-DBG-1):\n");
    while (*text) {
        size_t n = strcspn(text, "\n");
        printf("    %.*s\n", (int)n, text);
        text += n + (text[n] == '\n');
    }
}

void run_print(const char *path, const struct program *p,
               const struct child_result *run, int verbose) {
    if (run->out == CH_PASS && !verbose && run->r.nfindings == 0)
        return;
    printf("%-7s %s%s%s\n", child_outcome_name(run->out), path,
           run->what[0] ? ": " : "", run->what);
    if (verbose && run->out <= CH_FAIL)
        printf("  operations: %u run, %u skipped\n", run->r.ops_run,
               run->r.ops_skipped);
    if (run->out > CH_FAIL && run->out < CH_ERROR && run->clause)
        printf("  [%s] while running op %u (%s)\n", run->clause, run->op,
               run->op < p->nops ? prog_op_name(p->ops[run->op].code) : "end");
    if (run->out == CH_FAIL || run->out == CH_PASS)
        for (uint32_t i = 0; i < run->r.nfindings; i++)
            print_finding(p, &run->r.f[i]);
    if (run->r.nfindings && run->r.debug[0])
        print_debug(run->r.debug);
}

int run_passed(const struct child_result *run) {
    return run->out == CH_PASS;
}
