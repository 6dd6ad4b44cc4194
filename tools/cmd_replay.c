/* cmd_replay: `vpcert replay FILE|DIR...`: every program, each in a child
 * process under a time limit, so that a crash or a hang is reported and the
 * next program runs; ends with "N passed, N failed". */
#include "cli.h"
#include "corpus.h"
#include "run.h"

#include <stdio.h>
#include <stdlib.h>

static void replay_one(struct cli *c, const char *path, struct run_target *tg,
                       struct program *p, struct run_tally *t) {
    struct child_result run;
    if (cli_load_program(path, p) != 0) {
        t->bad++;
        return;
    }
    run_program(c, tg, p, &run);
    if (run_passed(&run))
        t->passed++;
    else
        t->failed++;
    if (!c->quiet)
        run_print(path, p, &run, c->verbose);
}

int cmd_replay(struct cli *c) {
    struct corpus f = {0};
    struct run_target tg;
    if (c->nargs == 0) {
        fprintf(stderr, "vpcert replay: no program given (see vpcert replay "
                        "--help)\n");
        return 2;
    }
    if (corpus_collect(&f, c->nargs, c->args, NULL) != 0) {
        corpus_free(&f);
        return 2;
    }
    struct program *p = malloc(sizeof *p);
    if (!p || run_open(c, &tg, 0) != 0) {
        free(p);
        corpus_free(&f);
        return 2;
    }
    struct run_tally t = {0, 0, 0, 0};
    for (size_t i = 0; i < f.n; i++)
        replay_one(c, f.v[i], &tg, p, &t);
    printf("%u passed, %u failed%s", t.passed, t.failed, t.bad ? "" : "\n");
    if (t.bad)
        printf(", %u unreadable\n", t.bad);
    run_close(&tg);
    free(p);
    corpus_free(&f);
    return t.bad ? 2 : t.failed ? 1 : 0;
}
