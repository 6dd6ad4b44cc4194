/* certify_minimize: the reproducer of each failing clause, its first
 * failing case with chunks of operations removed while the clause still
 * fails, written as a text program under reproducers/. */
#include "certify.h"

#include "clauses.h"
#include "cli.h"
#include "os.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MINIMIZE_TRIALS 120u

static int reproduces(struct cert_run *c, const struct cert_case *cs,
                      struct program *p, const char *clause) {
    struct child_result res;
    cert_run_case(c, cs, p, &res);
    if (res.out == CH_PASS || res.out == CH_FAIL) {
        for (uint32_t i = 0; i < res.r.nfindings; i++)
            if (!strcmp(res.r.f[i].clause, clause))
                return 1;
        return 0;
    }
    return child_abnormal(&res) && res.clause && !strcmp(res.clause, clause);
}

/* Remove chunks of operations while the clause still fails. */
static void minimize(struct cert_run *c, const struct cert_case *cs,
                     const char *clause, struct program *best,
                     double deadline) {
    struct program *trial = malloc(sizeof *trial);
    unsigned trials = 0;
    if (!trial)
        return; /* best is the whole case, as decoded by the caller */
    for (uint32_t chunk = best->nops / 2 ? best->nops / 2 : 1; chunk >= 1;
         chunk /= 2) {
        for (uint32_t at = 0; at + chunk <= best->nops;) {
            if (trials++ >= MINIMIZE_TRIALS || os_now() > deadline ||
                c->runner.stopped)
                goto done;
            *trial = *best;
            memmove(&trial->ops[at], &trial->ops[at + chunk],
                    (trial->nops - at - chunk) * sizeof trial->ops[0]);
            trial->nops -= chunk;
            prog_normalize(trial);
            if (reproduces(c, cs, trial, clause))
                *best = *trial;
            else
                at += chunk;
        }
        if (chunk == 1)
            break;
    }
done:
    free(trial);
}

void cert_write_reproducer(struct cert_run *c, size_t k, double deadline) {
    struct cert_clause *g = &c->clauses[k];
    const struct cert_case *cs = &c->cases[g->first_case];
    const char *id = spec_clause_at(k)->id;
    struct program *best = malloc(sizeof *best);
    if (!best)
        return;
    if (cert_case_program(cs, best) != 0) {
        free(best);
        return;
    }
    uint32_t whole = best->nops;
    minimize(c, cs, id, best, deadline);
    size_t n = prog_text_write(best, NULL, 0);
    char head[2048], lib[600];
    int hn = snprintf(
        head, sizeof head,
        "# vpcert certify reproducer for %s\n# library: %s (sha256 %s)\n"
        "# from case: %s (%u of its %u operations kept)\n"
        "# expected: %s\n# observed: %s\n",
        id, os_show(c->cfg.lib, lib, sizeof lib), c->sha256, cs->name,
        best->nops, whole, g->expected, g->observed);
    char *text = malloc((size_t)hn + n + 1);
    if (text) {
        memcpy(text, head, (size_t)hn);
        prog_text_write(best, text + hn, n + 1);
        char staged[PATH_MAX];
        snprintf(g->reproducer, sizeof g->reproducer, "%s/reproducers/%s.vpt",
                 c->cfg.out_dir, id);
        snprintf(staged, sizeof staged, "%s/reproducers/%s.vpt", c->cfg.stage,
                 id);
        if (cli_write_file(staged, text, (size_t)hn + n) != 0)
            g->reproducer[0] = 0;
        else
            cert_write_c_reproducer(c, k, best);
    }
    free(text);
    free(best);
}
