/*
 * test_text: the program formats. Binary decoding is total and canonical;
 * text round-trips exactly; syntax errors name FILE:LINE:COL; newer
 * versions are reported, not misread; the ICS parser and its errors.
 */
#include "clauses.h"
#include "ics.h"
#include "impl.h"
#include "program.h"
#include "testhelper.h"
#include "vpm.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

static struct program a, b;

/* Programs are equal in their header and their nops operations (what
 * lies beyond nops is not part of a program). Every reader memsets each
 * operation it adds, so padding compares equal too. */
static int same(const struct program *x, const struct program *y) {
    return memcmp(x, y, offsetof(struct program, ops)) == 0 &&
           memcmp(x->ops, y->ops, x->nops * sizeof x->ops[0]) == 0;
}

/* Binary -> program -> text -> program -> binary: the canonical fixpoint. */
static void roundtrip_bytes(const uint8_t *data, size_t len) {
    static uint8_t bin1[1 << 16], bin2[1 << 16];
    static char text[1 << 18];
    char err[256];
    if (prog_decode(data, len, &a) != PROG_DECODE_OK)
        return;
    size_t n1 = prog_encode(&a, bin1, sizeof bin1);
    CHECK(prog_decode(bin1, n1, &b) == PROG_DECODE_OK && same(&a, &b),
          "FORMAT");
    size_t n2 = prog_encode(&b, bin2, sizeof bin2);
    CHECK(n1 == n2 && memcmp(bin1, bin2, n1) == 0, "FORMAT");
    size_t tn = prog_text_write(&a, text, sizeof text);
    CHECK(tn < sizeof text, "FORMAT");
    int rc = prog_text_parse(text, tn, "rt", &b, err, sizeof err);
    CHECK(rc == 0, "FORMAT");
    if (rc != 0)
        fprintf(stderr, "%s\n%s\n", err, text);
    CHECK(same(&a, &b), "FORMAT");
}

static void format_decode_is_total_and_canonical(void) {
    uint8_t buf[512];
    uint32_t s = 12345;
    for (int iter = 0; iter < 20000; iter++) {
        size_t len = (size_t)(iter % 300);
        for (size_t i = 0; i < len; i++) {
            s = s * 1103515245u + 12345u;
            buf[i] = (uint8_t)(s >> 16);
        }
        if (len)
            buf[0] = (uint8_t)(buf[0] % 4); /* versions 0 to 3 */
        roundtrip_bytes(buf, len);
    }
    roundtrip_bytes((const uint8_t *)"", 0);
}

static void format_newer_version_reported(void) {
    uint8_t v4[] = {4, 0, 0};
    char err[256];
    CHECK(prog_decode(v4, sizeof v4, &a) == PROG_DECODE_NEWER, "FORMAT");
    const char *t = "vpcert 4\nalloc_buffer dev=0 size=1\n";
    CHECK(prog_text_parse(t, strlen(t), "new.vpt", &a, err, sizeof err) != 0,
          "FORMAT");
    CHECK(strstr(err, "new.vpt:1:8:") != NULL, "FORMAT");
    CHECK(strstr(err, "newer") != NULL, "FORMAT");
}

/* Version 1 bytes keep their meaning: bit 6 of a head and the high bits of
 * an expect byte are ignored there, and mean repeat and per-choice
 * outcomes only under version 2. */
static void format_version_1_bytes_keep_their_meaning(void) {
    /* head 0x40 | alloc_buffer, size selector 5 (8 bytes); head 0x80 |
     * alloc_buffer, size 5, expect byte 0x31 (flags none, pool-first;
     * outcome 1), clause 0xFF, then (v2 only) two outcome bytes */
    uint8_t v1[] = {1, 0, 0, 0, 0, 0x40, 5, 0x80, 5, 0x31, 0xFF, 2, 1};
    CHECK(prog_decode(v1, sizeof v1, &a) == PROG_DECODE_OK, "FORMAT");
    CHECK(a.nops >= 2 && a.ops[0].code == PROG_OP_ALLOC_BUFFER &&
              a.ops[1].expect == PROG_EX_NOT_ENOUGH_MEMORY &&
              !a.ops[1].expect_alt[PROG_CH_NONE],
          "FORMAT");
    /* version 2: head 0x40 is a repeat (2 bytes: 1 operation, clamped to
     * the 0 before it; times selector 2), then the expect byte's flags */
    uint8_t v2[] = {2, 0, 0, 0, 0, 0x40, 1, 0, 2, 0x80, 5, 0x31, 0xFF, 2, 1};
    CHECK(prog_decode(v2, sizeof v2, &a) == PROG_DECODE_OK, "FORMAT");
    CHECK(
        a.nops == 2 && a.ops[0].code == PROG_OP_REPEAT && a.ops[0].index == 0 &&
            a.ops[1].expect_alt[PROG_CH_NONE] == PROG_EX_INSUFFICIENT_BUFFER &&
            a.ops[1].expect_alt[PROG_CH_POOL_FIRST] ==
                PROG_EX_NOT_ENOUGH_MEMORY,
        "FORMAT");
    /* the writers use the oldest version that can say it */
    uint8_t out[64];
    CHECK(prog_encode(&a, out, sizeof out) > 0 && out[0] == 2, "FORMAT");
    a.nops = 0;
    CHECK(prog_encode(&a, out, sizeof out) > 0 && out[0] == 1, "FORMAT");
}

/* Version 3: thread and yield records and the priority byte; version 2
 * bytes keep their meaning (any head with bit 6 is a repeat there). */
static void format_version_3_threads(void) {
    /* v2: 0x41 and 0x42 are repeats (2 operand bytes, times selector) */
    uint8_t v2[] = {2, 0, 0, 0, 0, 0x41, 0, 0, 0, 0x42, 0, 0, 0};
    CHECK(prog_decode(v2, sizeof v2, &a) == PROG_DECODE_OK && a.nops == 2 &&
              a.ops[0].code == PROG_OP_REPEAT &&
              a.ops[1].code == PROG_OP_REPEAT,
          "FORMAT");
    /* v3, priority 1 (0 1 3 2): alloc_buffer (size selector 5); thread
     * record 2; alloc_buffer; yields 3 and 5; touch; a yield (dropped:
     * touch makes no call); thread record 0; stop */
    uint8_t v3[] = {3,    0, 0,    0,    0,    1,    0x00, 5,    0x49,
                    0x00, 5, 0x4E, 0x56, 0x04, 0x00, 0x4A, 0x41, 0x07};
    CHECK(prog_decode(v3, sizeof v3, &a) == PROG_DECODE_OK, "FORMAT");
    CHECK(a.nops == 4 && a.ops[0].thread == 0 && a.ops[1].thread == 2 &&
              a.ops[1].yield == (1u << 3 | 1u << 5) && a.ops[2].thread == 2 &&
              a.ops[2].code == PROG_OP_TOUCH && a.ops[2].yield == 0 &&
              a.ops[3].code == PROG_OP_STOP && a.ops[3].thread == 0,
          "FORMAT");
    CHECK(a.priority[0] == 0 && a.priority[1] == 1 && a.priority[2] == 3 &&
              a.priority[3] == 2,
          "FORMAT");
    CHECK_EQ_U64(prog_threads(&a), 3, "FORMAT");
    /* canonical: the dropped yield and the thread record of a stop (which
     * runs on no thread) are not written */
    uint8_t out[64];
    size_t n = prog_encode(&a, out, sizeof out);
    CHECK(n == sizeof v3 - 2 && memcmp(out, v3, 15) == 0 && out[15] == 0x07,
          "FORMAT");
    roundtrip_bytes(v3, sizeof v3);
    /* the text form says the same */
    const char *t = "vpcert 3\nthreads 3 1\ndevice 0 quota 64\n"
                    "alloc_buffer dev=0 size=8 thread=1 yield=0,15\n"
                    "inject next=2 thread=3\nrelease_buffer index=0\n";
    char err[256], text[512];
    CHECK(prog_text_parse(t, strlen(t), "t.vpt", &a, err, sizeof err) == 0,
          "FORMAT");
    CHECK(a.priority[0] == 3 && a.priority[1] == 1 && a.priority[2] == 0 &&
              a.priority[3] == 2 && a.ops[0].thread == 1 &&
              a.ops[0].yield == (1u | 1u << 15) && a.ops[1].thread == 3,
          "FORMAT");
    prog_text_write(&a, text, sizeof text);
    CHECK(strstr(text, "threads 3 1 0 2\n") &&
              strstr(text, "thread=1 yield=0,15\n") &&
              strstr(text, "inject next=2 thread=3\n") &&
              strncmp(text, "vpcert 3\n", 9) == 0,
          "FORMAT");
    /* every permutation has its number, and back */
    for (unsigned k = 0; k < 24; k++) {
        uint8_t order[PROG_MAX_THREADS];
        prog_priority_of(k, order);
        CHECK_EQ_U64(prog_priority_number(order), k, "FORMAT");
    }
}

/* repeat: the operations before it, again; nested; capped in steps. */
static void format_repeat_runs_in_order(void) {
    const char *t = "alloc_buffer dev=0 size=1\n" /* 0 */
                    "touch index=0\n"             /* 1 */
                    "repeat last=1 times=2\n"     /* 2: 1 1 */
                    "release_buffer index=0\n"    /* 3 */
                    "repeat last=4 times=1\n"     /* 4: 0 1 1 1 3 */
                    "repeat last=0 times=9\n";    /* 5: nothing */
    char err[256];
    CHECK(prog_text_parse(t, strlen(t), "r.vpt", &a, err, sizeof err) == 0,
          "FORMAT");
    static const int64_t want[] = {0, 1, 1, 1, 3, 0, 1, 1, 1, 3, -1};
    struct prog_run run;
    CHECK(prog_run_init(&run, &a, PROG_MAX_STEPS) == 0, "FORMAT");
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        CHECK(prog_run_next(&run) == want[i], "FORMAT");
    prog_run_fini(&run);
    CHECK_EQ_U64(prog_run_length(&a, PROG_MAX_STEPS), 10, "FORMAT");
    /* visits are steps: 3 of them reach op 1 once */
    CHECK_EQ_U64(prog_run_length(&a, 3), 2, "FORMAT");
    const char *big = "alloc_buffer dev=0 size=1\nrepeat last=1 times=262144\n"
                      "repeat last=1 times=262144\n";
    CHECK(prog_text_parse(big, strlen(big), "b.vpt", &a, err, sizeof err) == 0,
          "FORMAT");
    CHECK(prog_run_length(&a, PROG_MAX_STEPS) < PROG_MAX_STEPS, "FORMAT");
    /* operations removed before a repeat (a minimizer): it repeats what
     * precedes it, in the text written too */
    const char *cut = "touch index=0\ntouch index=0\nrepeat last=2 times=3\n";
    CHECK(prog_text_parse(cut, strlen(cut), "c.vpt", &a, err, sizeof err) == 0,
          "FORMAT");
    a.ops[0] = a.ops[2];
    a.nops = 1;
    prog_normalize(&a);
    CHECK(a.ops[0].code == PROG_OP_REPEAT && a.ops[0].index == 0, "FORMAT");
    /* text round trip with per-choice outcomes */
    const char *alt = "alloc_buffer dev=0 size=0 expect=NO_ERROR "
                      "expect@reject=ERROR_INVALID_PARAMETER clause=ZERO-3\n"
                      "repeat last=1 times=70000\n";
    static char text[4096];
    CHECK(prog_text_parse(alt, strlen(alt), "a.vpt", &a, err, sizeof err) == 0,
          "FORMAT");
    size_t n = prog_text_write(&a, text, sizeof text);
    CHECK(strncmp(text, "vpcert 2\n", 9) == 0, "FORMAT");
    CHECK(prog_text_parse(text, n, "w.vpt", &b, err, sizeof err) == 0 &&
              same(&a, &b),
          "FORMAT");
}

static void expect_error(const char *text, const char *where) {
    char err[256] = "";
    int rc =
        prog_text_parse(text, strlen(text), "bad.vpt", &a, err, sizeof err);
    CHECK(rc != 0, "FORMAT");
    CHECK(strncmp(err, where, strlen(where)) == 0, "FORMAT");
    if (strncmp(err, where, strlen(where)) != 0)
        fprintf(stderr, "  got: %s (wanted %s)\n", err, where);
}

static void format_errors_name_file_line_column(void) {
    expect_error("alloc_bufer dev=0\n", "bad.vpt:1:1:");
    expect_error("# c\nalloc_buffer dev=0 size=x\n", "bad.vpt:2:25:");
    expect_error("alloc_buffer dev=3 size=1\n", "bad.vpt:1:18:");
    expect_error("alloc_buffer size=0x100000000\n", "bad.vpt:1:1:");
    expect_error("alloc_pool type=paged irql=dispatch\n", "bad.vpt:1:1:");
    expect_error("alloc_buffer size=quota+40\n", "bad.vpt:1:");
    expect_error("alloc_buffer size=1 expect=block\n", "bad.vpt:1:");
    expect_error("alloc_buffer size=1 expect=NO_ERROR clause=XX-1\n",
                 "bad.vpt:1:");
    expect_error("touch index=1\ndevice 0 quota 1\n", "bad.vpt:2:1:");
    expect_error("device 1 quota 5\n", "bad.vpt:1:8:");
    expect_error("inject next=0\n", "bad.vpt:1:");
    expect_error("release_buffer index=256\n", "bad.vpt:1:");
    expect_error("touch index=0\nrepeat last=2 times=1\n", "bad.vpt:2:13:");
    expect_error("repeat times=262145\n", "bad.vpt:1:14:");
    expect_error("repeat count=1\n", "bad.vpt:1:8:");
    expect_error("alloc_pool size=1 expect=block expect@none=null\n",
                 "bad.vpt:1:32:");
    expect_error("alloc_buffer size=1 expect@none=NO_ERROR\n", "bad.vpt:1:1:");
    expect_error("alloc_buffer size=1 expect=NO_ERROR expect@quota=NO_ERROR\n",
                 "bad.vpt:1:44:");
    expect_error("alloc_buffer size=1 thread=4\n", "bad.vpt:1:28:");
    expect_error("alloc_buffer size=1 yield=16\n", "bad.vpt:1:27:");
    expect_error("alloc_buffer size=1 yield=2,2\n", "bad.vpt:1:29:");
    expect_error("touch index=0 yield=1\n", "bad.vpt:1:15:");
    expect_error("stop dev=0 thread=1\n", "bad.vpt:1:12:");
    expect_error("threads 1 1\n", "bad.vpt:1:11:");
    expect_error("touch index=0\nthreads 1\n", "bad.vpt:2:1:");
    expect_error("inject next=1 thread=9\n", "bad.vpt:1:22:");
}

static void format_text_symbolic_sizes(void) {
    const char *t = "device 0 quota 4096\nalloc_buffer dev=0 size=quota-1\n"
                    "alloc_pool dev=0 type=nonpaged-cache size=nonpaged+31 "
                    "tag='Dvpb' irql=dispatch expect=null clause=AP-RES-1\n"
                    "alloc_buffer dev=0 size=4K\n";
    char err[256];
    CHECK(prog_text_parse(t, strlen(t), "ok.vpt", &a, err, sizeof err) == 0,
          "FORMAT");
    CHECK(a.nops == 3 && a.quota[0] == 4096, "FORMAT");
    CHECK(a.ops[0].size.kind == PROG_SZ_QUOTA && a.ops[0].size.delta == -1,
          "FORMAT");
    CHECK(a.ops[1].pool_type == 4 && a.ops[1].dispatch == 1, "FORMAT");
    CHECK(a.ops[1].tag == VPCERT_TAG('D', 'v', 'p', 'b'), "FORMAT");
    CHECK(a.ops[1].expect == PROG_EX_NULL, "FORMAT");
    CHECK_STR(spec_clause_at(a.ops[1].clause)->id, "AP-RES-1", "FORMAT");
    CHECK_EQ_U64(a.ops[2].size.value, 4096, "FORMAT");
}

/* What a program holds, in the clause table's EXERCISED words. */
static void format_program_holds(void) {
    static const struct {
        const char *text; /* program */
        unsigned has;     /* prog_holds */
    } rows[] = {
        {"touch index=0\nfree_pool index=0\nrelease_buffer index=0\n", 0},
        {"alloc_buffer dev=0 size=1\n", SPEC_HAS_BUFFER},
        {"alloc_pool dev=0 type=paged size=1\n", SPEC_HAS_POOL},
        {"alloc_pool dev=0 type=nonpaged size=1 irql=dispatch\n",
         SPEC_HAS_POOL | SPEC_HAS_DISPATCH},
        {"stop dev=0\nstart dev=0\n", SPEC_HAS_START},
        {"inject next=1\n", SPEC_HAS_INJECT},
        {"device 0 quota 5\ndevice 1 quota 5\ntouch index=0\n",
         SPEC_HAS_DEVICES},
        {"device 0 quota 5\ndevice 1 quota 5\ninject clear\nalloc_buffer dev=1 "
         "size=2\n",
         SPEC_HAS_DEVICES | SPEC_HAS_INJECT | SPEC_HAS_BUFFER},
        {"touch index=0 thread=1\n", SPEC_HAS_THREADS}};
    char err[256];
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const char *t = rows[i].text;
        CHECK(prog_text_parse(t, strlen(t), "h.vpt", &a, err, sizeof err) == 0,
              "FORMAT");
        CHECK_EQ_U64(prog_holds(&a), rows[i].has, "FORMAT");
    }
}

static void ics_keys_and_defaults(void) {
    struct ics ics;
    char err[256];
    const char *t =
        "# c\nquota = none\nquota-order=pool-first # x\n"
        "services = AllocateBuffer, ReleaseBuffer\nzero-size = reject\n";
    CHECK(ics_parse(t, strlen(t), "a.ics", &ics, err, sizeof err) == 0,
          "ICS-1");
    CHECK(ics.quota_enabled == 0 && ics.quota_first == 0, "ICS-1");
    CHECK(ics.services == (SVC_ALLOCATE_BUFFER | SVC_RELEASE_BUFFER), "ICS-1");
    CHECK(ics.zero_size == VPM_ZERO_REJECT, "ICS-1");
    CHECK(ics_parse("", 0, "e.ics", &ics, err, sizeof err) == 0, "ICS-1");
    CHECK(ics.quota_enabled == 1 && ics.quota_first == 1 &&
              ics.services == SVC_ALL && ics.zero_size == VPM_ZERO_ANY &&
              ics.thread_safe == 0,
          "ICS-1");
    const char *c = "concurrency = thread-safe\n";
    CHECK(ics_parse(c, strlen(c), "c.ics", &ics, err, sizeof err) == 0 &&
              ics.thread_safe == 1,
          "CO-7");
    c = "concurrency = serialized\n";
    CHECK(ics_parse(c, strlen(c), "c.ics", &ics, err, sizeof err) == 0 &&
              ics.thread_safe == 0,
          "CO-7");
    c = "concurrency = parallel\n";
    CHECK(ics_parse(c, strlen(c), "c.ics", &ics, err, sizeof err) != 0 &&
              strncmp(err, "c.ics:1:15:", 11) == 0,
          "CO-7");
    /* the CONC clauses apply only to what is declared thread-safe, and a
     * vector with threads only runs there */
    const struct spec_clause *conc = spec_clause_find("CONC-1");
    ics_default(&ics);
    CHECK(conc && ics_not_applicable(&ics, conc) != NULL, "CONC-1");
    const char *vt = "alloc_buffer dev=0 size=1\ntouch index=0 thread=1\n";
    CHECK(prog_text_parse(vt, strlen(vt), "v.vpt", &a, err, sizeof err) == 0 &&
              !ics_vector_applies(&ics, &a, NULL),
          "CO-7");
    ics.thread_safe = 1;
    CHECK(ics_not_applicable(&ics, conc) == NULL, "CONC-1");
    CHECK(ics_vector_applies(&ics, &a, NULL), "CO-7");
    char w[256];
    ics_write(&ics, w, sizeof w);
    CHECK(strstr(w, "concurrency = thread-safe\n") != NULL, "CO-7");
}

/* The outcome an expect line states under each ICS choice. */
static void ics_expected_outcome_per_choice(void) {
    struct ics ics;
    struct prog_op op;
    memset(&op, 0, sizeof op);
    op.code = PROG_OP_ALLOC_BUFFER;
    ics_default(&ics);
    CHECK(ics_expected(&ics, &op) == 0, "QU-7"); /* no expect line */
    op.expect = PROG_EX_INSUFFICIENT_BUFFER;
    op.expect_alt[PROG_CH_POOL_FIRST] = PROG_EX_NOT_ENOUGH_MEMORY;
    op.expect_alt[PROG_CH_NONE] = PROG_EX_NO_ERROR;
    CHECK(ics_expected(&ics, &op) == 1u << PROG_EX_INSUFFICIENT_BUFFER, "QU-7");
    ics.quota_first = 0;
    CHECK(ics_expected(&ics, &op) == 1u << PROG_EX_NOT_ENOUGH_MEMORY, "QU-7");
    ics.quota_enabled = 0; /* quota = none overrides the order */
    CHECK(ics_expected(&ics, &op) == 1u << PROG_EX_NO_ERROR, "QU-7");
    memset(&op, 0, sizeof op);
    op.code = PROG_OP_ALLOC_BUFFER;
    op.expect = PROG_EX_NO_ERROR;
    op.expect_alt[PROG_CH_REJECT] = PROG_EX_INVALID_PARAMETER;
    ics_default(&ics);
    CHECK(ics_expected(&ics, &op) ==
              (1u << PROG_EX_NO_ERROR | 1u << PROG_EX_INVALID_PARAMETER),
          "ZERO-3");
    ics.zero_size = VPM_ZERO_REJECT;
    CHECK(ics_expected(&ics, &op) == 1u << PROG_EX_INVALID_PARAMETER, "ZERO-3");
    ics.zero_size = VPM_ZERO_ALLOCATE;
    CHECK(ics_expected(&ics, &op) == 1u << PROG_EX_NO_ERROR, "ZERO-3");
}

static void ics_errors_name_file_line_column(void) {
    struct ics ics;
    char err[256];
    const char *dup = "quota = none\nquota = none\n";
    CHECK(ics_parse(dup, strlen(dup), "d.ics", &ics, err, sizeof err) != 0,
          "ICS-1");
    CHECK(strncmp(err, "d.ics:2:1: duplicate", 20) == 0, "ICS-1");
    const char *unk = "colour = blue\n";
    CHECK(ics_parse(unk, strlen(unk), "u.ics", &ics, err, sizeof err) != 0,
          "ICS-1");
    CHECK(strstr(err, "u.ics:1:") && strstr(err, "unknown key"), "ICS-1");
    const char *bad = "quota = sometimes\n";
    CHECK(ics_parse(bad, strlen(bad), "b.ics", &ics, err, sizeof err) != 0,
          "ICS-1");
    CHECK(strncmp(err, "b.ics:1:9:", 10) == 0, "ICS-1");
    const char *nobuf = "services = AllocatePool\n";
    CHECK(ics_parse(nobuf, strlen(nobuf), "s.ics", &ics, err, sizeof err) != 0,
          "ICS-1");
}

TEST_MAIN(TEST(format_decode_is_total_and_canonical),
          TEST(format_newer_version_reported),
          TEST(format_version_1_bytes_keep_their_meaning),
          TEST(format_repeat_runs_in_order), TEST(format_version_3_threads),
          TEST(format_errors_name_file_line_column),
          TEST(format_text_symbolic_sizes), TEST(format_program_holds),
          TEST(ics_keys_and_defaults), TEST(ics_errors_name_file_line_column),
          TEST(ics_expected_outcome_per_choice))
