/*
 * test_kernel_threads: the kernel stand-in's threads (SPEC.md "Threads",
 * HS-THR-1): each thread keeps its own IRQL, context device, escape and
 * locks; every pool, lock, IRQL and lookaside call is a switch point; a
 * lock another thread holds is waited for through the scheduler, and with
 * no scheduler it is a deadlock (CONC-2). The scheduler here is a spy on
 * one stack: it counts switch points and, asked to wait, lets the holder
 * release the lock.
 */
#include <setjmp.h>
#include <stdint.h>

#include "kernel.h"
#include "kernel_test.h"
#include "testhelper.h"

#define TAG_A VPCERT_TAG('D', 'v', 't', 'a')

/* ---- the spy scheduler ---- */

struct spy {
    struct kernel *k;    /* the kernel it schedules */
    unsigned calls;      /* KN_SW_CALL switch points seen */
    unsigned waits;      /* KN_SW_WAIT requests seen */
    uintptr_t waited;    /* lock of the last wait */
    int release_on_wait; /* 1: let the holder release the lock */
};

static void spy_switch(void *ctx, enum kernel_switch why, uintptr_t lock) {
    struct spy *s = ctx;
    if (why == KN_SW_CALL) {
        s->calls++;
        return;
    }
    s->waits++;
    s->waited = lock;
    int holder = kernel_lock_holder(s->k, lock);
    if (!s->release_on_wait || holder < 0)
        return;
    /* the holder runs, releases the lock, and the waiter resumes */
    unsigned me = kernel_thread(s->k);
    kernel_set_thread(s->k, (unsigned)holder);
    KeReleaseSpinLock((PKSPIN_LOCK)lock, PASSIVE_LEVEL);
    kernel_set_thread(s->k, me);
}

/* ---- tests ---- */

static void HS_THR_1_threads_keep_their_own_state(void) {
    struct kernel *k = start(1u << 20, 1u << 20);
    kernel_set_irql(k, DISPATCH_LEVEL);
    kernel_set_device(k, 1);
    kernel_set_thread(k, 2);
    CHECK_EQ_U64(kernel_thread(k), 2, "HS-THR-1");
    CHECK_EQ_U64(KeGetCurrentIrql(), PASSIVE_LEVEL, "HS-THR-1");
    kernel_set_device(k, 3);
    void *p = ExAllocatePoolWithTag(PagedPool, 16, TAG_A);
    const struct kernel_event *e = kernel_event_at(k, 0);
    CHECK(p && e && e->thread == 2 && e->device == 3 && e->irql == 0,
          "HS-THR-1");
    kernel_set_thread(k, 0);
    CHECK_EQ_U64(KeGetCurrentIrql(), DISPATCH_LEVEL, "HS-THR-1");
    kernel_set_irql(k, PASSIVE_LEVEL);
    ExFreePoolWithTag(p, TAG_A);
    e = kernel_event_at(k, 1);
    CHECK(e && e->kind == KN_EV_FREE && e->thread == 0 && e->device == 1,
          "HS-THR-1");
    kernel_set_thread(k, KN_THREADS); /* out of range: ignored */
    CHECK_EQ_U64(kernel_thread(k), 0, "HS-THR-1");
    finish(k);
}

static void HS_THR_1_locks_belong_to_their_thread(void) {
    struct kernel *k = start(1u << 20, 1u << 20);
    KSPIN_LOCK a = 0;
    KIRQL old;
    KeAcquireSpinLock(&a, &old);
    CHECK_EQ_U64(kernel_lock_holder(k, (uintptr_t)&a), 0, "HS-THR-1");
    CHECK_EQ_U64(kernel_lock_kind(k, (uintptr_t)&a), 1, "HS-THR-1");
    kernel_set_thread(k, 1);
    CHECK_EQ_U64(kernel_locks_held(k), 0, "HS-THR-1");
    /* paged pool on thread 1 is fine: thread 0 holds the lock */
    void *p = ExAllocatePoolWithTag(PagedPool, 8, TAG_A);
    CHECK(p && cited(k, KN_EV_VIOLATION, "IRQL-1") == 0, "HS-THR-1");
    ExFreePoolWithTag(p, TAG_A);
    /* thread 1 returns: the lock thread 0 holds is not its LK-3 */
    kernel_events_clear(k);
    CHECK_EQ_U64(kernel_end_call(k, PASSIVE_LEVEL), 0, "LK-3");
    /* releasing it from thread 1 is LK-2: thread 1 does not hold it */
    KeReleaseSpinLock(&a, PASSIVE_LEVEL);
    CHECK_EQ_U64(cited(k, KN_EV_VIOLATION, "LK-2"), 1, "LK-2");
    CHECK_EQ_U64(kernel_lock_holder(k, (uintptr_t)&a), 0, "HS-THR-1");
    kernel_set_thread(k, 0);
    CHECK_EQ_U64(kernel_locks_held(k), 1, "HS-THR-1");
    kernel_events_clear(k);
    CHECK_EQ_U64(kernel_end_call(k, PASSIVE_LEVEL), 1, "LK-3");
    CHECK_EQ_U64(kernel_lock_holder(k, (uintptr_t)&a), -1, "LK-3");
    (void)old;
    finish(k);
}

static void HS_THR_1_every_kernel_call_a_switch_point(void) {
    struct kernel *k = start(1u << 20, 1u << 20);
    struct spy s = {k, 0, 0, 0, 0};
    kernel_set_scheduler(k, spy_switch, &s);
    KSPIN_LOCK a = 0;
    FAST_MUTEX m;
    NPAGED_LOOKASIDE_LIST *list = aligned_alloc(16, sizeof *list);
    KIRQL old;
    unsigned n = 0;
#define SWITCHES(expr)                                                         \
    do {                                                                       \
        unsigned before = s.calls;                                             \
        expr;                                                                  \
        n++;                                                                   \
        CHECK_EQ_U64(s.calls - before, 1, "HS-THR-1");                         \
    } while (0)
    void *p, *q, *r, *e;
    SWITCHES(p = ExAllocatePoolWithTag(PagedPool, 8, TAG_A));
    SWITCHES(q = ExAllocatePool(PagedPool, 8));
    SWITCHES(r = ExAllocatePool2(POOL_FLAG_PAGED, 8, TAG_A));
    SWITCHES(ExFreePoolWithTag(p, TAG_A));
    SWITCHES(ExFreePool(q));
    SWITCHES(ExFreePool2(r, TAG_A, NULL, 0));
    SWITCHES(p = ExAllocatePoolWithQuotaTag(
                 PagedPool | POOL_QUOTA_FAIL_INSTEAD_OF_RAISE, 8, TAG_A));
    SWITCHES(ExFreePool(p));
    SWITCHES(KeAcquireSpinLock(&a, &old));
    SWITCHES(KeReleaseSpinLock(&a, old));
    SWITCHES(old = KeAcquireSpinLockRaiseToDpc(&a));
    SWITCHES(KeReleaseSpinLock(&a, old));
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    SWITCHES(KeAcquireSpinLockAtDpcLevel(&a));
    SWITCHES(KeReleaseSpinLockFromDpcLevel(&a));
    SWITCHES(KeLowerIrql(old));
    ExInitializeFastMutex(&m);
    SWITCHES(ExAcquireFastMutex(&m));
    SWITCHES(ExReleaseFastMutex(&m));
    SWITCHES(
        ExInitializeNPagedLookasideList(list, NULL, NULL, 0, 32, TAG_A, 0));
    SWITCHES(e = ExAllocateFromNPagedLookasideList(list));
    SWITCHES(ExFreeToNPagedLookasideList(list, e));
    SWITCHES(ExDeleteNPagedLookasideList(list));
    /* not switch points: reading the IRQL, debug output */
    unsigned before = s.calls;
    (void)KeGetCurrentIrql();
    DbgPrint("x");
    CHECK_EQ_U64(s.calls, before, "HS-THR-1");
    CHECK(n >= 20 && s.waits == 0, "HS-THR-1");
#undef SWITCHES
    free(list);
    finish(k);
}

static void HS_THR_1_a_held_lock_is_waited_for(void) {
    struct kernel *k = start(1u << 20, 1u << 20);
    struct spy s = {k, 0, 0, 0, 1};
    kernel_set_scheduler(k, spy_switch, &s);
    KSPIN_LOCK a = 0;
    KIRQL old, old1;
    kernel_set_thread(k, 1);
    KeAcquireSpinLock(&a, &old1);
    kernel_set_thread(k, 0);
    KeAcquireSpinLock(&a, &old); /* waits: the spy lets thread 1 release */
    CHECK_EQ_U64(s.waits, 1, "HS-THR-1");
    CHECK(s.waited == (uintptr_t)&a, "HS-THR-1");
    CHECK_EQ_U64(kernel_lock_holder(k, (uintptr_t)&a), 0, "HS-THR-1");
    CHECK(cited(k, KN_EV_FATAL, "LK-1") == 0 &&
              cited(k, KN_EV_VIOLATION, "LK-2") == 0,
          "HS-THR-1");
    KeReleaseSpinLock(&a, old);
    (void)old1;
    finish(k);
}

static jmp_buf escape_to;
static void escape(void *ctx) {
    (void)ctx;
    longjmp(escape_to, 1);
}

static void CONC_2_no_scheduler_no_one_to_release(void) {
    struct kernel *k = start(1u << 20, 1u << 20);
    KSPIN_LOCK a = 0;
    KIRQL old;
    kernel_set_thread(k, 1);
    KeAcquireSpinLock(&a, &old);
    kernel_set_thread(k, 0);
    kernel_set_escape(k, escape, NULL);
    volatile int ended = 0;
    if (setjmp(escape_to) == 0)
        KeAcquireSpinLock(&a, &old);
    else
        ended = 1;
    CHECK(ended, "CONC-2");
    CHECK_EQ_U64(cited(k, KN_EV_FATAL, "CONC-2"), 1, "CONC-2");
    CHECK_STR(kernel_fatal(k)->clause, "CONC-2", "CONC-2");
    CHECK(kernel_fatal(k)->addr == (uintptr_t)&a, "CONC-2");
    finish(k);
}

static void LK_1_own_lock_still_a_self_deadlock(void) {
    struct kernel *k = start(1u << 20, 1u << 20);
    struct spy s = {k, 0, 0, 0, 1};
    kernel_set_scheduler(k, spy_switch, &s);
    KSPIN_LOCK a = 0;
    KIRQL old;
    kernel_set_thread(k, 3);
    KeAcquireSpinLock(&a, &old);
    kernel_set_escape(k, escape, NULL);
    volatile int ended = 0;
    if (setjmp(escape_to) == 0)
        KeAcquireSpinLock(&a, &old);
    else
        ended = 1;
    CHECK(ended && s.waits == 0, "LK-1");
    CHECK_STR(kernel_fatal(k)->clause, "LK-1", "LK-1");
    finish(k);
}

static void HS_THR_1_events_discarded_in_order(void) {
    struct kernel *k = start(1u << 20, 1u << 20);
    void *p[3];
    for (int i = 0; i < 3; i++)
        p[i] = ExAllocatePoolWithTag(NonPagedPool, 16u << i, TAG_A);
    CHECK_EQ_U64(kernel_event_count(k), 3, "HS-THR-1");
    kernel_events_discard(k, 1);
    CHECK_EQ_U64(kernel_event_count(k), 2, "HS-THR-1");
    CHECK_EQ_U64(kernel_event_at(k, 0)->size, 32, "HS-THR-1");
    CHECK_EQ_U64(kernel_event_at(k, 1)->size, 64, "HS-THR-1");
    kernel_events_discard(k, 9);
    CHECK_EQ_U64(kernel_event_count(k), 0, "HS-THR-1");
    for (int i = 0; i < 3; i++)
        ExFreePoolWithTag(p[i], TAG_A);
    finish(k);
}

TEST_MAIN(TEST(HS_THR_1_threads_keep_their_own_state),
          TEST(HS_THR_1_locks_belong_to_their_thread),
          TEST(HS_THR_1_every_kernel_call_a_switch_point),
          TEST(HS_THR_1_a_held_lock_is_waited_for),
          TEST(CONC_2_no_scheduler_no_one_to_release),
          TEST(LK_1_own_lock_still_a_self_deadlock),
          TEST(HS_THR_1_events_discarded_in_order))
