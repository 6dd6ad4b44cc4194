/*
 * test_faults: every planted mutant of the shim (shim/mutants.h), loaded as
 * a plug-in like any alternate implementation, is run through every
 * conformance vector; the clause the mutant is meant to break must be among
 * the findings. The correct shim, loaded the same way, must produce no
 * finding at all. If a check in the executor, the model or the kernel stand-in
 * is removed, the mutant that proves it survives and this test fails.
 *
 * The vectors' expect lines are not checked: the model's judgement and the
 * executor's checks alone must catch every mutant. With --expect-missed
 * NAME the test proves the opposite for a deliberately wrong model (built
 * with -DVPM_FAULT=N): it passes only if mutant NAME then goes uncaught.
 *
 * usage: test_faults VECTOR_DIR MUTANT_DIR SHIM_SO [MUTANT_NAME]
 *        test_faults VECTOR_DIR MUTANT_DIR SHIM_SO --expect-missed NAME
 */
#include "clauses.h"
#include "exec.h"
#include "os.h"
#include "vpm.h"

#include "../shim/mutants.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct mutant {
    int number;         /* VPCERT_MUTANT value */
    const char *name;   /* symbolic name */
    const char *clause; /* clause it must break */
    const char *what;   /* description */
};

#define AS_ROW(n, name, clause, what) {n, #name, #clause, what},
static const struct mutant mutants[] = {VPCERT_MUTANT_LIST(AS_ROW)};
#define NMUTANTS (sizeof mutants / sizeof mutants[0])

struct vectors {
    char path[128][512];    /* vector files */
    struct program *p[128]; /* parsed programs */
    unsigned n;             /* count */
};

/* Parse the text program at path into v->p[v->n]. 0, or -1 (printed). */
static int load_vector(struct vectors *v, const char *path) {
    char err[600] = "out of memory";
    size_t n;
    char *text = (char *)os_file_read(path, &n, err, sizeof err);
    snprintf(v->path[v->n], sizeof v->path[0], "%s", path);
    v->p[v->n] = malloc(sizeof(struct program));
    int bad = !text || !v->p[v->n] ||
              prog_text_parse(text, n, path, v->p[v->n], err, sizeof err);
    free(text);
    if (bad) {
        fprintf(stderr, "cannot load %s: %s\n", path, err);
        return -1;
    }
    v->n++;
    return 0;
}

static int load_vectors(const char *dir, struct vectors *v) {
    struct os_list l;
    char err[600], path[512];
    if (os_dir_list(dir, &l, err, sizeof err) != 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < l.n && v->n < 128; i++) {
        size_t len = strlen(l.v[i].name);
        if (len < 5 || strcmp(l.v[i].name + len - 4, ".vpt") != 0)
            continue;
        rc = os_path_join(path, sizeof path, dir, l.v[i].name) != 0
                 ? -1
                 : load_vector(v, path);
    }
    os_list_free(&l);
    return rc == 0 && v->n ? 0 : -1;
}

/* The ICS a mutant is certified against: the defaults, except where the
 * fault only exists relative to a declaration (a Size 0 form, calls from
 * several threads). */
static void ics_for(int number, struct ics *ics) {
    ics_default(ics);
    if (strcmp(mutants[number - 1].clause, "ZERO-3") == 0)
        ics->zero_size = VPM_ZERO_ALLOCATE;
    if (strncmp(mutants[number - 1].clause, "CONC-", 5) == 0)
        ics->thread_safe = 1;
}

/* Run every vector; return the number of findings, and whether `clause`
 * was among them (and print the clauses found). */
static unsigned run_all(const struct vectors *v, const struct impl *impl,
                        const struct ics *ics, const char *clause, int *found,
                        char *seen, size_t seen_cap) {
    unsigned findings = 0;
    struct exec_options o;
    exec_options_default(&o);
    o.ics = *ics;
    o.check_expect = 0; /* the model and the checks alone must catch it */
    *found = 0;
    seen[0] = 0;
    for (unsigned i = 0; i < v->n; i++) {
        struct exec_result r;
        exec_run(v->p[i], impl, &o, &r);
        for (uint32_t k = 0; k < r.nfindings; k++) {
            findings++;
            if (clause && strcmp(r.f[k].clause, clause) == 0)
                *found = 1;
            if (!strstr(seen, r.f[k].clause) && strlen(seen) + 20 < seen_cap)
                snprintf(seen + strlen(seen), seen_cap - strlen(seen), "%s%s",
                         seen[0] ? "," : "", r.f[k].clause);
            if (!clause)
                fprintf(stderr, "  control: %s: [%s] op %u: %s; %s\n",
                        v->path[i], r.f[k].clause, r.f[k].op, r.f[k].observed,
                        r.f[k].detail);
        }
    }
    return findings;
}

static int check_control(const struct vectors *v, const char *so) {
    struct impl impl;
    struct ics ics;
    char err[IMPL_ERR_MAX], seen[512];
    int found;
    if (impl_load(&impl, so, err, sizeof err) != 0) {
        fprintf(stderr, "cannot load %s: %s\n", so, err);
        return 1;
    }
    ics_default(&ics);
    ics.zero_size = VPM_ZERO_ALLOCATE; /* what the shim declares */
    ics.thread_safe = 1;
    unsigned n = run_all(v, &impl, &ics, NULL, &found, seen, sizeof seen);
    impl_unload(&impl);
    printf("%-4s control: correct shim as a plug-in, %u vectors, %u findings\n",
           n ? "FAIL" : "ok", v->n, n);
    return n ? 1 : 0;
}

static int check_mutant(const struct vectors *v, const char *dir, unsigned i) {
    const struct mutant *m = &mutants[i];
    char so[600], err[IMPL_ERR_MAX], seen[512];
    struct impl impl;
    struct ics ics;
    int found;
    snprintf(so, sizeof so, "%s/mutant_%d.so", dir, m->number);
    if (impl_load(&impl, so, err, sizeof err) != 0) {
        printf("FAIL %2d %-26s cannot load: %s\n", m->number, m->name, err);
        return 1;
    }
    ics_for(m->number, &ics);
    run_all(v, &impl, &ics, m->clause, &found, seen, sizeof seen);
    impl_unload(&impl);
    printf("%-4s %2d %-26s [%s] expected; found: %s\n", found ? "ok" : "FAIL",
           m->number, m->name, m->clause, seen[0] ? seen : "nothing");
    return found ? 0 : 1;
}

/* --expect-missed: mutant `name` must go uncaught (a faulty model). */
static int expect_missed(const struct vectors *v, const char *dir,
                         const char *name) {
    for (unsigned i = 0; i < NMUTANTS; i++) {
        if (strcmp(mutants[i].name, name) != 0)
            continue;
        int caught = check_mutant(v, dir, i) == 0;
        printf("%s: mutant %s %s by this model\n", caught ? "FAIL" : "ok", name,
               caught ? "caught" : "missed");
        return caught;
    }
    printf("FAIL: no mutant named %s\n", name);
    return 1;
}

int main(int argc, char **argv) {
    static struct vectors v;
    if (argc < 4) {
        fprintf(stderr,
                "usage: test_faults VECTOR_DIR MUTANT_DIR SHIM_SO [NAME]\n");
        return 2;
    }
    if (load_vectors(argv[1], &v) != 0) {
        fprintf(stderr, "no conformance vectors in %s\n", argv[1]);
        return 1;
    }
    if (argc == 6 && strcmp(argv[4], "--expect-missed") == 0)
        return check_control(&v, argv[3]) ||
               expect_missed(&v, argv[2], argv[5]);
    int failures = check_control(&v, argv[3]);
    unsigned ran = 0;
    for (unsigned i = 0; i < NMUTANTS; i++) {
        if (argc > 4 && strcmp(argv[4], mutants[i].name) != 0)
            continue;
        if (spec_clause_index(mutants[i].clause) < 0) {
            printf("FAIL %s names unknown clause %s\n", mutants[i].name,
                   mutants[i].clause);
            failures++;
            continue;
        }
        failures += check_mutant(&v, argv[2], i);
        ran++;
    }
    printf("%u mutants, %d failures\n", ran, failures);
    return failures || ran == 0 ? 1 : 0;
}
