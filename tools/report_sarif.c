/*
 * report_sarif: report.sarif (SARIF 2.1.0), for code-scanning tools. One
 * result per clause graded FAIL (level "error") or WARN ("warning"), its
 * clause as ruleId; tool.driver.rules holds those clauses (sarif.c). Each
 * result names the library as its analysisTarget, its reproducers (the
 * minimized text program, and the C reproducer when there is one) as its
 * location and attachments, and carries the finding's signature as a
 * partial fingerprint, so that the same bug is matched across runs.
 * run.artifacts lists the library (role analysisTarget, with its SHA-256)
 * and every reproducer (role attachment).
 */
#include "certify.h"

#include "clauses.h"
#include "os.h"
#include "sarif.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

/* Clause k is a result. */
static int reported(const struct cert_run *c, size_t k) {
    enum cert_verdict v = c->clauses[k].verdict;
    return v == CV_FAIL || v == CV_WARN;
}

/* Its reproducers, relative to the report directory: [0] the text
 * program, [1] the C program; "" when there is none. */
static void reproducers(const struct cert_run *c, size_t k, char rel[2][300]) {
    const struct cert_clause *g = &c->clauses[k];
    const char *id = spec_clause_at(k)->id;
    rel[0][0] = rel[1][0] = 0;
    if (g->reproducer[0])
        snprintf(rel[0], sizeof rel[0], "reproducers/%s.vpt", id);
    if (g->c_reproducer[0])
        snprintf(rel[1], sizeof rel[1], "reproducers/%s.c", id);
}

/* run.artifacts: the library, then each result's reproducers in order
 * (reproducer j of result i is artifact base[i] + j). */
static void artifacts(struct sbuf *b, const struct cert_run *c,
                      const char *lib_abs) {
    sb_add(b, "    \"artifacts\": [\n      {\"location\": ");
    sarif_location(b, NULL, lib_abs, -1);
    sb_add(b,
           ", \"roles\": [\"analysisTarget\"], \"hashes\": "
           "{\"sha-256\": \"%s\"},\n       \"description\": {\"text\": "
           "\"the implementation under test\"}}",
           c->sha256);
    static const char *const what[2] = {
        "minimized program (vpcert replay|explain)",
        "standalone C reproducer (reproducers/build.sh)"};
    for (size_t k = 0; k < spec_clause_count(); k++) {
        char rel[2][300];
        if (!reported(c, k))
            continue;
        reproducers(c, k, rel);
        for (int j = 0; j < 2; j++) {
            if (!rel[j][0])
                continue;
            sb_add(b, ",\n      {\"location\": ");
            sarif_location(b, rel[j], NULL, -1);
            sb_add(b,
                   ", \"roles\": [\"attachment\"], \"mimeType\": "
                   "\"text/%s\", \"description\": {\"text\": \"%s of %s\"}}",
                   j ? "x-c" : "plain", what[j], spec_clause_at(k)->id);
        }
    }
    sb_add(b, "\n    ],\n");
}

static void result_props(struct sbuf *b, const struct cert_run *c,
                         const struct cert_clause *g) {
    sb_add(b, "\"properties\": {");
    sb_json_str(b, "verdict", cert_verdict_name(g->verdict), 1);
    sb_json_str(
        b, "case",
        g->first_case >= 0 ? c->cases[g->first_case].name : "export check", 1);
    sb_json_str(b, "expected", g->expected, 1);
    sb_json_str(b, "observed", g->observed, 1);
    sb_json_str(b, "detail", g->detail, 1);
    sb_json_str(b, "debug", g->debug, 1);
    sb_add(b, "\"casesRun\": %u, \"casesFailed\": %u}", g->run + g->failed,
           g->failed);
}

/* One result; *next is the index of its first reproducer artifact. */
static void result(struct sbuf *b, const struct cert_run *c, size_t k, int rule,
                   int *next, const char *lib_abs) {
    const struct spec_clause *cl = spec_clause_at(k);
    const struct cert_clause *g = &c->clauses[k];
    char rel[2][300], sig[200];
    struct exec_finding f;
    memset(&f, 0, sizeof f);
    snprintf(f.clause, sizeof f.clause, "%s", cl->id);
    snprintf(f.expected, sizeof f.expected, "%.*s", (int)sizeof f.expected - 1,
             g->expected);
    snprintf(f.observed, sizeof f.observed, "%.*s", (int)sizeof f.observed - 1,
             g->observed);
    exec_signature(&f, sig, sizeof sig);
    reproducers(c, k, rel);
    sb_add(b,
           "      {\"ruleId\": \"%s\", \"ruleIndex\": %d, \"level\": \"%s\", "
           "\"kind\": \"fail\",\n       \"message\": {\"text\": \"%s (%s) "
           "%s: ",
           cl->id, rule, g->verdict == CV_FAIL ? "error" : "warning", cl->id,
           spec_level_name(cl->level), cert_verdict_name(g->verdict));
    sb_json(b, cl->title);
    sb_add(b, ". ");
    sarif_expected(b, g->expected, g->observed);
    sb_add(b, ".\"},\n       \"analysisTarget\": ");
    sarif_location(b, NULL, lib_abs, 0);
    static const char *const what[2] = {"minimized program", "C reproducer"};
    *next += sarif_result_files(b, rel, what, 2, *next);
    sb_add(b, ",\n       \"partialFingerprints\": {\"vpcertSignature/v1\": "
              "\"");
    sb_json(b, sig);
    sb_add(b, "\"},\n       ");
    result_props(b, c, g);
    sb_add(b, "}");
}

static void invocation(struct sbuf *b, const struct cert_run *c) {
    char ics[512];
    ics_write(&c->cfg.ics, ics, sizeof ics);
    sb_add(b, "    \"invocations\": [{\"executionSuccessful\": true, "
              "\"properties\": {");
    sb_json_str(b, "verdict", cert_overall_name(c->overall), 1);
    sb_json_str(b, "ics", ics, 1);
    sb_json_str(b, "specVersion", SPEC_VERSION, 1);
    sb_add(b,
           "\"seed\": %llu, \"cases\": %u, \"casesRun\": %u, \"seconds\": "
           "%.1f, \"inconclusive\": [",
           (unsigned long long)c->cfg.seed, c->ncases, c->ran, c->seconds);
    for (size_t k = 0, n = 0; k < spec_clause_count(); k++)
        if (c->clauses[k].verdict == CV_INCONCLUSIVE)
            sb_add(b, "%s\"%s\"", n++ ? ", " : "", spec_clause_at(k)->id);
    sb_add(b, "]}}],\n");
}

int cert_write_sarif(const struct cert_run *c) {
    struct sbuf b = {0};
    char lib_abs[PATH_MAX], dir_abs[PATH_MAX];
    const char *ids[256];
    size_t n = 0;
    if (os_path_abs(c->cfg.lib, lib_abs) != 0 ||
        os_path_abs(c->cfg.out_dir, dir_abs) != 0) {
        fprintf(stderr, "vpcert certify: cannot make %s absolute\n",
                c->cfg.lib);
        return -1;
    }
    for (size_t k = 0; k < spec_clause_count() && n < 256; k++)
        if (reported(c, k))
            ids[n++] = spec_clause_at(k)->id;
    sarif_begin(&b, ids, n, NULL, 0, dir_abs);
    invocation(&b, c);
    artifacts(&b, c, lib_abs);
    sb_add(&b, "    \"results\": [");
    int rule = 0, next = 1;
    for (size_t k = 0; k < spec_clause_count(); k++) {
        if (!reported(c, k))
            continue;
        sb_add(&b, "%s\n", rule ? "," : "");
        result(&b, c, k, rule++, &next, lib_abs);
    }
    sb_add(&b, "\n    ]\n");
    sarif_end(&b);
    return sb_write(&b, c->cfg.stage, "report.sarif");
}
