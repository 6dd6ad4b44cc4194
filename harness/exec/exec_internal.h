/*
 * exec_internal: the executor's state, shared by exec.c (the operations),
 * exec_mem.c (live allocations and memory checks), exec_report.c
 * (findings, errors), exec_check.c (vpcert's own state checks),
 * exec_sched.c (threads and their scheduler) and exec_lin.c (overlapping
 * calls judged against the model). Grouped by the file that owns each
 * declaration.
 */
#ifndef VPCERT_EXEC_INTERNAL_H
#define VPCERT_EXEC_INTERNAL_H

#ifndef VPCERT_IN_EXEC
#error "exec_internal.h is private to harness/exec/"
#endif

#include <setjmp.h>

#include "exec.h"
#include "kernel.h"
#include "vpcert/invariant.h"
#include "vpm.h"

struct fiber;      /* fiber.h */
struct exec_sched; /* below */
struct exec_lin;   /* below */

/* A buffer or pool block handed to the caller and not yet given back. */
struct exec_live {
    struct exec_live *hnext; /* next of its slot in exec_handed; next spare */
    uintptr_t slot;          /* kernel slot of its block (kernel_block_info) */
    void *ptr;               /* what the implementation returned */
    uint64_t size;           /* bytes requested */
    uint64_t block_id;     /* kernel stand-in block backing it at allocation */
    uintptr_t block_start; /* that block's first byte */
    uintptr_t block_end;   /* one past that block's last byte */
    uint32_t model;        /* model handle */
    uint32_t pos;          /* index in its exec_liveset */
    uint32_t seed;         /* content pattern seed */
    uint8_t dev;           /* owning device */
    uint8_t pool_type;     /* VP_POOL_TYPE for blocks */
    uint8_t claimed;       /* a thread is giving it back (CO-7) */
};

/* One kernel slot's live allocations (an entry of struct exec_handed). */
struct exec_slot {
    uintptr_t slot;         /* the kernel slot (kernel_block_info.slot) */
    struct exec_live *head; /* its allocations via hnext, NULL: entry free */
};

/* Live allocations by the kernel slot of their block: [ptr, ptr +
 * max(size,1)) lies in that slot, and slots never overlap, so two live
 * allocations overlap only within one slot. */
struct exec_handed {
    struct exec_slot *t; /* open-addressing table */
    uint32_t cap;        /* entries in t (a power of two) */
    uint32_t used;       /* entries holding a slot */
    uint32_t n;          /* allocations in the table */
};

struct exec_liveset {
    struct exec_live **v; /* dense array, swap-remove */
    uint32_t n;           /* live entries */
    uint32_t cap;         /* capacity */
};

struct executor {
    const struct program *p;      /* the program */
    const struct impl *impl;      /* implementation under test */
    const struct exec_options *o; /* options */
    struct exec_result *r;        /* findings and counters */
    struct vpm model;             /* reference model */
    struct kernel *k;             /* kernel stand-in */
    struct exec_handed handed;    /* ranges handed to the caller */
    struct exec_live *spare;      /* given-back records for reuse, via hnext */
    struct exec_liveset bufs;     /* live AllocateBuffer buffers */
    struct exec_liveset blocks;   /* live AllocatePool blocks */
    unsigned char *ext[PROG_MAX_DEVICES]; /* HwDeviceExtension per device */
    int started[PROG_MAX_DEVICES];        /* device started */
    uint32_t op;                          /* current operation index */
    uint32_t step;                        /* current position in the run */
    uint32_t next_seed;                   /* pattern seed generator */
    size_t scanned;      /* kernel events exec_scan_events has seen this call */
    jmp_buf *jump;       /* where a call that cannot return comes back to
                            (the running thread's exec_invoke) */
    int escaped;         /* a call did not return: the run stops */
    unsigned long stray; /* the stand-in's stray calls reported (HOST-2) */
    const char *charged; /* the clause the next call is charged to */
    int in_ops;          /* the program's operations are running */
    int scanning;        /* findings come from the stand-in's event log */
    size_t ev_from;      /* first event of the current call in the kernel
                            stand-in's log (0 unless calls overlap) */
    struct exec_sched *sched; /* threads of a concurrent run, else NULL */
    struct exec_lin *lin;     /* overlapping calls per device, else NULL */
};

/* ---- threads (exec_sched.c) ---- */

/* One thread of a concurrent phase: its operations, and the executor's
 * per-thread state while another thread runs. */
struct exec_thread {
    struct fiber *fiber; /* its coroutine (made on first use, kept) */
    uint32_t *ops;       /* its operations in the phase, in order */
    uint32_t *steps;     /* their positions in the run */
    uint32_t nops;       /* operations queued */
    uint32_t cap;        /* room in ops and steps */
    uint32_t next;       /* the next to run */
    uint32_t op;         /* executor's op while it is switched out */
    uint32_t step;       /* executor's step while it is switched out */
    size_t ev_from;      /* executor's ev_from while it is switched out */
    size_t scanned;      /* executor's scanned while it is switched out */
    const char *charged; /* executor's charged while it is switched out */
    jmp_buf *jump;       /* executor's jump while it is switched out */
    uint16_t yield;      /* yields of the call in progress (prog_op.yield) */
    uint8_t point;       /* switch points of that call so far */
    uint8_t done;        /* it has run its operations of the phase */
    uintptr_t wait;      /* lock it waits for, 0 if none */
};

struct exec_sched {
    struct exec_thread th[PROG_MAX_THREADS]; /* the threads */
    struct fiber *main;                      /* the executor's own stack */
    uint8_t order[PROG_MAX_THREADS]; /* thread ids, highest priority first */
    unsigned cur;                    /* the thread running */
    int active;                      /* a phase with several threads runs */
};

/* Run the program's operations (repeats unrolled) as SPEC.md "Threads"
 * says: phases between starts and stops, each thread's operations in
 * order, interleaved at switch points. For thread-safe runs of programs
 * with more than one thread; 0, or -1 if vpcert ran out of memory. */
int exec_run_threads(struct executor *x, struct prog_run *run);
/* A switch point of the running thread (a call's entry, and its end once
 * vpcert has recorded the result): the scheduler may run another thread.
 * Nothing outside a concurrent phase. */
void exec_switch_point(struct executor *x);
/* The threads' state for exec_check_state: NULL, or what is wrong (the
 * priority order, the running thread, each thread's queue, lock and place
 * in the event log, the allocations claimed by threads giving them back). */
const char *exec_sched_check(const struct executor *x);
/* Release what exec_run_threads kept (fibers, queues). */
void exec_sched_free(struct executor *x);

/* ---- overlapping calls (exec_lin.c) ---- */

/* A call of a group of overlapping buffer calls on one device. */
struct exec_lin_call {
    uint64_t inv;    /* logical time of its entry */
    uint64_t resp;   /* logical time of its return (0: in progress) */
    uint32_t op;     /* operation that made it */
    uint32_t size;   /* Size asked for, or released */
    uint8_t release; /* 1: ReleaseBuffer, 0: AllocateBuffer */
    uint8_t thread;  /* thread that made it */
    uint8_t refused; /* a pool request during it was refused */
    uint8_t result;  /* enum vpm_result (AllocateBuffer) */
};

/* The calls on one device since none was in progress. */
struct exec_lin_group {
    struct exec_lin_call *v; /* its calls, by entry */
    uint32_t n;              /* calls */
    uint32_t cap;            /* room in v */
    uint32_t pending;        /* calls still in progress */
    uint64_t charge0;        /* the model's charge when it began */
};

struct exec_lin {
    struct exec_lin_group dev[PROG_MAX_DEVICES]; /* one per device */
    uint64_t clock;                              /* logical time */
};

/* An AllocateBuffer (release 0) or ReleaseBuffer (release 1) of size
 * bytes on dev is entered now: its index in dev's group, or UINT32_MAX
 * (no concurrent phase, or no memory: an EXEC_ERR_HOST). */
uint32_t exec_lin_enter(struct executor *x, unsigned dev, uint32_t size,
                        int release);
/* Is call i of dev's group the only call of the group so far? Then it
 * overlapped nothing and is judged alone, by the model. */
int exec_lin_alone(const struct executor *x, unsigned dev, uint32_t i);
/* Call i returned with this result: when no call of the group is left in
 * progress, the group is checked (CONC-1) and forgotten. */
void exec_lin_return(struct executor *x, unsigned dev, uint32_t i, int refused,
                     int result);
void exec_lin_free(struct executor *x);

/* exec.c: one operation, and what follows it (the on_step hook). */
void exec_run_op(struct executor *x, const struct prog_op *op,
                 struct exec_step *s);
void exec_step_done(struct executor *x, struct exec_step *s);

/* One call into the implementation (exec_call.c; the kinds: exec.h). */
struct exec_call {
    enum exec_call_kind kind; /* which entry point */
    unsigned dev;             /* device whose extension is passed */
    KIRQL irql;               /* IRQL the call is made (and must return) at */
    uint64_t size;            /* Size or NumberOfBytes */
    unsigned pool_type;       /* VP_POOL_TYPE of AllocatePool */
    ULONG tag;                /* Tag of AllocatePool */
    void *ptr;                /* buffer or block given back */
    void *out;      /* *Buffer: set before AllocateBuffer, read after */
    int32_t status; /* AllocateBuffer or DeviceStart result */
    void *ret;      /* AllocatePool result */
};

/* exec_call.c */
/* Make the call, then the end-of-call checks. Returns 0 when it returned,
 * 1 when it could not (its fatal event is in the kernel stand-in's log). */
int exec_invoke(struct executor *x, struct exec_call *c);

/* exec_report.c */
/* Record t (its op and step filled in) when the run is traced. */
void exec_trace(struct executor *x, struct exec_trace *t);
/* Record vpcert's pattern in l written (FILL) or about to be checked
 * (VERIFY), when the run is traced. */
void exec_trace_live(struct executor *x, const struct exec_live *l,
                     enum exec_trace_kind kind);
/* Record a finding on clause. A clause ID not in the clause table is a
 * bug in vpcert: an EXEC_ERR_BUG, never a verdict. */
void exec_find(struct executor *x, const char *clause, const char *expected,
               const char *observed, const char *detail);
/* Record why vpcert cannot vouch for the run (the first reason stays);
 * the run stops. */
void exec_fail(struct executor *x, enum exec_error error, const char *fmt, ...);
/* A MUST finding or an error stopped the run. */
int exec_stopped(const struct executor *x);
/* Start a call's event log afresh. */
void exec_events_clear(struct executor *x);
/* The next event of the current call at or after *i (its thread's, from
 * x->ev_from on), or NULL; *i is left past it. */
const struct kernel_event *exec_call_event(const struct executor *x, size_t *i);
/* Scan the kernel stand-in's events not yet scanned since the last clear:
 * check the guards of blocks they allocated, report violations, count
 * notes; returns 1 if one of them is a refusal. A lost event is an
 * EXEC_ERR_HOST (the log is incomplete: the call cannot be judged). */
int exec_scan_events(struct executor *x);
/* Report blocks allocated during this call that are still live. */
void exec_check_call_leaks(struct executor *x, const char *clause);

/* Make the run's progress (may be NULL) the one vpcert_invariant_hook
 * marks if one of vpcert's invariants fails in this thread. */
void exec_watch_invariants(struct exec_progress *progress);

/* exec_check.c */
/* The cheap, always-on checks after a step (O(1)). */
void exec_check_counts(const struct executor *x);
/* Whether the expensive state checks run after step under schedule (enum
 * exec_check_schedule; exec_run adds one after the last step). */
int exec_check_due(int schedule, uint32_t step);
/* The expensive state checks (exec_options.check_state): the model's
 * invariants, the kernel stand-in's consistency, the executor's live sets
 * against its map and the model; what is broken becomes an EXEC_ERR_BUG.
 * O(live). */
void exec_check_state(struct executor *x);

/* exec_handed.c */
/* A live allocation in slot overlapping [start, end) other than skip, or
 * NULL. O(1) expected. */
struct exec_live *exec_handed_overlap(const struct exec_handed *h,
                                      uintptr_t slot, uintptr_t start,
                                      uintptr_t end,
                                      const struct exec_live *skip);
/* Add l (l->slot set); -1 if the host refuses memory. */
int exec_handed_add(struct exec_handed *h, struct exec_live *l);
/* Remove l, which is in h. */
void exec_handed_del(struct exec_handed *h, struct exec_live *l);
void exec_handed_free(struct exec_handed *h);
/* 1 if l is in h, under its slot. O(1) expected. */
int exec_handed_has(const struct exec_handed *h, const struct exec_live *l);
/* The table's consistency (each slot's entry found from its home, the
 * counts, each allocation under its own slot): NULL, or what is broken.
 * O(cap + allocations). */
const char *exec_handed_check(const struct exec_handed *h);

/* exec_mem.c */
int exec_live_add(struct exec_liveset *s, struct exec_live *l);
void exec_live_del(struct exec_liveset *s, struct exec_live *l);
void exec_live_free_all(struct exec_liveset *s);
/* Keep a record no longer live for the next allocation; free them all. */
void exec_live_retire(struct executor *x, struct exec_live *l);
void exec_live_free_spares(struct executor *x);
/* Containment of [ptr, ptr+size) in one live kernel block (BUF-2 /
 * AP-RES-2); fills *b. Returns 1 if contained. */
int exec_contained(struct executor *x, void *ptr, uint64_t size,
                   struct kernel_block_info *b);
/* Register a new allocation after its checks; NULL on OOM or clash
 * (a clash is reported as BUF-3). */
struct exec_live *exec_hand_out(struct executor *x, void *ptr, uint64_t size,
                                const struct kernel_block_info *b);
/* Write the pattern / verify it (BUF-4). verify returns 1 if intact. */
void exec_pattern_write(struct executor *x, struct exec_live *l);
int exec_pattern_verify(struct executor *x, struct exec_live *l);
/* After a release/free: the backing block must be gone unless another
 * live allocation still lies in it (RB-1 / AP-FREE-1). */
void exec_check_given_back(struct executor *x, const struct exec_live *l,
                           const char *clause);

#endif /* VPCERT_EXEC_INTERNAL_H */
