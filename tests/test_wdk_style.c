/*
 * test_wdk_style: runs tests/wdk_style.c, driver code written against the
 * WDK that compiled against include/vpcert/video.h with no edits, over the
 * kernel stand-in: every call works, nothing is reported, nothing is left,
 * and its debug output and its bug check arrive as they should.
 */
#include <setjmp.h>

#include "kernel.h"
#include "testhelper.h"
#include "wdk_style.h"

static jmp_buf back;
static void escape(void *ctx) {
    (void)ctx;
    longjmp(back, 1);
}

static struct kernel *start(void) {
    struct kernel_config cfg = {{1 << 20, 1 << 20}, 0, 0, 1};
    struct kernel *k = kernel_new(&cfg);
    kernel_bind(k);
    return k;
}

/* Nothing reported, nothing live, PASSIVE_LEVEL. */
static void clean(struct kernel *k, const char *clause) {
    size_t bad = 0;
    for (size_t i = 0; i < kernel_event_count(k); i++)
        bad += kernel_event_at(k, i)->kind == KN_EV_VIOLATION ||
               kernel_event_at(k, i)->kind == KN_EV_FATAL;
    CHECK_EQ_U64(bad, 0, clause);
    CHECK_EQ_U64(kernel_live_blocks(k), 0, clause);
    CHECK_EQ_U64(kernel_locks_held(k), 0, clause);
    CHECK_EQ_U64(kernel_lookaside_live(k), 0, clause);
    CHECK(kernel_irql(k) == PASSIVE_LEVEL, clause);
}

static void HS_ZERO_1_wdk_pool_calls(void) {
    struct kernel *k = start();
    CHECK(SampleExercisePool() == STATUS_SUCCESS, "HS-ZERO-1");
    clean(k, "HS-ZERO-1");
    kernel_bind(NULL);
    kernel_delete(k);
}

static void LK_1_wdk_lock_calls(void) {
    static SAMPLE_CONTEXT context;
    struct kernel *k = start();
    CHECK(SampleExerciseLocks(&context) == STATUS_SUCCESS, "LK-1");
    CHECK(context.Count == 1, "LK-1");
    CHECK_EQ_U64(kernel_end_call(k, PASSIVE_LEVEL), 0, "LK-3");
    clean(k, "LK-1");
    kernel_bind(NULL);
    kernel_delete(k);
}

static void HS_LL_1_wdk_lookaside_calls(void) {
    static SAMPLE_CONTEXT context;
    struct kernel *k = start();
    CHECK(SampleExerciseLookaside(&context) == STATUS_SUCCESS, "HS-LL-1");
    CHECK(context.Paged.L.TotalAllocates == 8 &&
              context.Paged.L.FreeMisses == 4,
          "HS-LL-1");
    clean(k, "HS-LL-1");
    kernel_bind(NULL);
    kernel_delete(k);
}

static void HS_DBG_1_wdk_debug_output(void) {
    char text[KN_DEBUG_MAX];
    struct kernel *k = start();
    SamplePrint(42);
    kernel_debug_text(k, text, sizeof text);
    CHECK_STR(text, "sample: value 42\nsample: ex\nsample: video 3\n",
              "HS-DBG-1");
    kernel_bind(NULL);
    kernel_delete(k);
}

static void BC_1_wdk_bug_check(void) {
    struct kernel *k = start();
    int ended = 0;
    kernel_set_escape(k, escape, NULL);
    if (setjmp(back) == 0)
        SampleCrash(7);
    else
        ended = 1;
    CHECK(ended, "BC-1");
    CHECK(kernel_fatal(k)->code == 0xDEAD0001 &&
              kernel_fatal(k)->param[0] == 7 && kernel_fatal(k)->param[3] == 4,
          "BC-1");
    kernel_bind(NULL);
    kernel_delete(k);
}

TEST_MAIN(TEST(HS_ZERO_1_wdk_pool_calls), TEST(LK_1_wdk_lock_calls),
          TEST(HS_LL_1_wdk_lookaside_calls), TEST(HS_DBG_1_wdk_debug_output),
          TEST(BC_1_wdk_bug_check))
