/*
 * test_threads: the executor's threads (SPEC.md "Threads"), with small
 * implementations written here, each what its test needs.
 *  CO-7     under serialized no two calls are ever in progress; under
 *           thread-safe no start or stop overlaps a call, and nothing is
 *           given back twice or while another thread gives it back.
 *  CONC-1   a check-then-charge race is caught; a history that is over the
 *           quota in the order the calls returned but not in the order
 *           they took effect is accepted (no false verdict).
 *  CONC-2   a lock-order inversion deadlocks and is reported, naming both
 *           threads; the same calls with yields elsewhere pass.
 *  AB-LEAK-1 a record a failed call put back on a lookaside list, which
 *           the list handed to another thread's call, is not charged to
 *           the failed call; one it keeps is.
 *  HS-THR-1 each thread's calls see their own IRQL across switches; the
 *           schedule (priorities, yields) decides the order, the same on
 *           every run; a call that does not return on one thread ends the
 *           run cleanly while another is in the middle of a call.
 */
#include "exec.h"
#include "impl.h"
#include "kernel.h"
#include "testhelper.h"
#include "testprog.h"

#define TAG VPCERT_TAG('T', 't', 'h', 'r')

/* What each test's implementation keeps in the extension. */
struct dev {
    KSPIN_LOCK a;       /* first lock */
    KSPIN_LOCK b;       /* second lock */
    ULONGLONG quota;    /* from start */
    ULONGLONG charge;   /* bytes granted, not released */
    int in_progress;    /* calls in progress on the device */
    int most;           /* most calls in progress at once */
    int lifecycle_bad;  /* start or stop with a call in progress */
    int irql_bad;       /* a call saw another IRQL than it was made at */
    int lock_order_bad; /* 1: release takes b then a (the deadlock) */
    int race;           /* 1: check-then-charge without a lock */
};

/* The header in front of each buffer. */
struct hdr {
    ULONGLONG size; /* Size charged */
    ULONG released; /* released once already */
    ULONG pad;      /* keeps it 16 bytes */
};

static struct dev *dev_of(PVOID ext) {
    return ext;
}

static void enter(struct dev *d) {
    if (++d->in_progress > d->most)
        d->most = d->in_progress;
}

/* 1: a request made while another call is in progress is refused for
 * quota, whatever the charge (a wrong refusal only concurrency shows). */
static int mode_refuse_overlapping;

static VP_STATUS t_alloc(PVOID ext, ULONG size, PVOID *buf) {
    struct dev *d = dev_of(ext);
    KIRQL old;
    enter(d);
    *buf = NULL;
    if (mode_refuse_overlapping && d->in_progress > 1) {
        d->in_progress--;
        return ERROR_INSUFFICIENT_BUFFER;
    }
    if (d->race) { /* the check, the pool, then the charge */
        if (size > d->quota - d->charge) {
            d->in_progress--;
            return ERROR_INSUFFICIENT_BUFFER;
        }
    } else {
        KeAcquireSpinLock(&d->a, &old);
        if (size > d->quota - d->charge) {
            KeReleaseSpinLock(&d->a, old);
            d->in_progress--;
            return ERROR_INSUFFICIENT_BUFFER;
        }
        d->charge += size;
        KeReleaseSpinLock(&d->a, old);
    }
    struct hdr *h = ExAllocatePoolWithTag(PagedPool, sizeof *h + size, TAG);
    if (!h) {
        if (!d->race) {
            KeAcquireSpinLock(&d->a, &old);
            d->charge -= size;
            KeReleaseSpinLock(&d->a, old);
        }
        d->in_progress--;
        return ERROR_NOT_ENOUGH_MEMORY;
    }
    if (d->race)
        d->charge += size;
    h->size = size;
    h->released = 0;
    /* both locks, a then b: the order the deadlock test's release breaks */
    KeAcquireSpinLock(&d->a, &old);
    KeAcquireSpinLockAtDpcLevel(&d->b);
    KeReleaseSpinLockFromDpcLevel(&d->b);
    KeReleaseSpinLock(&d->a, old);
    *buf = h + 1;
    d->in_progress--;
    return NO_ERROR;
}

static VOID t_release(PVOID ext, PVOID buf) {
    struct dev *d = dev_of(ext);
    struct hdr *h = (struct hdr *)buf - 1;
    KIRQL old;
    enter(d);
    h->released++;
    if (d->lock_order_bad) {
        KeAcquireSpinLock(&d->b, &old);
        KeAcquireSpinLockAtDpcLevel(&d->a);
        d->charge -= h->size;
        KeReleaseSpinLockFromDpcLevel(&d->a);
        KeReleaseSpinLock(&d->b, old);
    } else {
        KeAcquireSpinLock(&d->a, &old);
        d->charge -= h->size;
        KeReleaseSpinLock(&d->a, old);
    }
    ExFreePoolWithTag(h, TAG);
    d->in_progress--;
}

static PVOID t_alloc_pool(PVOID ext, VP_POOL_TYPE type, SIZE_T n, ULONG tag) {
    struct dev *d = dev_of(ext);
    enter(d);
    KIRQL at = KeGetCurrentIrql();
    PVOID p = ExAllocatePoolWithTag((POOL_TYPE)type, n, tag);
    KSPIN_LOCK *l = &d->b;
    KIRQL old;
    KeAcquireSpinLock(l, &old); /* a switch point; the IRQL comes back */
    KeReleaseSpinLock(l, old);
    d->irql_bad += KeGetCurrentIrql() != at;
    d->in_progress--;
    return p;
}

static VOID t_free_pool(PVOID ext, PVOID p) {
    struct dev *d = dev_of(ext);
    enter(d);
    KIRQL at = KeGetCurrentIrql();
    ExFreePool(p);
    d->irql_bad += KeGetCurrentIrql() != at;
    d->in_progress--;
}

/* Every start sets the device up, with the behaviour the test chose. */
static int mode_race, mode_lock_order;
static VP_STATUS t_start(PVOID ext, ULONGLONG quota) {
    struct dev *d = dev_of(ext);
    d->lifecycle_bad += d->in_progress != 0;
    KeInitializeSpinLock(&d->a);
    KeInitializeSpinLock(&d->b);
    d->quota = quota;
    d->charge = 0;
    d->race = mode_race;
    d->lock_order_bad = mode_lock_order;
    return NO_ERROR;
}

static struct dev seen; /* the device's counters, copied at its stop */
static VOID t_stop(PVOID ext) {
    struct dev *d = dev_of(ext);
    d->lifecycle_bad += d->in_progress != 0;
    seen = *d;
}

static void impl_of(struct impl *impl) {
    memset(impl, 0, sizeof *impl);
    impl->name = "test_threads";
    impl->alloc_buffer = t_alloc;
    impl->release_buffer = t_release;
    impl->alloc_pool = t_alloc_pool;
    impl->free_pool = t_free_pool;
    impl->dev_start = t_start;
    impl->dev_stop = t_stop;
}

/* The order the steps ended in, as op indices ("0 2 1"). */
static char order[256];
static void on_step(void *ctx, const struct exec_step *s) {
    (void)ctx;
    snprintf(order + strlen(order), sizeof order - strlen(order), "%s%u",
             order[0] ? " " : "", s->op);
}

static int run(int thread_safe, struct exec_result *r) {
    struct exec_options o;
    struct impl impl;
    impl_of(&impl);
    exec_options_default(&o);
    o.ics.thread_safe = thread_safe;
    o.on_step = on_step;
    o.check_state = 1; /* the threads' state is checked after every step */
    order[0] = 0;
    memset(&seen, 0, sizeof seen);
    return exec_run(&prog, &impl, &o, r);
}

static int found(const struct exec_result *r, const char *clause) {
    for (uint32_t i = 0; i < r->nfindings; i++)
        if (strcmp(r->f[i].clause, clause) == 0)
            return 1;
    return 0;
}

/* ---- tests ---- */

static const char *overlap = "vpcert 3\ndevice 0 quota 4096\n"
                             "alloc_buffer dev=0 size=4096 yield=1\n"
                             "alloc_buffer dev=0 size=4096 thread=1\n";

static void CO_7_serialized_never_overlaps(void) {
    struct exec_result r;
    mode_race = 1; /* racy, yet correct one call at a time */
    mode_lock_order = 0;
    CHECK(parse(overlap) == 0, "CO-7");
    CHECK(run(0, &r) == 0, "CO-7");
    CHECK_STR(order, "0 1", "CO-7"); /* program order */
    CHECK(seen.most == 1 && r.switches == 0, "CO-7");
    mode_race = 0;
    CHECK(run(1, &r) == 0, "CO-7");
    CHECK(seen.most == 2 && r.switches > 0 && r.overlaps == 1, "CO-7");
}

static void CONC_1_check_then_charge_caught(void) {
    struct exec_result r;
    mode_race = 1;
    mode_lock_order = 0;
    CHECK(parse(overlap) == 0, "CONC-1");
    CHECK(run(1, &r) == 1 && found(&r, "CONC-1"), "CONC-1");
    CHECK_STR(order, "1 0", "CONC-1"); /* thread 0 yielded in its call */
    CHECK(r.nfindings == 1 && strstr(r.f[0].observed, "t0 alloc 4096=OK") &&
              strstr(r.f[0].observed, "t1 alloc 4096=OK"),
          "CONC-1");
    /* the same calls without the yield do not overlap: each alone, right */
    prog.ops[0].yield = 0;
    CHECK(run(1, &r) == 0, "CONC-1");
    CHECK(seen.most == 1 && r.overlaps == 0, "CONC-1");
}

static void CONC_1_order_of_effect_not_of_return(void) {
    struct exec_result r;
    mode_race = 0;
    mode_lock_order = 0;
    /* t0 releases the full quota and is held up in its free (switch point
     * 3: after the refund); t1's allocation of the whole quota returns
     * first: over the quota in the order the calls returned, not in the
     * order they took effect */
    CHECK(parse("vpcert 3\ndevice 0 quota 4096\n"
                "alloc_buffer dev=0 size=4096\n"
                "release_buffer index=0 yield=3\n"
                "alloc_buffer dev=0 size=4096 thread=1\n") == 0,
          "CONC-1");
    CHECK(run(1, &r) == 0, "CONC-1");
    CHECK_STR(order, "0 2 1", "CONC-1");
    CHECK(r.overlaps == 1 && seen.most == 2, "CONC-1");
}

static void CONC_1_reservation_held_by_a_failing_call(void) {
    struct exec_result r;
    mode_race = 0;
    mode_lock_order = 0;
    /* t0 reserves the whole quota, then its pool request is refused (the
     * injection) and it gives the reservation back; t1's request, made
     * while the reservation was held, is refused for quota: no order of
     * the two explains that refusal unless the failed call may hold its
     * Size while in progress, which it may (SPEC.md CONC-1) */
    CHECK(parse("vpcert 3\ndevice 0 quota 4096\n"
                "inject next=1\n"
                "alloc_buffer dev=0 size=4096 yield=3\n"
                "alloc_buffer dev=0 size=100 thread=1\n") == 0,
          "CONC-1");
    CHECK(run(1, &r) == 0, "CONC-1");
    CHECK(r.overlaps == 1 && seen.most == 2, "CONC-1");
    /* a hold explains nothing beyond the quota: with room for both, a
     * refusal while the other call holds its Size is wrong */
    prog.quota[0] = 8192;
    mode_refuse_overlapping = 1;
    CHECK(run(1, &r) == 1 && found(&r, "CONC-1"), "CONC-1");
    mode_refuse_overlapping = 0;
}

static void CONC_2_lock_order_deadlock(void) {
    struct exec_result r;
    mode_race = 0;
    mode_lock_order = 1;
    /* t0 releases (b, then yields before a); t1 allocates (a, waits b) */
    CHECK(parse("vpcert 3\ndevice 0 quota unlimited\n"
                "alloc_buffer dev=0 size=64\n"
                "release_buffer index=0 yield=2\n"
                "alloc_buffer dev=0 size=64 thread=1\n") == 0,
          "CONC-2");
    CHECK(run(1, &r) == 1 && found(&r, "CONC-2"), "CONC-2");
    CHECK(r.nfindings == 1 && strstr(r.f[0].observed, "t0 waits") &&
              strstr(r.f[0].observed, "t1 waits"),
          "CONC-2");
    /* yielding before the first lock instead: no deadlock */
    prog.ops[1].yield = 1u << 0;
    CHECK(run(1, &r) == 0, "CONC-2");
    /* and one thread at a time never deadlocks */
    prog.ops[1].yield = 1u << 2;
    CHECK(run(0, &r) == 0, "CONC-2");
    mode_lock_order = 0;
}

static void CO_7_nothing_given_back_twice(void) {
    struct exec_result r;
    mode_race = 0;
    mode_lock_order = 0;
    /* three threads release "the first live buffer" at once: each gets
     * another (a claimed one is skipped), a fourth finds nothing left;
     * stops between phases find no call in progress */
    CHECK(parse("vpcert 3\ndevice 0 quota unlimited\n"
                "alloc_buffer dev=0 size=8\nalloc_buffer dev=0 size=8\n"
                "alloc_buffer dev=0 size=8\n"
                "release_buffer index=0 yield=0,1\n"
                "release_buffer index=0 thread=1 yield=0,1\n"
                "release_buffer index=0 thread=2 yield=0,1\n"
                "release_buffer index=0 thread=3\n"
                "stop dev=0\nstart dev=0\n"
                "alloc_buffer dev=0 size=8 thread=2\n"
                "touch index=0 thread=2\n") == 0,
          "CO-7");
    CHECK(run(1, &r) == 0, "CO-7");
    CHECK(seen.lifecycle_bad == 0 && seen.most >= 3, "CO-7");
    CHECK(r.ops_skipped == 1, "CO-7"); /* the fourth release */
}

static void HS_THR_1_each_thread_its_irql(void) {
    struct exec_result r;
    mode_race = 0;
    mode_lock_order = 0;
    CHECK(parse("vpcert 3\n"
                "alloc_pool dev=0 type=nonpaged size=8 irql=dispatch yield=1\n"
                "alloc_pool dev=0 type=paged size=8 thread=1 yield=1\n"
                "alloc_pool dev=0 type=nonpaged size=8 irql=dispatch thread=2 "
                "yield=2\n") == 0,
          "HS-THR-1");
    CHECK(run(1, &r) == 0, "HS-THR-1");
    CHECK(seen.irql_bad == 0 && seen.most >= 2, "HS-THR-1");
}

static void HS_THR_1_schedule_decides_and_repeats(void) {
    struct exec_result r;
    char first[256];
    mode_race = 0;
    mode_lock_order = 0;
    CHECK(parse("vpcert 3\nthreads 2 1 0\n"
                "alloc_buffer dev=0 size=1\nalloc_buffer dev=0 size=2 "
                "thread=1 yield=0\nalloc_buffer dev=0 size=3 thread=2\n"
                "alloc_buffer dev=0 size=4 thread=1\n") == 0,
          "HS-THR-1");
    CHECK(run(1, &r) == 0, "HS-THR-1");
    /* 2 first; then 1 yields at its entry (to 0); then 1's two */
    CHECK_STR(order, "2 0 1 3", "HS-THR-1");
    snprintf(first, sizeof first, "%s", order);
    uint32_t sw = r.switches;
    CHECK(sw > 0 && r.op_points[1] >= 2, "HS-THR-1");
    for (int i = 0; i < 5; i++) {
        run(1, &r);
        CHECK_STR(order, first, "HS-THR-1");
        CHECK_EQ_U64(r.switches, sw, "HS-THR-1");
    }
}

/* A bug check on thread 1 while thread 0 is in the middle of a call. */
static VP_STATUS check_on_odd(PVOID ext, ULONG size, PVOID *buf) {
    if (size == 3)
        KeBugCheckEx(0xDEAD, 1, 2, 3, 4);
    return t_alloc(ext, size, buf);
}

static void HS_THR_1_call_that_does_not_return(void) {
    struct exec_result r;
    struct exec_options o;
    struct impl impl;
    mode_race = 0;
    mode_lock_order = 0;
    CHECK(parse("vpcert 3\nalloc_buffer dev=0 size=2 yield=2\n"
                "alloc_buffer dev=0 size=3 thread=1\n") == 0,
          "BC-1");
    impl_of(&impl);
    impl.alloc_buffer = check_on_odd;
    exec_options_default(&o);
    o.ics.thread_safe = 1;
    CHECK(exec_run(&prog, &impl, &o, &r) == 1 && found(&r, "BC-1"), "BC-1");
    CHECK(r.f[r.nfindings - 1].op == 1, "BC-1");
}

/* The threads' state is checked after every step of every phase: a
 * thread's first step of a phase that makes no call (an inject) starts
 * from a clean place in the event log, not the one of the phase before
 * (corpus/regressions/conc-state-check-second-phase.vpt). */
static void HS_THR_1_state_checks_every_phase(void) {
    struct exec_result r;
    mode_race = 0;
    mode_lock_order = 0;
    CHECK(parse("vpcert 3\ndevice 0 quota unlimited\n"
                "alloc_buffer dev=0 size=0\ninject clear thread=1\n"
                "stop dev=0\nrepeat last=3 times=3\n") == 0,
          "HS-THR-1");
    CHECK(run(1, &r) == 0 && r.error == EXEC_OK, "HS-THR-1");
    if (r.error)
        fprintf(stderr, "  %s\n", r.error_text);
}

/* A port that keeps each buffer's record, from a lookaside list, for the
 * buffer's life (as a video port keeps its buffer list): a failed call puts
 * its record back on the list, which may hand it to another thread's call
 * before the failed one returns. */
struct lk_dev {
    NPAGED_LOOKASIDE_LIST records; /* one record per live buffer */
    KSPIN_LOCK lock;               /* guards failures */
    ULONG failures;                /* requests the pool refused */
};

struct lk_rec {
    PVOID block; /* the buffer's pool block */
    PVOID pad;   /* a record of 16 bytes */
};

static VP_STATUS lk_start(PVOID ext, ULONGLONG quota) {
    struct lk_dev *d = ext;
    (void)quota; /* the programs below declare no quota */
    KeInitializeSpinLock(&d->lock);
    d->failures = 0;
    ExInitializeNPagedLookasideList(&d->records, NULL, NULL, 0,
                                    sizeof(struct lk_rec), TAG, 0);
    return NO_ERROR;
}

static VOID lk_stop(PVOID ext) {
    ExDeleteNPagedLookasideList(&((struct lk_dev *)ext)->records);
}

static VP_STATUS lk_alloc(PVOID ext, ULONG size, PVOID *buf) {
    struct lk_dev *d = ext;
    *buf = NULL;
    struct lk_rec *rec = ExAllocateFromNPagedLookasideList(&d->records);
    if (!rec)
        return ERROR_NOT_ENOUGH_MEMORY;
    PVOID *blk = ExAllocatePoolWithTag(PagedPool, 16 + (SIZE_T)size, TAG);
    if (!blk) {
        KIRQL old;
        ExFreeToNPagedLookasideList(&d->records, rec);
        KeAcquireSpinLock(&d->lock, &old);
        d->failures++;
        KeReleaseSpinLock(&d->lock, old);
        return ERROR_NOT_ENOUGH_MEMORY;
    }
    rec->block = blk;
    blk[0] = rec;
    *buf = (char *)blk + 16;
    return NO_ERROR;
}

static VOID lk_release(PVOID ext, PVOID buf) {
    struct lk_dev *d = ext;
    PVOID *blk = (PVOID *)((char *)buf - 16);
    struct lk_rec *rec = blk[0];
    ExFreePoolWithTag(blk, TAG);
    ExFreeToNPagedLookasideList(&d->records, rec);
}

/* The same, but a refused request keeps its record: a leak. */
static VP_STATUS lk_alloc_keeps(PVOID ext, ULONG size, PVOID *buf) {
    struct lk_dev *d = ext;
    *buf = NULL;
    if (!ExAllocateFromNPagedLookasideList(&d->records))
        return ERROR_NOT_ENOUGH_MEMORY;
    PVOID blk = ExAllocatePoolWithTag(PagedPool, (SIZE_T)size, TAG);
    if (blk)
        ExFreePoolWithTag(blk, TAG);
    return ERROR_NOT_ENOUGH_MEMORY;
}

/* AB-LEAK-1 charges a failed call with the blocks it keeps: a record it
 * put back on a lookaside list, which the list then handed to another
 * thread's call, is that call's (no false verdict). Thread 0's request is
 * refused by the pool, puts its record back and waits for its lock
 * (switch point 4: the list, the pool, the list, the lock) while thread
 * 1's call takes the same record and keeps it until thread 0 releases
 * that buffer. */
static void AB_LEAK_1_record_handed_on_by_a_list(void) {
    struct exec_result r;
    struct exec_options o;
    struct impl impl;
    CHECK(parse("vpcert 3\npool paged 1048576\ndevice 0 quota unlimited\n"
                "alloc_buffer dev=0 size=2000000 yield=4\n"
                "alloc_buffer dev=0 size=64 thread=1\n"
                "release_buffer index=1\n") == 0,
          "AB-LEAK-1");
    impl_of(&impl);
    impl.alloc_buffer = lk_alloc;
    impl.release_buffer = lk_release;
    impl.dev_start = lk_start;
    impl.dev_stop = lk_stop;
    exec_options_default(&o);
    o.ics.thread_safe = 1;
    o.on_step = on_step;
    order[0] = 0;
    CHECK(exec_run(&prog, &impl, &o, &r) == 0 && r.nfindings == 0, "AB-LEAK-1");
    for (uint32_t i = 0; i < r.nfindings; i++)
        fprintf(stderr, "  %s: %s\n", r.f[i].clause, r.f[i].observed);
    CHECK_STR(order, "1 0 2", "AB-LEAK-1"); /* the overlap happened */
    /* a failed call that keeps the record it took is still charged */
    CHECK(parse("vpcert 3\npool paged 1048576\ndevice 0 quota unlimited\n"
                "alloc_buffer dev=0 size=2000000\n") == 0,
          "AB-LEAK-1");
    impl.alloc_buffer = lk_alloc_keeps;
    CHECK(exec_run(&prog, &impl, &o, &r) == 1 && found(&r, "AB-LEAK-1"),
          "AB-LEAK-1");
}

TEST_MAIN(TEST(CO_7_serialized_never_overlaps),
          TEST(CONC_1_check_then_charge_caught),
          TEST(CONC_1_order_of_effect_not_of_return),
          TEST(CONC_1_reservation_held_by_a_failing_call),
          TEST(CONC_2_lock_order_deadlock), TEST(CO_7_nothing_given_back_twice),
          TEST(HS_THR_1_each_thread_its_irql),
          TEST(HS_THR_1_schedule_decides_and_repeats),
          TEST(HS_THR_1_call_that_does_not_return),
          TEST(HS_THR_1_state_checks_every_phase),
          TEST(AB_LEAK_1_record_handed_on_by_a_list))
