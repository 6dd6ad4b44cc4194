/*
 * bench_size: cost per operation by block size. One program of 64
 * AllocatePool calls of N bytes then 64 FreePool calls, with pools of
 * 2^64 - 1 bytes, run many times (a fresh kernel stand-in each time, as
 * the fuzzer does), through the executor with fuzz_diff's options and on
 * the implementation alone. Its goal: BENCH_GOAL_SIZE (bench.h).
 */
#include "bench.h"
#include "kernel.h"
#include "os.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SIZE_LIVE 64u /* blocks allocated, then freed, per program */

static void size_program(struct program *p, uint64_t n) {
    prog_init(p);
    p->capacity[0] = p->capacity[1] = UINT64_MAX;
    for (uint32_t i = 0; i < 2 * SIZE_LIVE; i++) {
        struct prog_op *op = &p->ops[p->nops++];
        memset(op, 0, sizeof *op);
        op->clause = UINT16_MAX;
        op->code = i < SIZE_LIVE ? PROG_OP_ALLOC_POOL : PROG_OP_FREE_POOL;
        op->pool_type = VpNonPagedPool;
        op->tag = VPCERT_TAG('B', 'n', 'c', 'h');
        op->size.value = n;
        op->index = i * 7u; /* a different live block each time */
    }
}

/* Seconds for reps runs of p on the implementation alone. */
static double size_alone(const struct program *p, int reps) {
    static unsigned char ext[VPCERT_DEVICE_EXTENSION_SIZE]
        __attribute__((aligned(16)));
    PVOID live[SIZE_LIVE];
    struct kernel_config kc = {{p->capacity[0], p->capacity[1]}, 0, 0, 1};
    double t0 = os_cpu_now();
    for (int r = 0; r < reps; r++) {
        struct kernel *k = kernel_new(&kc);
        uint32_t n = 0;
        memset(ext, 0, sizeof ext);
        kernel_bind(k);
        VpcertDeviceStart(ext, VPCERT_QUOTA_UNLIMITED);
        for (uint32_t i = 0; i < p->nops; i++)
            bench_alone_op(k, ext, &p->ops[i], 1, live, &n);
        VpcertDeviceStop(ext);
        kernel_bind(NULL);
        kernel_delete(k);
    }
    return os_cpu_now() - t0;
}

/* Seconds for reps runs of p through the executor. */
static double size_exec(const struct program *p, int reps) {
    struct impl impl;
    struct exec_options o;
    struct exec_result r;
    impl_builtin(&impl);
    exec_options_default(&o);
    o.check_expect = 0;
    o.write_limit = 4096; /* as fuzz_diff */
    double t0 = os_cpu_now();
    for (int i = 0; i < reps; i++)
        if (exec_run(p, &impl, &o, &r) != 0) {
            fprintf(stderr, "bench: size program: %s\n",
                    r.nfindings ? r.f[0].clause : "out of memory");
            return 0;
        }
    return os_cpu_now() - t0;
}

void bench_size(struct program *p, int rounds, char **given, int ngiven) {
    static const uint64_t table[] = {16,           256,        4096,
                                     65536,        1ull << 20, 16ull << 20,
                                     256ull << 20, 1ull << 30, 4ull << 30};
    uint64_t sizes[16];
    int nsizes = 0;
    const int reps = 200;
    for (int i = 0; i < ngiven && nsizes < 16; i++)
        sizes[nsizes++] = strtoull(given[i], NULL, 10);
    for (unsigned i = 0; !ngiven && i < sizeof table / sizeof table[0]; i++)
        sizes[nsizes++] = table[i];
    double e[16] = {0}, a[16] = {0}, base_e = 0, base_a = 0;
    printf("\n## size: cost per operation by block size\n\n");
    printf("%u AllocatePool of N bytes then %u FreePool, %d programs per "
           "round, median of %d rounds.\n\n",
           SIZE_LIVE, SIZE_LIVE, reps, rounds);
    for (int s = 0; s < nsizes; s++) {
        double te[15], ta[15];
        size_program(p, sizes[s]);
        for (int r = 0; r < rounds && r < 15; r++) {
            te[r] = size_exec(p, reps) / (reps * p->nops) * 1e9;
            ta[r] = size_alone(p, reps) / (reps * p->nops) * 1e9;
        }
        e[s] = bench_median(te, rounds);
        a[s] = bench_median(ta, rounds);
        if (sizes[s] == 4096) {
            base_e = e[s];
            base_a = a[s];
        }
    }
    if (base_e == 0) { /* no 4 KiB row: compare with the first */
        base_e = e[0];
        base_a = a[0];
    }
    printf("| block bytes | executor ns/op | vs 4 KiB | alone ns/op | vs 4 KiB "
           "|\n|---:|---:|---:|---:|---:|\n");
    for (int s = 0; s < nsizes; s++)
        printf("| %llu | %.0f | %.2fx | %.0f | %.2fx |\n",
               (unsigned long long)sizes[s], e[s], e[s] / base_e, a[s],
               a[s] / base_a);
    printf("\nGoal: %llu bytes at most %.1fx 4 KiB through the executor: %s "
           "(%.2fx).\n",
           (unsigned long long)sizes[nsizes - 1], BENCH_GOAL_SIZE,
           e[nsizes - 1] / base_e <= BENCH_GOAL_SIZE ? "met" : "NOT met",
           e[nsizes - 1] / base_e);
}
