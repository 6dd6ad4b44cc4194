/* certify_report: report.json and report.md, each written atomically
 * (temporary file, then rename) into the report directory, then junit.xml
 * (report_junit.c) and report.sarif (report_sarif.c). */
#include "certify.h"

#include "clauses.h"
#include "cli.h"
#include "sbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void json_clause(struct sbuf *b, const struct cert_run *c, size_t k) {
    const struct spec_clause *cl = spec_clause_at(k);
    const struct cert_clause *g = &c->clauses[k];
    sb_add(b, "    {");
    sb_json_str(b, "id", cl->id, 1);
    sb_json_str(b, "level", spec_level_name(cl->level), 1);
    sb_json_str(b, "title", cl->title, 1);
    sb_json_str(b, "verdict", cert_verdict_name(g->verdict), 1);
    sb_add(b, "\"cases\": {\"run\": %u, \"failed\": %u}", g->run + g->failed,
           g->failed);
    if (g->note[0]) {
        sb_add(b, ", ");
        sb_json_str(b, "note", g->note, 0);
    }
    if (g->failed && g->verdict != CV_NA) {
        sb_add(b, ", ");
        sb_json_str(b, "reproducer", g->reproducer, 1);
        sb_json_str(b, "c_reproducer", g->c_reproducer, 1);
        sb_json_str(b, "case",
                    g->first_case >= 0 ? c->cases[g->first_case].name
                                       : "export check",
                    1);
        sb_json_str(b, "expected", g->expected, 1);
        sb_json_str(b, "observed", g->observed, 1);
        sb_json_str(b, "detail", g->detail, 0);
        if (g->debug[0]) {
            sb_add(b, ", ");
            sb_json_str(b, "debug", g->debug, 0);
        }
    }
    sb_add(b, "}%s\n", k + 1 < spec_clause_count() ? "," : "");
}

static int write_json(const struct cert_run *c) {
    struct sbuf b = {0};
    char ics[512];
    ics_write(&c->cfg.ics, ics, sizeof ics);
    sb_add(&b, "{\n  ");
    sb_json_str(&b, "verdict", cert_overall_name(c->overall), 1);
    sb_add(&b, "\n  \"library\": {");
    sb_json_str(&b, "path", c->cfg.lib, 1);
    sb_json_str(&b, "sha256", c->sha256, 0);
    sb_add(&b, "},\n  \"ics\": {\"file\": \"");
    sb_json(&b, c->cfg.ics_path ? c->cfg.ics_path : "(defaults)");
    sb_add(&b, "\", \"declared\": \"");
    sb_json(&b, ics);
    sb_add(&b, "\"},\n  ");
    sb_json_str(&b, "vpcert_version", VPCERT_VERSION, 1);
    sb_json_str(&b, "spec_version", SPEC_VERSION, 1);
    sb_add(&b,
           "\"seed\": %llu, \"cases\": %u, \"cases_run\": %u, \"seconds\": "
           "%.1f,\n  \"families\": {",
           (unsigned long long)c->cfg.seed, c->ncases, c->ran, c->seconds);
    for (unsigned f = 0; f < CASES_FAMILY_COUNT; f++) {
        const struct cert_family *fam = &c->family[f];
        sb_add(&b,
               "%s\"%s\": {\"cases\": %u, \"run\": %u, \"operations_run\": "
               "%llu, \"operations_skipped\": %llu, \"errors\": %u}",
               f ? ", " : "", cases_family_name(f), fam->planned, fam->done,
               fam->ops_run, fam->ops_skipped, fam->errors);
    }
    sb_add(&b, "},\n");
    sb_add(&b, "  \"clauses\": [\n");
    for (size_t k = 0; k < spec_clause_count(); k++)
        json_clause(&b, c, k);
    sb_add(&b, "  ]\n}\n");
    return sb_write(&b, c->cfg.out_dir, "report.json");
}

static void md_failure(struct sbuf *b, const struct cert_run *c, size_t k) {
    const struct cert_clause *g = &c->clauses[k];
    sb_add(b,
           "\n### %s (%s): %s\n\n%s\n\n- case: `%s`\n- expected: %s\n- "
           "observed: %s\n",
           spec_clause_at(k)->id, spec_level_name(spec_clause_at(k)->level),
           cert_verdict_name(g->verdict), spec_clause_at(k)->title,
           g->first_case >= 0 ? c->cases[g->first_case].name : "export check",
           g->expected, g->observed);
    if (g->detail[0])
        sb_add(b, "- detail: %s\n", g->detail);
    size_t nd = strlen(g->debug);
    if (nd)
        sb_add(b, "- debug output of the case (HS-DBG-1):\n\n```\n%s%s```\n",
               g->debug, g->debug[nd - 1] == '\n' ? "" : "\n");
    if (!g->reproducer[0])
        return;
    sb_add(b, "- reproducer: `%s`\n\n```\n", g->reproducer);
    FILE *f = fopen(g->reproducer, "r");
    char line[512];
    while (f && fgets(line, sizeof line, f))
        sb_add(b, "%s", line);
    if (f)
        fclose(f);
    sb_add(b, "```\n");
    if (g->c_reproducer[0])
        sb_add(b, "- C reproducer: `%s` (build: reproducers/build.sh)\n",
               g->c_reproducer);
    else if (g->c_note[0])
        sb_add(b, "- no C reproducer: %s\n", g->c_note);
}

static int write_md(const struct cert_run *c) {
    struct sbuf b = {0};
    sb_add(&b, "# vpcert certification report\n\n**Verdict: %s**\n\n",
           cert_overall_name(c->overall));
    sb_add(&b,
           "| | |\n|---|---|\n| library | `%s` |\n| sha256 | `%s` |\n| ICS | "
           "`%s` |\n"
           "| vpcert | %s |\n| spec | %s |\n| seed | %llu |\n| cases | %u of "
           "%u run, %.1f s |\n",
           c->cfg.lib, c->sha256,
           c->cfg.ics_path ? c->cfg.ics_path : "(defaults)", VPCERT_VERSION,
           SPEC_VERSION, (unsigned long long)c->cfg.seed, c->ran, c->ncases,
           c->seconds);
    sb_add(&b, "\n## Case families\n\n| family | cases | run | operations run "
               "| skipped | cases vpcert could not vouch for |\n"
               "|---|---:|---:|---:|---:|---:|\n");
    for (unsigned f = 0; f < CASES_FAMILY_COUNT; f++) {
        const struct cert_family *fam = &c->family[f];
        sb_add(&b, "| %s | %u | %u | %llu | %llu | %u |\n",
               cases_family_name(f), fam->planned, fam->done, fam->ops_run,
               fam->ops_skipped, fam->errors);
    }
    sb_add(
        &b,
        "\n## Clauses\n\n| clause | level | verdict | cases | failed | note |\n"
        "|---|---|---|---:|---:|---|\n");
    for (size_t k = 0; k < spec_clause_count(); k++) {
        const struct cert_clause *g = &c->clauses[k];
        sb_add(&b, "| %s | %s | %s | %u | %u | %s |\n", spec_clause_at(k)->id,
               spec_level_name(spec_clause_at(k)->level),
               cert_verdict_name(g->verdict), g->run + g->failed, g->failed,
               g->note);
    }
    sb_add(&b, "\n## Failures\n");
    int any = 0;
    for (size_t k = 0; k < spec_clause_count(); k++)
        if (c->clauses[k].failed && c->clauses[k].verdict != CV_NA && ++any)
            md_failure(&b, c, k);
    if (!any)
        sb_add(&b, "\nNone.\n");
    return sb_write(&b, c->cfg.out_dir, "report.md");
}

int cert_write_reports(const struct cert_run *c) {
    int rc = write_json(c);
    rc |= write_md(c);
    rc |= cert_write_junit(c);
    rc |= cert_write_sarif(c);
    return rc;
}
