/* cmd_explain: the program in text form, each step with what the
 * implementation did and what the model allowed. */
#include "clauses.h"
#include "cli.h"
#include "finding.h"
#include "os.h"
#include "run.h"
#include "vpm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void on_step(void *ctx, const struct exec_step *s) {
    (void)ctx;
    char text[200], allowed[96];
    prog_text_op(s->o, text, sizeof text);
    printf("%4u  %-58s", s->op, text);
    if (s->overlapped)
        printf("  [overlapped: judged with the others, CONC-1]");
    if (s->skipped) {
        printf("  skipped: %s\n", s->why);
        return;
    }
    if (s->escaped) {
        printf("  did not return (the finding says why)\n");
        return;
    }
    switch (s->o->code) {
    case PROG_OP_ALLOC_BUFFER:
        exec_allowed_text(s->allowed, 0, "|", allowed, sizeof allowed);
        printf("  Size=%llu -> %ld%s; model allows %s\n",
               (unsigned long long)s->size, (long)s->status,
               s->pool_refused ? " (pool refused)" : "", allowed);
        break;
    case PROG_OP_ALLOC_POOL:
        exec_allowed_text(s->allowed, 1, "|", allowed, sizeof allowed);
        printf("  bytes=%llu -> %s%s; model allows %s\n",
               (unsigned long long)s->size, s->ptr ? "block" : "NULL",
               s->pool_refused ? " (pool refused)" : "", allowed);
        break;
    case PROG_OP_RELEASE_BUFFER:
    case PROG_OP_FREE_POOL:
    case PROG_OP_TOUCH:
        printf("  live #%u (%llu bytes)\n", s->target,
               (unsigned long long)s->size);
        break;
    default:
        printf("\n");
    }
}

int cmd_explain(struct cli *c) {
    struct program *p = malloc(sizeof *p);
    struct run_target tg;
    if (!p || c->nargs != 1 || cli_load_program(c->args[0], p) != 0 ||
        run_open(c, &tg, 1) != 0) {
        if (c->nargs != 1)
            fprintf(stderr, "vpcert explain: takes exactly one FILE (see "
                            "vpcert explain --help)\n");
        free(p);
        return 2;
    }
    char shown[2][1200];
    printf("# %s on %s: %u devices, pools paged=%llu nonpaged=%llu\n",
           os_show(c->args[0], shown[0], sizeof shown[0]),
           os_show(tg.name, shown[1], sizeof shown[1]), (unsigned)p->ndevices,
           (unsigned long long)p->capacity[0],
           (unsigned long long)p->capacity[1]);
    if (prog_threads(p) > 1)
        printf("# %u threads, %s: %s\n", prog_threads(p),
               c->ics.thread_safe ? "concurrency = thread-safe"
                                  : "concurrency = serialized",
               c->ics.thread_safe
                   ? "steps are listed as they end (SPEC.md \"Threads\")"
                   : "one operation at a time, in program order");
    struct exec_options o;
    struct child_result res;
    exec_options_default(&o);
    o.ics = c->ics;
    o.on_step = on_step;
    fflush(stdout);
    run_program_with(&tg, p, &o, &res);
    fflush(stdout);
    const struct exec_result *r = &res.r;
    for (uint32_t i = 0; res.out <= CH_FAIL && i < r->nfindings; i++) {
        struct exec_finding_text t;
        char block[1024];
        exec_finding_describe(&r->f[i], p, &t);
        exec_finding_format(&t, "  ", block, sizeof block);
        printf("finding %s", block);
    }
    if (res.out <= CH_FAIL && r->debug[0])
        printf("debug output (HS-DBG-1):\n%s\n", r->debug);
    if (res.out <= CH_FAIL || res.out == CH_ERROR)
        printf("operations: %u run, %u skipped\n", r->ops_run, r->ops_skipped);
    if (res.out <= CH_FAIL)
        printf("result: %s\n", res.out == CH_FAIL ? "FAIL" : "PASS");
    else if (child_abnormal(&res))
        printf("result: %s: %s, while running op %u [%s]\n",
               child_outcome_name(res.out), res.what, res.op,
               res.clause ? res.clause : "-");
    else
        printf("error: %s\n", res.what);
    run_close(&tg);
    free(p);
    return res.out == CH_PASS                             ? 0
           : res.out == CH_ERROR || res.out == CH_STOPPED ? 2
                                                          : 1;
}
