/*
 * test_cases: the case families are what issue 15 asks of them, and a
 * conforming implementation passes every program of every family.
 *   scale       a device holds >= 4,096 live buffers (and, with the pool
 *               services, >= 4,096 live blocks) in one program, and a
 *               program runs >= 10,000 operations
 *   sizes       every 2^k +- d (k = 0..32, d in {0,1,8,16,32,64}) and every
 *               size in 4096 +- 64 is allocated as a buffer (up to
 *               0xFFFFFFFF) and as a block of each pool type
 *   quotas      quotas 0, 1, 2^32 +- d, 2^63, 2^64 - 2 and unlimited
 *   exhaustive  every 1-letter program is there; duplicates were removed
 *   every family: deterministic, no program over PROG_MAX_OPS, and no
 *   finding at all on the built-in shim and on the buffer-only build of
 *   impls/ics_matrix.c (given as the argument).
 *
 * usage: test_cases MATRIX_BUFFER_ONLY_SO
 */
#include "cases.h"
#include "exec.h"
#include "testhelper.h"

#include <stdint.h>

/* ---- what the programs hold ---- */

#define MAX_SIZES 4096u

struct seen {
    uint64_t sizes[2][MAX_SIZES]; /* [0] buffers, [1] blocks of type 0..5 */
    uint8_t types[MAX_SIZES];     /* pool types seen per block size (bits) */
    unsigned nsizes[2];           /* sizes recorded */
    uint64_t quotas[64];          /* device 0 quotas */
    unsigned nquotas;             /* recorded */
    unsigned programs;            /* emitted */
    unsigned too_long;            /* programs past PROG_MAX_OPS */
    uint64_t hash;                /* of every program's bytes, in order */
};

static void note_size(struct seen *s, int blk, uint64_t v, unsigned type) {
    unsigned i = 0;
    while (i < s->nsizes[blk] && s->sizes[blk][i] != v)
        i++;
    if (i == s->nsizes[blk] && i < MAX_SIZES)
        s->sizes[blk][s->nsizes[blk]++] = v;
    if (blk && i < MAX_SIZES)
        s->types[i] |= (uint8_t)(1u << type);
}

static int has_size(const struct seen *s, int blk, uint64_t v, unsigned types) {
    for (unsigned i = 0; i < s->nsizes[blk]; i++)
        if (s->sizes[blk][i] == v)
            return !blk || (s->types[i] & types) == types;
    return 0;
}

static int collect(void *ctx, enum cases_family f, const char *name,
                   const struct program *p) {
    struct seen *s = ctx;
    static uint8_t bin[1 << 16];
    (void)f;
    (void)name;
    s->programs++;
    s->too_long += p->nops > PROG_MAX_OPS;
    if (s->nquotas < 64)
        s->quotas[s->nquotas++] = p->quota[0];
    for (uint32_t i = 0; i < p->nops; i++) {
        const struct prog_op *op = &p->ops[i];
        if (op->size.kind == PROG_SZ_LITERAL &&
            (op->code == PROG_OP_ALLOC_BUFFER ||
             op->code == PROG_OP_ALLOC_POOL))
            note_size(s, op->code == PROG_OP_ALLOC_POOL, op->size.value,
                      op->pool_type);
    }
    size_t n = prog_encode(p, bin, sizeof bin);
    for (size_t i = 0; i < n && i < sizeof bin; i++)
        s->hash = (s->hash ^ bin[i]) * 0x100000001B3ull;
    return 0;
}

static int keep_program(void *ctx, enum cases_family f, const char *name,
                        const struct program *p) {
    (void)f, (void)name;
    *(struct program *)ctx = *p;
    return 0;
}

static void family(enum cases_family f, int pool, struct seen *s) {
    struct cases_options o = {pool, 7, 20, 20};
    memset(s, 0, sizeof *s);
    s->hash = 0xCBF29CE484222325ull;
    CHECK(cases_generate(f, &o, collect, s) == 0, "FORMAT");
    CHECK(s->programs > 0 && s->too_long == 0, "FORMAT");
    struct seen again;
    memset(&again, 0, sizeof again);
    again.hash = 0xCBF29CE484222325ull;
    cases_generate(f, &o, collect, &again);
    CHECK(again.programs == s->programs && again.hash == s->hash, "FORMAT");
}

static void cases_sizes_cover_every_class(void) {
    static struct seen s;
    static const unsigned d[6] = {0, 1, 8, 16, 32, 64};
    family(CASES_SIZES, 1, &s);
    for (unsigned k = 0; k <= 32; k++)
        for (unsigned i = 0; i < 6; i++)
            for (int sign = -1; sign <= 1; sign += 2) {
                uint64_t base = 1ull << k;
                if (sign < 0 && d[i] > base)
                    continue;
                uint64_t v = sign < 0 ? base - d[i] : base + d[i];
                CHECK(has_size(&s, 1, v, 0x33), "AP-RES-2"); /* 0 1 4 5 */
                if (v <= 0xFFFFFFFFull)
                    CHECK(has_size(&s, 0, v, 0), "BUF-2");
            }
    for (uint64_t v = 4096 - 64; v <= 4096 + 64; v++)
        CHECK(has_size(&s, 0, v, 0) && has_size(&s, 1, v, 0x33), "BUF-2");
    family(CASES_SIZES, 0, &s); /* without the pool services: no blocks */
    CHECK(s.nsizes[1] == 0 && s.nsizes[0] > 400, "BUF-2");
}

static void cases_quotas_at_the_edges(void) {
    static struct seen s;
    static const uint64_t want[] = {0,
                                    1,
                                    (1ull << 32) - 64,
                                    (1ull << 32) - 1,
                                    1ull << 32,
                                    (1ull << 32) + 1,
                                    (1ull << 32) + 8,
                                    (1ull << 32) + 64,
                                    1ull << 63,
                                    UINT64_MAX - 1,
                                    PROG_QUOTA_UNLIMITED};
    family(CASES_QUOTAS, 1, &s);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        int found = 0;
        for (unsigned j = 0; j < s.nquotas; j++)
            found |= s.quotas[j] == want[i];
        CHECK(found, "QU-6");
    }
}

static void cases_exhaustive_without_duplicates(void) {
    static struct seen with, without;
    family(CASES_EXHAUSTIVE, 1, &with);
    family(CASES_EXHAUSTIVE, 0, &without);
    /* 12 letters (9 without the pool): 12 + 144 + 1728 programs of up to 3,
     * 5^4 of 4 letters, fewer once duplicates are gone; buffers only has
     * fewer still */
    printf("exhaustive: %u programs (%u without the pool services)\n",
           with.programs, without.programs);
    CHECK(with.programs > 300 && with.programs < 12 + 144 + 1728 + 625,
          "FORMAT");
    CHECK(without.programs > 100 && without.programs < with.programs, "FORMAT");
}

/* ---- a conforming implementation passes every family ---- */

static VP_STATUS (*real_alloc)(PVOID, ULONG, PVOID *);
static VOID (*real_release)(PVOID, PVOID);
static PVOID (*real_pool)(PVOID, VP_POOL_TYPE, SIZE_T, ULONG);
static VOID (*real_free)(PVOID, PVOID);
/* Live buffers and blocks per device (by extension), and the most seen
 * live on one device. */
static PVOID exts[PROG_MAX_DEVICES];
static long live_bufs[PROG_MAX_DEVICES], live_blks[PROG_MAX_DEVICES];
static long max_bufs, max_blks;

static unsigned dev_of(PVOID e) {
    unsigned i = 0;
    while (i < PROG_MAX_DEVICES && exts[i] && exts[i] != e)
        i++;
    if (i == PROG_MAX_DEVICES)
        return 0;
    exts[i] = e;
    return i;
}

static VP_STATUS count_alloc(PVOID e, ULONG n, PVOID *b) {
    VP_STATUS st = real_alloc(e, n, b);
    unsigned d = dev_of(e);
    if (st == NO_ERROR && ++live_bufs[d] > max_bufs)
        max_bufs = live_bufs[d];
    return st;
}
static VOID count_release(PVOID e, PVOID b) {
    live_bufs[dev_of(e)]--;
    real_release(e, b);
}
static PVOID count_pool(PVOID e, VP_POOL_TYPE t, SIZE_T n, ULONG tag) {
    PVOID p = real_pool(e, t, n, tag);
    unsigned d = dev_of(e);
    if (p && ++live_blks[d] > max_blks)
        max_blks = live_blks[d];
    return p;
}
static VOID count_free(PVOID e, PVOID p) {
    live_blks[dev_of(e)]--;
    real_free(e, p);
}

struct runner {
    struct impl impl;      /* what runs */
    struct exec_options o; /* under which ICS */
    unsigned findings;     /* programs with a finding */
    uint32_t max_steps;    /* longest run */
    long max_bufs;         /* most buffers live at once */
    long max_blks;         /* most blocks live at once */
};

static int run_one(void *ctx, enum cases_family f, const char *name,
                   const struct program *p) {
    struct runner *r = ctx;
    struct exec_result res;
    (void)f;
    memset(exts, 0, sizeof exts);
    memset(live_bufs, 0, sizeof live_bufs);
    memset(live_blks, 0, sizeof live_blks);
    max_bufs = max_blks = 0;
    int rc = exec_run(p, &r->impl, &r->o, &res);
    if (rc != 0) {
        r->findings++;
        fprintf(stderr, "  %s: rc %d, %u findings, first [%s] op %u: %s; %s\n",
                name, rc, res.nfindings, res.nfindings ? res.f[0].clause : "-",
                res.nfindings ? res.f[0].op : 0,
                res.nfindings ? res.f[0].observed : "",
                res.nfindings ? res.f[0].detail : "");
    }
    if (res.steps > r->max_steps)
        r->max_steps = res.steps;
    if (max_bufs > r->max_bufs)
        r->max_bufs = max_bufs;
    if (max_blks > r->max_blks)
        r->max_blks = max_blks;
    return 0;
}

static void run_families(struct runner *r, int pool) {
    real_alloc = r->impl.alloc_buffer;
    real_release = r->impl.release_buffer;
    real_pool = r->impl.alloc_pool;
    real_free = r->impl.free_pool;
    r->impl.alloc_buffer = count_alloc;
    r->impl.release_buffer = count_release;
    if (pool) {
        r->impl.alloc_pool = count_pool;
        r->impl.free_pool = count_free;
    }
    struct cases_options co = {pool, 3, 40, 16};
    for (unsigned f = CASES_SCALE; f < CASES_FAMILY_COUNT; f++) {
        r->max_steps = 0;
        r->max_bufs = r->max_blks = 0;
        CHECK(cases_generate((enum cases_family)f, &co, run_one, r) == 0,
              "FORMAT");
        if (f == CASES_SCALE) {
            CHECK(r->max_steps >= 10000, "QU-4");
            CHECK(r->max_bufs >= 4096, "BUF-3");
            CHECK(!pool || r->max_blks >= 4096, "BUF-3");
        }
    }
    CHECK_EQ_U64(r->findings, 0, "FORMAT");
}

/* The concurrent family: programs on 2 to 4 threads with no yields (the
 * base run), only when asked for; a PCT schedule of one places depth - 1
 * yields on calls with that many switch points, the same every time. */
static void cases_concurrent_programs_and_schedules(void) {
    static struct seen s;
    static struct program p, q;
    family(CASES_CONCURRENT, 1, &s);
    CHECK_EQ_U64(s.programs, 20, "CONC-1");
    struct cases_options none = {1, 7, 20, 0};
    struct seen zero;
    memset(&zero, 0, sizeof zero);
    cases_generate(CASES_CONCURRENT, &none, collect, &zero);
    CHECK_EQ_U64(zero.programs, 0, "CO-7");
    struct cases_options one = {1, 7, 0, 1};
    cases_generate(CASES_CONCURRENT, &one, keep_program, &p);
    unsigned yields = 0, threads = prog_threads(&p);
    for (uint32_t i = 0; i < p.nops; i++)
        yields += p.ops[i].yield != 0;
    CHECK(threads >= 2 && threads <= 4 && yields == 0, "CONC-1");
    CHECK(p.nops <= CASES_CONC_OPS, "FORMAT");
    uint8_t points[64];
    memset(points, 5, sizeof points);
    q = p;
    unsigned placed = cases_pct(&q, 7, 1, CASES_PCT_DEPTH, points, 64);
    CHECK_EQ_U64(placed, CASES_PCT_DEPTH - 1, "CONC-1");
    unsigned bits = 0;
    for (uint32_t i = 0; i < q.nops; i++)
        for (uint16_t y = q.ops[i].yield; y; y &= (uint16_t)(y - 1))
            bits++;
    CHECK_EQ_U64(bits, CASES_PCT_DEPTH - 1, "CONC-1");
    struct program r = p;
    cases_pct(&r, 7, 1, CASES_PCT_DEPTH, points, 64);
    CHECK(memcmp(&q, &r, sizeof q) == 0, "CONC-1");
}

static const char *matrix_so;

static void cases_families_pass_on_conforming_implementations(void) {
    static struct runner shim, buffers;
    impl_builtin(&shim.impl);
    exec_options_default(&shim.o);
    shim.o.ics.zero_size = 1;   /* the shim allocates on Size 0 */
    shim.o.ics.thread_safe = 1; /* and is thread-safe (corpus/shim.ics) */
    run_families(&shim, 1);
    char err[512];
    int loaded = impl_load(&buffers.impl, matrix_so, err, sizeof err) == 0;
    CHECK(loaded, "ICS-1");
    if (!loaded) {
        fprintf(stderr, "  %s\n", err);
        return;
    }
    exec_options_default(&buffers.o);
    buffers.o.ics.quota_enabled = 0;
    buffers.o.ics.services = SVC_ALLOCATE_BUFFER | SVC_RELEASE_BUFFER;
    run_families(&buffers, 0);
    impl_unload(&buffers.impl);
}

int main(int argc, char **argv) {
    static const struct th_test tests[] = {
        TEST(cases_sizes_cover_every_class), TEST(cases_quotas_at_the_edges),
        TEST(cases_exhaustive_without_duplicates),
        TEST(cases_concurrent_programs_and_schedules),
        TEST(cases_families_pass_on_conforming_implementations)};
    if (argc != 2) {
        fprintf(stderr, "usage: test_cases MATRIX_BUFFER_ONLY_SO\n");
        return 2;
    }
    matrix_so = argv[1];
    return th_run(tests, sizeof tests / sizeof tests[0], 1, argv);
}
