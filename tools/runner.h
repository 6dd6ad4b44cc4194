/*
 * runner: programs run on an implementation that vpcert never loads into
 * itself. The implementation is buggy by assumption; nothing it does
 * (exit, crash, hang, runaway memory, fork, closing descriptors, killing
 * its parent or its process group) may end, stall or fool vpcert.
 *
 * The processes of one lane:
 *
 *   vpcert, the manager: never loads the library; the subreaper of
 *   |   everything below (PR_SET_CHILD_SUBREAPER), which it ends
 *   +- keeper: its own session and process group; dies with vpcert;
 *      |   reports how the loader ended
 *      +- loader: loads the library once (its constructors run here)
 *         |   and checks its exports, under the limits of a case; the
 *         |   subreaper of what the library leaves behind
 *         +- child: its own process group, forked from the loader for
 *                each batch of programs (or one program); killed, with
 *                its whole group, when the batch ends
 *
 * A library calling kill(getppid(), ...) hits the loader, kill(0, ...)
 * its own child's group: never vpcert. The manager hears of every end
 * from waitpid (never from a pipe's end of file), watches time and
 * resident memory itself, and ends every process the library left.
 *
 * Batches (worker.c): a child runs programs one after another until the
 * batch ends or one is not clean (a finding, a crash, a hang...). Before
 * each program after the first, the library's writable static data is
 * put back as it was after loading. A result that is not clean counts
 * only from a program that ran first in its child (a fresh process, as
 * if alone); any other is run again first in the next child, and that
 * run decides. So every failure in a verdict was seen in a fresh process;
 * a program that fails only after others is a note ("carried state"),
 * never a verdict. Batches are made by count, never by time.
 *
 * Time (SPEC.md, Conformance statement, "Time"): a program's time limit bounds
 * its own time, the wall-clock time since it started less the time the process
 * running it spent runnable but waiting for a CPU (/proc/PID/schedstat, its
 * main thread: the one calling the implementation). A program that loops or
 * blocks forever still reaches the limit; one that only waited for other
 * processes' CPU use does not, so load never makes a TIMEOUT. Only that
 * thread's wait counts: a sum over the library's own threads could exceed
 * the wall time and hide a hang. Past RUNNER_BACKSTOP times the limit of
 * wall clock, or at the deadline, the run stops (the case was not run: the
 * result is never a failure). Loading is timed the same way.
 */
#ifndef VPCERT_RUNNER_H
#define VPCERT_RUNNER_H

#include "child.h"

#define RUNNER_MAX_LANES 4u    /* parallel loaders at most */
#define RUNNER_MAX_BATCH 1024u /* programs per child at most */
#define RUNNER_BACKSTOP                                                        \
    20.0 /* wall clock, in case limits, after which a                          \
            case starved by load is not run */

/* Program i of a batch, in the child: a pointer to it (into memory the
 * manager had when the lane started, or into scratch), with o filled
 * (o->progress and o->on_step are set by the runner afterwards). */
typedef const struct program *(*runner_program_fn)(void *ctx, unsigned i,
                                                   struct program *scratch,
                                                   struct exec_options *o);
/* The result of program i, called in the manager: in order within a
 * batch of programs, batches in any order. carried: it was not clean
 * after other programs in one child and is clean alone. */
typedef void (*runner_result_fn)(void *ctx, unsigned i,
                                 const struct child_result *res, int carried);

struct runner_config {
    const char *lib;              /* shared object, NULL = built-in shim */
    double case_seconds;          /* time limit per program, and the load
                                     (its own time, as above) */
    uint64_t rss_bytes;           /* resident memory limit, 0 = none */
    double deadline;              /* os_now() when all must end, 0 = none */
    unsigned batch;               /* programs per child (1..MAX_BATCH) */
    unsigned lanes;               /* parallel loaders (1..MAX_LANES) */
    int child_stdout;             /* children keep stdout (explain) */
    int child_stderr;             /* children keep stderr (else /dev/null) */
    runner_program_fn program_at; /* batch programs (runner_all) */
    void *ctx;                    /* passed to program_at */
    const struct impl *builtin;   /* lib NULL: this implementation, made of
                                     vpcert's own code (NULL: the built-in
                                     shim); tests plant faults with it */
};

struct runner_stats {
    unsigned loads;      /* library loads (lanes, and after a loader died) */
    unsigned children;   /* processes that ran programs */
    unsigned programs;   /* program runs, re-runs included */
    unsigned reruns;     /* not clean after others, run again first */
    unsigned carried;    /* of those, clean when run first */
    unsigned strays;     /* processes the implementation left, ended */
    double load_seconds; /* the first load */
};

struct runner_lane; /* runner.c */

struct runner {
    struct runner_config cfg;         /* as started */
    unsigned services;                /* SVC_* the library exports */
    char host_imports[IMPL_HOST_MAX]; /* what it imports that takes memory
                                         from the host (HOST-1), "" none */
    struct runner_stats st;           /* so far */
    int stopped;                      /* the deadline passed or interrupted */
    int by_deadline;                  /* stopped by the deadline alone */
    char why[160];                    /* why stopped, for the user */
    struct runner_lane *lane;         /* lanes (runner.c) */
    void *shm;                        /* their shared memory */
    size_t shm_size;                  /* its size */
};

/* Set the deadline (os_now() when all must end, 0 none); a stop caused
 * by the earlier deadline is lifted. */
void runner_set_deadline(struct runner *r, double deadline);
/* Load the library in a lane (loaded in a child, never here) and check
 * that it exports VideoPortAllocateBuffer and VideoPortReleaseBuffer.
 * 0; -1 with one line in err (the loader's message, the missing exports,
 * or what the library did while loading: exit, crash, hang, memory);
 * -2 when the deadline or an interrupt came first (err says which). */
int runner_start(struct runner *r, const struct runner_config *cfg, char *err,
                 size_t errlen);
/* Run p alone in a fresh child. res->out is CH_STOPPED when the deadline
 * passed or an interrupt came. */
void runner_one(struct runner *r, const struct program *p,
                const struct exec_options *o, struct child_result *res);
/* Run programs 0..n-1 of cfg.program_at in batches over every lane,
 * calling fn once for each program that ran. Returns how many ran (n
 * unless r->stopped). */
unsigned runner_all(struct runner *r, unsigned n, runner_result_fn fn,
                    void *ctx);
/* End every lane; each loads the library again, in a process forked from
 * vpcert as it is then, before its next program. */
void runner_reload(struct runner *r);
/* End every process of the runner and what the library left. */
void runner_stop(struct runner *r);
/* Is a result clean: ran to the end with no finding at all? */
int runner_clean(const struct child_result *res);

#endif /* VPCERT_RUNNER_H */
