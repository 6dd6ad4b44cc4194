/*
 * test_trace: the executor's recording hook (exec_options.on_trace), which
 * certify's C reproducers are written from (tools/repro_c.c). Each check
 * is one a wrong record stream would break:
 *  - recording changes nothing: the same result with the hook as without;
 *  - every call is recorded before it is made and its return after, with
 *    the device, IRQL, size, pool type and tag it was made with, and the
 *    clause it is charged to; the starts and stops around the program are
 *    outside it (in_op 0);
 *  - the model's judgement follows each allocation, with the allowed sets
 *    both ways of a pool refusal (a pool refused under injection allows
 *    NULL, the same call unrefused does not: AP-RES-1);
 *  - contents written (FILL) are checked (VERIFY) with the same seed before
 *    the allocation is given back (BUF-4);
 *  - injections, the sweeps at a device's stop and at the end, and each
 *    finding with its clause (AB-OUT-2, a spy that leaves *Buffer) appear.
 */
#include "exec.h"
#include "testhelper.h"
#include "testprog.h"

#define MAX_RECORDS 512

static struct exec_trace rec[MAX_RECORDS]; /* what the hook was given */
static size_t nrec;                        /* how many */

static void on_trace(void *ctx, const struct exec_trace *t) {
    (void)ctx;
    if (nrec < MAX_RECORDS)
        rec[nrec++] = *t;
}

/* Run prog on impl, traced (1) or not (0). */
static int run(const struct impl *impl, int traced, struct exec_result *r) {
    struct exec_options o;
    exec_options_default(&o);
    if (traced) {
        nrec = 0;
        o.on_trace = on_trace;
    }
    return exec_run(&prog, impl, &o, r);
}

/* The index of the first record of kind from i on, or nrec. */
static size_t next(size_t i, unsigned kind) {
    while (i < nrec && rec[i].kind != kind)
        i++;
    return i;
}

static const char program[] =
    "pool paged 1M\npool nonpaged 1M\ndevice 0 quota 8192\n"
    "alloc_buffer dev=0 size=100\n"
    "alloc_pool dev=0 type=nonpaged size=64 tag='Abcd' irql=dispatch\n"
    "inject next=1\n"
    "alloc_pool dev=0 type=paged size=32 tag='Efgh' irql=passive\n"
    "inject clear\n"
    "touch index=0\n"
    "release_buffer index=0\n";

static void same_result_traced_or_not(void) {
    struct impl impl;
    struct exec_result a, b;
    impl_builtin(&impl);
    CHECK(parse(program) == 0, "trace");
    int ra = run(&impl, 0, &a), rb = run(&impl, 1, &b);
    CHECK(ra == rb && a.nfindings == b.nfindings && a.steps == b.steps &&
              a.ops_run == b.ops_run,
          "trace");
    CHECK(nrec > 0 && nrec < MAX_RECORDS, "trace");
}

static void calls_and_returns(void) {
    struct impl impl;
    struct exec_result r;
    unsigned calls = 0, in_op = 0;
    impl_builtin(&impl);
    CHECK(parse(program) == 0, "trace");
    run(&impl, 1, &r);
    CHECK(rec[0].kind == EXEC_TR_CALL && rec[0].call == EXEC_CALL_START &&
              rec[0].in_op == 0 && rec[0].size == 8192,
          "DEV-1");
    for (size_t i = 0; i < nrec; i++) {
        if (rec[i].kind != EXEC_TR_CALL)
            continue;
        calls++;
        in_op += rec[i].in_op;
        size_t j = next(i + 1, EXEC_TR_RETURN);
        CHECK(j < nrec && next(i + 1, EXEC_TR_CALL) > j &&
                  rec[j].call == rec[i].call,
              "trace");
        CHECK(rec[i].clause[0] != 0, "trace"); /* charged to a clause */
    }
    /* start, 4 calls of the program and the release vpcert makes of the
     * block left, stop */
    CHECK_EQ_U64(calls, 7, "trace");
    CHECK_EQ_U64(in_op, 4, "trace");
    size_t p = next(0, EXEC_TR_CALL);
    while (p < nrec && rec[p].call != EXEC_CALL_ALLOC_POOL)
        p = next(p + 1, EXEC_TR_CALL);
    CHECK(p < nrec && rec[p].irql == DISPATCH_LEVEL && rec[p].size == 64 &&
              rec[p].pool_type == NonPagedPool &&
              rec[p].tag == VPCERT_TAG('A', 'b', 'c', 'd'),
          "AP-RES-1");
}

static void judgements_and_injections(void) {
    struct impl impl;
    struct exec_result r;
    impl_builtin(&impl);
    CHECK(parse(program) == 0, "trace");
    run(&impl, 1, &r);
    size_t inj = next(0, EXEC_TR_INJECT);
    CHECK(inj < nrec && rec[inj].inject == PROG_INJ_NEXT && rec[inj].value == 1,
          "trace");
    size_t judge = next(inj, EXEC_TR_JUDGE);
    CHECK(judge < nrec && rec[judge].refused == 1, "AP-RES-1");
    /* refused: NULL allowed; had nothing been refused, only a block */
    CHECK(judge < nrec && (rec[judge].allowed & 2u) &&
              !(rec[judge].allowed_other & 2u),
          "AP-RES-1");
    CHECK(next(judge, EXEC_TR_INJECT) < nrec, "trace"); /* the clear */
}

static void contents_and_sweeps(void) {
    struct impl impl;
    struct exec_result r;
    impl_builtin(&impl);
    CHECK(parse(program) == 0, "trace");
    run(&impl, 1, &r);
    size_t fill = next(0, EXEC_TR_FILL);
    size_t verify = next(fill, EXEC_TR_VERIFY);
    CHECK(fill < nrec && verify < nrec && rec[verify].ptr == rec[fill].ptr &&
              rec[verify].seed == rec[fill].seed && rec[fill].size == 100,
          "BUF-4");
    size_t sweep = next(0, EXEC_TR_SWEEP), last = sweep;
    while (last < nrec && next(last + 1, EXEC_TR_SWEEP) < nrec)
        last = next(last + 1, EXEC_TR_SWEEP);
    CHECK(sweep < nrec && rec[sweep].dev == 0, "KP-LEAK-1");
    CHECK(last < nrec && rec[last].dev == EXEC_TRACE_END, "KP-LEAK-1");
}

/* Spy: refuses every request as over the quota and leaves *Buffer as it
 * was (AB-OUT-2). */
static VP_STATUS unchanged_alloc(PVOID ext, ULONG size, PVOID *buf) {
    (void)ext, (void)size, (void)buf;
    return ERROR_INSUFFICIENT_BUFFER;
}

static void findings(void) {
    struct impl impl;
    struct exec_result r;
    impl_builtin(&impl);
    impl.alloc_buffer = unchanged_alloc;
    CHECK(parse("device 0 quota 10\nalloc_buffer dev=0 size=11\n") == 0,
          "AB-OUT-2");
    run(&impl, 1, &r);
    size_t f = next(0, EXEC_TR_FINDING);
    CHECK(r.nfindings == 1 && f < nrec, "AB-OUT-2");
    CHECK(f < nrec && strcmp(rec[f].clause, r.f[0].clause) == 0 &&
              strcmp(rec[f].clause, "AB-OUT-2") == 0 && rec[f].flag == 0,
          "AB-OUT-2");
}

TEST_MAIN(TEST(same_result_traced_or_not), TEST(calls_and_returns),
          TEST(judgements_and_injections), TEST(contents_and_sweeps),
          TEST(findings))
