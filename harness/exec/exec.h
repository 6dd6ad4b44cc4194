/*
 * exec: run one program on the reference model and an implementation in
 * lockstep, over the kernel stand-in, checking after every call every clause
 * of SPEC.md that can be checked at that point. The first MUST finding
 * stops the run; SHOULD findings are recorded (first per clause) and the
 * run goes on. Library code: no printing, no exit.
 */
#ifndef VPCERT_EXEC_H
#define VPCERT_EXEC_H

#include <stddef.h>
#include <stdint.h>

#include "ics.h"
#include "impl.h"
#include "program.h"

#define EXEC_MAX_FINDINGS 16u
#define EXEC_OP_POINTS 64u   /* operations whose switch points are counted */
#define EXEC_DEBUG_MAX 2048u /* bytes of the implementation's debug output */

struct exec_finding {
    char clause[16];    /* SPEC.md clause ID */
    int level;          /* enum spec_level of the clause */
    uint32_t op;        /* index of the operation (nops = end of program) */
    char expected[96];  /* what SPEC/model allowed */
    char observed[160]; /* what happened */
    char detail[160];   /* one sentence */
};

/* One executed step, for `explain` and traces. */
struct exec_step {
    uint32_t op;             /* operation index */
    uint32_t step;           /* position in the run, repeats unrolled */
    const struct prog_op *o; /* the operation */
    int skipped;             /* 1: not run (device stopped, nothing live...) */
    const char *why;         /* reason when skipped */
    uint64_t size;           /* resolved size (alloc ops) */
    int32_t status;          /* AllocateBuffer result */
    void *ptr;               /* buffer/block returned */
    uint32_t allowed;        /* model's allowed set, with the pool facts seen */
    int pool_refused;        /* a pool request in this call was refused */
    uint32_t target; /* resolved live buffer/block (release/free/touch) */
    int escaped;     /* 1: a call it made did not return (BC-1, EX-1, LK-1) */
    unsigned thread; /* thread it ran on (0 unless the run is concurrent) */
    int overlapped;  /* its call overlapped another on its device: judged
                        with them (CONC-1), not alone */
};

typedef void (*exec_step_fn)(void *ctx, const struct exec_step *s);

/* The calls into an implementation. */
enum exec_call_kind {
    EXEC_CALL_ALLOC_BUFFER,   /* VideoPortAllocateBuffer(size, &out) */
    EXEC_CALL_RELEASE_BUFFER, /* VideoPortReleaseBuffer(ptr) */
    EXEC_CALL_ALLOC_POOL,     /* VideoPortAllocatePool(pool_type, size, tag) */
    EXEC_CALL_FREE_POOL,      /* VideoPortFreePool(ptr) */
    EXEC_CALL_START,          /* VpcertDeviceStart(the device's quota) */
    EXEC_CALL_STOP            /* VpcertDeviceStop */
};

/* What a run does, one record each, in order, for writing the run as a
 * standalone C program (tools/repro_c.c): the calls into the
 * implementation with their arguments and results, the injections, the
 * contents vpcert writes and checks, the model's judgement, the kernel
 * stand-in's sweeps, and every finding. */
enum exec_trace_kind {
    EXEC_TR_CALL = 1, /* a call about to be made: call, dev, irql, size,
                         pool_type, tag, ptr (given back), clause (charged,
                         "" for none); flag: the optional export is absent
                         and nothing is called */
    EXEC_TR_RETURN,   /* it returned: status, ptr (*Buffer or the block);
                         flag: it did not return (the stand-in ended it) */
    EXEC_TR_INJECT,   /* an injection: inject, value, tag */
    EXEC_TR_FILL,     /* vpcert's pattern written: ptr, size, seed */
    EXEC_TR_VERIFY,   /* vpcert's pattern about to be checked: ptr, size,
                         seed */
    EXEC_TR_JUDGE,    /* the model's judgement of the call: allowed (given
                         refused), allowed_other (had a pool request been
                         refused, or not, the other way); flag: allowed */
    EXEC_TR_SWEEP,    /* the stand-in's leak (and, at the end, guard) checks
                         are about to run: dev, EXEC_TRACE_END at the end */
    EXEC_TR_FINDING   /* a finding: clause; flag: read from the stand-in's
                         event log */
};
#define EXEC_TRACE_END 0xFFu /* SWEEP: the end of the run */

struct exec_trace {
    uint8_t kind;           /* enum exec_trace_kind */
    uint8_t call;           /* CALL: enum exec_call_kind */
    uint8_t dev;            /* CALL, SWEEP: the device */
    uint8_t irql;           /* CALL: the IRQL it is made at */
    uint8_t pool_type;      /* CALL (AllocatePool): VP_POOL_TYPE */
    uint8_t inject;         /* INJECT: enum prog_inject_kind */
    uint8_t flag;           /* as the kind says */
    uint8_t in_op;          /* 1 during the program's operations, 0 for the
                               starts before and the stops after them */
    uint8_t refused;        /* JUDGE: a pool request of the call was refused */
    int32_t status;         /* RETURN: AllocateBuffer's or DeviceStart's */
    uint32_t op;            /* the operation running (its index) */
    uint32_t step;          /* its position in the run, repeats unrolled */
    uint32_t seed;          /* FILL, VERIFY: the pattern's seed */
    uint32_t allowed;       /* JUDGE: as the kind says */
    uint32_t allowed_other; /* JUDGE: as the kind says */
    uint32_t tag;           /* CALL (AllocatePool), INJECT: the tag */
    uint64_t size;          /* CALL: Size, NumberOfBytes; FILL, VERIFY */
    uint64_t value;         /* INJECT: count or size */
    uintptr_t ptr;          /* CALL, RETURN, FILL, VERIFY: as the kind says */
    char clause[16];        /* CALL: charged to; FINDING: found */
};

typedef void (*exec_trace_fn)(void *ctx, const struct exec_trace *t);

/* Where the run is, written before every call into the implementation, so
 * that a parent process can say which clause a crashing, hanging or
 * runaway child was exercising (place it in shared memory). */
struct exec_progress {
    volatile uint32_t op;        /* operation index (nops: end of program) */
    const char *volatile clause; /* clause the call exercises (static string) */
    volatile uint32_t calls;     /* calls into the implementation so far */
    char vpcert_error[160]; /* set when one of vpcert's own invariants failed
                               (vpcert/invariant.h) just before the abort:
                               the run is vpcert's error, not a verdict */
};

/* When the expensive state checks run (exec_options.check_state); both
 * schedules also check after a run's last step (exec_check.c). */
enum exec_check_schedule {
    EXEC_CHECK_OFF = 0,    /* never */
    EXEC_CHECK_EVERY = 1,  /* after each of the first 64 steps, then every
                              64th */
    EXEC_CHECK_SPARSE = 2, /* after steps 1, 2, 4, 8, ... and every 64th
                              (counted from 1): the fuzz target's default */
};

struct exec_options {
    struct ics ics;     /* declared behaviour */
    int check_expect;   /* 1: `expect` annotations are compared with what
                           happened (counted in exec_result, never findings) */
    uint64_t max_steps; /* operations run at most, repeats unrolled (0:
                           PROG_MAX_STEPS) */
    size_t write_limit; /* buffers up to this size are written in full; larger:
                           head and tail 4 KiB (default 8 KiB) */
    int fast_free;      /* kernel_set_fast_free: freed blocks of 1 MiB or more
                           poisoned, not made inaccessible (0 by default) */
    exec_step_fn on_step;           /* called after every step, may be NULL */
    void *step_ctx;                 /* passed to on_step */
    struct exec_progress *progress; /* may be NULL */
    int check_imports;      /* 1: report HOST-1 when the implementation imports
                               host memory (off in fuzzing: every input would
                               stop on it) */
    int check_state;        /* enum exec_check_schedule: when to recompute the
                               model's, the kernel stand-in's and the executor's
                               own state and compare (O(live) each; default
                               VPCERT_EXPENSIVE_CHECKS, i.e. EXEC_CHECK_EVERY) */
    exec_trace_fn on_trace; /* called for every record of the run, may be
                               NULL */
    void *trace_ctx;        /* passed to on_trace */
};

/* Why vpcert cannot vouch for a run (exec_result.error). Never a verdict
 * on the implementation: the run's findings cannot be trusted. */
enum exec_error {
    EXEC_OK = 0,       /* the run can be judged */
    EXEC_ERR_HOST = 1, /* the host refused memory: vpcert's own tables, or
                          the kernel stand-in's event log lost events */
    EXEC_ERR_BUG = 2   /* a bug in vpcert: a check cited an unknown clause,
                          or the state checks found an inconsistency */
};

/* An `expect` annotation the run did not meet although the model allowed
 * what happened (a pool refusal the vector did not foresee, a Size 0 form
 * the ICS leaves open): no clause is broken, so it is no finding. */
struct exec_expect_miss {
    uint32_t op;       /* operation index */
    uint32_t step;     /* position in the run */
    unsigned expected; /* mask of (1u << enum prog_expect) stated */
    unsigned observed; /* enum prog_expect seen */
    int pool_refused;  /* a pool request during the call was refused */
};

struct exec_result {
    uint32_t nfindings;                       /* findings recorded */
    struct exec_finding f[EXEC_MAX_FINDINGS]; /* first MUST finding is last */
    int must_failed;       /* a MUST finding stopped the run */
    uint32_t ops_run;      /* operations executed */
    uint32_t ops_skipped;  /* operations skipped */
    uint32_t notes;        /* MAY behaviours seen (KP-ZERO-1...) */
    int zero_form;         /* Size 0 seen: 1 allocate, 2 reject, 0 unseen */
    uint32_t steps;        /* operations run, repeats unrolled */
    int truncated;         /* the run stopped at max_steps */
    uint32_t expect_met;   /* `expect` annotations met */
    uint32_t expect_unmet; /* annotations not met, the model allowing it */
    struct exec_expect_miss first_unmet; /* the first of those */
    char debug[EXEC_DEBUG_MAX]; /* what it printed (DbgPrint...), escaped,
                                   NUL-terminated (HS-DBG-1) */
    int error;                  /* enum exec_error; exec_run returned -1 */
    char error_text[160];       /* that error in one line, "" when EXEC_OK */
    uint32_t switches;          /* switch points passed in concurrent phases */
    uint8_t op_points[EXEC_OP_POINTS]; /* per operation (the first
                                          EXEC_OP_POINTS): most switch points
                                          one of its calls passed (255 at
                                          most); certify's PCT draws its
                                          yields from them */
    uint32_t overlaps; /* groups of overlapping calls checked (CONC-1) */
};

void exec_options_default(struct exec_options *o);
/* Returns 0 when the program ran clean, 1 when findings were recorded,
 * -1 when vpcert cannot vouch for the run (r->error says why). */
int exec_run(const struct program *p, const struct impl *impl,
             const struct exec_options *o, struct exec_result *r);
/* The results an allowed set (exec_step.allowed, of an AllocatePool step
 * when pool, else of an AllocateBuffer step) admits, by name, joined by
 * sep: "NO_ERROR or ERROR_NOT_ENOUGH_MEMORY". */
void exec_allowed_text(uint32_t allowed, int pool, const char *sep, char *out,
                       size_t cap);
/* Stable signature of a finding: "CLAUSE:observed-vs-expected". */
void exec_signature(const struct exec_finding *f, char *out, size_t cap);

#endif /* VPCERT_EXEC_H */
