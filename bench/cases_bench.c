/*
 * cases_bench: the executor's cost of each certify case family, in process
 * (no child per case): programs, operations run (repeats unrolled) and
 * seconds per family, on the built-in shim or a plug-in, under an ICS.
 * This is what certify's families cost once the runner batches them.
 *
 *   vpcert-bench-cases [LIB.so [ICS]] [--rounds N]
 */
#include "cases.h"
#include "exec.h"
#include "os.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct tally {
    struct impl *impl;            /* what runs */
    const struct exec_options *o; /* under which ICS */
    unsigned programs;            /* run */
    unsigned findings;            /* programs with a finding */
    uint64_t steps;               /* operations run */
};

static int run_one(void *ctx, enum cases_family f, const char *name,
                   const struct program *p) {
    struct tally *t = ctx;
    struct exec_result r;
    (void)f;
    if (exec_run(p, t->impl, t->o, &r) != 0) {
        t->findings++;
        fprintf(stderr, "  %s: %u findings, first [%s]\n", name, r.nfindings,
                r.nfindings ? r.f[0].clause : "-");
    }
    t->programs++;
    t->steps += r.steps;
    return 0;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    struct impl impl;
    struct exec_options o;
    const char *lib = NULL, *ics_path = NULL;
    int rounds = 3;
    char err[1024];
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
            rounds = atoi(argv[++i]);
        else if (!lib)
            lib = argv[i];
        else
            ics_path = argv[i];
    }
    exec_options_default(&o);
    if (ics_load(ics_path, &o.ics, err, sizeof err) != 0 ||
        (lib ? impl_open(&impl, lib, err, sizeof err) != 0
             : (impl_builtin(&impl), 0) != 0)) {
        fprintf(stderr, "vpcert-bench-cases: %s\n", err);
        return 2;
    }
    if (!lib)
        o.ics.zero_size = 1; /* the shim allocates on Size 0 */
    const unsigned pool = SVC_ALLOCATE_POOL | SVC_FREE_POOL;
    struct cases_options co = {(o.ics.services & pool) == pool, 1, 300,
                               o.ics.thread_safe ? 16u : 0u};
    printf("| family | programs | operations | seconds (median of %d) | "
           "us/program |\n|---|---:|---:|---:|---:|\n",
           rounds);
    double total = 0;
    for (unsigned f = CASES_SCALE; f < CASES_FAMILY_COUNT; f++) {
        double secs[16];
        struct tally t = {&impl, &o, 0, 0, 0};
        for (int r = 0; r < rounds && r < 16; r++) {
            t.programs = 0;
            t.steps = 0;
            double t0 = os_now();
            cases_generate((enum cases_family)f, &co, run_one, &t);
            secs[r] = os_now() - t0;
        }
        qsort(secs, (size_t)rounds, sizeof secs[0], cmp_double);
        double med = secs[rounds / 2];
        total += med;
        printf("| %s | %u | %llu | %.3f | %.0f |\n", cases_family_name(f),
               t.programs, (unsigned long long)t.steps, med,
               t.programs ? med * 1e6 / t.programs : 0.0);
        if (t.findings)
            printf("(%u programs with findings)\n", t.findings);
    }
    printf("| all generated | | | %.3f | |\n", total);
    if (lib)
        impl_unload(&impl);
    return 0;
}
