/*
 * test_kernel: one test per clause the kernel stand-in enforces (a violation or
 * note event citing it) or guarantees (HS-*), each asserting the exact
 * event sequence, plus the shim's own properties (huge blocks, ordering,
 * 0-size lookup, quarantine eviction, unbound calls, teardown).
 */
#include <signal.h>
#include <stdint.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kernel.h"
#include "testhelper.h"
#include "vpcert/pool_types.h"

#define TAG_A VPCERT_TAG('D', 'v', 'p', 'a')
#define TAG_B VPCERT_TAG('D', 'v', 'p', 'b')
#define GIB ((uint64_t)1 << 30)

/* ---- helpers ---- */

static void on_fault(int sig) {
    (void)sig;
    _exit(42);
}

static struct kernel *mk(uint64_t paged, uint64_t nonpaged) {
    struct kernel_config cfg = {{paged, nonpaged}, 0, 0, 1};
    struct kernel *k = kernel_new(&cfg);
    kernel_bind(k);
    return k;
}

static void done(struct kernel *k) {
    kernel_bind(NULL);
    kernel_delete(k);
}

/* One expected event: kind, clause (NULL: none), refusal reason. */
struct exp_ev {
    uint8_t kind;       /* enum kernel_event_kind */
    const char *clause; /* expected clause, NULL for alloc/refuse/free */
    uint8_t reason;     /* expected reason for KN_EV_REFUSE */
};
#define E_ALLOC                                                                \
    { KN_EV_ALLOC, NULL, KN_RF_NONE }
#define E_FREE                                                                 \
    { KN_EV_FREE, NULL, KN_RF_NONE }
#define E_REFUSE(r)                                                            \
    { KN_EV_REFUSE, NULL, (r) }
#define E_VIOL(c)                                                              \
    { KN_EV_VIOLATION, (c), KN_RF_NONE }
#define E_NOTE(c)                                                              \
    { KN_EV_NOTE, (c), KN_RF_NONE }

static int same_clause(const char *a, const char *b) {
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* The log holds exactly want[0..n); cleared afterwards. */
static void expect_events(struct kernel *k, const char *clause,
                          const struct exp_ev *want, size_t n, int line) {
    int ok = kernel_event_count(k) == n;
    for (size_t i = 0; ok && i < n; i++) {
        const struct kernel_event *e = kernel_event_at(k, i);
        ok = e->kind == want[i].kind &&
             same_clause(e->clause, want[i].clause) &&
             e->reason == want[i].reason &&
             (e->clause == NULL) == (e->detail == NULL);
    }
    CHECK(ok, clause);
    if (!ok) {
        fprintf(stderr, "  at line %d, got %zu events:", line,
                kernel_event_count(k));
        for (size_t i = 0; i < kernel_event_count(k); i++) {
            const struct kernel_event *e = kernel_event_at(k, i);
            fprintf(stderr, " {%u %s %u}", e->kind, e->clause ? e->clause : "-",
                    e->reason);
        }
        fprintf(stderr, "\n");
    }
    kernel_events_clear(k);
}
#define EXPECT(k, clause, ...)                                                 \
    do {                                                                       \
        static const struct exp_ev want_[] = {__VA_ARGS__};                    \
        expect_events((k), (clause), want_, sizeof want_ / sizeof want_[0],    \
                      __LINE__);                                               \
    } while (0)
#define EXPECT_NONE(k, clause)                                                 \
    do {                                                                       \
        CHECK_EQ_U64(kernel_event_count(k), 0, clause);                        \
        kernel_events_clear(k);                                                \
    } while (0)

static const struct kernel_event *ev(struct kernel *k, size_t i) {
    static const struct kernel_event none;
    const struct kernel_event *e = kernel_event_at(k, i);
    return e ? e : &none;
}

static int all_bytes(const void *p, size_t n, unsigned char b) {
    const unsigned char *c = p;
    for (size_t i = 0; i < n; i++)
        if (c[i] != b)
            return 0;
    return 1;
}

/* ---- HS-CAP-1 ---- */

static void HS_CAP_1_exact_fit_then_refuse(void) {
    struct kernel *k = mk(100, 200);
    void *p = ExAllocatePoolWithTag(PagedPool, 100, TAG_A);
    CHECK(p != NULL, "HS-CAP-1");
    CHECK(ev(k, 0)->size == 100 && ev(k, 0)->pool == KN_PAGED, "HS-CAP-1");
    EXPECT(k, "HS-CAP-1", E_ALLOC);
    CHECK(ExAllocatePoolWithTag(PagedPoolCacheAligned, 1, TAG_A) == NULL,
          "HS-CAP-1");
    CHECK(ev(k, 0)->size == 1 && ev(k, 0)->type == 5, "HS-CAP-1");
    EXPECT(k, "HS-CAP-1", E_REFUSE(KN_RF_CAPACITY));
    CHECK(ExAllocatePoolWithTag(NonPagedPool, 200, TAG_A) != NULL, "HS-CAP-1");
    EXPECT(k, "HS-CAP-1", E_ALLOC);
    CHECK(ExAllocatePoolWithTag(NonPagedPoolCacheAligned, 1, TAG_A) == NULL,
          "HS-CAP-1");
    EXPECT(k, "HS-CAP-1", E_REFUSE(KN_RF_CAPACITY));
    CHECK(ExAllocatePoolWithTag(PagedPool, 0, TAG_A) == NULL, "HS-CAP-1");
    EXPECT(k, "HS-CAP-1", E_NOTE("KP-ZERO-1"), E_REFUSE(KN_RF_CAPACITY));
    CHECK_EQ_U64(kernel_used(k, KN_PAGED), 100, "HS-CAP-1");
    CHECK_EQ_U64(kernel_used(k, KN_NONPAGED), 200, "HS-CAP-1");
    ExFreePool(p);
    CHECK_EQ_U64(kernel_used(k, KN_PAGED), 0, "HS-CAP-1");
    CHECK(ExAllocatePoolWithTag(PagedPool, 60, TAG_A) != NULL, "HS-CAP-1");
    CHECK(ExAllocatePoolWithTag(PagedPool, 0, TAG_A) != NULL, "HS-CAP-1");
    CHECK(ExAllocatePoolWithTag(PagedPool, 39, TAG_A) != NULL, "HS-CAP-1");
    CHECK(ExAllocatePoolWithTag(PagedPool, 1, TAG_A) == NULL, "HS-CAP-1");
    CHECK_EQ_U64(kernel_used(k, KN_PAGED), 100, "HS-CAP-1");
    CHECK_EQ_U64(kernel_capacity(k, KN_PAGED), 100, "HS-CAP-1");
    done(k);
}

static void HS_CAP_1_no_overflow_near_2_64(void) {
    struct kernel *k = mk(1000, UINT64_MAX);
    CHECK(ExAllocatePoolWithTag(PagedPool, 10, TAG_A) != NULL, "HS-CAP-1");
    kernel_events_clear(k);
    /* 10 + SIZE_MAX and 10 + (SIZE_MAX - 9) wrap to 9 and 0 */
    CHECK(ExAllocatePoolWithTag(PagedPool, SIZE_MAX, TAG_A) == NULL,
          "HS-CAP-1");
    CHECK(ExAllocatePoolWithTag(PagedPool, SIZE_MAX - 9, TAG_A) == NULL,
          "HS-CAP-1");
    CHECK_EQ_U64(ev(k, 1)->size, (uint64_t)SIZE_MAX - 9, "HS-CAP-1");
    EXPECT(k, "HS-CAP-1", E_REFUSE(KN_RF_CAPACITY), E_REFUSE(KN_RF_CAPACITY));
    CHECK(ExAllocatePoolWithTag(NonPagedPool, 16, TAG_A) != NULL, "HS-CAP-1");
    kernel_events_clear(k);
    /* 16 + (2^64 - 17) == capacity: fits, the host then cannot back it */
    CHECK(ExAllocatePoolWithTag(NonPagedPool, SIZE_MAX - 16, TAG_A) == NULL,
          "HS-CAP-1");
    EXPECT(k, "HS-CAP-1", E_REFUSE(KN_RF_HOST));
    CHECK(ExAllocatePoolWithTag(NonPagedPool, SIZE_MAX - 15, TAG_A) == NULL,
          "HS-CAP-1");
    EXPECT(k, "HS-CAP-1", E_REFUSE(KN_RF_CAPACITY));
    CHECK_EQ_U64(kernel_used(k, KN_NONPAGED), 16, "HS-CAP-1");
    CHECK_EQ_U64(kernel_used(k, KN_PAGED), 10, "HS-CAP-1");
    CHECK_EQ_U64(kernel_live_blocks(k), 2, "HS-CAP-1");
    done(k);
}

static void HS_CAP_1_block_above_4GiB(void) {
#if SIZE_MAX > UINT32_MAX
    struct kernel *k = mk(0, 8 * GIB);
    unsigned char *p = ExAllocatePoolWithTag(NonPagedPool, 5 * GIB, TAG_A);
    CHECK(p != NULL, "HS-CAP-1");
    EXPECT(k, "HS-CAP-1", E_ALLOC);
    struct kernel_block_info bi = {0};
    CHECK(kernel_find_block(k, p + 5 * GIB - 1, &bi), "HS-CAP-1");
    CHECK(bi.addr == (uintptr_t)p && bi.size == 5 * GIB, "HS-CAP-1");
    CHECK(!kernel_find_block(k, p + 5 * GIB, NULL), "HS-CAP-1");
    CHECK((uintptr_t)p % 4096 == 0, "HS-ALIGN-1");
    if (p)
        p[5 * GIB - 1] = 1; /* last byte is usable */
    CHECK(ExAllocatePoolWithTag(NonPagedPool, 3 * GIB + 1, TAG_A) == NULL,
          "HS-CAP-1");
    EXPECT(k, "HS-CAP-1", E_REFUSE(KN_RF_CAPACITY));
    CHECK_EQ_U64(kernel_check_guard(k, (uintptr_t)p), 1, "KP-OVR-1");
    ExFreePoolWithTag(p, TAG_A);
    EXPECT(k, "HS-CAP-1", E_FREE);
    CHECK_EQ_U64(kernel_used(k, KN_NONPAGED), 0, "HS-CAP-1");
    done(k);
#endif
}

/* The host's fixed limit: blocks up to 2^40 bytes are backed, several at
 * once, and a larger one is a host refusal however large the pool. */
static void HS_CAP_1_host_limit_is_fixed(void) {
#if SIZE_MAX > UINT32_MAX
    struct kernel *k = mk(UINT64_MAX, UINT64_MAX);
    const uint64_t tib = (uint64_t)1 << 40;
    unsigned char *a = ExAllocatePoolWithTag(PagedPool, tib, TAG_A);
    unsigned char *b = ExAllocatePoolWithTag(NonPagedPool, tib, TAG_A);
    CHECK(a && b && a != b, "HS-CAP-1");
    EXPECT(k, "HS-CAP-1", E_ALLOC, E_ALLOC);
    CHECK(ExAllocatePoolWithTag(PagedPool, tib + 1, TAG_A) == NULL, "HS-CAP-1");
    EXPECT(k, "HS-CAP-1", E_REFUSE(KN_RF_HOST));
    if (a && b) {
        a[tib - 1] = 1; /* both ends of both are usable */
        b[0] = a[0];
        CHECK_EQ_U64(kernel_check_all_guards(k), 0, "HS-CAP-1");
    }
    ExFreePool(a);
    ExFreePool(b);
    EXPECT(k, "HS-CAP-1", E_FREE, E_FREE);
    CHECK_EQ_U64(kernel_used(k, KN_PAGED) + kernel_used(k, KN_NONPAGED), 0,
                 "HS-CAP-1");
    done(k);
#endif
}

/* ---- HS-ALIGN-1 ---- */

static void align_case(struct kernel *k, int32_t type, size_t size,
                       uintptr_t a) {
    uintptr_t p = (uintptr_t)ExAllocatePoolWithTag((POOL_TYPE)type, size, 0);
    struct kernel_block_info bi = {0};
    CHECK(p != 0 && p % a == 0, "HS-ALIGN-1");
    CHECK(p % (2 * a) != 0, "HS-ALIGN-1"); /* no more than guaranteed */
    CHECK(kernel_find_block(k, (void *)p, &bi) && bi.size == size,
          "HS-ALIGN-1");
}

static void align_all(struct kernel *k) {
    for (size_t n = 0; n < 40; n++) {
        align_case(k, NonPagedPool, n * 7 % 200, 16);
        align_case(k, PagedPool, n * 13 % 300, 16);
        align_case(k, NonPagedPoolCacheAligned, n * 7 % 200, 64);
        align_case(k, PagedPoolCacheAligned, n * 13 % 300, 64);
    }
    align_case(k, NonPagedPool, 4096, 4096);
    align_case(k, PagedPool, 5000, 4096);
    align_case(k, PagedPoolCacheAligned, 8192, 4096);
    align_case(k, NonPagedPool, 4095, 16);
}

static void HS_ALIGN_1_16_64_4096_and_no_more(void) {
    CHECK_EQ_U64(kernel_alignment(NonPagedPool, 1), 16, "HS-ALIGN-1");
    CHECK_EQ_U64(kernel_alignment(PagedPool, 4095), 16, "HS-ALIGN-1");
    CHECK_EQ_U64(kernel_alignment(NonPagedPoolCacheAligned, 0), 64,
                 "HS-ALIGN-1");
    CHECK_EQ_U64(kernel_alignment(PagedPoolCacheAligned, 100), 64,
                 "HS-ALIGN-1");
    CHECK_EQ_U64(kernel_alignment(PagedPool, 4096), 4096, "HS-ALIGN-1");
    CHECK_EQ_U64(kernel_alignment(NonPagedPoolCacheAligned, 1 << 20), 4096,
                 "HS-ALIGN-1");
    struct kernel *k = mk(1 << 24, 1 << 24);
    align_all(k); /* aligned_alloc-backed */
    done(k);
    struct kernel_config cfg = {{1 << 24, 1 << 24}, 0, 1, 1};
    k = kernel_new(&cfg); /* every block mmap-backed */
    kernel_bind(k);
    align_all(k);
    done(k);
}

/* ---- HS-INJ-1 ---- */

static void HS_INJ_1_next_n(void) {
    struct kernel *k = mk(1000, 10);
    kernel_inject_next(k, 2);
    CHECK(ExAllocatePoolWithTag(PagedPool, 8, TAG_A) == NULL, "HS-INJ-1");
    CHECK(ExAllocatePoolWithTag(NonPagedPool, 8, TAG_B) == NULL, "HS-INJ-1");
    CHECK(ExAllocatePoolWithTag(PagedPool, 8, TAG_A) != NULL, "HS-INJ-1");
    EXPECT(k, "HS-INJ-1", E_REFUSE(KN_RF_INJECT_NEXT),
           E_REFUSE(KN_RF_INJECT_NEXT), E_ALLOC);
    kernel_inject_next(k, 1); /* a bad type is refused before injection */
    CHECK(ExAllocatePoolWithTag(NonPagedPoolMustSucceed, 8, TAG_A) == NULL,
          "HS-INJ-1");
    CHECK(ExAllocatePoolWithTag(PagedPool, 8, TAG_A) == NULL, "HS-INJ-1");
    EXPECT(k, "HS-INJ-1", E_VIOL("KP-TYPE-1"), E_REFUSE(KN_RF_BAD_TYPE),
           E_REFUSE(KN_RF_INJECT_NEXT));
    kernel_inject_next(k, 1); /* injection is checked before capacity */
    CHECK(ExAllocatePoolWithTag(NonPagedPool, 11, TAG_A) == NULL, "HS-INJ-1");
    CHECK(ExAllocatePoolWithTag(NonPagedPool, 11, TAG_A) == NULL, "HS-INJ-1");
    EXPECT(k, "HS-INJ-1", E_REFUSE(KN_RF_INJECT_NEXT),
           E_REFUSE(KN_RF_CAPACITY));
    CHECK_EQ_U64(kernel_used(k, KN_PAGED), 8, "HS-INJ-1");
    CHECK_EQ_U64(kernel_requests(k), 7, "HS-INJ-1");
    done(k);
}

static void HS_INJ_1_above_size(void) {
    struct kernel *k = mk(1000, 1000);
    kernel_inject_above(k, 100);
    CHECK(ExAllocatePoolWithTag(PagedPool, 100, TAG_A) != NULL, "HS-INJ-1");
    CHECK(ExAllocatePoolWithTag(NonPagedPool, 101, TAG_A) == NULL, "HS-INJ-1");
    CHECK(ExAllocatePoolWithTag(PagedPool, SIZE_MAX, TAG_A) == NULL,
          "HS-INJ-1");
    EXPECT(k, "HS-INJ-1", E_ALLOC, E_REFUSE(KN_RF_INJECT_SIZE),
           E_REFUSE(KN_RF_INJECT_SIZE));
    kernel_inject_above(k, UINT64_MAX);
    CHECK(ExAllocatePoolWithTag(NonPagedPool, 101, TAG_A) != NULL, "HS-INJ-1");
    EXPECT(k, "HS-INJ-1", E_ALLOC);
    done(k);
}

static void HS_INJ_1_by_tag(void) {
    struct kernel *k = mk(1000, 1000);
    for (ULONG t = 1; t <= 10; t++)
        kernel_inject_tag(k, t, 1);
    kernel_inject_tag(k, 3, 1); /* twice: still one entry */
    for (ULONG t = 1; t <= 10; t++)
        CHECK(ExAllocatePoolWithTag(PagedPool, 4, t) == NULL, "HS-INJ-1");
    for (size_t i = 0; i < 10; i++)
        CHECK(ev(k, i)->reason == KN_RF_INJECT_TAG &&
                  ev(k, i)->tag == (ULONG)(i + 1),
              "HS-INJ-1");
    kernel_events_clear(k);
    CHECK(ExAllocatePoolWithTag(PagedPool, 4, 11) != NULL, "HS-INJ-1");
    CHECK(ExAllocatePoolWithTag(NonPagedPool, 4, 0) != NULL, "HS-INJ-1");
    EXPECT(k, "HS-INJ-1", E_ALLOC, E_ALLOC);
    kernel_inject_tag(k, 3, 0);
    CHECK(ExAllocatePoolWithTag(PagedPool, 4, 3) != NULL, "HS-INJ-1");
    CHECK(ExAllocatePoolWithTag(PagedPool, 4, 4) == NULL, "HS-INJ-1");
    EXPECT(k, "HS-INJ-1", E_ALLOC, E_REFUSE(KN_RF_INJECT_TAG));
    done(k);
}

static void HS_INJ_1_clear(void) {
    struct kernel *k = mk(1000, 1000);
    kernel_inject_next(k, 5);
    kernel_inject_above(k, 1);
    kernel_inject_tag(k, TAG_A, 1);
    kernel_inject_clear(k);
    CHECK(ExAllocatePoolWithTag(PagedPool, 50, TAG_A) != NULL, "HS-INJ-1");
    CHECK(ExAllocatePoolWithTag(PagedPool, 50, TAG_B) != NULL, "HS-INJ-1");
    EXPECT(k, "HS-INJ-1", E_ALLOC, E_ALLOC);
    done(k);
}

/* ---- HS-FILL-1 ---- */

/* The bytes HS-FILL-1 fills in a block of n bytes at p are all 0xCD:
 * whole up to 8 KiB, else the first and the last 4 KiB. */
static int filled(const unsigned char *p, size_t n) {
    size_t head = n <= 8192 ? n : 4096, tail = n <= 8192 ? 0 : 4096;
    return p && all_bytes(p, head, KN_FILL_BYTE) &&
           all_bytes(p + n - tail, tail, KN_FILL_BYTE);
}

static void HS_FILL_1_fresh_blocks_not_zeroed(void) {
    struct kernel *k = mk(16 << 20, 16 << 20);
    static const size_t sizes[] = {1,    16,   64,    100,   4000,   4096,
                                   8192, 8193, 65536, 70000, 5 << 20};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        size_t n = sizes[i];
        unsigned char *p = ExAllocatePoolWithTag(PagedPool, n, TAG_A);
        CHECK(filled(p, n), "HS-FILL-1");
        if (p)
            memset(p, 0, n);
        ExFreePool(p);
        p = ExAllocatePoolWithTag(NonPagedPool, n, TAG_A);
        CHECK(filled(p, n), "HS-FILL-1");
    }
    unsigned char *z = ExAllocatePoolWithTag(PagedPool, 0, TAG_A);
    CHECK(z && z[0] == KN_FILL_BYTE, "HS-FILL-1");
    done(k);
}

/* Memory a freed block leaves behind is filled again when its slot is
 * reused, within a kernel and by the next kernel. */
static void HS_FILL_1_reused_memory_filled_again(void) {
    static const size_t sizes[] = {48, 5000, 100000, 3 << 20};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        size_t n = sizes[i];
        struct kernel_config cfg = {{1 << 24, 1 << 24}, 1, 0, 1};
        struct kernel *k = kernel_new(&cfg);
        kernel_bind(k);
        unsigned char *a = ExAllocatePoolWithTag(PagedPool, n, TAG_A);
        if (a)
            memset(a, 0, n);
        ExFreePool(a);
        ExFreePool(ExAllocatePoolWithTag(PagedPool, n, TAG_A)); /* a out */
        unsigned char *b = ExAllocatePoolWithTag(PagedPool, n, TAG_A);
        CHECK(b == a && filled(b, n), "HS-FILL-1"); /* a's slot, refilled */
        if (b)
            memset(b, 0, n);
        done(k);
        k = mk(1 << 24, 1 << 24);
        unsigned char *c = ExAllocatePoolWithTag(PagedPool, n, TAG_A);
        CHECK(c == a && filled(c, n), "HS-FILL-1"); /* the next kernel's */
        done(k);
    }
}

/* What a kernel leaves in its arena (blocks live, quarantined or freed,
 * slots filled exactly or not) never gets in the way of the next kernel:
 * under ASan, any poison left behind would trip the next fill or write. */
static void HS_FILL_1_next_kernel_starts_clean(void) {
    static const size_t first[] = {0, 16, 48, 100, 4096, 5000, 70000, 2 << 20};
    static const size_t then[] = {8, 80, 24, 200, 3000, 4097, 99999, 3 << 20};
    for (size_t r = 0; r < 2; r++) {
        struct kernel *k = mk(1 << 28, 1 << 28);
        const size_t *sz = r ? then : first;
        void *p[64];
        for (size_t i = 0; i < 64; i++)
            p[i] = ExAllocatePoolWithTag(i % 2 ? PagedPool : NonPagedPool,
                                         sz[i % 8], TAG_A);
        for (size_t i = 0; i < 64; i += 2)
            ExFreePool(p[i]);
        for (size_t i = 1; i < 64; i += 2) {
            unsigned char *c = p[i];
            CHECK(c && filled(c, sz[i % 8] ? sz[i % 8] : 1), "HS-FILL-1");
            if (c)
                memset(c, 0x11, sz[i % 8] ? sz[i % 8] : 1);
        }
        done(k); /* odd blocks left live: the kernel's end releases them */
    }
}

/* ---- KP-TYPE-1 ---- */

static void KP_TYPE_1_bad_types_refused(void) {
    struct kernel *k = mk(1000, 1000);
    kernel_set_irql(k, DISPATCH_LEVEL); /* no IRQL-1 for a type with no pool */
    static const int32_t bad[] = {2, 3, 6, 7, -1, 0x7fffffff};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK(ExAllocatePoolWithTag((POOL_TYPE)bad[i], 8, TAG_A) == NULL,
              "KP-TYPE-1");
        CHECK(ev(k, 0)->type == bad[i] && ev(k, 0)->pool == KN_NO_POOL,
              "KP-TYPE-1");
        CHECK(ev(k, 1)->type == bad[i] && ev(k, 1)->size == 8 &&
                  ev(k, 1)->tag == TAG_A,
              "KP-TYPE-1");
        EXPECT(k, "KP-TYPE-1", E_VIOL("KP-TYPE-1"), E_REFUSE(KN_RF_BAD_TYPE));
    }
    CHECK(ExAllocatePoolWithTag(NonPagedPool, 8, TAG_A) != NULL, "KP-TYPE-1");
    CHECK(ExAllocatePoolWithTag(NonPagedPoolCacheAligned, 8, TAG_A) != NULL,
          "KP-TYPE-1");
    EXPECT(k, "KP-TYPE-1", E_ALLOC, E_ALLOC);
    CHECK_EQ_U64(kernel_requests(k), 8, "KP-TYPE-1");
    CHECK_EQ_U64(kernel_used(k, KN_PAGED), 0, "KP-TYPE-1");
    done(k);
}

/* The pool-type table every check reads (vpcert/pool_types.h) states the
 * documented facts: the four valid numbers of the ABI, which pool backs
 * each, which are cache-aligned, and the text form's names. */
static void KP_TYPE_1_pool_type_table(void) {
    static const struct {
        long value;       /* VP_POOL_TYPE and POOL_TYPE */
        const char *name; /* text form */
        int paged;        /* backed by paged pool */
        unsigned align;   /* guaranteed below a page */
    } want[] = {{VpNonPagedPool, "nonpaged", 0, 16},
                {VpPagedPool, "paged", 1, 16},
                {VpNonPagedPoolCacheAligned, "nonpaged-cache", 0, 64},
                {VpPagedPoolCacheAligned, "paged-cache", 1, 64}};
    CHECK_EQ_U64(VPCERT_POOL_TYPE_COUNT, 4, "KP-TYPE-1");
    CHECK((long)NonPagedPool == VpNonPagedPool &&
              (long)PagedPool == VpPagedPool &&
              (long)NonPagedPoolCacheAligned == VpNonPagedPoolCacheAligned &&
              (long)PagedPoolCacheAligned == VpPagedPoolCacheAligned,
          "KP-TYPE-1");
    for (size_t i = 0; i < 4; i++) {
        const struct vpcert_pool_type *t = vpcert_pool_type_at(i);
        CHECK(t && t->value == want[i].value, "KP-TYPE-1");
        if (!t)
            continue;
        CHECK_STR(t->name, want[i].name, "KP-TYPE-1");
        CHECK(t->paged == want[i].paged, "AP-TYPE-1");
        CHECK(t->cache_aligned == (want[i].align == 64), "AP-ALIGN-1");
        CHECK_EQ_U64(t->align, want[i].align, "AP-ALIGN-1");
        CHECK(vpcert_pool_type_of(want[i].value) == t, "KP-TYPE-1");
        CHECK(vpcert_pool_type_index(want[i].value) == (int)i, "KP-TYPE-1");
        CHECK(vpcert_pool_type_paged(want[i].value) == want[i].paged,
              "AP-TYPE-2");
        CHECK(vpcert_pool_type_named(want[i].name, strlen(want[i].name)) == t,
              "KP-TYPE-1");
        CHECK(vpcert_pool_type_with(want[i].paged, want[i].align == 64) == t,
              "KP-TYPE-1");
    }
    CHECK(vpcert_pool_type_at(4) == NULL, "KP-TYPE-1");
    static const long bad[] = {2, 3, 6, 7, -1, 0x7fffffff};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK(vpcert_pool_type_of(bad[i]) == NULL, "KP-TYPE-1");
        CHECK(vpcert_pool_type_index(bad[i]) == -1, "KP-TYPE-1");
        CHECK(vpcert_pool_type_paged(bad[i]) == 0, "KP-TYPE-1");
    }
    CHECK(vpcert_pool_type_named("paged-cach", 10) == NULL, "KP-TYPE-1");
    CHECK(vpcert_pool_type_named("paged-cache ", 12) == NULL, "KP-TYPE-1");
    CHECK_EQ_U64(VPCERT_POOL_ALIGN, 16, "HS-ALIGN-1");
    CHECK_EQ_U64(VPCERT_POOL_CACHE_ALIGN, 64, "HS-ALIGN-1");
    CHECK_EQ_U64(VPCERT_POOL_PAGE, 4096, "HS-ALIGN-1");
}

/* ---- KP-ZERO-1 ---- */

static void KP_ZERO_1_zero_byte_note(void) {
    struct kernel *k = mk(1000, 1000);
    void *p = ExAllocatePoolWithTag(PagedPool, 0, TAG_A);
    CHECK(p != NULL, "KP-ZERO-1");
    CHECK(ev(k, 0)->size == 0 && ev(k, 0)->detail &&
              strstr(ev(k, 0)->detail, "0xC4"),
          "KP-ZERO-1");
    CHECK(ev(k, 1)->size == 0 && ev(k, 1)->addr == (uintptr_t)p, "KP-ZERO-1");
    EXPECT(k, "KP-ZERO-1", E_NOTE("KP-ZERO-1"), E_ALLOC);
    CHECK_EQ_U64(kernel_used(k, KN_PAGED), 1, "KP-ZERO-1");
    CHECK(ExAllocatePoolWithTag(NonPagedPool, 1, TAG_A) != NULL, "KP-ZERO-1");
    EXPECT(k, "KP-ZERO-1", E_ALLOC);
    ExFreePool(p);
    EXPECT(k, "KP-ZERO-1", E_FREE);
    CHECK_EQ_U64(kernel_used(k, KN_PAGED), 0, "KP-ZERO-1");
    done(k);
}

static void KP_ZERO_1_find_block_on_zero_size_blocks(void) {
    struct kernel *k = mk(1000, 1000);
    unsigned char *a = ExAllocatePoolWithTag(NonPagedPool, 0, TAG_A);
    unsigned char *b = ExAllocatePoolWithTag(NonPagedPool, 0, TAG_B);
    CHECK(a && b && a != b, "KP-ZERO-1");
    struct kernel_block_info bi = {0};
    CHECK(kernel_find_block(k, a, &bi) && bi.addr == (uintptr_t)a &&
              bi.size == 0 && bi.tag == TAG_A && bi.id == 1,
          "KP-ZERO-1");
    CHECK(kernel_find_block(k, b, &bi) && bi.addr == (uintptr_t)b &&
              bi.size == 0 && bi.tag == TAG_B && bi.id == 2,
          "KP-ZERO-1");
    CHECK(!kernel_find_block(k, a + 1, NULL), "KP-ZERO-1");
    CHECK(!kernel_find_block(k, a - 1, NULL), "KP-ZERO-1");
    CHECK(kernel_block_is_live(k, 1) && kernel_block_is_live(k, 2),
          "KP-ZERO-1");
    CHECK(!kernel_block_is_live(k, 0) && !kernel_block_is_live(k, 3),
          "KP-ZERO-1");
    ExFreePool(a);
    CHECK(!kernel_find_block(k, a, NULL) && !kernel_block_is_live(k, 1),
          "KP-ZERO-1");
    done(k);
}

/* ---- IRQL-1 ---- */

static void IRQL_1_paged_at_dispatch_flagged(void) {
    struct kernel *k = mk(1000, 1000);
    kernel_set_irql(k, DISPATCH_LEVEL);
    CHECK(KeGetCurrentIrql() == DISPATCH_LEVEL, "IRQL-1");
    void *pg = ExAllocatePoolWithTag(PagedPool, 8, TAG_A);
    void *pc = ExAllocatePoolWithTag(PagedPoolCacheAligned, 8, TAG_A);
    CHECK(pg && pc && ev(k, 0)->irql == DISPATCH_LEVEL, "IRQL-1");
    CHECK(ev(k, 1)->irql == DISPATCH_LEVEL, "IRQL-1");
    EXPECT(k, "IRQL-1", E_VIOL("IRQL-1"), E_ALLOC, E_VIOL("IRQL-1"), E_ALLOC);
    void *np = ExAllocatePoolWithTag(NonPagedPool, 8, TAG_A);
    void *nc = ExAllocatePoolWithTag(NonPagedPoolCacheAligned, 8, TAG_A);
    EXPECT(k, "IRQL-1", E_ALLOC, E_ALLOC);
    ExFreePool(pg);
    ExFreePoolWithTag(pc, TAG_A);
    EXPECT(k, "IRQL-1", E_VIOL("IRQL-1"), E_FREE, E_VIOL("IRQL-1"), E_FREE);
    ExFreePool(np);
    ExFreePoolWithTag(nc, TAG_A);
    EXPECT(k, "IRQL-1", E_FREE, E_FREE);
    kernel_set_irql(k, APC_LEVEL);
    CHECK(KeGetCurrentIrql() == APC_LEVEL, "IRQL-1");
    ExFreePool(ExAllocatePoolWithTag(PagedPool, 8, TAG_A));
    EXPECT(k, "IRQL-1", E_ALLOC, E_FREE);
    kernel_set_irql(k, 31);
    CHECK(ExAllocatePoolWithTag(PagedPool, 8, TAG_A) != NULL, "IRQL-1");
    CHECK(ev(k, 0)->irql == 31 && kernel_irql(k) == 31, "IRQL-1");
    EXPECT(k, "IRQL-1", E_VIOL("IRQL-1"), E_ALLOC);
    done(k);
}

/* ---- KP-FREE-1 ---- */

static void KP_FREE_1_foreign_pointer(void) {
    struct kernel *k = mk(1000, 1000);
    unsigned char stack[64];
    memset(stack, 0x5A, sizeof stack);
    unsigned char *heap = malloc(64);
    if (heap)
        memset(heap, 0x5A, 64);
    ExFreePool(stack);
    CHECK(ev(k, 0)->addr == (uintptr_t)stack && ev(k, 0)->block_id == 0,
          "KP-FREE-1");
    EXPECT(k, "KP-FREE-1", E_VIOL("KP-FREE-1"));
    ExFreePoolWithTag(heap, TAG_A);
    EXPECT(k, "KP-FREE-1", E_VIOL("KP-FREE-1"));
    CHECK(all_bytes(stack, sizeof stack, 0x5A), "KP-FREE-1");
    CHECK(heap && all_bytes(heap, 64, 0x5A), "KP-FREE-1");
    free(heap);
    CHECK_EQ_U64(kernel_quarantined(k), 0, "KP-FREE-1");
    done(k);
}

static void KP_FREE_1_interior_pointer(void) {
    struct kernel *k = mk(1000, 1000);
    unsigned char *p = ExAllocatePoolWithTag(NonPagedPool, 64, TAG_A);
    CHECK(p != NULL, "KP-FREE-1");
    if (!p) {
        done(k);
        return;
    }
    memset(p, 0x3C, 64);
    kernel_events_clear(k);
    ExFreePoolWithTag(p + 1, TAG_A);
    CHECK(ev(k, 0)->addr == (uintptr_t)(p + 1) && ev(k, 0)->block_id == 1,
          "KP-FREE-1");
    EXPECT(k, "KP-FREE-1", E_VIOL("KP-FREE-1"));
    ExFreePool(p + 63);
    EXPECT(k, "KP-FREE-1", E_VIOL("KP-FREE-1"));
    ExFreePool(p + 64); /* the guard: never handed out */
    CHECK(ev(k, 0)->block_id == 0, "KP-FREE-1");
    EXPECT(k, "KP-FREE-1", E_VIOL("KP-FREE-1"));
    CHECK(all_bytes(p, 64, 0x3C), "KP-FREE-1");
    CHECK(kernel_block_is_live(k, 1) && kernel_live_blocks(k) == 1,
          "KP-FREE-1");
    CHECK_EQ_U64(kernel_used(k, KN_NONPAGED), 64, "KP-FREE-1");
    CHECK_EQ_U64(kernel_check_guard(k, (uintptr_t)p), 1, "KP-FREE-1");
    EXPECT_NONE(k, "KP-FREE-1");
    ExFreePool(p);
    EXPECT(k, "KP-FREE-1", E_FREE);
    done(k);
}

static void KP_FREE_1_null(void) {
    struct kernel *k = mk(1000, 1000);
    ExFreePool(NULL);
    ExFreePoolWithTag(NULL, TAG_A);
    CHECK(ev(k, 0)->addr == 0 && ev(k, 1)->tag == TAG_A, "KP-FREE-1");
    EXPECT(k, "KP-FREE-1", E_VIOL("KP-FREE-1"), E_VIOL("KP-FREE-1"));
    done(k);
}

/* ---- KP-FREE-2 ---- */

static void KP_FREE_2_double_free(void) {
    struct kernel *k = mk(1000, 1000);
    unsigned char *p = ExAllocatePoolWithTag(PagedPool, 40, TAG_A);
    CHECK(ExAllocatePoolWithTag(PagedPool, 40, TAG_A) != NULL, "KP-FREE-2");
    ExFreePoolWithTag(p, TAG_A);
    EXPECT(k, "KP-FREE-2", E_ALLOC, E_ALLOC, E_FREE);
    CHECK_EQ_U64(kernel_used(k, KN_PAGED), 40, "KP-FREE-2");
    ExFreePoolWithTag(p, TAG_A);
    CHECK(ev(k, 0)->addr == (uintptr_t)p && ev(k, 0)->block_id == 1 &&
              ev(k, 0)->size == 40,
          "KP-FREE-2");
    EXPECT(k, "KP-FREE-2", E_VIOL("KP-FREE-2"));
    ExFreePool(p);
    ExFreePool(p + 8);
    EXPECT(k, "KP-FREE-2", E_VIOL("KP-FREE-2"), E_VIOL("KP-FREE-2"));
    CHECK_EQ_U64(kernel_used(k, KN_PAGED), 40, "KP-FREE-2");
    CHECK_EQ_U64(kernel_live_blocks(k), 1, "KP-FREE-2");
    CHECK_EQ_U64(kernel_quarantined(k), 1, "KP-FREE-2");
    done(k);
}

static void KP_FREE_2_quarantine_eviction(void) {
    struct kernel_config cfg = {{1 << 20, 1 << 20}, 4, 0, 1};
    struct kernel *k = kernel_new(&cfg);
    kernel_bind(k);
    void *p[10];
    for (int i = 0; i < 10; i++)
        p[i] = ExAllocatePoolWithTag(PagedPool, 32, TAG_A);
    for (int i = 0; i < 10; i++)
        ExFreePool(p[i]);
    CHECK_EQ_U64(kernel_quarantined(k), 4, "KP-FREE-2");
    kernel_events_clear(k);
    ExFreePool(p[0]); /* released to the host long ago */
    ExFreePool(p[5]);
    ExFreePool(p[6]); /* the four youngest are still quarantined */
    ExFreePool(p[9]);
    EXPECT(k, "KP-FREE-2", E_VIOL("KP-FREE-1"), E_VIOL("KP-FREE-1"),
           E_VIOL("KP-FREE-2"), E_VIOL("KP-FREE-2"));
    CHECK_EQ_U64(kernel_live_blocks(k), 0, "KP-FREE-2");
    done(k);
}

/* A huge freed block gives its pages back but keeps its address in the
 * quarantine: after 300 MiB of other frees (beyond the heap quarantine's
 * byte budget) its double free is still KP-FREE-2, and it holds no memory. */
static void KP_FREE_2_huge_block_stays_recognised(void) {
    struct kernel_config cfg = {{1ull << 34, 1ull << 34}, 0, 0, 1};
    struct kernel *k = kernel_new(&cfg);
    kernel_bind(k);
    void *huge = ExAllocatePoolWithTag(PagedPool, 5ull << 30, TAG_A);
    CHECK(huge != NULL, "KP-FREE-2");
    ExFreePool(huge);
    for (int i = 0; i < 300; i++) /* heap blocks of 1000 KiB */
        ExFreePool(ExAllocatePoolWithTag(PagedPool, 1000u << 10, TAG_A));
    kernel_events_clear(k);
    ExFreePool(huge);
    EXPECT(k, "KP-FREE-2", E_VIOL("KP-FREE-2"));
    done(k);
}

/* How a child that frees a block of size bytes and then reads its byte
 * `at` ends: 42 if it faulted, 43 if it read KN_POISON_BYTE, 44 anything
 * else (-1: it could not be run). */
static int read_after_free(int fast, size_t size, size_t at) {
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_fault;
        sigaction(SIGSEGV, &sa, NULL);
        sigaction(SIGBUS, &sa, NULL);
        struct kernel_config cfg = {{1ull << 34, 1ull << 34}, 0, 0, 1};
        struct kernel *k = kernel_new(&cfg);
        kernel_set_fast_free(k, fast);
        kernel_bind(k);
        volatile unsigned char *p =
            ExAllocatePoolWithTag(PagedPool, size, TAG_A);
        if (!p)
            _exit(1);
        p[at] = 7;
        ExFreePool((void *)p);
        _exit(p[at] == KN_POISON_BYTE ? 43 : 44);
    }
    int st = 0;
    if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
        return -1;
    return WEXITSTATUS(st);
}

/* A freed page-class block (1 MiB or more) is inaccessible while in the
 * quarantine: a use after free anywhere in it faults at once. With
 * fast_free its head reads 0xDD instead. */
static void KP_FREE_2_freed_huge_block_faults(void) {
    CHECK_EQ_U64(read_after_free(0, 2 << 20, 0), 42, "KP-FREE-2");
    CHECK_EQ_U64(read_after_free(0, 2 << 20, 1 << 20), 42, "KP-FREE-2");
    CHECK_EQ_U64(read_after_free(0, 5ull << 30, (5ull << 30) - 1), 42,
                 "KP-FREE-2");
    CHECK_EQ_U64(read_after_free(1, 2 << 20, 0), 43, "KP-FREE-2");
}

/* A freed page-class block's slot stays inaccessible after its kernel
 * goes; the next kernels carve the lane's other slots (one protection
 * change per free, none per kernel), and once every slot of the lane has
 * been left locked they are opened again together: every kernel's block
 * is accessible and filled, lies in the lane (the address repeats after a
 * lap), and a freed one still faults. */
static void KP_FREE_2_locked_slots_across_kernels(void) {
    enum { LAP = 128 }; /* KN_LANE_SLOTS */
    const size_t n = 3 << 20;
    unsigned char *seen[LAP];
    for (int i = 0; i < 3 * LAP; i++) {
        struct kernel *k = mk(1ull << 34, 1ull << 34);
        unsigned char *p = ExAllocatePoolWithTag(PagedPool, n, TAG_A);
        CHECK(p && filled(p, n), "KP-FREE-2");
        if (!p) {
            done(k);
            return;
        }
        p[0] = p[n / 2] = p[n - 1] = 1;
        if (i > 0) /* not the slot the last kernel left locked */
            CHECK(p != seen[(i - 1) % LAP], "KP-FREE-2");
        if (i >= 2 * LAP) /* the lane again, opened (after the first lap,
                             which earlier kernels' locked slots shorten) */
            CHECK(p == seen[i % LAP], "KP-FREE-2");
        seen[i % LAP] = p;
        ExFreePool(p);
        done(k);
    }
    CHECK_EQ_U64(read_after_free(0, n, n / 2), 42, "KP-FREE-2");
}

/* ---- KP-TAG-1 ---- */

static void KP_TAG_1_wrong_tag(void) {
    struct kernel *k = mk(1000, 1000);
    void *a = ExAllocatePoolWithTag(PagedPool, 8, TAG_A);
    void *b = ExAllocatePoolWithTag(PagedPool, 8, TAG_A);
    void *c = ExAllocatePoolWithTag(PagedPool, 8, TAG_A);
    kernel_events_clear(k);
    ExFreePoolWithTag(a, TAG_B);
    CHECK(ev(k, 0)->tag == TAG_B && ev(k, 0)->block_id == 1, "KP-TAG-1");
    EXPECT(k, "KP-TAG-1", E_VIOL("KP-TAG-1"), E_FREE);
    ExFreePoolWithTag(b, TAG_A);
    ExFreePool(c);
    CHECK(ev(k, 1)->tag == 0, "KP-TAG-1");
    EXPECT(k, "KP-TAG-1", E_FREE, E_FREE);
    CHECK_EQ_U64(kernel_live_blocks(k), 0, "KP-TAG-1");
    done(k);
}

/* A tag of 0 skips the comparison: ExFreePool(P) is ExFreePoolWithTag(P,
 * 0) in the kernel, and both are legal for a block of any tag. */
static void KP_TAG_1_zero_tag_skips_the_check(void) {
    struct kernel *k = mk(1000, 1000);
    void *a = ExAllocatePoolWithTag(PagedPool, 8, TAG_A);
    void *b = ExAllocatePoolWithTag(NonPagedPool, 8, TAG_B);
    void *c = ExAllocatePoolWithTag(PagedPool, 8, 0);
    kernel_events_clear(k);
    ExFreePoolWithTag(a, 0);
    ExFreePool(b);
    ExFreePoolWithTag(c, 0);
    EXPECT(k, "KP-TAG-1", E_FREE, E_FREE, E_FREE);
    CHECK_EQ_U64(kernel_live_blocks(k), 0, "KP-TAG-1");
    done(k);
}

/* PROTECTED_POOL (0x80000000): cleared on both sides before a non-zero
 * tag is compared; a tag of 0 is accepted for a protected block too. */
static void KP_TAG_1_protected_pool_bit(void) {
    struct kernel *k = mk(1000, 1000);
    const ULONG prot = TAG_A | KN_PROTECTED_POOL;
    void *a = ExAllocatePoolWithTag(PagedPool, 8, prot);
    void *b = ExAllocatePoolWithTag(PagedPool, 8, prot);
    void *c = ExAllocatePoolWithTag(PagedPool, 8, TAG_A);
    void *d = ExAllocatePoolWithTag(PagedPool, 8, prot);
    void *e = ExAllocatePoolWithTag(PagedPool, 8, prot);
    void *f = ExAllocatePoolWithTag(PagedPool, 8, prot);
    void *g = ExAllocatePoolWithTag(PagedPool, 8, TAG_A);
    kernel_events_clear(k);
    ExFreePoolWithTag(a, prot);
    ExFreePoolWithTag(b, TAG_A);
    ExFreePoolWithTag(c, prot);
    ExFreePool(d);
    ExFreePoolWithTag(e, 0);
    EXPECT(k, "KP-TAG-1", E_FREE, E_FREE, E_FREE, E_FREE, E_FREE);
    ExFreePoolWithTag(f, TAG_B | KN_PROTECTED_POOL);
    ExFreePoolWithTag(g, TAG_B);
    EXPECT(k, "KP-TAG-1", E_VIOL("KP-TAG-1"), E_FREE, E_VIOL("KP-TAG-1"),
           E_FREE);
    CHECK_EQ_U64(kernel_live_blocks(k), 0, "KP-TAG-1");
    done(k);
}

/* ---- KP-OVR-1 ---- */

static void KP_OVR_1_write_past_end(void) {
    struct kernel *k = mk(1000, 1000);
    unsigned char *p = ExAllocatePoolWithTag(NonPagedPool, 10, TAG_A);
    unsigned char *z = ExAllocatePoolWithTag(NonPagedPool, 0, TAG_A);
    unsigned char *q = ExAllocatePoolWithTag(PagedPool, 10, TAG_A);
    if (!p || !z || !q) {
        CHECK(0, "KP-OVR-1");
        done(k);
        return;
    }
    kernel_events_clear(k);
    p[9] = 0;
    z[0] = 0; /* a zero-byte block is served as one byte */
    CHECK_EQ_U64(kernel_check_guard(k, (uintptr_t)p), 1, "KP-OVR-1");
    CHECK_EQ_U64(kernel_check_guard(k, (uintptr_t)z), 1, "KP-OVR-1");
    CHECK_EQ_U64(kernel_check_all_guards(k), 0, "KP-OVR-1");
    EXPECT_NONE(k, "KP-OVR-1");
    p[10] = 0;
    q[10 + KN_GUARD_BYTES - 1] = 0;
    CHECK_EQ_U64(kernel_check_guard(k, (uintptr_t)p), 0, "KP-OVR-1");
    CHECK(ev(k, 0)->block_id == 1 && ev(k, 0)->size == 10, "KP-OVR-1");
    EXPECT(k, "KP-OVR-1", E_VIOL("KP-OVR-1"));
    CHECK_EQ_U64(kernel_check_all_guards(k), 2, "KP-OVR-1");
    CHECK(ev(k, 0)->block_id == 1 && ev(k, 1)->block_id == 3, "KP-OVR-1");
    EXPECT(k, "KP-OVR-1", E_VIOL("KP-OVR-1"), E_VIOL("KP-OVR-1"));
    CHECK_EQ_U64(kernel_check_guard(k, 1), (uint64_t)-1, "KP-OVR-1");
    ExFreePool(p);
    ExFreePool(z);
    EXPECT(k, "KP-OVR-1", E_VIOL("KP-OVR-1"), E_FREE, E_FREE);
    z = ExAllocatePoolWithTag(NonPagedPool, 0, TAG_A);
    if (z)
        z[1] = 0;
    ExFreePool(z);
    EXPECT(k, "KP-OVR-1", E_NOTE("KP-ZERO-1"), E_ALLOC, E_VIOL("KP-OVR-1"),
           E_FREE);
    done(k);
}

/* ---- KP-LEAK-1, KP-LEAK-2 ---- */

static void KP_LEAK_1_per_device(void) {
    struct kernel *k = mk(1000, 1000);
    kernel_set_device(k, 1);
    void *a = ExAllocatePoolWithTag(PagedPool, 8, TAG_A);
    void *b = ExAllocatePoolWithTag(NonPagedPool, 9, TAG_B);
    kernel_set_device(k, 2);
    void *c = ExAllocatePoolWithTag(PagedPool, 10, TAG_A);
    kernel_set_device(k, KN_NO_DEVICE);
    kernel_events_clear(k);
    CHECK_EQ_U64(kernel_report_device_leaks(k, 1), 2, "KP-LEAK-1");
    CHECK(ev(k, 0)->block_id == 1 && ev(k, 0)->addr == (uintptr_t)a &&
              ev(k, 0)->size == 8 && ev(k, 0)->tag == TAG_A &&
              ev(k, 0)->device == 1,
          "KP-LEAK-1");
    CHECK(ev(k, 1)->block_id == 2 && ev(k, 1)->size == 9 &&
              ev(k, 1)->tag == TAG_B,
          "KP-LEAK-1");
    EXPECT(k, "KP-LEAK-1", E_VIOL("KP-LEAK-1"), E_VIOL("KP-LEAK-1"));
    CHECK_EQ_U64(kernel_report_device_leaks(k, 2), 1, "KP-LEAK-1");
    CHECK(ev(k, 0)->block_id == 3 && ev(k, 0)->device == 2, "KP-LEAK-1");
    EXPECT(k, "KP-LEAK-1", E_VIOL("KP-LEAK-1"));
    CHECK_EQ_U64(kernel_report_device_leaks(k, 3), 0, "KP-LEAK-1");
    EXPECT_NONE(k, "KP-LEAK-1");
    ExFreePool(a);
    ExFreePool(b);
    kernel_events_clear(k);
    CHECK_EQ_U64(kernel_report_device_leaks(k, 1), 0, "KP-LEAK-1");
    EXPECT_NONE(k, "KP-LEAK-1");
    ExFreePool(c);
    CHECK_EQ_U64(kernel_report_device_leaks(k, 2), 0, "KP-LEAK-1");
    done(k);
}

static void KP_LEAK_2_all_devices(void) {
    struct kernel *k = mk(1000, 1000);
    kernel_set_device(k, 0);
    void *a = ExAllocatePoolWithTag(PagedPool, 8, TAG_A);
    kernel_set_device(k, 7);
    void *b = ExAllocatePoolWithTag(PagedPool, 8, TAG_A);
    ExFreePool(ExAllocatePoolWithTag(PagedPool, 8, TAG_A));
    kernel_set_device(k, KN_NO_DEVICE);
    void *c = ExAllocatePoolWithTag(NonPagedPool, 8, TAG_B);
    kernel_events_clear(k);
    CHECK_EQ_U64(kernel_report_all_leaks(k), 3, "KP-LEAK-2");
    CHECK(ev(k, 0)->block_id == 1 && ev(k, 0)->device == 0, "KP-LEAK-2");
    CHECK(ev(k, 1)->block_id == 2 && ev(k, 1)->device == 7, "KP-LEAK-2");
    CHECK(ev(k, 2)->block_id == 4 && ev(k, 2)->addr == (uintptr_t)c &&
              ev(k, 2)->device == KN_NO_DEVICE,
          "KP-LEAK-2");
    EXPECT(k, "KP-LEAK-2", E_VIOL("KP-LEAK-2"), E_VIOL("KP-LEAK-2"),
           E_VIOL("KP-LEAK-2"));
    ExFreePool(a);
    ExFreePool(b);
    ExFreePool(c);
    kernel_events_clear(k);
    CHECK_EQ_U64(kernel_report_all_leaks(k), 0, "KP-LEAK-2");
    EXPECT_NONE(k, "KP-LEAK-2");
    done(k);
}

/* ---- the shim itself ---- */

static void HS_INJ_1_event_ordering(void) {
    struct kernel *k = mk(1000, 1000);
    kernel_set_irql(k, DISPATCH_LEVEL);
    kernel_inject_next(k, 1);
    CHECK(ExAllocatePoolWithTag(PagedPool, 0, TAG_A) == NULL, "HS-INJ-1");
    EXPECT(k, "HS-INJ-1", E_VIOL("IRQL-1"), E_NOTE("KP-ZERO-1"),
           E_REFUSE(KN_RF_INJECT_NEXT));
    unsigned char *p = ExAllocatePoolWithTag(PagedPool, 0, TAG_A);
    EXPECT(k, "HS-INJ-1", E_VIOL("IRQL-1"), E_NOTE("KP-ZERO-1"), E_ALLOC);
    if (p)
        p[1] = 0x11;
    ExFreePoolWithTag(p, TAG_B);
    CHECK(ev(k, 3)->addr == (uintptr_t)p && ev(k, 3)->tag == TAG_B, "HS-INJ-1");
    EXPECT(k, "HS-INJ-1", E_VIOL("IRQL-1"), E_VIOL("KP-TAG-1"),
           E_VIOL("KP-OVR-1"), E_FREE);
    CHECK_EQ_U64(kernel_requests(k), 2, "HS-INJ-1");
    kernel_set_irql(k, PASSIVE_LEVEL);
    for (int i = 0; i < 200; i++) /* the log grows; clear keeps working */
        ExAllocatePoolWithTag(i % 3 ? PagedPool : (POOL_TYPE)2, 1, TAG_A);
    CHECK_EQ_U64(kernel_event_count(k), 200 + 67, "HS-INJ-1");
    CHECK_EQ_U64(kernel_requests(k), 202, "HS-INJ-1");
    CHECK(kernel_event_at(k, 267) == NULL, "HS-INJ-1");
    kernel_events_clear(k);
    CHECK_EQ_U64(kernel_event_count(k), 0, "HS-INJ-1");
    CHECK_EQ_U64(kernel_events_lost(k), 0, "HS-INJ-1");
    done(k);
}

static void HS_CAP_1_unbound_calls_are_safe(void) {
    struct kernel *k = mk(1000, 1000);
    kernel_set_irql(k, DISPATCH_LEVEL);
    kernel_bind(NULL);
    CHECK(kernel_bound() == NULL, "HS-CAP-1");
    unsigned char x = 7;
    CHECK(ExAllocatePoolWithTag(PagedPool, 8, TAG_A) == NULL, "HS-CAP-1");
    ExFreePool(&x);
    ExFreePoolWithTag(NULL, 0);
    CHECK(KeGetCurrentIrql() == PASSIVE_LEVEL && x == 7, "HS-CAP-1");
    CHECK_EQ_U64(kernel_requests(k), 0, "HS-CAP-1");
    EXPECT_NONE(k, "HS-CAP-1");
    kernel_bind(k);
    CHECK(kernel_bound() == k && KeGetCurrentIrql() == DISPATCH_LEVEL,
          "HS-CAP-1");
    kernel_delete(k); /* deleting the bound kernel unbinds it */
    CHECK(kernel_bound() == NULL, "HS-CAP-1");
    CHECK(ExAllocatePoolWithTag(NonPagedPool, 8, TAG_A) == NULL, "HS-CAP-1");
}

static void HS_CAP_1_delete_releases_everything(void) {
    struct kernel_config cfg = {{1 << 24, 1 << 24}, 3, 4096, 1};
    struct kernel *k = kernel_new(&cfg);
    kernel_bind(k);
    void *p[20];
    for (int i = 0; i < 20; i++)
        p[i] =
            ExAllocatePoolWithTag(i % 2 ? PagedPool : NonPagedPoolCacheAligned,
                                  (size_t)i * 700, TAG_A);
    for (int i = 0; i < 20; i += 3)
        ExFreePool(p[i]);
    CHECK_EQ_U64(kernel_live_blocks(k), 13, "HS-CAP-1");
    /* freed: 2 heap blocks (0 and 2100 bytes) and 5 mapped ones (4096 and
     * more), each kind kept up to quarantine_max = 3: 2 + 3 */
    CHECK_EQ_U64(kernel_quarantined(k), 5, "HS-CAP-1");
    done(k); /* LeakSanitizer fails the run if anything is left */
}

TEST_MAIN(TEST(KP_FREE_2_huge_block_stays_recognised),
          TEST(HS_CAP_1_exact_fit_then_refuse),
          TEST(HS_CAP_1_no_overflow_near_2_64), TEST(HS_CAP_1_block_above_4GiB),
          TEST(HS_CAP_1_host_limit_is_fixed),
          TEST(HS_ALIGN_1_16_64_4096_and_no_more), TEST(HS_INJ_1_next_n),
          TEST(HS_INJ_1_above_size), TEST(HS_INJ_1_by_tag),
          TEST(HS_INJ_1_clear), TEST(HS_FILL_1_fresh_blocks_not_zeroed),
          TEST(HS_FILL_1_reused_memory_filled_again),
          TEST(HS_FILL_1_next_kernel_starts_clean),
          TEST(KP_TYPE_1_bad_types_refused), TEST(KP_TYPE_1_pool_type_table),
          TEST(KP_ZERO_1_zero_byte_note),
          TEST(KP_ZERO_1_find_block_on_zero_size_blocks),
          TEST(IRQL_1_paged_at_dispatch_flagged),
          TEST(KP_FREE_1_foreign_pointer), TEST(KP_FREE_1_interior_pointer),
          TEST(KP_FREE_1_null), TEST(KP_FREE_2_double_free),
          TEST(KP_FREE_2_quarantine_eviction),
          TEST(KP_FREE_2_freed_huge_block_faults),
          TEST(KP_FREE_2_locked_slots_across_kernels), TEST(KP_TAG_1_wrong_tag),
          TEST(KP_TAG_1_zero_tag_skips_the_check),
          TEST(KP_TAG_1_protected_pool_bit), TEST(KP_OVR_1_write_past_end),
          TEST(KP_LEAK_1_per_device), TEST(KP_LEAK_2_all_devices),
          TEST(HS_INJ_1_event_ordering), TEST(HS_CAP_1_unbound_calls_are_safe),
          TEST(HS_CAP_1_delete_releases_everything))
