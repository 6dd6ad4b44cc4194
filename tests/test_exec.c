/*
 * test_exec: the executor's own guarantees, with spy implementations that
 * wrap the built-in shim and record what vpcert does as the caller.
 *  CO-2  AllocateBuffer/ReleaseBuffer are always called at PASSIVE_LEVEL,
 *        even right after a pool call at DISPATCH_LEVEL.
 *  CO-6  vpcert writes only within Size bytes: buffers placed flush against
 *        the end of their block never see their guard bytes broken, at the
 *        full-write and the head/tail-window sizes.
 *  ICS-1 a declared service that is not exported is reported.
 *  And: a SHOULD finding does not stop the run, a MUST finding does; an
 *  unmet `expect` cites the clause on its line; signatures are stable.
 */
#include "clauses.h"
#include "exec.h"
#include "finding.h"
#include "kernel.h"
#include "testhelper.h"
#include "testprog.h"

static int bad_irql_calls; /* spy: service calls not at PASSIVE_LEVEL */
static int calls;          /* spy: service calls seen */

static VP_STATUS spy_alloc(PVOID ext, ULONG size, PVOID *buf) {
    calls++;
    bad_irql_calls += KeGetCurrentIrql() != PASSIVE_LEVEL;
    return VideoPortAllocateBuffer(ext, size, buf);
}

static VOID spy_release(PVOID ext, PVOID buf) {
    calls++;
    bad_irql_calls += KeGetCurrentIrql() != PASSIVE_LEVEL;
    VideoPortReleaseBuffer(ext, buf);
}

/* Flush buffers: exactly Size bytes from the pool and no header, so the
 * buffer ends where the block's guard bytes begin. */
static VP_STATUS flush_alloc(PVOID ext, ULONG size, PVOID *buf) {
    (void)ext;
    PVOID p =
        ExAllocatePoolWithTag(PagedPool, size, VPCERT_TAG('D', 'f', 'l', 's'));
    *buf = p;
    return p ? NO_ERROR : ERROR_NOT_ENOUGH_MEMORY;
}
static VOID flush_release(PVOID ext, PVOID buf) {
    (void)ext;
    ExFreePoolWithTag(buf, VPCERT_TAG('D', 'f', 'l', 's'));
}

static int run(const struct impl *impl, struct exec_result *r) {
    struct exec_options o;
    exec_options_default(&o);
    return exec_run(&prog, impl, &o, r);
}

static void CO_2_buffer_calls_at_passive(void) {
    struct impl impl;
    struct exec_result r;
    impl_builtin(&impl);
    impl.alloc_buffer = spy_alloc;
    impl.release_buffer = spy_release;
    CHECK(parse("alloc_pool dev=0 type=nonpaged size=64 irql=dispatch\n"
                "alloc_buffer dev=0 size=100\n"
                "free_pool index=0 irql=dispatch\n"
                "release_buffer index=0\n"
                "alloc_pool dev=0 type=nonpaged-cache size=8 irql=dispatch\n"
                "alloc_buffer dev=0 size=1\n") == 0,
          "CO-2");
    bad_irql_calls = calls = 0;
    CHECK(run(&impl, &r) == 0, "CO-2");
    CHECK(calls == 4, "CO-2"); /* 2 allocations, 2 releases (one at stop) */
    CHECK(bad_irql_calls == 0, "CO-2");
}

static void CO_6_writes_stay_within_size(void) {
    struct impl impl;
    struct exec_result r;
    memset(&impl, 0, sizeof impl);
    impl.name = "flush";
    impl.alloc_buffer = flush_alloc;
    impl.release_buffer = flush_release;
    /* 1 byte, an odd size, the full-write limit (8 KiB), and sizes written
     * as head/tail windows above it. */
    CHECK(parse("pool paged 8M\n"
                "alloc_buffer dev=0 size=1\nalloc_buffer dev=0 size=4097\n"
                "alloc_buffer dev=0 size=8192\nalloc_buffer dev=0 size=65536\n"
                "alloc_buffer dev=0 size=300001\n"
                "touch index=0\ntouch index=1\ntouch index=2\ntouch index=3\n"
                "touch index=4\n") == 0,
          "CO-6");
    CHECK(run(&impl, &r) == 0, "CO-6");
    CHECK_EQ_U64(r.nfindings, 0, "CO-6");
    for (uint32_t i = 0; i < r.nfindings; i++)
        fprintf(stderr, "  [%s] %s\n", r.f[i].clause, r.f[i].observed);
}

static void ICS_1_missing_service_reported(void) {
    struct impl impl;
    impl_builtin(&impl);
    CHECK(impl_missing(&impl, SVC_ALL) == 0, "ICS-1");
    impl.alloc_pool = NULL;
    CHECK(impl_missing(&impl, SVC_ALL) == SVC_ALLOCATE_POOL, "ICS-1");
    CHECK(impl_missing(&impl, SVC_ALLOCATE_BUFFER | SVC_RELEASE_BUFFER) == 0,
          "ICS-1");
}

static VP_STATUS keep_pointer_alloc(PVOID ext, ULONG size, PVOID *buf) {
    VP_STATUS st = VideoPortAllocateBuffer(ext, size, buf);
    if (st != NO_ERROR)
        return st; /* the shim writes NULL; keep it (AB-OUT-2 holds) */
    return st;
}

static VP_STATUS no_null_alloc(PVOID ext, ULONG size, PVOID *buf) {
    PVOID keep = *buf;
    VP_STATUS st = VideoPortAllocateBuffer(ext, size, buf);
    if (st != NO_ERROR)
        *buf = keep; /* SHOULD broken: AB-OUT-2 */
    return st;
}

static void exec_should_does_not_stop_must_does(void) {
    struct impl impl;
    struct exec_result r;
    impl_builtin(&impl);
    impl.alloc_buffer = no_null_alloc;
    CHECK(parse("device 0 quota 10\nalloc_buffer dev=0 size=11\n"
                "alloc_buffer dev=0 size=11\nalloc_buffer dev=0 size=10\n") ==
              0,
          "AB-OUT-2");
    CHECK(run(&impl, &r) == 1, "AB-OUT-2");
    CHECK(r.nfindings == 1 && !r.must_failed, "AB-OUT-2"); /* once per clause */
    CHECK_STR(r.f[0].clause, "AB-OUT-2", "AB-OUT-2");
    CHECK_EQ_U64(r.ops_run, 3, "AB-OUT-2"); /* the run went on */
}

/* An `expect` line the implementation does not meet, while the model
 * allows what it did, breaks no clause: it is counted, never a finding,
 * and never charged to the clause the line cites. */
static void exec_unmet_expect_is_no_finding(void) {
    struct impl impl;
    struct exec_result r;
    impl_builtin(&impl);
    CHECK(parse("pool paged 1K\ndevice 0 quota 10\n"
                "alloc_buffer dev=0 size=10 expect=NO_ERROR clause=QU-2\n"
                "alloc_buffer dev=0 size=1 expect=NO_ERROR clause=QU-3\n"
                "alloc_buffer dev=0 size=1\n"
                "release_buffer index=0\n"
                "inject next=1\n"
                "alloc_buffer dev=0 size=4 expect=NO_ERROR clause=QU-2\n") == 0,
          "QU-3");
    CHECK(run(&impl, &r) == 0 && r.nfindings == 0, "QU-3");
    CHECK_EQ_U64(r.ops_run, 6, "QU-3");
    CHECK_EQ_U64(r.expect_met, 1, "QU-3");
    CHECK_EQ_U64(r.expect_unmet, 2, "QU-3"); /* 122 correct; 8 refused */
    CHECK_EQ_U64(r.first_unmet.op, 1, "QU-3");
    CHECK(r.first_unmet.expected == 1u << PROG_EX_NO_ERROR &&
              r.first_unmet.observed == PROG_EX_INSUFFICIENT_BUFFER &&
              !r.first_unmet.pool_refused,
          "QU-3");
    /* a result the model rejects is its finding, on the clause broken */
    impl.alloc_buffer = keep_pointer_alloc;
    CHECK(parse("device 0 quota 10\nalloc_buffer dev=0 size=11 "
                "expect=ERROR_INSUFFICIENT_BUFFER clause=AB-RES-1\n") == 0,
          "QU-3");
    struct exec_options o;
    exec_options_default(&o);
    o.ics.quota_enabled = 0; /* no quota declared: 122 breaks AB-RES-4 */
    CHECK(exec_run(&prog, &impl, &o, &r) == 1 && r.must_failed, "AB-RES-4");
    CHECK_STR(r.f[0].clause, "AB-RES-4", "AB-RES-4");
}

/* Asks the pool for Size bytes and gives the block back, then lets the
 * shim decide: under quota-first the pool was asked for an over-quota
 * request, granted or refused (QU-8). */
#define ASK_TAG VPCERT_TAG('D', 'a', 's', 'k')
static VP_STATUS asks_pool_first(PVOID ext, ULONG size, PVOID *buf) {
    PVOID p = ExAllocatePoolWithTag(PagedPool, size ? size : 1, ASK_TAG);
    if (p)
        ExFreePoolWithTag(p, ASK_TAG);
    return VideoPortAllocateBuffer(ext, size, buf);
}

static void QU_8_pool_asked_when_it_refuses(void) {
    struct impl impl;
    struct exec_result r;
    impl_builtin(&impl);
    impl.alloc_buffer = asks_pool_first;
    /* Only a refused pool request shows that the pool was asked. */
    CHECK(parse("device 0 quota 10\ninject next=1\nalloc_buffer dev=0 "
                "size=11\n") == 0,
          "QU-8");
    CHECK(run(&impl, &r) == 1 && !r.must_failed, "QU-8");
    CHECK(r.nfindings == 1 && strcmp(r.f[0].clause, "QU-8") == 0, "QU-8");
    /* ... and a granted one, freed again, too. */
    CHECK(parse("device 0 quota 10\nalloc_buffer dev=0 size=11\n") == 0,
          "QU-8");
    CHECK(run(&impl, &r) == 1 && r.nfindings == 1, "QU-8");
    CHECK_STR(r.f[0].clause, "QU-8", "QU-8");
    /* Not when the request fits. */
    CHECK(parse("device 0 quota 10\nalloc_buffer dev=0 size=10\n") == 0,
          "QU-8");
    CHECK(run(&impl, &r) == 0, "QU-8");
}

/* The end-of-run sweeps (KP-LEAK-2, and KP-OVR-1 over every live block)
 * catch what no device call can leave behind: blocks allocated outside any
 * service call. The on_step hook makes one, with the kernel stand-in
 * bound and no device in context. */
static int hook_mode; /* 1: leak a block, 2: also overrun it, 3: free it */
static void leave_block(void *ctx, const struct exec_step *s) {
    (void)ctx;
    if (s->op != 0 || !hook_mode)
        return;
    unsigned char *p = ExAllocatePoolWithTag(NonPagedPool, 24, ASK_TAG);
    if (p && hook_mode == 2)
        p[24] = 0; /* the first guard byte */
    if (p && hook_mode == 3)
        ExFreePoolWithTag(p, ASK_TAG);
}

static void KP_LEAK_2_end_of_run_sweeps(void) {
    struct impl impl;
    struct exec_result r;
    struct exec_options o;
    impl_builtin(&impl);
    exec_options_default(&o);
    o.on_step = leave_block;
    CHECK(parse("alloc_buffer dev=0 size=8\nrelease_buffer index=0\n") == 0,
          "KP-LEAK-2");
    hook_mode = 1;
    CHECK(exec_run(&prog, &impl, &o, &r) == 1 && r.must_failed, "KP-LEAK-2");
    CHECK_STR(r.f[0].clause, "KP-LEAK-2", "KP-LEAK-2");
    CHECK_EQ_U64(r.f[0].op, prog.nops, "KP-LEAK-2"); /* at the end */
    hook_mode = 2;
    CHECK(exec_run(&prog, &impl, &o, &r) == 1 && r.must_failed, "KP-OVR-1");
    CHECK_STR(r.f[0].clause, "KP-OVR-1", "KP-OVR-1");
    CHECK_EQ_U64(r.f[0].op, prog.nops, "KP-OVR-1");
    hook_mode = 3; /* control: nothing left behind */
    CHECK(exec_run(&prog, &impl, &o, &r) == 0, "KP-LEAK-2");
    hook_mode = 0;
}

static void exec_signature_is_stable(void) {
    struct exec_finding a = {"QU-2", 0, 3, "NO_ERROR", "status 122", "x"};
    struct exec_finding b = {"QU-2", 0, 9, "NO_ERROR", "status 122", "y"};
    char sa[128], sb[128];
    exec_signature(&a, sa, sizeof sa);
    exec_signature(&b, sb, sizeof sb);
    CHECK_STR(sa, sb, "QU-2");
    CHECK_STR(sa, "QU-2:status-vs-NO_ERROR", "QU-2");
    struct exec_finding c = {"BUF-3",
                             0,
                             4,
                             "disjoint from every live allocation",
                             "[0x7f10, +16) overlaps [0x7f00, 0x7f20)",
                             "z"};
    exec_signature(&c, sa, sizeof sa);
    CHECK_STR(sa, "BUF-3:overlaps-vs-disjoint_from_every_live_allocation",
              "BUF-3");
}

/* A finding written by exec_finding_format reads back, field by field,
 * through exec_finding_parse (fuzz_diff writes, `vpcert fuzz` reads). */
static void exec_finding_text_round_trip(void) {
    struct exec_finding f = {"KP-FREE-1",
                             SPEC_SHOULD,
                             17,
                             "no pool rule broken: [0x10, +16)",
                             "double free at 0x7f10: tag 'Dtst'; size 16",
                             "freed twice: once here, once at op 3 (a: b)"};
    struct exec_finding_text t, back;
    char text[1200];
    const char *end;
    prog_init(&prog);
    prog.nops = 20;
    prog.ops[17].code = PROG_OP_FREE_POOL;
    exec_finding_describe(&f, &prog, &t);
    CHECK_STR(t.op_name, "free_pool", "KP-FREE-1");
    size_t n = exec_finding_format(&t, "  ", text, sizeof text - 8);
    CHECK(n < sizeof text - 8, "KP-FREE-1");
    const char *head = "[KP-FREE-1] SHOULD at op 17 (free_pool): expected no "
                       "pool rule broken: [0x10, +16); observed double free "
                       "at 0x7f10: tag 'Dtst'; size 16\n  freed twice: ";
    CHECK(strncmp(text, head, strlen(head)) == 0, "KP-FREE-1");
    strcat(text, "rest");
    CHECK(exec_finding_parse(text, "  ", &back, &end) == 0, "KP-FREE-1");
    CHECK_STR(end, "rest", "KP-FREE-1");
    CHECK_STR(back.f.clause, f.clause, "KP-FREE-1");
    CHECK_EQ_U64(back.f.level, SPEC_SHOULD, "KP-FREE-1");
    CHECK_EQ_U64(back.f.op, 17, "KP-FREE-1");
    CHECK_STR(back.op_name, "free_pool", "KP-FREE-1");
    CHECK_STR(back.f.expected, f.expected, "KP-FREE-1");
    CHECK_STR(back.f.observed, f.observed, "KP-FREE-1");
    CHECK_STR(back.f.detail, f.detail, "KP-FREE-1");
    CHECK_STR(back.signature, t.signature, "KP-FREE-1");
    /* what would break the block is written so that it reads back */
    snprintf(t.f.expected, sizeof t.f.expected, "a; observed b");
    snprintf(t.f.detail, sizeof t.f.detail, "line\nbreak");
    exec_finding_format(&t, "# ", text, sizeof text);
    CHECK(exec_finding_parse(text, "# ", &back, NULL) == 0, "KP-FREE-1");
    CHECK_STR(back.f.expected, "a, observed b", "KP-FREE-1");
    CHECK_STR(back.f.observed, f.observed, "KP-FREE-1");
    CHECK_STR(back.f.detail, "line break", "KP-FREE-1");
    /* not a block: refused */
    CHECK(exec_finding_parse(text, "  ", &back, NULL) != 0, "KP-FREE-1");
    text[strlen(text) - 1] = 0; /* the signature line cut short */
    CHECK(exec_finding_parse(text, "# ", &back, NULL) != 0, "KP-FREE-1");
    CHECK(exec_finding_parse("[QU-2] OFTEN at op 1 (x): expected a; "
                             "observed b\n  d\n  signature s\n",
                             "  ", &back, NULL) != 0,
          "KP-FREE-1");
}

TEST_MAIN(TEST(CO_2_buffer_calls_at_passive),
          TEST(CO_6_writes_stay_within_size),
          TEST(ICS_1_missing_service_reported),
          TEST(exec_finding_text_round_trip),
          TEST(exec_should_does_not_stop_must_does),
          TEST(exec_unmet_expect_is_no_finding),
          TEST(QU_8_pool_asked_when_it_refuses),
          TEST(KP_LEAK_2_end_of_run_sweeps), TEST(exec_signature_is_stable))
