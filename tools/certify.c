/*
 * certify: the certification run. Phases: the export check (ICS-1), the
 * conformance vectors that apply under the ICS, the regression corpus, then
 * seeded random programs from the differential generator. Every case runs
 * in a child process under a time and memory limit; a crash, hang, exit or
 * runaway memory is a verdict on the clause the case was exercising.
 */
#include "certify.h"

#include "clauses.h"
#include "cli.h"
#include "sha256.h"
#include "vpm.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define MAX_CASES 4096u
#define MINIMIZE_TRIALS 120u

const char *cert_verdict_name(enum cert_verdict v) {
    static const char *const n[] = {"PASS", "FAIL", "WARN", "NOT-APPLICABLE",
                                    "INCONCLUSIVE"};
    return n[v];
}

const char *cert_overall_name(enum cert_overall o) {
    static const char *const n[] = {"CERTIFIED", "CERTIFIED_WITH_WARNINGS",
                                    "NOT_CERTIFIED"};
    return n[o];
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- applicability ---- */

/* Why clause k does not apply to this library, or NULL. */
static const char *not_applicable(const struct cert_run *c, size_t k) {
    const char *why = ics_not_applicable(&c->cfg.ics, spec_clause_at(k));
    if (!why && strcmp(spec_clause_at(k)->id, "DEV-1") == 0 &&
        !c->impl.dev_start)
        why = "the library does not export VpcertDeviceStart";
    return why;
}

/* Does case cs exercise clause k? Vectors cite their clauses; otherwise
 * what the program holds decides (clauses.def, EXERCISED). */
static int exercises(const struct cert_case *cs, size_t k) {
    if (cs->cites && cs->cites[k])
        return 1;
    return spec_exercised_by(spec_clause_at(k), prog_holds(cs->p));
}

/* ---- cases ---- */

static int add_case(struct cert_run *c, const char *name, struct program *p,
                    unsigned char *cites) {
    if (c->ncases == MAX_CASES) {
        free(p);
        free(cites);
        return 0;
    }
    struct cert_case *cs = &c->cases[c->ncases++];
    snprintf(cs->name, sizeof cs->name, "%.199s", name);
    cs->p = p;
    cs->cites = cites;
    return 0;
}

static void read_cites(const char *path, const struct program *p,
                       unsigned char *cites) {
    for (uint32_t i = 0; i < p->nops; i++)
        if (p->ops[i].clause != UINT16_MAX)
            cites[p->ops[i].clause] = 1;
    FILE *f = fopen(path, "r");
    char line[512];
    while (f && fgets(line, sizeof line, f)) {
        if (strncmp(line, "# clauses:", 10) != 0)
            continue;
        char *save = NULL;
        for (char *t = strtok_r(line + 10, " \t\r\n,", &save); t;
             t = strtok_r(NULL, " \t\r\n,", &save))
            if (spec_clause_index(t) >= 0)
                cites[spec_clause_index(t)] = 1;
    }
    if (f)
        fclose(f);
}

static int cmp_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted regular files of dir (not hidden, not README/.md/.txt/.ics). */
static char **list_dir(const char *dir, unsigned *n) {
    DIR *d = opendir(dir);
    char **v = NULL;
    *n = 0;
    for (struct dirent *e; d && (e = readdir(d));) {
        const char *nm = e->d_name;
        size_t len = strlen(nm);
        if (nm[0] == '.' || !strncmp(nm, "README", 6) ||
            (len > 3 && !strcmp(nm + len - 3, ".md")) ||
            (len > 4 &&
             (!strcmp(nm + len - 4, ".txt") || !strcmp(nm + len - 4, ".ics"))))
            continue;
        char **nv = realloc(v, (*n + 1) * sizeof *v);
        if (!nv)
            break;
        v = nv;
        v[*n] = malloc(strlen(dir) + len + 2);
        if (!v[*n])
            break;
        sprintf(v[*n], "%s/%s", dir, nm);
        (*n)++;
    }
    if (d)
        closedir(d);
    if (v)
        qsort(v, *n, sizeof *v, cmp_name);
    return v;
}

static int load_dir(struct cert_run *c, const char *sub, int vectors) {
    char dir[1024];
    unsigned n;
    snprintf(dir, sizeof dir, "%s/%s", c->cfg.corpus, sub);
    char **files = list_dir(dir, &n);
    for (unsigned i = 0; i < n; i++) {
        struct program *p = malloc(sizeof *p);
        unsigned char *cites = calloc(spec_clause_count(), 1);
        int ok = p && cites && cli_load_program(files[i], p) == 0;
        size_t fl = strlen(files[i]);
        int text = fl > 4 && !strcmp(files[i] + fl - 4, ".vpt");
        if (ok)
            read_cites(files[i], p, cites);
        if (ok && !text) /* a fuzzer's bytes: its expect bits mean nothing */
            for (uint32_t k = 0; k < p->nops; k++)
                p->ops[k].expect = 0;
        if (ok && (!vectors || ics_vector_applies(&c->cfg.ics, p, cites))) {
            char name[256];
            snprintf(name, sizeof name, "%s/%s", sub,
                     strrchr(files[i], '/') + 1);
            add_case(c, name, p, cites);
        } else {
            free(p);
            free(cites);
        }
        free(files[i]);
    }
    free(files);
    return 0;
}

static uint64_t next_rand(uint64_t *s) {
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* Random programs: random bytes through the total decoder, so they are
 * exactly what the differential fuzzer explores, reproducible from seed. */
static void add_random(struct cert_run *c) {
    uint64_t s = c->cfg.seed * 0x9E3779B97F4A7C15ull + 1;
    uint8_t bytes[600];
    for (unsigned i = 0; i < c->cfg.random_cases; i++) {
        size_t len = 24 + next_rand(&s) % (sizeof bytes - 24);
        for (size_t j = 0; j < len; j++)
            bytes[j] = (uint8_t)next_rand(&s);
        bytes[0] = 1;
        struct program *p = malloc(sizeof *p);
        if (!p)
            return;
        prog_decode(bytes, len, p);
        for (uint32_t k = 0; k < p->nops; k++)
            p->ops[k].expect = 0; /* random expectations mean nothing */
        if (!(c->cfg.ics.services & SVC_ALLOCATE_POOL) ||
            !(c->cfg.ics.services & SVC_FREE_POOL))
            for (uint32_t k = 0; k < p->nops; k++)
                if (p->ops[k].code == PROG_OP_ALLOC_POOL ||
                    p->ops[k].code == PROG_OP_FREE_POOL)
                    p->ops[k].code = PROG_OP_TOUCH;
        char name[64];
        snprintf(name, sizeof name, "random/seed-%llu-%u",
                 (unsigned long long)c->cfg.seed, i);
        add_case(c, name, p, NULL);
    }
}

/* ---- running and tallying ---- */

static void run_case(const struct cert_run *c, const struct cert_case *cs,
                     struct child_result *res) {
    struct exec_options o;
    struct child_limits lim = {c->cfg.case_seconds, c->cfg.case_rss, 0};
    exec_options_default(&o);
    o.ics = c->cfg.ics;
    o.check_expect = cs->cites != NULL; /* vectors and text regressions */
    child_run(cs->p, &c->impl, &o, &lim, res);
}

static void record_failure(struct cert_run *c, unsigned ci, int k,
                           const char *exp, const char *obs, const char *det,
                           int from_expect) {
    struct cert_clause *cl = &c->clauses[k];
    cl->failed++;
    if (cl->first_case >= 0)
        return;
    cl->first_case = (int)ci;
    cl->first_from_expect = from_expect;
    snprintf(cl->expected, sizeof cl->expected, "%s", exp);
    snprintf(cl->observed, sizeof cl->observed, "%s", obs);
    snprintf(cl->detail, sizeof cl->detail, "%s", det);
}

static void tally(struct cert_run *c, unsigned ci,
                  const struct child_result *res) {
    const struct cert_case *cs = &c->cases[ci];
    size_t n = spec_clause_count();
    unsigned char *hit = calloc(n, 1);
    if (!hit)
        return;
    if (res->out == CH_PASS || res->out == CH_FAIL) {
        for (uint32_t i = 0; i < res->r.nfindings; i++) {
            const struct exec_finding *f = &res->r.f[i];
            int k = spec_clause_index(f->clause);
            if (k < 0)
                continue;
            hit[k] = 1;
            record_failure(c, ci, k, f->expected, f->observed, f->detail,
                           f->from_expect);
        }
        if (res->r.zero_form)
            c->zero_form = res->r.zero_form;
    } else if (res->out != CH_ERROR && res->clause &&
               spec_clause_index(res->clause) >= 0) {
        int k = spec_clause_index(res->clause);
        char obs[200];
        snprintf(obs, sizeof obs, "%s: %.150s (op %u)",
                 child_outcome_name(res->out), res->what, res->op);
        hit[k] = 1;
        record_failure(
            c, ci, k, "the call returns", obs,
            "the implementation did not return normally from the call", 0);
    }
    for (size_t k = 0; k < n; k++) {
        if (hit[k] || !exercises(cs, k))
            continue;
        if (res->out == CH_PASS)
            c->clauses[k].run++;
        else
            c->clauses[k].unfinished++;
    }
    free(hit);
}

static void progress(const struct cert_run *c, unsigned i, double t0,
                     int force) {
    static double last;
    double t = now();
    if (c->cfg.quiet || (!force && t - last < 2.0))
        return;
    last = t;
    unsigned failing = 0;
    for (size_t k = 0; k < spec_clause_count(); k++)
        failing += c->clauses[k].failed != 0;
    fprintf(stderr, "certify: %u/%u cases, %.1f s, %u clauses failing so far\n",
            i, c->ncases, t - t0, failing);
}

/* ---- grading ---- */

static void grade(struct cert_run *c) {
    int must_bad = 0, should_bad = 0;
    for (size_t k = 0; k < spec_clause_count(); k++) {
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
            snprintf(
                g->note, sizeof g->note, "%s",
                g->unfinished
                    ? "every case exercising it ended early for another clause"
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
        must_bad |= cl->level == SPEC_MUST &&
                    (g->verdict == CV_FAIL || g->verdict == CV_INCONCLUSIVE);
        should_bad |= cl->level == SPEC_SHOULD &&
                      (g->verdict == CV_WARN || g->verdict == CV_INCONCLUSIVE);
    }
    c->overall = must_bad     ? OVERALL_NOT_CERTIFIED
                 : should_bad ? OVERALL_WITH_WARNINGS
                              : OVERALL_CERTIFIED;
}

/* ---- minimization of reproducers ---- */

static int reproduces(const struct cert_run *c, const struct cert_case *cs,
                      struct program *p, const char *clause) {
    struct cert_case t = *cs;
    struct child_result res;
    t.p = p;
    run_case(c, &t, &res);
    if (res.out == CH_PASS || res.out == CH_FAIL) {
        /* Only a check counts: an `expect` line left stale by removing
         * the operations before it proves nothing. */
        for (uint32_t i = 0; i < res.r.nfindings; i++)
            if (!strcmp(res.r.f[i].clause, clause) && !res.r.f[i].from_expect)
                return 1;
        return 0;
    }
    return res.out != CH_ERROR && res.clause && !strcmp(res.clause, clause);
}

/* Remove chunks of operations while the clause still fails. */
static void minimize(const struct cert_run *c, const struct cert_case *cs,
                     const char *clause, struct program *best,
                     double deadline) {
    struct program *trial = malloc(sizeof *trial);
    unsigned trials = 0;
    if (!trial)
        return;
    *best = *cs->p;
    for (uint32_t chunk = best->nops / 2 ? best->nops / 2 : 1; chunk >= 1;
         chunk /= 2) {
        for (uint32_t at = 0; at + chunk <= best->nops;) {
            if (trials++ >= MINIMIZE_TRIALS || now() > deadline)
                goto done;
            *trial = *best;
            memmove(&trial->ops[at], &trial->ops[at + chunk],
                    (trial->nops - at - chunk) * sizeof trial->ops[0]);
            trial->nops -= chunk;
            if (reproduces(c, cs, trial, clause))
                *best = *trial;
            else
                at += chunk;
        }
        if (chunk == 1)
            break;
    }
done:
    free(trial);
}

static void write_reproducer(struct cert_run *c, size_t k, double deadline) {
    struct cert_clause *g = &c->clauses[k];
    const struct cert_case *cs = &c->cases[g->first_case];
    const char *id = spec_clause_at(k)->id;
    struct program *best = malloc(sizeof *best);
    if (!best)
        return;
    if (g->first_from_expect)
        *best = *cs->p; /* an unmet expectation is kept whole, in context */
    else
        minimize(c, cs, id, best, deadline);
    size_t n = prog_text_write(best, NULL, 0);
    char head[1024];
    int hn = snprintf(
        head, sizeof head,
        "# vpcert certify reproducer for %s\n# library: %s (sha256 %s)\n"
        "# from case: %s (%u of its %u operations kept)\n"
        "# expected: %s\n# observed: %s\n",
        id, c->cfg.lib, c->sha256, cs->name, best->nops, cs->p->nops,
        g->expected, g->observed);
    char *text = malloc((size_t)hn + n + 1);
    if (text) {
        memcpy(text, head, (size_t)hn);
        prog_text_write(best, text + hn, n + 1);
        snprintf(g->reproducer, sizeof g->reproducer, "%s/reproducers/%s.vpt",
                 c->cfg.out_dir, id);
        if (cli_write_file(g->reproducer, text, (size_t)hn + n) != 0)
            g->reproducer[0] = 0;
    }
    free(text);
    free(best);
}

/* ---- the run ---- */

/* 0 when path is an existing directory (mkdir said EEXIST). */
static int access_ok(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode) ? 0 : -1;
}

static int setup(struct cert_run *c) {
    char err[512], dir[1100];
    if (impl_load(&c->impl, c->cfg.lib, err, sizeof err) != 0) {
        fprintf(stderr, "vpcert certify: cannot load %s: %s\n", c->cfg.lib,
                err);
        return -1;
    }
    if (!c->impl.alloc_buffer || !c->impl.release_buffer) {
        fprintf(stderr,
                "vpcert certify: %s exports neither VideoPortAllocateBuffer "
                "nor VideoPortReleaseBuffer: not an implementation\n",
                c->cfg.lib);
        return -1;
    }
    if (sha256_file(c->cfg.lib, c->sha256) != 0)
        snprintf(c->sha256, sizeof c->sha256, "unreadable");
    snprintf(dir, sizeof dir, "%s/reproducers", c->cfg.out_dir);
    if ((mkdir(c->cfg.out_dir, 0755) != 0 && access_ok(c->cfg.out_dir) != 0) ||
        (mkdir(dir, 0755) != 0 && access_ok(dir) != 0)) {
        fprintf(stderr, "vpcert certify: cannot create %s\n", dir);
        return -1;
    }
    c->cases = calloc(MAX_CASES, sizeof *c->cases);
    c->clauses = calloc(spec_clause_count(), sizeof *c->clauses);
    if (!c->cases || !c->clauses)
        return -1;
    for (size_t k = 0; k < spec_clause_count(); k++)
        c->clauses[k].first_case = -1;
    return 0;
}

static void check_exports(struct cert_run *c) {
    int k = spec_clause_index("ICS-1");
    c->missing = impl_missing(&c->impl, ics_required(&c->cfg.ics));
    if (!c->missing) {
        c->clauses[k].run++;
        return;
    }
    char obs[160];
    snprintf(obs, sizeof obs, "declared but not exported:%s%s%s%s",
             c->missing & SVC_ALLOCATE_POOL ? " VideoPortAllocatePool" : "",
             c->missing & SVC_FREE_POOL ? " VideoPortFreePool" : "",
             c->missing & SVC_DEVICE_START ? " VpcertDeviceStart" : "",
             c->missing & SVC_DEVICE_STOP ? " VpcertDeviceStop" : "");
    c->clauses[k].failed++;
    snprintf(c->clauses[k].expected, sizeof c->clauses[k].expected,
             "every service the ICS declares is exported");
    snprintf(c->clauses[k].observed, sizeof c->clauses[k].observed, "%s", obs);
    /* Declared pool services that are missing cannot be exercised. */
    c->cfg.ics.services &= ~c->missing;
}

int cert_run(struct cert_run *c) {
    double t0 = now(), deadline = t0 + c->cfg.time_budget;
    if (setup(c) != 0)
        return -1;
    check_exports(c);
    load_dir(c, "conformance", 1);
    load_dir(c, "regressions", 0);
    add_random(c);
    if (!c->cfg.quiet)
        fprintf(stderr, "certify: %s (sha256 %.16s...), %u cases, seed %llu\n",
                c->cfg.lib, c->sha256, c->ncases,
                (unsigned long long)c->cfg.seed);
    /* The whole run stays within the budget: cases get the first 80% of
     * it, minimizing the reproducers the rest (an unminimized reproducer
     * is written when no time is left). */
    double cases_end = t0 + 0.8 * c->cfg.time_budget;
    for (unsigned i = 0; i < c->ncases && now() < cases_end; i++) {
        struct child_result res;
        run_case(c, &c->cases[i], &res);
        tally(c, i, &res);
        c->ran = i + 1;
        progress(c, c->ran, t0, 0);
    }
    progress(c, c->ran, t0, 1);
    for (size_t k = 0; k < spec_clause_count(); k++)
        if (c->clauses[k].first_case >= 0)
            write_reproducer(c, k, deadline);
    grade(c);
    c->seconds = now() - t0;
    return 0;
}

void cert_free(struct cert_run *c) {
    for (unsigned i = 0; c->cases && i < c->ncases; i++) {
        free(c->cases[i].p);
        free(c->cases[i].cites);
    }
    free(c->cases);
    free(c->clauses);
    impl_unload(&c->impl);
}
