/*
 * cmd_fuzz: `vpcert fuzz`, a differential fuzzing campaign (campaign.h):
 * set up, run libFuzzer with progress lines, summarize, triage every new
 * finding, and merge into --corpus DIR when asked and nothing was found.
 *
 * Exit status: 0 nothing found, 1 findings, 2 usage or setup error.
 */
#include "campaign.h"
#include "cli.h"
#include "interrupt.h"
#include "triage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void banner(const struct campaign *c, size_t seeds) {
    int afl = c->engine == CAMPAIGN_AFL;
    printf("vpcert fuzz: %s against %s, %.0f s, %d job%s\n"
           "  corpus %s (%zu inputs, %zu from corpus/seeds and "
           "corpus/regressions)\n"
           "  findings %s/findings/, %s output %s/%s, statistics "
           "%s/stats.csv and stats.png\n",
           cli_show(afl ? c->afl_target : c->fuzzer), cli_show(c->target),
           c->time, c->jobs,
           c->jobs < 2 ? ""
           : afl       ? "s (afl-fuzz main and secondaries)"
                       : "s (libFuzzer fork mode: goes on past findings)",
           cli_show(c->corpus_show), os_dir_count_files(c->corpus), seeds,
           WORK_DIR, afl ? "afl-fuzz" : "libFuzzer", WORK_DIR,
           afl ? "afl.log" : "fuzz.log", WORK_DIR);
    fflush(stdout);
}

static void summary(const struct campaign *c, size_t nf) {
    double el = os_now() - c->start;
    printf("\nvpcert fuzz: %s after %.1f s: %llu execs (%.0f exec/s), cov %lu, "
           "corpus %zu inputs (%s), %zu finding%s\n",
           interrupt_seen() ? "interrupted" : "done", el, c->log.execs,
           el > 0 ? (double)c->log.execs / el : 0.0, c->log.cov,
           os_dir_count_files(c->corpus), c->corpus_show, nf,
           nf == 1 ? "" : "s");
}

/* Triage and print the findings; 1 if there are any, else 0. */
static int report(const struct campaign *c, const struct os_list *found) {
    static struct triage t;
    memset(&t, 0, sizeof t);
    for (size_t i = 0; i < found->n && i < TRIAGE_MAX_REPORTED; i++)
        triage_report(&t, c, found->v[i].name, (unsigned)i + 1);
    triage_write_sarif(&t, c);
    if (found->n > TRIAGE_MAX_REPORTED)
        printf("\n(%zu more findings in %s/findings/, not minimized)\n",
               found->n - TRIAGE_MAX_REPORTED, WORK_DIR);
    if (!found->n)
        return 0;
    printf("\nvpcert fuzz: %zu finding%s; replay the text forms with "
           "`vpcert replay %s/findings/*.vpt`; for code scanning: "
           "%s/findings.sarif\n",
           found->n, found->n == 1 ? "" : "s", WORK_DIR, WORK_DIR);
    return 1;
}

/* The exit status, once the campaign ran (lf: libFuzzer's status). */
static int conclude(const struct cli *cl, const struct campaign *c, int lf) {
    struct os_list found;
    triage_new(c, &found);
    summary(c, found.n);
    int rc = report(c, &found);
    if (!rc && lf != 0 && !interrupt_seen() && c->engine == CAMPAIGN_AFL) {
        printf("vpcert fuzz: afl-fuzz exited with status %d and no finding "
               "(its screen: %s/afl.log)\n",
               lf, WORK_DIR);
        rc = 2;
    } else if (!rc && lf != 0 && !interrupt_seen()) {
        printf("vpcert fuzz: libFuzzer exited with status %d and no finding; "
               "its last lines:\n",
               lf);
        fuzzer_log_print_tail(&c->log, stdout);
        rc = 2;
    } else if (!rc && cl->merge && !interrupt_seen()) {
        rc = campaign_merge(c, cl->corpus) == 0 ? 0 : 2;
    }
    if (cl->merge && found.n)
        printf("vpcert fuzz: not merging into %s: the campaign has findings\n",
               cli_show(cl->corpus));
    os_list_free(&found);
    return rc;
}

int cmd_fuzz(struct cli *cl) {
    struct campaign *c = calloc(1, sizeof *c);
    if (!c)
        return 2;
    int rc = 2;
    if (campaign_setup(cl, c) == 0) {
        banner(c, cl->no_seeds ? 0 : campaign_seed(c));
        interrupt_catch();
        rc = conclude(cl, c, campaign_run(c));
        interrupt_restore();
    }
    os_list_free(&c->known);
    free(c);
    return rc;
}
