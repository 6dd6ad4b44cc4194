/*
 * vpcert-bench: the executor's costs, printed as tables.
 *
 *   overhead  a long program run on the implementation alone (the shim over
 *             the kernel stand-in, no model, no checks) versus the same program
 *             through the executor (model + every check).
 *   scaling   cost per operation as live allocations grow from 10 to
 *             100,000, executor and implementation alone, and the harness's
 *             overhead ratio (model + checks over the implementation alone)
 *             at each count.
 *   size, corpus: bench_size.c, bench_corpus.c.
 * Each table's goal is in bench.h.
 *
 * Ratios are measured in one run, interleaved, median of several rounds:
 * the machines are noisy. Build without sanitizers (the release preset).
 * usage: vpcert-bench [overhead|scaling|all] [--rounds N]
 */
#include "bench.h"
#include "kernel.h"
#include "os.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng = 88172645463325252ull;
uint64_t bench_next(void) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* fill: allocations to reach the live count; then `churn` operations that
 * alternate an allocation and a release of a random live buffer. */
static void make_program(struct program *p, uint32_t fill, uint32_t churn,
                         uint32_t size_mask) {
    prog_init(p);
    p->capacity[0] = p->capacity[1] = 4ull << 30;
    for (uint32_t i = 0; i < fill + churn && i < PROG_MAX_OPS; i++) {
        struct prog_op *op = &p->ops[p->nops++];
        memset(op, 0, sizeof *op);
        op->clause = UINT16_MAX;
        int release = i >= fill && (i - fill) % 2 == 1;
        op->code = release ? PROG_OP_RELEASE_BUFFER : PROG_OP_ALLOC_BUFFER;
        op->index = (uint32_t)(bench_next() & 0xFF);
        op->size.value = 16 + (bench_next() & size_mask);
    }
}

/* The same program on the implementation alone: the kernel stand-in, the shim,
 * and an array of live pointers; no model, no checks, no pattern writes (the
 * stand-in's event log is cleared after each call, as the executor does, so
 * that it does not grow to the length of the program). */
struct alone_ctx {
    double t_mark; /* time when op `mark` was reached */
    uint32_t mark; /* op index to time from */
};

void bench_alone_op(struct kernel *k, PVOID ext, const struct prog_op *op,
                    int pool, PVOID *live, uint32_t *n) {
    if (op->code == (pool ? PROG_OP_ALLOC_POOL : PROG_OP_ALLOC_BUFFER)) {
        PVOID b = NULL;
        if (pool)
            b = VideoPortAllocatePool(ext, VpNonPagedPool,
                                      (SIZE_T)op->size.value, op->tag);
        else if (VideoPortAllocateBuffer(ext, (ULONG)op->size.value, &b) !=
                 NO_ERROR)
            b = NULL;
        if (b)
            live[(*n)++] = b;
    } else if (*n) {
        uint32_t j = op->index % *n;
        if (pool)
            VideoPortFreePool(ext, live[j]);
        else
            VideoPortReleaseBuffer(ext, live[j]);
        live[j] = live[--*n];
    }
    kernel_events_clear(k); /* as the executor does after each call */
}

static double run_alone(const struct program *p, struct alone_ctx *ac) {
    struct kernel_config kc = {{p->capacity[0], p->capacity[1]}, 0, 0, 1};
    struct kernel *k = kernel_new(&kc);
    static unsigned char ext[VPCERT_DEVICE_EXTENSION_SIZE]
        __attribute__((aligned(16)));
    PVOID *live = malloc(sizeof *live * (p->nops + 1));
    uint32_t n = 0;
    memset(ext, 0, sizeof ext);
    kernel_bind(k);
    double t0 = os_cpu_now();
    VpcertDeviceStart(ext, VPCERT_QUOTA_UNLIMITED);
    for (uint32_t i = 0; i < p->nops; i++) {
        const struct prog_op *op = &p->ops[i];
        if (ac && i == ac->mark)
            ac->t_mark = os_cpu_now();
        bench_alone_op(k, ext, op, 0, live, &n);
    }
    double t1 = os_cpu_now();
    while (n)
        VideoPortReleaseBuffer(ext, live[--n]);
    VpcertDeviceStop(ext);
    kernel_bind(NULL);
    kernel_delete(k);
    free(live);
    return t1 - (ac ? ac->t_mark : t0);
}

struct step_ctx {
    uint32_t mark; /* op index to time from */
    uint32_t last; /* last op index */
    double t_mark; /* time at mark */
    double t_last; /* time at last */
};

static void on_step(void *c, const struct exec_step *s) {
    struct step_ctx *sc = c;
    if (s->op + 1 == sc->mark)
        sc->t_mark = os_cpu_now();
    if (s->op == sc->last)
        sc->t_last = os_cpu_now();
}

static double run_exec(const struct program *p, uint32_t mark) {
    struct impl impl;
    struct exec_options o;
    struct exec_result r;
    struct step_ctx sc = {mark, p->nops - 1, 0, 0};
    impl_builtin(&impl);
    exec_options_default(&o);
    o.on_step = on_step;
    o.step_ctx = &sc;
    double t0 = os_cpu_now();
    int rc = exec_run(p, &impl, &o, &r);
    if (rc != 0) {
        fprintf(stderr, "bench: the executor reported %d finding(s): %s\n",
                r.nfindings, r.nfindings ? r.f[0].clause : "");
        exit(1);
    }
    return mark ? sc.t_last - sc.t_mark : sc.t_last - t0;
}

static int cmp_d(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double bench_median(double *v, int n) {
    qsort(v, (size_t)n, sizeof *v, cmp_d);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void bench_overhead(struct program *p, int rounds) {
    static const uint32_t masks[] = {0xF0, 0xFF0, 0xFFF0};
    printf(
        "\n## overhead: implementation alone vs executor (model + checks)\n\n");
    printf("| program | ops | alone ms | executor ms | ratio | goal "
           "|\n|---|---:|---:|---:|---:|---|\n");
    for (unsigned m = 0; m < 3; m++) {
        double a[15], e[15], ratio[15];
        make_program(p, 1000, 199000, masks[m]);
        for (int r = 0; r < rounds && r < 15; r++) {
            a[r] = run_alone(p, NULL);
            e[r] = run_exec(p, 0);
            ratio[r] = e[r] / a[r];
        }
        double mr = bench_median(ratio, rounds);
        printf("| churn, live ~1000, sizes 16..%u | %u | %.1f | %.1f | %.2fx | "
               "<= %.1fx %s |\n",
               16 + masks[m], p->nops, bench_median(a, rounds) * 1e3,
               bench_median(e, rounds) * 1e3, mr, BENCH_GOAL_OVERHEAD,
               mr <= BENCH_GOAL_OVERHEAD ? "met" : "NOT met");
    }
}

static void bench_scaling(struct program *p, int rounds) {
    static const uint32_t live[] = {10, 100, 1000, 10000, 100000};
    const uint32_t churn = 40000;
    double first_o = 0, last_o = 0;
    printf("\n## scaling: cost per operation as live allocations grow\n\n");
    printf("| live | executor ns/op | alone ns/op | checks+model ns/op | "
           "executor vs live=10 | overhead ratio | overhead vs live=10 |\n"
           "|---:|---:|---:|---:|---:|---:|---:|\n");
    double first_e = 0;
    for (unsigned i = 0; i < 5; i++) {
        double a[15], e[15];
        make_program(p, live[i], churn, 0x10);
        for (int r = 0; r < rounds && r < 15; r++) {
            struct alone_ctx ac = {0, live[i]};
            a[r] = run_alone(p, &ac) / churn * 1e9;
            e[r] = run_exec(p, live[i]) / churn * 1e9;
        }
        double me = bench_median(e, rounds), ma = bench_median(a, rounds);
        double over = (me - ma) / ma; /* model + checks per implementation */
        if (i == 0) {
            first_e = me;
            first_o = over;
        }
        last_o = over;
        printf("| %u | %.0f | %.0f | %.0f | %.2fx | %.2f | %.2fx |\n", live[i],
               me, ma, me - ma, me / first_e, over, over / first_o);
    }
    printf("\nGoal: the overhead ratio at 100,000 live at most %.1fx the one "
           "at 10 live: %s (%.2fx).\n",
           BENCH_GOAL_FLAT,
           last_o / first_o <= BENCH_GOAL_FLAT ? "met" : "NOT met",
           last_o / first_o);
}

static int want(const char *what, const char *part) {
    return !strcmp(what, "all") || !strcmp(what, part);
}

int main(int argc, char **argv) {
    const char *what = argc > 1 && strncmp(argv[1], "--", 2) ? argv[1] : "all";
    int rounds = 5, ndirs = 0;
    char **dirs = calloc((size_t)argc + 1, sizeof *dirs);
    for (int i = what == argv[1] ? 2 : 1; dirs && i < argc; i++) {
        if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
            rounds = atoi(argv[++i]);
        else
            dirs[ndirs++] = argv[i];
    }
    int known = !strcmp(what, "all") || !strcmp(what, "overhead") ||
                !strcmp(what, "scaling") || !strcmp(what, "size") ||
                !strcmp(what, "corpus");
    if (!dirs || rounds < 1 || rounds > 15 || !known ||
        (ndirs && strcmp(what, "corpus") && strcmp(what, "size")) ||
        (!ndirs && !strcmp(what, "corpus"))) {
        fprintf(stderr, "usage: vpcert-bench [overhead|scaling|size|all] "
                        "[--rounds 1..15]\n"
                        "       vpcert-bench size [BYTES...] [--rounds 1..15]\n"
                        "       vpcert-bench corpus DIR... [--rounds 1..15]\n");
        free(dirs);
        return 2;
    }
    struct program *p = malloc(sizeof *p);
    if (!p)
        return 1;
    printf("# vpcert-bench (PROG_MAX_OPS %u, %d rounds, medians)\n",
           PROG_MAX_OPS, rounds);
    if (want(what, "overhead"))
        bench_overhead(p, rounds);
    if (want(what, "scaling"))
        bench_scaling(p, rounds);
    if (want(what, "size"))
        bench_size(p, rounds, dirs, ndirs);
    if (!strcmp(what, "corpus"))
        bench_corpus(p, rounds, dirs, ndirs);
    free(p);
    free(dirs);
    return 0;
}
