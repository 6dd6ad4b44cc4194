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

/* The goals of vpcert-bench's tables (issue 14), stated here only; each
 * table prints its goal and whether it is met:
 *   OVERHEAD  the executor costs at most this many times the implementation
 *             alone (overhead)
 *   FLAT      the harness's overhead ratio, model + checks over the
 *             implementation alone, at 100,000 live allocations is at most
 *             this many times the one at 10 (scaling)
 *   SIZE      an operation on a 4 GiB block costs at most this many times
 *             one on a 4 KiB block, through the executor (size) */
#define BENCH_GOAL_OVERHEAD 2.0
#define BENCH_GOAL_FLAT 1.2
#define BENCH_GOAL_SIZE 2.0

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
