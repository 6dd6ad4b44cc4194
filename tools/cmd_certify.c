/* cmd_certify: `vpcert certify --ics FILE [--out DIR] [--seed N] [--time S]
 * [--cases N] LIB.so`. Exit 0 CERTIFIED or CERTIFIED_WITH_WARNINGS, 1
 * NOT_CERTIFIED, 2 usage error or a library that cannot be loaded, 3
 * INCONCLUSIVE (the run was cut short by --time), 130 interrupted (no
 * report written). */
#include "certify.h"
#include "clauses.h"
#include "cli.h"
#include "interrupt.h"
#include "os.h"
#include "report_dir.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
               cli_show(g->reproducer),
               g->c_reproducer[0] ? "\n               C reproducer: " : "",
               cli_show(g->c_reproducer));
    }
    printf("%s:", cert_overall_name(c->overall));
    for (int v = 0; v < CV_COUNT; v++)
        printf("%s %u %s", v ? "," : "", count[v],
               cert_verdict_name((enum cert_verdict)v));
    printf(" (%u of %u cases, %.1f s)\ncases:", c->ran, c->ncases, c->seconds);
    for (unsigned f = 0; f < CASES_FAMILY_COUNT; f++)
        printf("%s %s %u", f ? "," : "", cases_family_name(f),
               c->family[f].done);
    if (c->family[CASES_CONCURRENT].schedules)
        printf(" (%u of them PCT schedules)",
               c->family[CASES_CONCURRENT].schedules);
    printf("\n");
    if (c->cut[0])
        printf("the run was cut short after %u of %u cases: %s (--time %g); "
               "it is never CERTIFIED\n",
               c->ran, c->ncases, c->cut, c->cfg.time_budget);
    if (c->ncarried)
        printf("note: %u case%s failed only after other cases in one process "
               "and passed alone: the implementation carries state between "
               "programs\n",
               c->ncarried, c->ncarried == 1 ? "" : "s");
    char shown[600];
    printf("report: %s/report.md, report.json, junit.xml, report.sarif\n",
           os_show(c->cfg.out_dir, shown, sizeof shown));
}

/* Exit status of a finished run. */
static int status_of(const struct cert_run *c) {
    switch (c->overall) {
    case OVERALL_NOT_CERTIFIED:
        return 1;
    case OVERALL_INCONCLUSIVE:
        return 3;
    default:
        return 0;
    }
}

/* Run, write the reports into the staging directory, swap it in. */
static int certify(struct cert_run *run, struct report_dir *d) {
    char err[PATH_MAX + 600];
    if (cert_run(run) != 0)
        return 2;
    if (interrupt_seen()) {
        printf("vpcert certify: interrupted after %u of %u cases; the report "
               "directory was left as it was\n",
               run->ran, run->ncases);
        return 130;
    }
    if (cert_write_reports(run) != 0 ||
        report_dir_commit(d, err, sizeof err) != 0) {
        fprintf(stderr, "vpcert certify: %s\n",
                err[0] ? err : "cannot write the reports");
        return 2;
    }
    summary(run);
    return status_of(run);
}

/* Parallel loaders: one per CPU, at most RUNNER_MAX_LANES. */
static unsigned cert_lanes(void) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > RUNNER_MAX_LANES ? RUNNER_MAX_LANES : (unsigned)n;
}

/* A benchmark's knob (bench/certify_batches.sh): a whole number from 1 to
 * 1024 in environment variable name, else dflt. Never a verdict's: the
 * verdicts do not depend on it. */
static unsigned knob(const char *name, unsigned dflt) {
    const char *v = getenv(name);
    char *end;
    unsigned long n = v ? strtoul(v, &end, 10) : 0;
    return v && *v && !*end && n >= 1 && n <= RUNNER_MAX_BATCH ? (unsigned)n
                                                               : dflt;
}

int cmd_certify(struct cli *c) {
    if (c->nargs != 1) {
        fprintf(stderr,
                "vpcert certify: takes exactly one LIB.so (see vpcert certify "
                "--help)\n");
        return 2;
    }
    struct cert_run run;
    struct report_dir d;
    char err[PATH_MAX + 600];
    memset(&run, 0, sizeof run);
    err[0] = 0;
    if (report_dir_open(&d, c->report_dir, err, sizeof err) != 0) {
        fprintf(stderr, "vpcert certify: %s\n", cli_show(err));
        return 2;
    }
    run.cfg.lib = c->args[0];
    run.cfg.ics_path = c->ics_path;
    run.cfg.ics = c->ics;
    run.cfg.out_dir = c->report_dir;
    run.cfg.stage = d.stage;
    run.cfg.corpus = c->corpus; /* NULL: the corpus built into vpcert */
    run.cfg.seed = c->seed;
    run.cfg.random_cases = (unsigned)c->cases;
    run.cfg.conc_programs = CERT_CONC_PROGRAMS;
    run.cfg.conc_schedules = CERT_CONC_SCHEDULES;
    run.cfg.time_budget = c->time;
    run.cfg.case_seconds = c->timeout;
    run.cfg.case_rss = 2048ull << 20;
    run.cfg.batch = knob("VPCERT_BATCH", CERT_BATCH);
    run.cfg.lanes = knob("VPCERT_LANES", cert_lanes());
    run.cfg.quiet = c->quiet;
    interrupt_catch();
    int status = certify(&run, &d);
    interrupt_restore();
    report_dir_abandon(&d);
    cert_free(&run);
    return status;
}
