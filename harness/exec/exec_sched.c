/*
 * exec_sched: the threads of a concurrent run and their scheduler (SPEC.md
 * "Threads"). The run is cut into phases at every start and stop; in a
 * phase, each thread's operations are queued in program order and each
 * thread with operations runs them on a fiber of its own. One runs at a
 * time. At every switch point (a call's entry, each pool, lookaside, lock
 * and IRQL call of the kernel stand-in, the call's end) the thread may
 * yield (the operation's yield= names the point: it drops to the lowest
 * priority) and then the highest-priority thread that can run continues.
 * A thread waiting for a lock another holds cannot run; when none can and
 * one waits, that is a deadlock (CONC-2). A start or stop runs alone
 * between phases, on the executor's own stack, as does a phase whose
 * operations are all on one thread.
 *
 * Switching saves the executor's per-call state of the thread leaving (the
 * operation, the step, the call's first event and the events it scanned,
 * its jump buffer, the clause it is charged to) and
 * restores that of the thread arriving, and tells the kernel stand-in which
 * thread runs (kernel_set_thread: its IRQL, device, escape, locks). A run
 * without a concurrent phase never comes here: it costs nothing.
 */
#include "clauses.h"
#include "exec_internal.h"
#include "fiber.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXEC_STACK ((size_t)256 << 10) /* bytes of each thread's stack */

/* ---- switching ---- */

static void save(struct executor *x, struct exec_thread *t) {
    t->op = x->op;
    t->step = x->step;
    t->ev_from = x->ev_from;
    t->scanned = x->scanned;
    t->jump = x->jump;
    t->charged = x->charged;
}

static void load(struct executor *x, unsigned id) {
    struct exec_thread *t = &x->sched->th[id];
    x->sched->cur = id;
    x->op = t->op;
    x->step = t->step;
    x->ev_from = t->ev_from;
    x->scanned = t->scanned;
    x->jump = t->jump;
    x->charged = t->charged;
    if (x->o->progress && t->charged) { /* a crash now is this call's */
        x->o->progress->op = t->op;
        x->o->progress->clause = t->charged;
    }
    kernel_set_thread(x->k, id);
}

/* Can thread id run? Not when finished, nor while the lock it waits for
 * is held. */
static int can_run(const struct executor *x, unsigned id) {
    const struct exec_thread *t = &x->sched->th[id];
    if (t->done || !t->fiber)
        return 0;
    return !t->wait || kernel_lock_holder(x->k, t->wait) < 0;
}

/* The highest-priority thread that can run, or -1. */
static int pick(const struct executor *x) {
    for (unsigned i = 0; i < PROG_MAX_THREADS; i++)
        if (can_run(x, x->sched->order[i]))
            return x->sched->order[i];
    return -1;
}

/* Leave the running thread for thread id (last: never to return). */
static void switch_to(struct executor *x, unsigned id, int last) {
    struct exec_sched *s = x->sched;
    struct exec_thread *from = &s->th[s->cur];
    if (id == s->cur)
        return;
    save(x, from);
    load(x, id);
    fiber_switch(from->fiber, s->th[id].fiber, last);
}

/* Back to the executor's own stack: the phase is over (its threads are
 * done, or the run stops). Never returns. */
static void to_main(struct executor *x) {
    struct exec_sched *s = x->sched;
    save(x, &s->th[s->cur]);
    kernel_set_thread(x->k, 0);
    fiber_switch(s->th[s->cur].fiber, s->main, 1);
}

/* The thread runs last from now on (a yield). */
static void demote(struct exec_sched *s, unsigned id) {
    unsigned at = 0;
    while (s->order[at] != id)
        at++;
    memmove(&s->order[at], &s->order[at + 1], PROG_MAX_THREADS - at - 1);
    s->order[PROG_MAX_THREADS - 1] = (uint8_t)id;
}

/* A lock by where it is: "dev0+8" inside a device extension (the same
 * on every run), else its address. */
static void lock_name(const struct executor *x, uintptr_t lock, char *out,
                      size_t cap) {
    for (unsigned d = 0; d < x->p->ndevices; d++) {
        uintptr_t ext = (uintptr_t)x->ext[d];
        if (lock >= ext && lock - ext < VPCERT_DEVICE_EXTENSION_SIZE) {
            snprintf(out, cap, "dev%u+%lu", d, (unsigned long)(lock - ext));
            return;
        }
    }
    snprintf(out, cap, "%#lx", (unsigned long)lock);
}

/* CONC-2: no thread can run, and some wait. The finding names each
 * waiting thread, its lock and the lock's holder. Never returns. */
static void deadlock(struct executor *x) {
    struct exec_sched *s = x->sched;
    char obs[96] = "", name[24];
    for (unsigned t = 0; t < PROG_MAX_THREADS; t++) {
        size_t at = strlen(obs);
        uintptr_t lock = s->th[t].wait;
        if (!lock || s->th[t].done || at + 40 > sizeof obs)
            continue;
        lock_name(x, lock, name, sizeof name);
        snprintf(obs + at, sizeof obs - at, "%st%u waits for %s held by t%d",
                 at ? "; " : "", t, name, kernel_lock_holder(x->k, lock));
    }
    exec_find(x, "CONC-2", "a thread that can run",
              obs[0] ? obs : "every thread waits",
              "deadlock: every thread left waits for a lock another of them "
              "holds (locks taken in different orders?)");
    to_main(x);
}

/* Run the thread that should run now; to_main when none is left. */
static void reschedule(struct executor *x, int last) {
    int next = exec_stopped(x) ? -1 : pick(x);
    if (next >= 0) {
        switch_to(x, (unsigned)next, last);
        return;
    }
    for (unsigned t = 0; !exec_stopped(x) && t < PROG_MAX_THREADS; t++)
        if (x->sched->th[t].wait && !x->sched->th[t].done)
            deadlock(x);
    to_main(x);
}

void exec_switch_point(struct executor *x) {
    struct exec_sched *s = x->sched;
    if (!s || !s->active)
        return;
    struct exec_thread *t = &s->th[s->cur];
    unsigned k = t->point;
    if (t->point < 255)
        t->point++;
    x->r->switches++;
    if (x->op < EXEC_OP_POINTS && x->r->op_points[x->op] < t->point)
        x->r->op_points[x->op] = t->point;
    if (k < PROG_YIELD_POINTS && (t->yield >> k & 1))
        demote(s, s->cur);
    reschedule(x, 0);
}

/* The kernel stand-in's scheduler hook. A thread that waits is resumed
 * only once its lock is free (can_run). */
static void on_kernel(void *ctx, enum kernel_switch why, uintptr_t lock) {
    struct executor *x = ctx;
    if (why == KN_SW_CALL) {
        exec_switch_point(x);
        return;
    }
    struct exec_thread *t = &x->sched->th[x->sched->cur];
    t->wait = lock;
    reschedule(x, 0);
    t->wait = 0;
}

/* ---- a thread ---- */

/* A thread's fiber: its operations of the phase, in order, each call's
 * end a switch point; then the next thread. */
static void thread_main(void *arg) {
    struct executor *x = arg;
    struct exec_thread *t = &x->sched->th[x->sched->cur];
    while (t->next < t->nops && !exec_stopped(x)) {
        struct exec_step s = {0};
        x->op = t->ops[t->next];
        x->step = t->steps[t->next++];
        s.op = x->op;
        s.step = x->step;
        s.o = &x->p->ops[x->op];
        s.thread = x->sched->cur;
        t->yield = s.o->yield;
        t->point = 0;
        exec_run_op(x, s.o, &s);
        exec_step_done(x, &s);
        if (t->point && !exec_stopped(x))
            exec_switch_point(x); /* the call's end */
        t->point = 0;
    }
    t->done = 1;
    reschedule(x, 1);
}

/* ---- phases ---- */

static int queue(struct exec_thread *t, uint32_t op, uint32_t step) {
    if (t->nops == t->cap) {
        uint32_t cap = t->cap ? t->cap * 2 : 64;
        uint32_t *ops = realloc(t->ops, cap * sizeof *ops);
        if (ops)
            t->ops = ops;
        uint32_t *steps = ops ? realloc(t->steps, cap * sizeof *steps) : NULL;
        if (!steps)
            return -1;
        t->steps = steps;
        t->cap = cap;
    }
    t->ops[t->nops] = op;
    t->steps[t->nops++] = step;
    return 0;
}

/* One operation on the executor's own stack (a start, a stop, or a phase
 * of one thread). */
static void run_alone(struct executor *x, uint32_t op, uint32_t step) {
    struct exec_step s = {0};
    x->op = op;
    x->step = step;
    s.op = op;
    s.step = step;
    s.o = &x->p->ops[op];
    s.thread = prog_op_threaded(s.o->code) ? s.o->thread : 0;
    exec_run_op(x, s.o, &s);
    exec_step_done(x, &s);
}

/* Start the fibers of the threads with operations and run until the
 * phase is over. 0, or -1 when a fiber cannot be made. */
static int run_fibers(struct executor *x) {
    struct exec_sched *s = x->sched;
    for (unsigned t = 0; t < PROG_MAX_THREADS; t++) {
        struct exec_thread *th = &s->th[t];
        th->next = 0;
        th->done = th->nops == 0;
        th->wait = 0;
        th->point = 0;
        th->op = 0;
        th->step = 0;
        th->ev_from = 0;
        th->scanned = 0; /* not a place in an earlier phase's log */
        th->charged = NULL;
        th->jump = NULL;
        if (!th->nops)
            continue;
        if (th->fiber && fiber_restart(th->fiber) != 0) {
            fiber_delete(th->fiber);
            th->fiber = NULL;
        }
        if (!th->fiber && !(th->fiber = fiber_new(EXEC_STACK, thread_main, x)))
            return -1;
    }
    /* every phase starts from the program's order (SPEC.md "Threads") */
    memcpy(s->order, x->p->priority, sizeof s->order);
    int first = pick(x);
    s->active = 1;
    kernel_set_scheduler(x->k, on_kernel, x);
    load(x, (unsigned)first);
    fiber_switch(s->main, s->th[first].fiber, 0);
    kernel_set_scheduler(x->k, NULL, NULL);
    kernel_set_thread(x->k, 0);
    s->active = 0;
    return 0;
}

/* Run the queued phase: as fibers when several threads have operations,
 * else in order on this stack. */
static int run_phase(struct executor *x) {
    struct exec_sched *s = x->sched;
    unsigned busy = 0, only = 0;
    for (unsigned t = 0; t < PROG_MAX_THREADS; t++)
        if (s->th[t].nops) {
            busy++;
            only = t;
        }
    int rc = 0;
    if (busy > 1)
        rc = run_fibers(x);
    else
        for (uint32_t i = 0; busy && i < s->th[only].nops && !exec_stopped(x);
             i++)
            run_alone(x, s->th[only].ops[i], s->th[only].steps[i]);
    for (unsigned t = 0; t < PROG_MAX_THREADS; t++)
        s->th[t].nops = 0;
    return rc;
}

int exec_run_threads(struct executor *x, struct prog_run *run) {
    struct exec_sched *s = calloc(1, sizeof *s);
    if (!s || !(s->main = fiber_main())) {
        free(s);
        return -1;
    }
    x->sched = s;
    int64_t at = 0;
    while (!exec_stopped(x) && at >= 0) {
        while ((at = prog_run_next(run)) >= 0) {
            const struct prog_op *op = &x->p->ops[at];
            if (!prog_op_threaded(op->code))
                break; /* a start or a stop: the phase ends */
            if (queue(&s->th[op->thread % PROG_MAX_THREADS], (uint32_t)at,
                      x->step++) != 0)
                return -1;
        }
        if (run_phase(x) != 0)
            return -1;
        if (at >= 0 && !exec_stopped(x))
            run_alone(x, (uint32_t)at, x->step++);
    }
    return 0;
}

/* Allocations claimed by a thread giving them back (CO-7). */
static unsigned claimed(const struct exec_liveset *set) {
    unsigned n = 0;
    for (uint32_t i = 0; i < set->n; i++)
        n += set->v[i]->claimed;
    return n;
}

/* Are ev_from <= scanned <= n, a thread's place in the event log? */
static int in_log(size_t ev_from, size_t scanned, size_t n) {
    return ev_from <= scanned && scanned <= n;
}

const char *exec_sched_check(const struct executor *x) {
    const struct exec_sched *s = x->sched;
    unsigned claims = claimed(&x->bufs) + claimed(&x->blocks), calls = 0;
    size_t n = kernel_event_count(x->k);
    if (!in_log(x->ev_from, x->scanned, n))
        return "the running call's place in the event log is wrong";
    if (!s || !s->active)
        return claims ? "an allocation is claimed outside a concurrent phase"
                      : NULL;
    unsigned seen = 0;
    for (unsigned i = 0; i < PROG_MAX_THREADS; i++)
        seen |= s->order[i] < PROG_MAX_THREADS ? 1u << s->order[i] : 0;
    if (seen != (1u << PROG_MAX_THREADS) - 1)
        return "the priority order is not an order of the threads";
    if (s->cur >= PROG_MAX_THREADS || s->th[s->cur].done || s->th[s->cur].wait)
        return "the running thread cannot run";
    for (unsigned t = 0; t < PROG_MAX_THREADS; t++) {
        const struct exec_thread *th = &s->th[t];
        if (th->next > th->nops)
            return "a thread is past its operations";
        if (th->wait && kernel_lock_holder(x->k, th->wait) == (int)t)
            return "a thread waits for a lock it holds";
        if (t != s->cur && th->point && !th->done &&
            !in_log(th->ev_from, th->scanned, n))
            return "a waiting call's place in the event log is wrong";
        calls += th->point && !th->done;
    }
    return claims > calls ? "more allocations claimed than calls in progress"
                          : NULL;
}

void exec_sched_free(struct executor *x) {
    struct exec_sched *s = x->sched;
    if (!s)
        return;
    for (unsigned t = 0; t < PROG_MAX_THREADS; t++) {
        fiber_delete(s->th[t].fiber);
        free(s->th[t].ops);
        free(s->th[t].steps);
    }
    fiber_delete(s->main);
    free(s);
    x->sched = NULL;
}
