/*
 * fuzz_sarif: vpcert-work/findings.sarif (SARIF 2.1.0), what a fuzzing
 * campaign found, for code-scanning tools: one result per finding
 * signature (the first artifact of each; later ones with the same
 * signature only count in its occurrenceCount), its clause as ruleId, the
 * signature as a partial fingerprint, and as artifacts the minimized
 * input (binary, what fuzz_diff replays) and its text form (what vpcert
 * replay and explain read). An input fuzz_diff fails on without a vpcert
 * finding (a sanitizer report, a timeout, running out of memory) is a
 * result of its own under a rule that is no clause: vpcert/fuzz-crash,
 * vpcert/fuzz-timeout or vpcert/fuzz-oom. The analysis target is the
 * plug-in fuzzed (--impl), or fuzz_diff, which holds the built-in shim.
 * Written at the end of every campaign, with no results when it found
 * nothing.
 */
#include "triage.h"

#include "sarif.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct sarif_rule failures[] = {
    {"vpcert/fuzz-crash",
     "fuzz_diff failed on an input without a vpcert "
     "finding",
     "A sanitizer or a crash stopped fuzz_diff on this input before vpcert "
     "could name a clause: replay it with fuzz_diff to see the report.",
     "error"},
    {"vpcert/fuzz-timeout", "an input ran longer than libFuzzer's limit",
     "The input took longer than -timeout; replayed alone it may or may not.",
     "warning"},
    {"vpcert/fuzz-oom", "an input ran out of libFuzzer's memory limit",
     "The input went over -rss_limit_mb; replayed alone it may or may not.",
     "warning"},
};

/* The rule of an item that is no vpcert finding, by its artifact's name. */
static size_t failure_of(const struct triage_item *it) {
    return !strncmp(it->name, "timeout-", 8) ? 1
           : !strncmp(it->name, "oom-", 4)   ? 2
                                             : 0;
}

/* The clauses the items name, each once, in order; their count. */
static size_t clauses_used(const struct triage *t, const char *ids[]) {
    size_t n = 0;
    for (unsigned i = 0; i < t->n; i++) {
        size_t j = 0;
        while (t->item[i].found && j < n &&
               strcmp(ids[j], t->item[i].t.f.clause))
            j++;
        if (t->item[i].found && j == n &&
            spec_clause_find(t->item[i].t.f.clause))
            ids[n++] = t->item[i].t.f.clause;
    }
    return n;
}

static int rule_index(const struct triage_item *it, const char *ids[],
                      size_t n) {
    for (size_t j = 0; it->found && j < n; j++)
        if (!strcmp(ids[j], it->t.f.clause))
            return (int)j;
    return (int)(n + failure_of(it));
}

/* Item i's files, relative to vpcert-work: [0] the minimized input, [1]
 * its text form; "" for one that is not there. */
static void files(const struct campaign *c, const struct triage_item *it,
                  char rel[2][300]) {
    static const char *const ext[2] = {".min", ".min.vpt"};
    for (int j = 0; j < 2; j++) {
        char abs[PATH_MAX + 320];
        snprintf(rel[j], sizeof rel[j], "findings/%s%s", it->name, ext[j]);
        snprintf(abs, sizeof abs, "%s/%s", c->work, rel[j]);
        if (!os_is_file(abs))
            rel[j][0] = 0;
    }
}

static void artifacts(struct sbuf *b, const struct triage *t,
                      const struct campaign *c, const char *target) {
    static const char *const what[2] = {
        "minimized input (fuzz_diff replays it)",
        "its text form (vpcert replay|explain)"};
    sb_add(b, "    \"artifacts\": [\n      {\"location\": ");
    sarif_location(b, NULL, target, -1);
    sb_add(b, ", \"roles\": [\"analysisTarget\"]}");
    for (unsigned i = 0; i < t->n; i++) {
        char rel[2][300];
        files(c, &t->item[i], rel);
        for (int j = 0; j < 2; j++)
            if (rel[j][0]) {
                sb_add(b, ",\n      {\"location\": ");
                sarif_location(b, rel[j], NULL, -1);
                sb_add(b,
                       ", \"roles\": [\"attachment\"], \"mimeType\": \"%s\", "
                       "\"description\": {\"text\": \"%s\"}}",
                       j ? "text/plain" : "application/octet-stream", what[j]);
            }
    }
    sb_add(b, "\n    ],\n");
}

static void message(struct sbuf *b, const struct triage_item *it) {
    const struct exec_finding *f = &it->t.f;
    sb_add(b, "\"message\": {\"text\": \"");
    if (!it->found) {
        sb_json(b, failures[failure_of(it)].title);
        sb_add(b, ": ");
        sb_json(b, it->other);
    } else {
        sb_add(b, "%s (%s) at op %u (", f->clause,
               spec_level_name((enum spec_level)f->level), f->op);
        sb_json(b, it->t.op_name);
        sb_add(b, "): ");
        sarif_expected(b, f->expected, f->observed);
        sb_add(b, ". ");
        sb_json(b, f->detail);
    }
    sb_add(b, "\"}");
}

/* Result of item i; *next is the index of its first file artifact. */
static void result(struct sbuf *b, const struct campaign *c,
                   const struct triage_item *it, int rule, int *next,
                   const char *target) {
    char rel[2][300];
    files(c, it, rel);
    const char *level = it->found ? sarif_level((enum spec_level)it->t.f.level)
                                  : failures[failure_of(it)].level;
    sb_add(b,
           "      {\"ruleId\": \"%s\", \"ruleIndex\": %d, \"level\": \"%s\", "
           "\"kind\": \"fail\", \"occurrenceCount\": %u,\n       ",
           it->found ? it->t.f.clause : failures[failure_of(it)].id, rule,
           level, it->occurrences);
    message(b, it);
    sb_add(b, ",\n       \"analysisTarget\": ");
    sarif_location(b, NULL, target, 0);
    static const char *const what[2] = {"minimized input", "text form"};
    *next += sarif_result_files(b, rel, what, 2, *next);
    if (it->found) {
        sb_add(b, ",\n       \"partialFingerprints\": "
                  "{\"vpcertSignature/v1\": \"");
        sb_json(b, it->t.signature);
        sb_add(b, "\"}");
    }
    sb_add(b, ",\n       \"properties\": {");
    sb_json_str(b, "artifact", it->name, 0);
    sb_add(b, ", \"finding\": %u}}", it->k);
}

int triage_write_sarif(const struct triage *t, const struct campaign *c) {
    struct sbuf b = {0};
    const char *ids[TRIAGE_MAX_REPORTED];
    const char *impl = getenv("VPCERT_IMPL"); /* absolute (campaign_setup) */
    const char *target = impl && *impl ? impl : c->fuzzer;
    size_t n = clauses_used(t, ids);
    sarif_begin(&b, ids, n, failures, sizeof failures / sizeof failures[0],
                c->work);
    sb_add(&b, "    \"invocations\": [{\"executionSuccessful\": true}],\n");
    artifacts(&b, t, c, target);
    sb_add(&b, "    \"results\": [");
    int next = 1;
    for (unsigned i = 0; i < t->n; i++) {
        sb_add(&b, "%s\n", i ? "," : "");
        result(&b, c, &t->item[i], rule_index(&t->item[i], ids, n), &next,
               target);
    }
    sb_add(&b, "\n    ]\n");
    sarif_end(&b);
    return sb_write(&b, c->work, "findings.sarif");
}
