/* run: a program run on the implementation, and its result printed. */
#include "run.h"

#include "finding.h"
#include "os.h"

#include <stdio.h>
#include <string.h>

#define RUN_RSS (2048ull << 20) /* above: a runaway implementation (MEMORY) */

int run_open(const struct cli *c, struct run_target *t, int child_stdout) {
    memset(t, 0, sizeof *t);
    const char *lib = c->impl_path && strcmp(c->impl_path, "default") != 0
                          ? c->impl_path
                          : NULL;
    t->here = c->no_fork;
    if (t->here) {
        if (cli_load_impl(c, &t->impl) != 0)
            return -1;
        t->name = t->impl.name;
        t->services = impl_services(&t->impl);
        return 0;
    }
    struct runner_config rc = {lib,          c->timeout, RUN_RSS, 0,    1,   1,
                               child_stdout, 1,          NULL,    NULL, NULL};
    char err[IMPL_ERR_MAX + 700], shown[4 * IMPL_ERR_MAX];
    if (runner_start(&t->runner, &rc, err, sizeof err) != 0) {
        fprintf(stderr, "vpcert: %s\n", os_show(err, shown, sizeof shown));
        runner_stop(&t->runner);
        return -1;
    }
    t->name = lib ? lib : "shim (built in)";
    t->services = t->runner.services;
    return 0;
}

void run_program_with(struct run_target *t, const struct program *p,
                      const struct exec_options *o, struct child_result *run) {
    if (t->here)
        child_run_here(p, &t->impl, o, run);
    else
        runner_one(&t->runner, p, o, run);
}

void run_program(const struct cli *c, struct run_target *t,
                 const struct program *p, struct child_result *run) {
    struct exec_options o;
    exec_options_default(&o);
    o.ics = c->ics;
    run_program_with(t, p, &o, run);
}

void run_close(struct run_target *t) {
    if (t->here)
        impl_unload(&t->impl);
    else
        runner_stop(&t->runner);
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
    printf("%-7s %s%s%s\n", child_outcome_name(run->out), cli_show(path),
           run->what[0] ? ": " : "", run->what);
    if (verbose && run->out <= CH_FAIL)
        printf("  operations: %u run, %u skipped\n", run->r.ops_run,
               run->r.ops_skipped);
    if (child_abnormal(run) && run->clause)
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
