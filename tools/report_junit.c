/*
 * report_junit: junit.xml, for the test dashboards of CI systems. One
 * <testcase> per SPEC.md clause, inside one <testsuite> inside the
 * <testsuites> root. The counts rule, stated once here and in README.md:
 *
 *   verdict         element      counted in
 *   PASS            (none)       tests
 *   FAIL (a MUST)   <failure>    tests, failures
 *   WARN (a SHOULD) <failure>    tests, failures
 *   INCONCLUSIVE    <error>      tests, errors   (not decided: it counts
 *                                                 against the library)
 *   NOT-APPLICABLE  <skipped>    tests, skipped
 *
 * A testcase's time is its clause's share of the run (struct
 * cert_clause.seconds): every case's time split evenly among the clauses
 * it exercised, plus the minimization of the clause's reproducer. The
 * testcases' times add up to at most the suite's time, which is the whole
 * run (loading, the export check and the reports included).
 */
#include "certify.h"

#include "clauses.h"
#include "sbuf.h"

#include <stdio.h>
#include <string.h>

/* The element each verdict is written as, "" for none. */
static const char *element_of(enum cert_verdict v) {
    static const char *const el[CV_COUNT] = {
        [CV_PASS] = "",      [CV_FAIL] = "failure",       [CV_WARN] = "failure",
        [CV_NA] = "skipped", [CV_INCONCLUSIVE] = "error",
    };
    return el[v];
}

struct junit_counts {
    unsigned tests;    /* clauses */
    unsigned failures; /* <failure> elements */
    unsigned errors;   /* <error> elements */
    unsigned skipped;  /* <skipped> elements */
};

static struct junit_counts count(const struct cert_run *c) {
    struct junit_counts n = {0, 0, 0, 0};
    for (size_t k = 0; k < spec_clause_count(); k++) {
        const char *el = element_of(c->clauses[k].verdict);
        n.tests++;
        n.failures += strcmp(el, "failure") == 0;
        n.errors += strcmp(el, "error") == 0;
        n.skipped += strcmp(el, "skipped") == 0;
    }
    return n;
}

static void counts_attrs(struct sbuf *b, const struct junit_counts *n,
                         double seconds) {
    sb_add(b,
           " tests=\"%u\" failures=\"%u\" errors=\"%u\" skipped=\"%u\" "
           "time=\"%.3f\"",
           n->tests, n->failures, n->errors, n->skipped, seconds);
}

static void property(struct sbuf *b, const char *name, const char *value) {
    sb_add(b, "      <property name=\"%s\" value=\"", name);
    sb_xml(b, value);
    sb_add(b, "\"/>\n");
}

static void properties(struct sbuf *b, const struct cert_run *c) {
    char ics[512], seed[32];
    ics_write(&c->cfg.ics, ics, sizeof ics);
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)c->cfg.seed);
    sb_add(b, "    <properties>\n");
    property(b, "verdict", cert_overall_name(c->overall));
    property(b, "library", c->cfg.lib);
    property(b, "sha256", c->sha256);
    property(b, "ics", ics);
    property(b, "seed", seed);
    property(b, "spec_version", SPEC_VERSION);
    property(b, "vpcert_version", VPCERT_VERSION);
    sb_add(b, "    </properties>\n");
}

/* The body of a <failure>: what was expected and seen, and where the
 * reproducers are. */
static void failure_text(struct sbuf *b, const struct cert_run *c,
                         const struct cert_clause *g) {
    sb_add(b, "expected: ");
    sb_xml(b, g->expected);
    sb_add(b, "\nobserved: ");
    sb_xml(b, g->observed);
    if (g->detail[0]) {
        sb_add(b, "\ndetail: ");
        sb_xml(b, g->detail);
    }
    sb_add(b, "\ncase: ");
    sb_xml(b,
           g->first_case >= 0 ? c->cases[g->first_case].name : "export check");
    if (g->reproducer[0]) {
        sb_add(b, "\nreproducer: ");
        sb_xml(b, g->reproducer);
    }
    sb_add(b, "\n");
}

static void testcase(struct sbuf *b, const struct cert_run *c, size_t k) {
    const struct spec_clause *cl = spec_clause_at(k);
    const struct cert_clause *g = &c->clauses[k];
    const char *el = element_of(g->verdict);
    sb_add(b, "    <testcase classname=\"SPEC.%s\" name=\"%s (%s)\" ", cl->area,
           cl->id, spec_level_name(cl->level));
    sb_add(b, "time=\"%.3f\">", g->seconds);
    if (!strcmp(el, "failure")) {
        sb_add(b, "\n      <failure type=\"%s\" message=\"",
               cert_verdict_name(g->verdict));
        sb_xml(b, g->observed);
        sb_add(b, "\">");
        failure_text(b, c, g);
        sb_add(b, "</failure>\n");
        if (g->debug[0]) {
            sb_add(b, "      <system-out>");
            sb_xml(b, g->debug);
            sb_add(b, "</system-out>\n");
        }
        sb_add(b, "    ");
    } else if (el[0]) {
        sb_add(b, "\n      <%s type=\"%s\" message=\"", el,
               cert_verdict_name(g->verdict));
        sb_xml(b, g->note);
        sb_add(b, "\"/>\n    ");
    }
    sb_add(b, "</testcase>\n");
}

int cert_write_junit(const struct cert_run *c) {
    struct sbuf b = {0};
    struct junit_counts n = count(c);
    sb_add(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<testsuites name=\"vpcert certify\"");
    counts_attrs(&b, &n, c->seconds);
    sb_add(&b, ">\n  <testsuite name=\"vpcert certify ");
    sb_xml(&b, c->cfg.lib);
    sb_add(&b, "\"");
    counts_attrs(&b, &n, c->seconds);
    sb_add(&b, ">\n");
    properties(&b, c);
    for (size_t k = 0; k < spec_clause_count(); k++)
        testcase(&b, c, k);
    sb_add(&b, "  </testsuite>\n</testsuites>\n");
    return sb_write(&b, c->cfg.stage, "junit.xml");
}
