/*
 * test_lost_events: a lost event is vpcert's error, never a pass. Built
 * against a kernel stand-in whose event log holds one event between clears
 * (VPCERT_TEST_KERNEL_EVENTS_MAX=1, the _lossy variant in
 * tests/CMakeLists.txt): a call that makes two events loses one, and the
 * run must end as EXEC_ERR_HOST, whatever the implementation did.
 */
#include "exec.h"
#include "testhelper.h"
#include "testprog.h"

/* The pool services straight through to the kernel stand-in. */
static PVOID pass_alloc_pool(PVOID ext, VP_POOL_TYPE type, SIZE_T n,
                             ULONG tag) {
    (void)ext;
    return ExAllocatePoolWithTag((POOL_TYPE)type, n, tag);
}

static VOID pass_free_pool(PVOID ext, PVOID p) {
    (void)ext;
    ExFreePool(p);
}

static int run(const char *text, struct exec_result *r) {
    struct impl impl;
    struct exec_options o;
    if (parse(text) != 0)
        return -2;
    impl_builtin(&impl);
    impl.alloc_pool = pass_alloc_pool;
    impl.free_pool = pass_free_pool;
    exec_options_default(&o);
    return exec_run(&prog, &impl, &o, r);
}

static void lost_event_is_vpcert_error(void) {
    struct exec_result r;
    /* one event per call: nothing lost, the run is judged */
    CHECK(run("alloc_pool dev=0 type=nonpaged size=8\nfree_pool index=0\n",
              &r) == 0,
          "HS-CAP-1");
    CHECK(r.error == EXEC_OK && r.ops_run == 2, "HS-CAP-1");
    /* a zero-byte request makes a KP-ZERO-1 note and the allocation: the
     * second event is lost */
    CHECK(run("alloc_pool dev=0 type=nonpaged size=0\n", &r) == -1,
          "KP-ZERO-1");
    CHECK(r.error == EXEC_ERR_HOST && r.nfindings == 0, "KP-ZERO-1");
    CHECK(strstr(r.error_text, "could not record 1 events") != NULL,
          "KP-ZERO-1");
}

TEST_MAIN(TEST(lost_event_is_vpcert_error))
