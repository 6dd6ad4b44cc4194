/* cmd_conform: `vpcert conform [DIR|FILE...]`: the conformance vectors that
 * apply under the ICS (default: the ones built into vpcert, or those of
 * --corpus DIR), then a per-clause table. */
#include "certify.h"
#include "clauses.h"
#include "cli.h"
#include "corpus.h"
#include "run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct clause_tally {
    unsigned vectors; /* vectors citing the clause */
    unsigned failed;  /* of those, failed; or a finding on this clause */
    unsigned warned;  /* SHOULD findings on this clause */
};

/* Everything conform works with. */
struct conform {
    struct cli *c;           /* the command line */
    struct run_target tg;    /* the implementation */
    struct program *p;       /* the vector being run */
    unsigned char *cited;    /* clauses it cites */
    struct clause_tally *ct; /* by clause index */
    struct run_tally t;      /* by vector */
};

static void conform_tally(const struct child_result *run,
                          const unsigned char *cited, struct clause_tally *ct) {
    size_t n = spec_clause_count();
    for (size_t k = 0; k < n; k++) {
        if (!cited[k])
            continue;
        ct[k].vectors++;
        if (!run_passed(run))
            ct[k].failed++;
    }
    if (run->out > CH_FAIL && run->out != CH_ERROR && run->clause &&
        spec_clause_index(run->clause) >= 0 &&
        !cited[spec_clause_index(run->clause)])
        ct[spec_clause_index(run->clause)].failed++;
    for (uint32_t i = 0; run->out <= CH_FAIL && i < run->r.nfindings; i++) {
        int k = spec_clause_index(run->r.f[i].clause);
        if (k >= 0 && run->r.f[i].level == SPEC_SHOULD)
            ct[k].warned++;
        else if (k >= 0 && !cited[k])
            ct[k].failed++;
    }
}

static void conform_summary(const struct clause_tally *ct,
                            const struct run_tally *t, const struct ics *ics) {
    size_t n = spec_clause_count(), untested = 0, failed = 0;
    printf("\n%-11s %-6s %7s  %s\n", "clause", "level", "vectors", "result");
    for (size_t k = 0; k < n; k++) {
        const struct spec_clause *cl = spec_clause_at(k);
        const char *na = ics_not_applicable(ics, cl);
        const char *res = ct[k].failed    ? cert_verdict_name(CV_FAIL)
                          : ct[k].warned  ? cert_verdict_name(CV_WARN)
                          : na            ? cert_verdict_name(CV_NA)
                          : ct[k].vectors ? cert_verdict_name(CV_PASS)
                                          : "-";
        untested += !na && !ct[k].vectors && !ct[k].failed;
        failed += ct[k].failed != 0;
        printf("%-11s %-6s %7u  %s\n", cl->id, spec_level_name(cl->level),
               ct[k].vectors, res);
    }
    printf(
        "\n%u vectors: %u passed, %u failed, %u not applicable under the ICS; "
        "%zu clauses failed; %zu applicable clauses without a vector here\n",
        t->passed + t->failed + t->skipped, t->passed, t->failed, t->skipped,
        failed, untested);
}

/* ICS-1: every service the ICS declares is exported. Returns the missing
 * ones (SVC_* mask), reported. */
static unsigned conform_exports(struct conform *f) {
    char names[128];
    unsigned missing =
        impl_missing_of(f->tg.services, ics_required(&f->c->ics));
    if (!missing)
        return 0;
    impl_service_names(missing, " ", names, sizeof names);
    f->ct[spec_clause_index("ICS-1")].failed++;
    printf("FAIL    [ICS-1] %s does not export everything its ICS "
           "declares: %s\n",
           cli_show(f->tg.name), names);
    return missing;
}

/* expect lines not met although the model allowed what happened: no
 * finding (the ICS or the implementation's overhead made another outcome
 * legal), but worth a vector author's look. */
static void conform_unmet(const char *name, const struct exec_result *r) {
    char want[128] = "";
    for (unsigned e = 1; e < PROG_EX_COUNT; e++)
        if (r->first_unmet.expected & (1u << e))
            snprintf(want + strlen(want), sizeof want - strlen(want), "%s%s",
                     want[0] ? " or " : "", prog_expect_name(e));
    printf("NOTE    %s: %u expect line(s) not met, the model allowing what "
           "happened; first at op %u: stated %s, observed %s%s\n",
           name, r->expect_unmet, r->first_unmet.op, want,
           prog_expect_name(r->first_unmet.observed),
           r->first_unmet.pool_refused ? " (a pool request was refused)" : "");
}

static void conform_one(struct conform *f, const struct corpus_item *item) {
    struct child_result run;
    if (corpus_item_program(item, f->p, f->cited) != 0) {
        f->t.bad++;
        return;
    }
    if (!ics_vector_applies(&f->c->ics, f->p, f->cited)) {
        f->t.skipped++;
        if (f->c->verbose)
            printf("N/A     %s: rests on what the ICS does not declare\n",
                   cli_show(item->name));
        return;
    }
    run_program(f->c, &f->tg, f->p, &run);
    run_passed(&run) ? f->t.passed++ : f->t.failed++;
    conform_tally(&run, f->cited, f->ct);
    if (!f->c->quiet)
        run_print(item->name, f->p, &run, f->c->verbose);
    if (!f->c->quiet && run.out <= CH_FAIL && run.r.expect_unmet)
        conform_unmet(item->name, &run.r);
}

static int by_name(const void *a, const void *b) {
    return strcmp(((const struct corpus_item *)a)->name,
                  ((const struct corpus_item *)b)->name);
}

/* The vectors: the files named, else --corpus DIR/conformance, else the
 * ones built into vpcert. */
static int conform_vectors(struct cli *c, struct corpus_items *items) {
    struct corpus files = {0};
    int rc = c->nargs == 0 ? corpus_items_of(c->corpus, "conformance", items)
             : corpus_collect(&files, c->nargs, c->args, NULL) == 0
                 ? corpus_items_read(&files, items)
                 : -1;
    corpus_free(&files);
    if (rc == 0)
        qsort(items->v, items->n, sizeof *items->v, by_name);
    return rc;
}

int cmd_conform(struct cli *c) {
    struct corpus_items items = {0};
    struct conform f;
    memset(&f, 0, sizeof f);
    f.c = c;
    int rc = 2;
    f.p = malloc(sizeof *f.p);
    f.ct = calloc(spec_clause_count(), sizeof *f.ct);
    f.cited = malloc(spec_clause_count());
    if (f.p && f.ct && f.cited && conform_vectors(c, &items) == 0 &&
        run_open(c, &f.tg, 0) == 0) {
        printf("vpcert conform: %zu vectors against %s\n", items.n,
               cli_show(f.tg.name));
        unsigned missing = conform_exports(&f);
        for (size_t i = 0; i < items.n; i++)
            conform_one(&f, &items.v[i]);
        conform_summary(f.ct, &f.t, &c->ics);
        run_close(&f.tg);
        rc = f.t.bad ? 2 : f.t.failed || missing ? 1 : 0;
    }
    free(f.cited);
    free(f.ct);
    free(f.p);
    corpus_items_free(&items);
    return rc;
}
