/*
 * bench.h: what the parts of vpcert-bench share: the median, a
 * deterministic generator, and one entry point per table. Every time is
 * os_cpu_now(), the thread's CPU time.
 */
#ifndef VPCERT_BENCH_H
#define VPCERT_BENCH_H

#include "exec.h"
#include "impl.h"
#include "kernel.h"

/* Median of v[0..n) (sorts v). */
double bench_median(double *v, int n);
/* xorshift64: the same sequence in every run. */
uint64_t bench_next(void);

/* One operation of a run on the implementation alone: an allocation (a
 * buffer, or a nonpaged pool block when pool) appended to live[0..*n), any
 * other operation frees live[op->index % *n]; then the kernel stand-in k's
 * event log is cleared, as the executor does after each call. */
void bench_alone_op(struct kernel *k, PVOID ext, const struct prog_op *op,
                    int pool, PVOID *live, uint32_t *n);

/* bench_size.c: cost per operation by block size, 16 B to 4 GiB, or the
 * nsizes sizes given as decimal strings. */
void bench_size(struct program *p, int rounds, char **sizes, int nsizes);
/* bench_corpus.c: per-execution cost of the programs in dirs. */
void bench_corpus(struct program *p, int rounds, char **dirs, int ndirs);

#endif /* VPCERT_BENCH_H */
