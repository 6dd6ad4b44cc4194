/* certify_grade: the verdict of each clause from its tally and the ICS,
 * and the overall verdict. */
#include "certify.h"

#include "clauses.h"

#include <stdio.h>
#include <string.h>

const char *cert_verdict_name(enum cert_verdict v) {
    static const char *const n[] = {"PASS", "FAIL", "WARN", "NOT-APPLICABLE",
                                    "INCONCLUSIVE"};
    return n[v];
}

const char *cert_overall_name(enum cert_overall o) {
    static const char *const n[] = {"CERTIFIED", "CERTIFIED_WITH_WARNINGS",
                                    "NOT_CERTIFIED", "INCONCLUSIVE"};
    return n[o];
}

/* Why clause k does not apply to this library, or NULL. */
static const char *not_applicable(const struct cert_run *c, size_t k) {
    const char *why = ics_not_applicable(&c->cfg.ics, spec_clause_at(k));
    if (!why && strcmp(spec_clause_at(k)->id, "DEV-1") == 0 &&
        !(c->runner.services & SVC_DEVICE_START))
        why = "the library does not export VpcertDeviceStart";
    return why;
}

/* The verdict of clause k from its tally (before the ICS notes). */
static void grade_clause(struct cert_run *c, size_t k) {
    const struct spec_clause *cl = spec_clause_at(k);
    struct cert_clause *g = &c->clauses[k];
    const char *na = not_applicable(c, k);
    if (na) {
        g->verdict = CV_NA;
        snprintf(g->note, sizeof g->note, "%s", na);
    } else if (g->failed) {
        g->verdict = cl->level == SPEC_MUST     ? CV_FAIL
                     : cl->level == SPEC_SHOULD ? CV_WARN
                                                : CV_PASS;
    } else if (g->run) {
        g->verdict = CV_PASS;
    } else {
        g->verdict = CV_INCONCLUSIVE;
        snprintf(g->note, sizeof g->note, "%s",
                 g->unfinished
                     ? "every case exercising it ended early for another clause"
                 : c->cut[0] ? "not reached: the run was cut short"
                             : "no case exercised it");
    }
    if (!strcmp(cl->id, "QU-8") && g->verdict == CV_PASS &&
        !c->cfg.ics.quota_first) {
        g->verdict = CV_WARN;
        snprintf(g->note, sizeof g->note,
                 "the ICS declares quota-order = pool-first");
    }
    if (!strcmp(cl->id, "ZERO-1") && c->zero_form)
        snprintf(g->note, sizeof g->note, "Size 0 form seen: %s",
                 c->zero_form == 1 ? "allocate"
                                   : "reject (ERROR_INVALID_PARAMETER)");
}

/* The overall verdict. A run cut short (c->cut) is never CERTIFIED: it is
 * NOT_CERTIFIED when a MUST clause has failed already (a failure seen is
 * final, more cases cannot undo it), else INCONCLUSIVE. */
void cert_grade(struct cert_run *c) {
    int must_bad = 0, should_bad = 0, must_failed = 0;
    for (size_t k = 0; k < spec_clause_count(); k++) {
        const struct spec_clause *cl = spec_clause_at(k);
        enum cert_verdict v;
        grade_clause(c, k);
        v = c->clauses[k].verdict;
        must_bad |=
            cl->level == SPEC_MUST && (v == CV_FAIL || v == CV_INCONCLUSIVE);
        must_failed |= cl->level == SPEC_MUST && v == CV_FAIL;
        should_bad |=
            cl->level == SPEC_SHOULD && (v == CV_WARN || v == CV_INCONCLUSIVE);
    }
    if (c->cut[0])
        c->overall = must_failed ? OVERALL_NOT_CERTIFIED : OVERALL_INCONCLUSIVE;
    else
        c->overall = must_bad     ? OVERALL_NOT_CERTIFIED
                     : should_bad ? OVERALL_WITH_WARNINGS
                                  : OVERALL_CERTIFIED;
}
