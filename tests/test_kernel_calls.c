/*
 * test_kernel_calls: the kernel calls beyond ExAllocatePoolWithTag and
 * ExFreePool(WithTag): the allocation family (KP-POOL2-1, HS-ZERO-1, EX-1,
 * KP-TAG-1), IRQL and locks (IRQL-1, IRQL-3, IRQL-4, LK-1..LK-4), lookaside
 * lists (HS-LL-1, LL-1..LL-3), bug checks (BC-1) and debug output. One test
 * per clause, each asserting which events the stand-in recorded.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdint.h>

#include "kernel.h"
#include "kernel_test.h"
#include "testhelper.h"

#define TAG_A VPCERT_TAG('D', 'v', 't', 'a')
#define TAG_B VPCERT_TAG('D', 'v', 't', 'b')

/* ---- helpers ---- */

#define VIOLATIONS(k, clause) cited((k), KN_EV_VIOLATION, (clause))

/* Number of events of a kind since the last clear. */
static size_t of_kind(const struct kernel *k, uint8_t kind) {
    size_t n = 0;
    for (size_t i = 0; i < kernel_event_count(k); i++)
        n += kernel_event_at(k, i)->kind == kind;
    return n;
}

static int bytes_are(const void *p, size_t n, unsigned char b) {
    const unsigned char *c = p;
    for (size_t i = 0; i < n; i++)
        if (c[i] != b)
            return 0;
    return 1;
}

/* A call that must not return, made with the escape set: 1 if it ended
 * through the escape. */
static jmp_buf escape_to;
static void escape(void *ctx) {
    (void)ctx;
    longjmp(escape_to, 1);
}
typedef void (*action_fn)(void *arg);
static int ends(struct kernel *k, action_fn fn, void *arg) {
    kernel_set_escape(k, escape, NULL);
    if (setjmp(escape_to) == 0) {
        fn(arg);
        kernel_set_escape(k, NULL, NULL);
        return 0;
    }
    kernel_set_escape(k, NULL, NULL);
    return 1;
}

/* ---- the allocation family ---- */

static void KP_POOL2_1_invalid_flags_refused(void) {
    struct kernel *k = start(1 << 20, 1 << 20);
    static const POOL_FLAGS bad[] = {
        0,
        POOL_FLAG_UNINITIALIZED,
        POOL_FLAG_PAGED | POOL_FLAG_NON_PAGED,
        POOL_FLAG_NON_PAGED | POOL_FLAG_NON_PAGED_EXECUTE,
        POOL_FLAG_PAGED | POOL_FLAG_RESERVED1,
        POOL_FLAG_NON_PAGED | POOL_FLAG_RESERVED3,
        POOL_FLAG_NON_PAGED | 0x800u,
        POOL_FLAG_NON_PAGED | POOL_FLAG_REQUIRED_END};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        kernel_events_clear(k);
        CHECK(ExAllocatePool2(bad[i], 16, TAG_A) == NULL, "KP-POOL2-1");
        CHECK_EQ_U64(VIOLATIONS(k, "KP-POOL2-1"), 1, "KP-POOL2-1");
        CHECK(of_kind(k, KN_EV_REFUSE) == 1 &&
                  kernel_event_at(k, 1)->reason == KN_RF_BAD_FLAGS,
              "KP-POOL2-1");
    }
    kernel_events_clear(k);
    CHECK(ExAllocatePool2(POOL_FLAG_PAGED, 16, 0) == NULL, "KP-POOL2-1");
    CHECK_EQ_U64(VIOLATIONS(k, "KP-POOL2-1"), 1, "KP-POOL2-1");
    /* valid: one kind, known flags, optional high bits ignored */
    static const POOL_FLAGS good[] = {
        POOL_FLAG_PAGED, POOL_FLAG_NON_PAGED | POOL_FLAG_CACHE_ALIGNED,
        POOL_FLAG_NON_PAGED_EXECUTE | POOL_FLAG_USE_QUOTA,
        POOL_FLAG_PAGED | POOL_FLAG_SESSION | POOL_FLAG_SPECIAL_POOL,
        POOL_FLAG_PAGED | 0x4000000000000000ull};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        kernel_events_clear(k);
        void *p = ExAllocatePool2(good[i], 16, TAG_A);
        CHECK(p != NULL, "KP-POOL2-1");
        CHECK_EQ_U64(of_kind(k, KN_EV_VIOLATION), 0, "KP-POOL2-1");
        struct kernel_block_info b;
        CHECK(kernel_find_block(k, p, &b) && b.tag == TAG_A, "KP-POOL2-1");
        CHECK((b.pool == KN_PAGED) == ((good[i] & POOL_FLAG_PAGED) != 0),
              "KP-POOL2-1");
        CHECK((b.type == 4) == ((good[i] & POOL_FLAG_CACHE_ALIGNED) != 0),
              "KP-POOL2-1");
        ExFreePool2(p, TAG_A, NULL, 0);
    }
    CHECK_EQ_U64(kernel_live_blocks(k), 0, "KP-POOL2-1");
    finish(k);
}

static void HS_ZERO_1_pool2_zeroes_unless_uninitialized(void) {
    struct kernel *k = start(64ull << 20, 1 << 20);
    unsigned char *z = ExAllocatePool2(POOL_FLAG_PAGED, 1000, TAG_A);
    unsigned char *u =
        ExAllocatePool2(POOL_FLAG_PAGED | POOL_FLAG_UNINITIALIZED, 1000, TAG_A);
    unsigned char *mid = ExAllocatePool2(POOL_FLAG_PAGED, 300000, TAG_A);
    unsigned char *big = ExAllocatePool2(POOL_FLAG_PAGED, 8u << 20, TAG_A);
    unsigned char *old = ExAllocatePoolWithTag(PagedPool, 1000, TAG_A);
    CHECK(z && u && mid && big && old, "HS-ZERO-1");
    if (z && u && mid && big && old) {
        CHECK(bytes_are(z, 1000, 0), "HS-ZERO-1");
        CHECK(bytes_are(u, 1000, KN_FILL_BYTE), "HS-ZERO-1");
        CHECK(bytes_are(mid, 300000, 0), "HS-ZERO-1"); /* heap: all of it */
        CHECK(bytes_are(big, 64u << 10, 0) &&
                  bytes_are(big + (4u << 20), 4096, 0) &&
                  bytes_are(big + (8u << 20) - 4096, 4096, 0),
              "HS-ZERO-1");
        CHECK(bytes_are(old, 1000, KN_FILL_BYTE), "HS-ZERO-1");
    }
    finish(k);
}

/* Memory an earlier block dirtied (the kernel stand-in reuses it, within a
 * run and in the next one) reads zero in an ExAllocatePool2 block. */
static void HS_ZERO_1_reused_memory_zeroed(void) {
    static const size_t sizes[] = {1000, 300000, 8u << 20};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        size_t n = sizes[i];
        struct kernel *k = start(64ull << 20, 1 << 20);
        unsigned char *d = ExAllocatePoolWithTag(PagedPool, n, TAG_A);
        if (d) {
            memset(d, 0x77, n < (64u << 10) ? n : 64u << 10);
            memset(d + n / 2, 0x77, 4096 < n / 2 ? 4096 : n / 2);
            memset(d + n - (n < 4096 ? n : 4096), 0x77, n < 4096 ? n : 4096);
        }
        finish(k); /* d left live: its memory goes back dirty */
        k = start(64ull << 20, 1 << 20);
        unsigned char *z = ExAllocatePool2(POOL_FLAG_PAGED, n, TAG_A);
        CHECK(z == d, "HS-ZERO-1"); /* the same memory, reused */
        CHECK(z && bytes_are(z, n, 0), "HS-ZERO-1");
        finish(k);
    }
}

static void quota_tag_raising(void *arg) {
    *(void **)arg = ExAllocatePoolWithQuotaTag(PagedPool, 64, TAG_A);
}
static void pool2_raising(void *arg) {
    *(void **)arg = ExAllocatePool2(
        POOL_FLAG_NON_PAGED | POOL_FLAG_RAISE_ON_FAILURE, 64, TAG_A);
}

static void EX_1_raises_end_the_call(void) {
    struct kernel *k = start(1 << 20, 1 << 20);
    void *p = NULL;
    CHECK(!ends(k, quota_tag_raising, &p) && p != NULL, "EX-1");
    kernel_inject_next(k, 1);
    CHECK(ExAllocatePoolWithQuotaTag(
              (POOL_TYPE)(PagedPool | POOL_QUOTA_FAIL_INSTEAD_OF_RAISE), 8,
              TAG_A) == NULL,
          "EX-1");
    CHECK(kernel_fatal(k)->clause == NULL, "EX-1");
    kernel_inject_next(k, 1);
    CHECK(ends(k, quota_tag_raising, &p), "EX-1");
    CHECK(kernel_fatal(k)->clause && !strcmp(kernel_fatal(k)->clause, "EX-1"),
          "EX-1");
    CHECK_EQ_U64(kernel_fatal(k)->code, (uint32_t)STATUS_INSUFFICIENT_RESOURCES,
                 "EX-1");
    CHECK_EQ_U64(cited(k, KN_EV_FATAL, "EX-1"), 1, "EX-1");
    finish(k);
    k = start(1 << 20, 10);
    CHECK(ends(k, pool2_raising, &p), "EX-1"); /* no room: raises */
    CHECK(ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, TAG_A) == NULL, "EX-1");
    CHECK_EQ_U64(cited(k, KN_EV_FATAL, "EX-1"), 1, "EX-1");
    finish(k);
}

static void KP_TAG_1_zero_and_protected_tags_pass(void) {
    struct kernel *k = start(1 << 20, 1 << 20);
    void *a = ExAllocatePoolWithTag(PagedPool, 8, TAG_A);
    void *b = ExAllocatePoolWithTag(PagedPool, 8, TAG_A | 0x80000000u);
    void *c = ExAllocatePool2(POOL_FLAG_PAGED, 8, TAG_A);
    void *d = ExAllocatePool(NonPagedPool, 8);
    struct kernel_block_info info;
    CHECK(kernel_find_block(k, d, &info) &&
              info.tag == VPCERT_TAG('N', 'o', 'n', 'e'),
          "KP-TAG-1");
    kernel_events_clear(k);
    ExFreePoolWithTag(a, 0);     /* 0: unchecked */
    ExFreePoolWithTag(b, TAG_A); /* without the PROTECTED_POOL bit */
    ExFreePool2(c, TAG_B, NULL, 0);
    CHECK_EQ_U64(VIOLATIONS(k, "KP-TAG-1"), 1, "KP-TAG-1");
    ExFreePool2(d, VPCERT_TAG('N', 'o', 'n', 'e'), NULL, 0);
    CHECK_EQ_U64(VIOLATIONS(k, "KP-TAG-1"), 1, "KP-TAG-1");
    CHECK_EQ_U64(kernel_live_blocks(k), 0, "KP-TAG-1");
    finish(k);
}

static void bug_check(void *arg) {
    (void)arg;
    KeBugCheckEx(0xC4, 0, 0x10, 0xFFFFFFFFFFFFFFFFull, 4);
}

static void BC_1_bug_check_ends_the_call(void) {
    struct kernel *k = start(100, 100);
    CHECK(ends(k, bug_check, NULL), "BC-1");
    const struct kernel_fatal *f = kernel_fatal(k);
    CHECK(f->clause && !strcmp(f->clause, "BC-1"), "BC-1");
    CHECK(f->code == 0xC4 && f->param[0] == 0 && f->param[1] == 0x10 &&
              f->param[2] == UINT64_MAX && f->param[3] == 4,
          "BC-1");
    CHECK_EQ_U64(cited(k, KN_EV_FATAL, "BC-1"), 1, "BC-1");
    finish(k);
}

/* ---- IRQL and locks ---- */

/* A spin lock and a fast mutex, initialized as a driver does. */
struct locks {
    KSPIN_LOCK spin;  /* a spin lock */
    FAST_MUTEX mutex; /* a fast mutex */
};

static void locks_init(struct locks *l) {
    KeInitializeSpinLock(&l->spin);
    ExInitializeFastMutex(&l->mutex);
}

static void spin_twice(void *arg) {
    KIRQL a, b;
    KeAcquireSpinLock((PKSPIN_LOCK)arg, &a);
    KeAcquireSpinLock((PKSPIN_LOCK)arg, &b);
}
static void mutex_twice(void *arg) {
    ExAcquireFastMutex(arg);
    ExAcquireFastMutex(arg);
}

static void LK_1_acquire_twice_ends_the_call(void) {
    struct kernel *k = start(100, 100);
    KSPIN_LOCK lock;
    FAST_MUTEX m;
    KeInitializeSpinLock(&lock);
    ExInitializeFastMutex(&m);
    CHECK(ends(k, spin_twice, &lock), "LK-1");
    CHECK(kernel_fatal(k)->clause && !strcmp(kernel_fatal(k)->clause, "LK-1"),
          "LK-1");
    CHECK(kernel_fatal(k)->addr == (uintptr_t)&lock, "LK-1");
    finish(k);
    k = start(100, 100);
    CHECK(ends(k, mutex_twice, &m), "LK-1");
    CHECK_EQ_U64(cited(k, KN_EV_FATAL, "LK-1"), 1, "LK-1");
    finish(k);
}

static void LK_2_release_not_held(void) {
    struct kernel *k = start(100, 100);
    KSPIN_LOCK lock, other;
    FAST_MUTEX m;
    KIRQL old;
    KeInitializeSpinLock(&lock);
    KeInitializeSpinLock(&other);
    ExInitializeFastMutex(&m);
    KeAcquireSpinLock(&lock, &old);
    KeReleaseSpinLock(&lock, old);
    CHECK_EQ_U64(kernel_event_count(k), 0, "LK-2");
    KeAcquireSpinLock(&lock, &old);
    KeReleaseSpinLock(&other, old); /* the wrong lock */
    CHECK_EQ_U64(VIOLATIONS(k, "LK-2"), 1, "LK-2");
    CHECK_EQ_U64(kernel_locks_held(k), 1, "LK-2");
    kernel_events_clear(k);
    kernel_set_irql(k, PASSIVE_LEVEL);
    ExAcquireFastMutex(&m);
    KeReleaseSpinLockFromDpcLevel((PKSPIN_LOCK)&m); /* the wrong kind */
    CHECK_EQ_U64(VIOLATIONS(k, "LK-2"), 1, "LK-2");
    kernel_events_clear(k);
    ExReleaseFastMutex(&m);
    ExReleaseFastMutex(&m); /* twice */
    CHECK_EQ_U64(VIOLATIONS(k, "LK-2"), 1, "LK-2");
    finish(k);
}

static void LK_3_IRQL_3_what_a_call_returns_with(void) {
    struct kernel *k = start(100, 100);
    struct locks l;
    KIRQL old;
    locks_init(&l);
    KeAcquireSpinLock(&l.spin, &old);
    ExAcquireFastMutex(&l.mutex); /* at DISPATCH: LK-4, and both held */
    kernel_events_clear(k);
    CHECK_EQ_U64(kernel_end_call(k, PASSIVE_LEVEL), 2, "LK-3");
    CHECK_EQ_U64(VIOLATIONS(k, "LK-3"), 2, "LK-3");
    CHECK_EQ_U64(VIOLATIONS(k, "IRQL-3"), 0, "LK-3"); /* LK-3 comes first */
    CHECK_EQ_U64(kernel_locks_held(k), 0, "LK-3");
    kernel_events_clear(k);
    CHECK_EQ_U64(kernel_end_call(k, PASSIVE_LEVEL), 1, "IRQL-3");
    CHECK_EQ_U64(VIOLATIONS(k, "IRQL-3"), 1, "IRQL-3");
    kernel_events_clear(k);
    kernel_set_irql(k, PASSIVE_LEVEL);
    KeAcquireSpinLock(&l.spin, &old);
    KeReleaseSpinLock(&l.spin, DISPATCH_LEVEL); /* not the old IRQL */
    CHECK_EQ_U64(kernel_end_call(k, PASSIVE_LEVEL), 1, "IRQL-3");
    CHECK_EQ_U64(VIOLATIONS(k, "IRQL-3"), 1, "IRQL-3");
    kernel_events_clear(k);
    kernel_set_irql(k, PASSIVE_LEVEL);
    KeAcquireSpinLock(&l.spin, &old);
    KeReleaseSpinLock(&l.spin, old);
    CHECK_EQ_U64(kernel_end_call(k, PASSIVE_LEVEL), 0, "IRQL-3");
    finish(k);
}

static void LK_4_lock_calls_at_their_irql(void) {
    struct kernel *k = start(100, 100);
    struct locks l;
    KIRQL old;
    locks_init(&l);
    KeAcquireSpinLockAtDpcLevel(&l.spin); /* at PASSIVE */
    KeReleaseSpinLockFromDpcLevel(&l.spin);
    CHECK_EQ_U64(VIOLATIONS(k, "LK-4"), 2, "LK-4");
    kernel_events_clear(k);
    kernel_set_irql(k, DISPATCH_LEVEL);
    KeAcquireSpinLockAtDpcLevel(&l.spin);
    KeReleaseSpinLockFromDpcLevel(&l.spin);
    ExAcquireFastMutex(&l.mutex); /* above APC_LEVEL */
    CHECK_EQ_U64(VIOLATIONS(k, "LK-4"), 1, "LK-4");
    kernel_events_clear(k);
    ExReleaseFastMutex(&l.mutex); /* not at APC_LEVEL */
    CHECK_EQ_U64(VIOLATIONS(k, "LK-4"), 1, "LK-4");
    CHECK(l.mutex.Count == FM_LOCK_BIT && l.mutex.Owner == NULL, "LK-4");
    kernel_events_clear(k);
    kernel_set_irql(k, HIGH_LEVEL);
    KeAcquireSpinLock(&l.spin, &old); /* above DISPATCH_LEVEL */
    CHECK_EQ_U64(VIOLATIONS(k, "LK-4"), 1, "LK-4");
    finish(k);
}

static void IRQL_4_raise_never_lowers(void) {
    struct kernel *k = start(100, 100);
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    CHECK(old == PASSIVE_LEVEL && KeGetCurrentIrql() == DISPATCH_LEVEL,
          "IRQL-4");
    KeLowerIrql(old);
    CHECK_EQ_U64(kernel_event_count(k), 0, "IRQL-4");
    old = KeRaiseIrqlToDpcLevel();
    KeRaiseIrql(APC_LEVEL, &old); /* lower than DISPATCH */
    CHECK_EQ_U64(VIOLATIONS(k, "IRQL-4"), 1, "IRQL-4");
    kernel_events_clear(k);
    KeLowerIrql(DISPATCH_LEVEL); /* higher than APC */
    CHECK_EQ_U64(VIOLATIONS(k, "IRQL-4"), 1, "IRQL-4");
    finish(k);
}

static void IRQL_1_paged_pool_under_a_spin_lock(void) {
    struct kernel *k = start(1 << 20, 1 << 20);
    KSPIN_LOCK lock;
    KIRQL old;
    FAST_MUTEX m;
    KeInitializeSpinLock(&lock);
    ExInitializeFastMutex(&m);
    void *early = ExAllocatePoolWithTag(PagedPool, 8, TAG_A);
    KeAcquireSpinLock(&lock, &old);
    kernel_events_clear(k);
    void *p = ExAllocatePool2(POOL_FLAG_PAGED, 8, TAG_A);
    ExFreePool(early);
    void *n = ExAllocatePool2(POOL_FLAG_NON_PAGED, 8, TAG_A);
    CHECK_EQ_U64(VIOLATIONS(k, "IRQL-1"), 2, "IRQL-1");
    CHECK(strstr(kernel_event_at(k, 0)->detail, "spin lock") != NULL, "IRQL-1");
    KeReleaseSpinLock(&lock, old);
    kernel_events_clear(k);
    ExAcquireFastMutex(&m); /* APC_LEVEL: paged pool is fine */
    ExFreePool(p);
    ExFreePool(n);
    ExReleaseFastMutex(&m);
    CHECK_EQ_U64(of_kind(k, KN_EV_VIOLATION), 0, "IRQL-1");
    finish(k);
}

/* ---- lookaside lists ---- */

static int custom_allocs, custom_frees;
static PVOID custom_alloc(POOL_TYPE type, SIZE_T bytes, ULONG tag) {
    custom_allocs++;
    return ExAllocatePoolWithTag(type, bytes, tag);
}
static VOID custom_free(PVOID p) {
    custom_frees++;
    ExFreePoolWithTag(p, TAG_B);
}

static void HS_LL_1_caches_four_never_zeroed(void) {
    struct kernel *k = start(1 << 20, 1 << 20);
    static NPAGED_LOOKASIDE_LIST list;
    void *e[6];
    ExInitializeNPagedLookasideList(&list, NULL, NULL, 0, 48, TAG_A, 0);
    CHECK(list.L.Depth == 4 && list.L.Size == 48 && list.L.Tag == TAG_A &&
              list.L.Type == NonPagedPool,
          "HS-LL-1");
    for (int i = 0; i < 6; i++)
        e[i] = ExAllocateFromNPagedLookasideList(&list);
    CHECK_EQ_U64(kernel_live_blocks(k), 6, "HS-LL-1");
    for (int i = 0; i < 6; i++)
        ExFreeToNPagedLookasideList(&list, e[i]);
    CHECK_EQ_U64(kernel_live_blocks(k), 4, "HS-LL-1"); /* 4 cached */
    CHECK(bytes_are(e[3], 48, 0xDD), "HS-LL-1");
    CHECK(list.L.TotalAllocates == 6 && list.L.AllocateMisses == 6 &&
              list.L.TotalFrees == 6 && list.L.FreeMisses == 2,
          "HS-LL-1");
    void *again = ExAllocateFromNPagedLookasideList(&list);
    CHECK(again == e[3] && bytes_are(again, 48, KN_FILL_BYTE), "HS-LL-1");
    struct kernel_block_info b;
    CHECK(kernel_find_block(k, e[2], &b) && !kernel_block_in_use(k, b.id),
          "HS-LL-1");
    CHECK(kernel_find_block(k, again, &b) && kernel_block_in_use(k, b.id),
          "HS-LL-1");
    ExFreeToNPagedLookasideList(&list, again);
    ExDeleteNPagedLookasideList(&list);
    CHECK_EQ_U64(kernel_live_blocks(k), 0, "HS-LL-1");
    CHECK_EQ_U64(kernel_lookaside_live(k), 0, "HS-LL-1");
    /* the caller's functions allocate and free */
    static PAGED_LOOKASIDE_LIST paged;
    ExInitializePagedLookasideList(&paged, custom_alloc, custom_free, 0, 32,
                                   TAG_B, 0);
    for (int i = 0; i < 6; i++)
        e[i] = ExAllocateFromPagedLookasideList(&paged);
    for (int i = 0; i < 6; i++)
        ExFreeToPagedLookasideList(&paged, e[i]);
    ExDeletePagedLookasideList(&paged);
    CHECK(custom_allocs == 6 && custom_frees == 6, "HS-LL-1");
    CHECK_EQ_U64(kernel_live_blocks(k), 0, "HS-LL-1");
    CHECK_EQ_U64(of_kind(k, KN_EV_VIOLATION), 0, "HS-LL-1");
    finish(k);
}

static void LL_1_list_alive_at_stop(void) {
    struct kernel *k = start(1 << 20, 1 << 20);
    static NPAGED_LOOKASIDE_LIST list;
    kernel_set_device(k, 2);
    ExInitializeNPagedLookasideList(&list, NULL, NULL, 0, 16, TAG_A, 0);
    ExFreeToNPagedLookasideList(&list,
                                ExAllocateFromNPagedLookasideList(&list));
    kernel_set_device(k, KN_NO_DEVICE);
    kernel_events_clear(k);
    CHECK_EQ_U64(kernel_report_device_leaks(k, 1), 0, "LL-1");
    CHECK_EQ_U64(kernel_report_device_leaks(k, 2), 1, "LL-1");
    CHECK_EQ_U64(VIOLATIONS(k, "LL-1"), 1, "LL-1");
    CHECK_EQ_U64(VIOLATIONS(k, "KP-LEAK-1"), 0,
                 "LL-1"); /* cached: the list's */
    kernel_events_clear(k);
    CHECK_EQ_U64(kernel_report_all_leaks(k), 1, "LL-1");
    CHECK_EQ_U64(VIOLATIONS(k, "LL-1"), 1, "LL-1");
    ExDeleteNPagedLookasideList(&list);
    kernel_events_clear(k);
    CHECK_EQ_U64(kernel_report_all_leaks(k), 0, "LL-1");
    finish(k);
}

static void LL_2_entries_go_back_to_their_list(void) {
    struct kernel *k = start(1 << 20, 1 << 20);
    static NPAGED_LOOKASIDE_LIST a, b;
    ExInitializeNPagedLookasideList(&a, NULL, NULL, 0, 16, TAG_A, 0);
    ExInitializeNPagedLookasideList(&b, NULL, NULL, 0, 16, TAG_B, 0);
    void *ea = ExAllocateFromNPagedLookasideList(&a);
    void *plain = ExAllocatePoolWithTag(NonPagedPool, 16, TAG_A);
    kernel_events_clear(k);
    ExFreeToNPagedLookasideList(&b, ea);    /* not b's */
    ExFreeToNPagedLookasideList(&a, plain); /* no list's */
    ExFreeToNPagedLookasideList(&a, ea);
    CHECK_EQ_U64(VIOLATIONS(k, "LL-2"), 2, "LL-2");
    kernel_events_clear(k);
    ExFreeToNPagedLookasideList(&a, ea); /* twice */
    ExFreePool(ea);                      /* cached: the list's */
    CHECK_EQ_U64(VIOLATIONS(k, "LL-2"), 2, "LL-2");
    finish(k);
    /* an entry may leave its list for the pool while it is handed out */
    k = start(1 << 20, 1 << 20);
    ExInitializeNPagedLookasideList(&a, NULL, NULL, 0, 16, TAG_A, 0);
    ExFreePool(ExAllocateFromNPagedLookasideList(&a));
    ExDeleteNPagedLookasideList(&a);
    CHECK_EQ_U64(of_kind(k, KN_EV_VIOLATION), 0, "LL-2");
    CHECK_EQ_U64(kernel_live_blocks(k), 0, "LL-2");
    finish(k);
}

static void LL_3_lists_used_only_while_live(void) {
    struct kernel *k = start(1 << 20, 1 << 20);
    static NPAGED_LOOKASIDE_LIST a;
    static PAGED_LOOKASIDE_LIST p;
    static unsigned char raw[sizeof(NPAGED_LOOKASIDE_LIST) + 16]
        __attribute__((aligned(16)));
    CHECK(ExAllocateFromNPagedLookasideList(&a) == NULL, "LL-3");
    ExDeleteNPagedLookasideList(&a);
    CHECK_EQ_U64(VIOLATIONS(k, "LL-3"), 2, "LL-3");
    kernel_events_clear(k);
    ExInitializeNPagedLookasideList(&a, NULL, NULL, 0, 16, TAG_A, 0);
    ExInitializeNPagedLookasideList(&a, NULL, NULL, 0, 16, TAG_A, 0);
    CHECK_EQ_U64(VIOLATIONS(k, "LL-3"), 1, "LL-3");
    kernel_events_clear(k);
    ExInitializePagedLookasideList(&p, NULL, NULL, 0, 16, TAG_A, 0);
    void *e = ExAllocateFromNPagedLookasideList((PNPAGED_LOOKASIDE_LIST)&p);
    CHECK_EQ_U64(VIOLATIONS(k, "LL-3"), 1, "LL-3"); /* the other kind */
    ExFreeToPagedLookasideList(&p, e);
    ExDeletePagedLookasideList(&p);
    ExDeleteNPagedLookasideList(&a);
    kernel_events_clear(k);
    ExFreeToNPagedLookasideList(&a, e); /* deleted */
    ExInitializeNPagedLookasideList((PNPAGED_LOOKASIDE_LIST)(raw + 8), NULL,
                                    NULL, 0, 16, TAG_A, 0);
    CHECK_EQ_U64(VIOLATIONS(k, "LL-3"), 2, "LL-3");
    CHECK(bytes_are(raw, sizeof raw, 0), "LL-3"); /* never written */
    finish(k);
}

static void IRQL_1_no_pool_above_dispatch(void) {
    struct kernel *k = start(1 << 20, 1 << 20);
    KIRQL old;
    void *n = ExAllocatePool2(POOL_FLAG_NON_PAGED, 8, TAG_A);
    KeRaiseIrql(HIGH_LEVEL, &old);
    kernel_events_clear(k);
    void *m = ExAllocatePool2(POOL_FLAG_NON_PAGED, 8, TAG_A);
    ExFreePool(n);
    CHECK_EQ_U64(VIOLATIONS(k, "IRQL-1"), 2, "IRQL-1");
    KeLowerIrql(DISPATCH_LEVEL);
    kernel_events_clear(k);
    ExFreePool(m); /* nonpaged at DISPATCH_LEVEL: fine */
    CHECK_EQ_U64(of_kind(k, KN_EV_VIOLATION), 0, "IRQL-1");
    finish(k);
}

static void IRQL_1_paged_lookaside_at_dispatch(void) {
    struct kernel *k = start(1 << 20, 1 << 20);
    static PAGED_LOOKASIDE_LIST p;
    ExInitializePagedLookasideList(&p, NULL, NULL, 0, 16, TAG_A, 0);
    ExFreeToPagedLookasideList(&p, ExAllocateFromPagedLookasideList(&p));
    kernel_events_clear(k);
    kernel_set_irql(k, DISPATCH_LEVEL);
    void *e = ExAllocateFromPagedLookasideList(&p); /* from the cache */
    CHECK_EQ_U64(VIOLATIONS(k, "IRQL-1"), 1, "IRQL-1");
    kernel_set_irql(k, PASSIVE_LEVEL);
    ExFreeToPagedLookasideList(&p, e);
    ExDeletePagedLookasideList(&p);
    finish(k);
}

static void list_raising(void *arg) {
    *(void **)arg = ExAllocateFromNPagedLookasideList(
        (PNPAGED_LOOKASIDE_LIST)((void **)arg)[1]);
}

static void EX_1_lookaside_raise_flag(void) {
    struct kernel *k = start(1 << 20, 1 << 20);
    static NPAGED_LOOKASIDE_LIST a;
    void *io[2] = {NULL, &a};
    ExInitializeNPagedLookasideList(
        &a, NULL, NULL, POOL_RAISE_IF_ALLOCATION_FAILURE, 16, TAG_A, 0);
    CHECK(!ends(k, list_raising, io) && io[0] != NULL, "EX-1");
    ExFreeToNPagedLookasideList(&a, io[0]);
    CHECK(!ends(k, list_raising, io), "EX-1"); /* the cache serves it */
    kernel_inject_next(k, 1);
    CHECK(ends(k, list_raising, io), "EX-1");
    CHECK_EQ_U64(cited(k, KN_EV_FATAL, "EX-1"), 1, "EX-1");
    finish(k);
}

/* ---- debug output ---- */

static void HS_DBG_1_output_captured_and_escaped(void) {
    struct kernel *k = start(100, 100);
    char text[KN_DEBUG_MAX + 100];
    DbgPrint("start %d\n", 7);
    DbgPrintEx(77, 0, "tab\there\x01\\end\n");
    VideoPortDebugPrint(Warn, "level %s\n", "warn");
    kernel_debug_text(k, text, sizeof text);
    CHECK_STR(text, "start 7\ntab\there\\x01\\\\end\nlevel warn\n", "HS-DBG-1");
    for (int i = 0; i < 400; i++)
        DbgPrint("0123456789\n");
    size_t n = kernel_debug_text(k, text, sizeof text);
    CHECK(n < sizeof text && strstr(text, "more bytes of debug output"),
          "HS-DBG-1");
    CHECK(kernel_debug_text(k, text, 40) == 39, "HS-DBG-1");
    finish(k);
}

/* What a library's constructor or its own thread would do. */
static void *stray_calls(void *unused) {
    KIRQL irql;
    KSPIN_LOCK lock;
    NPAGED_LOOKASIDE_LIST list;
    (void)unused;
    DbgPrint("allowed: debug output\n");
    (void)KeGetCurrentIrql(); /* allowed: the IRQL */
    ExInitializeNPagedLookasideList(&list, NULL, NULL, 0, 64, TAG_A, 0);
    KeInitializeSpinLock(&lock);
    KeAcquireSpinLock(&lock, &irql);
    void *p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, TAG_A);
    KeReleaseSpinLock(&lock, irql);
    return p;
}

static void HOST_2_calls_without_a_kernel_are_stray(void) {
    const char *first;
    kernel_stray_reset();
    CHECK(stray_calls(NULL) == NULL, "HOST-2"); /* no kernel: nothing served */
    CHECK_EQ_U64(kernel_stray_calls(&first), 4, "HOST-2");
    CHECK_STR(first, "ExInitializeNPagedLookasideList", "HOST-2");
    kernel_stray_reset();
    CHECK_EQ_U64(kernel_stray_calls(&first), 0, "HOST-2");
    CHECK_STR(first, "", "HOST-2");
    /* a kernel bound to this thread serves this thread's calls only */
    struct kernel *k = start(100, 100);
    void *served = ExAllocatePool2(POOL_FLAG_NON_PAGED, 8, TAG_A);
    CHECK(served != NULL, "HOST-2");
    ExFreePoolWithTag(served, TAG_A);
    CHECK_EQ_U64(kernel_stray_calls(NULL), 0, "HOST-2");
    pthread_t other;
    void *got = served;
    CHECK(pthread_create(&other, NULL, stray_calls, NULL) == 0, "HOST-2");
    CHECK(pthread_join(other, &got) == 0 && got == NULL, "HOST-2");
    CHECK_EQ_U64(kernel_stray_calls(&first), 4, "HOST-2");
    CHECK_EQ_U64(kernel_live_blocks(k), 0, "HOST-2");
    finish(k);
    kernel_stray_reset();
}

TEST_MAIN(TEST(KP_POOL2_1_invalid_flags_refused),
          TEST(HS_ZERO_1_pool2_zeroes_unless_uninitialized),
          TEST(HS_ZERO_1_reused_memory_zeroed), TEST(EX_1_raises_end_the_call),
          TEST(KP_TAG_1_zero_and_protected_tags_pass),
          TEST(BC_1_bug_check_ends_the_call),
          TEST(LK_1_acquire_twice_ends_the_call), TEST(LK_2_release_not_held),
          TEST(LK_3_IRQL_3_what_a_call_returns_with),
          TEST(LK_4_lock_calls_at_their_irql), TEST(IRQL_4_raise_never_lowers),
          TEST(IRQL_1_paged_pool_under_a_spin_lock),
          TEST(HS_LL_1_caches_four_never_zeroed), TEST(LL_1_list_alive_at_stop),
          TEST(LL_2_entries_go_back_to_their_list),
          TEST(LL_3_lists_used_only_while_live),
          TEST(IRQL_1_paged_lookaside_at_dispatch),
          TEST(IRQL_1_no_pool_above_dispatch), TEST(EX_1_lookaside_raise_flag),
          TEST(HS_DBG_1_output_captured_and_escaped),
          TEST(HOST_2_calls_without_a_kernel_are_stray))
