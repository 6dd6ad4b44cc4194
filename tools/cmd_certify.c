/* cmd_certify: `vpcert certify --ics FILE [--out DIR] [--seed N] [--time S]
 * [--cases N] LIB.so`. Exit 0 CERTIFIED or CERTIFIED_WITH_WARNINGS, 1
 * NOT_CERTIFIED, 2 usage error or a library that cannot be loaded. */
#include "certify.h"
#include "clauses.h"
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void summary(const struct cert_run *c) {
    unsigned count[CV_COUNT] = {0};
    for (size_t k = 0; k < spec_clause_count(); k++)
        count[c->clauses[k].verdict]++;
    for (size_t k = 0; k < spec_clause_count(); k++) {
        const struct cert_clause *g = &c->clauses[k];
        if (g->verdict != CV_FAIL && g->verdict != CV_WARN &&
            g->verdict != CV_INCONCLUSIVE)
            continue;
        printf("  %-12s %-6s %-13s %s%s%s%s%s\n", spec_clause_at(k)->id,
               spec_level_name(spec_clause_at(k)->level),
               cert_verdict_name(g->verdict), g->failed ? g->observed : g->note,
               g->reproducer[0] ? "\n               reproducer: " : "",
               g->reproducer,
               g->c_reproducer[0] ? "\n               C reproducer: " : "",
               g->c_reproducer);
    }
    printf("%s:", cert_overall_name(c->overall));
    for (int v = 0; v < CV_COUNT; v++)
        printf("%s %u %s", v ? "," : "", count[v],
               cert_verdict_name((enum cert_verdict)v));
    printf(" (%u of %u cases, %.1f s)\ncases:", c->ran, c->ncases, c->seconds);
    for (unsigned f = 0; f < CASES_FAMILY_COUNT; f++)
        printf("%s %s %u", f ? "," : "", cases_family_name(f),
               c->family[f].done);
    printf("\nreport: %s/report.md, report.json, junit.xml, report.sarif\n",
           c->cfg.out_dir);
}

int cmd_certify(struct cli *c) {
    if (c->nargs != 1) {
        fprintf(stderr,
                "vpcert certify: takes exactly one LIB.so (see vpcert certify "
                "--help)\n");
        return 2;
    }
    struct cert_run run;
    memset(&run, 0, sizeof run);
    run.cfg.lib = c->args[0];
    run.cfg.ics_path = c->ics_path;
    run.cfg.ics = c->ics;
    run.cfg.out_dir = c->report_dir;
    run.cfg.corpus = c->corpus; /* NULL: the corpus built into vpcert */
    run.cfg.seed = c->seed;
    run.cfg.random_cases = (unsigned)c->cases;
    run.cfg.time_budget = c->time;
    run.cfg.case_seconds = c->timeout;
    run.cfg.case_rss = 2048ull << 20;
    run.cfg.quiet = c->quiet;
    int rc = cert_run(&run);
    if (rc == 0 && cert_write_reports(&run) != 0) {
        fprintf(stderr, "vpcert certify: cannot write the reports into %s\n",
                run.cfg.out_dir);
        rc = -1;
    }
    if (rc == 0)
        summary(&run);
    int status = rc != 0 ? 2 : run.overall == OVERALL_NOT_CERTIFIED ? 1 : 0;
    cert_free(&run);
    return status;
}
