/* certify_report: report.json and report.md, then junit.xml
 * (report_junit.c) and report.sarif (report_sarif.c), written into the
 * staging directory that report_dir.c swaps in whole. Every byte string
 * that comes from outside (paths above all) is escaped (sbuf.h). */
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

/* The budget, how the cases were run, and the notes. */
static void json_run(struct sbuf *b, const struct cert_run *c) {
    const struct runner_stats *st = &c->runner.st;
    sb_add(b,
           "  \"budget\": {\"seconds\": %.1f, \"used\": %.1f, "
           "\"complete\": %s, ",
           c->cfg.time_budget, c->seconds, c->cut[0] ? "false" : "true");
    sb_json_str(b, "cut_short", c->cut, 0);
    sb_add(b,
           "},\n  \"runner\": {\"batch\": %u, \"lanes\": %u, "
           "\"library_loads\": %u, \"load_seconds\": %.3f, "
           "\"processes\": %u, \"program_runs\": %u, \"reruns\": %u, "
           "\"carried_state\": %u, \"strays_ended\": %u},\n",
           c->runner.cfg.batch, c->runner.cfg.lanes, st->loads,
           st->load_seconds, st->children, st->programs, st->reruns,
           c->ncarried, st->strays);
    sb_add(b, "  \"notes\": [");
    for (unsigned i = 0; i < c->ncarried && i < CERT_MAX_NOTES; i++) {
        sb_add(b, "%s\"case ", i ? ", " : "");
        sb_json(b, c->cases[c->carried[i]].name);
        sb_add(b, ": not clean after other cases in one process, clean "
                  "alone: the implementation carries state between "
                  "programs (not a verdict)\"");
    }
    sb_add(b, "],\n");
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
               "%llu, \"operations_skipped\": %llu, \"errors\": %u, "
               "\"schedules\": %u}",
               f ? ", " : "", cases_family_name(f), fam->planned, fam->done,
               fam->ops_run, fam->ops_skipped, fam->errors, fam->schedules);
    }
    sb_add(&b, "},\n");
    json_run(&b, c);
    sb_add(&b, "  \"clauses\": [\n");
    for (size_t k = 0; k < spec_clause_count(); k++)
        json_clause(&b, c, k);
    sb_add(&b, "  ]\n}\n");
    return sb_write(&b, c->cfg.stage, "report.json");
}

static void md_failure(struct sbuf *b, const struct cert_run *c, size_t k) {
    const struct cert_clause *g = &c->clauses[k];
    const char *id = spec_clause_at(k)->id;
    sb_add(b, "\n### %s (%s): %s\n\n%s\n\n- case: `", id,
           spec_level_name(spec_clause_at(k)->level),
           cert_verdict_name(g->verdict), spec_clause_at(k)->title);
    sb_md(b,
          g->first_case >= 0 ? c->cases[g->first_case].name : "export check");
    sb_add(b, "`\n- expected: %s\n- observed: %s\n", g->expected, g->observed);
    if (g->detail[0])
        sb_add(b, "- detail: %s\n", g->detail);
    size_t nd = strlen(g->debug);
    if (nd)
        sb_add(b, "- debug output of the case (HS-DBG-1):\n\n```\n%s%s```\n",
               g->debug, g->debug[nd - 1] == '\n' ? "" : "\n");
    if (!g->reproducer[0])
        return;
    sb_add(b, "- reproducer: `");
    sb_md(b, g->reproducer);
    sb_add(b, "`\n\n```\n");
    char staged[PATH_MAX + 64], line[512];
    snprintf(staged, sizeof staged, "%s/reproducers/%s.vpt", c->cfg.stage, id);
    FILE *f = fopen(staged, "r");
    while (f && fgets(line, sizeof line, f))
        sb_add(b, "%s", line);
    if (f)
        fclose(f);
    sb_add(b, "```\n");
    if (g->c_reproducer[0]) {
        sb_add(b, "- C reproducer: `");
        sb_md(b, g->c_reproducer);
        sb_add(b, "` (build: reproducers/build.sh)\n");
    } else if (g->c_note[0])
        sb_add(b, "- no C reproducer: %s\n", g->c_note);
}

static void md_head(struct sbuf *b, const struct cert_run *c) {
    sb_add(b, "# vpcert certification report\n\n**Verdict: %s**\n\n",
           cert_overall_name(c->overall));
    if (c->cut[0])
        sb_add(b,
               "The run was cut short after %u of %u cases: %s. A run "
               "cut short is never CERTIFIED.\n\n",
               c->ran, c->ncases, c->cut);
    sb_add(b, "| | |\n|---|---|\n| library | `");
    sb_md(b, c->cfg.lib);
    sb_add(b, "` |\n| sha256 | `%s` |\n| ICS | `", c->sha256);
    sb_md(b, c->cfg.ics_path ? c->cfg.ics_path : "(defaults)");
    sb_add(b,
           "` |\n| vpcert | %s |\n| spec | %s |\n| seed | %llu |\n"
           "| cases | %u of %u run, %.1f s of a %.0f s budget |\n"
           "| processes | %u library loads, %u children (batches of %u, %u "
           "lanes), %u cases run again alone |\n",
           VPCERT_VERSION, SPEC_VERSION, (unsigned long long)c->cfg.seed,
           c->ran, c->ncases, c->seconds, c->cfg.time_budget,
           c->runner.st.loads, c->runner.st.children, c->runner.cfg.batch,
           c->runner.cfg.lanes, c->runner.st.reruns);
    for (unsigned i = 0; i < c->ncarried && i < CERT_MAX_NOTES; i++) {
        sb_add(b, "\nNote: case `");
        sb_md(b, c->cases[c->carried[i]].name);
        sb_add(b, "` was not clean after other cases in one process and is "
                  "clean alone: the implementation carries state between "
                  "programs (not a verdict).\n");
    }
}

static int write_md(const struct cert_run *c) {
    struct sbuf b = {0};
    md_head(&b, c);
    sb_add(&b,
           "\n## Case families\n\n| family | cases | run | operations run "
           "| skipped | cases vpcert could not vouch for | PCT schedules |\n"
           "|---|---:|---:|---:|---:|---:|---:|\n");
    for (unsigned f = 0; f < CASES_FAMILY_COUNT; f++) {
        const struct cert_family *fam = &c->family[f];
        sb_add(&b, "| %s | %u | %u | %llu | %llu | %u | %u |\n",
               cases_family_name(f), fam->planned, fam->done, fam->ops_run,
               fam->ops_skipped, fam->errors, fam->schedules);
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
    return sb_write(&b, c->cfg.stage, "report.md");
}

int cert_write_reports(const struct cert_run *c) {
    int rc = write_json(c);
    rc |= write_md(c);
    rc |= cert_write_junit(c);
    rc |= cert_write_sarif(c);
    return rc;
}
