/*
 * binary: the fuzzer-facing form of a program. Total: every byte string
 * decodes to a program (a newer version byte is reported instead). Layout:
 *
 *   version(1) ndevices(1) cap_paged(sel) cap_nonpaged(sel) quota(sel)*n
 *   [priority(1), v3] op*
 *   op   = head(1) operands [expect(2) [alternative(1)*]]
 *   head = bit7 expect | bit6 repeat (v2) | bit5 dispatch | bits3-4 dev |
 *          bits0-2 opcode
 *
 * Selectors pick a boundary value from a table, or 0xFF for 8 raw bytes
 * (little-endian). Reading past the end yields zero bytes; decoding stops
 * when no byte is left for an operation head.
 *
 * Version 2 adds, and version 1 bytes never mean: a head with bit 6 set is
 * a repeat (operands: the operations repeated, 2 bytes little-endian, at
 * most the operations before it; the extra times, a selector of
 * repeat_table or 0xFF for 4 raw bytes, at most PROG_MAX_STEPS); and for
 * alloc_buffer, bits 4-7 of the first expect byte flag the outcome stated
 * for each enum prog_choice, one byte each in that order.
 *
 * Version 3 adds, and version 1 and 2 bytes never mean: the priority byte
 * (the thread order, prog_priority_of), and two records among the
 * operations, told apart from a repeat (bit 6) by bits 0-1 of the head:
 *   head & 3 == 1  thread record: the operations after it that may carry
 *                  a thread (prog_op_threaded) run on thread bits 2-3;
 *   head & 3 == 2  yield record: the operation before it, if it calls the
 *                  implementation, yields at switch point bits 2-5;
 *   head & 3 == 0 or 3: a repeat, as in version 2.
 * A record takes no other byte and is no operation of the program.
 */
#include "clauses.h"
#include "program.h"
#include "vpcert/pool_types.h"

#include <string.h>

#define RAW_SEL 0xFFu

static const uint64_t cap_table[] = {
    0,         4096,       65536, 1u << 20,      16u << 20,
    64u << 20, 6ull << 30, 12345, 1u << 16 | 16, UINT64_MAX};
static const uint64_t quota_table[] = {PROG_QUOTA_UNLIMITED,
                                       0,
                                       1,
                                       16,
                                       4096,
                                       65536,
                                       1u << 20,
                                       0xFFFFFFFFull,
                                       0x100000000ull,
                                       0x100000001ull,
                                       UINT64_MAX - 1,
                                       4097};
static const uint64_t size_table[63] = {0,
                                        1,
                                        2,
                                        3,
                                        7,
                                        8,
                                        15,
                                        16,
                                        17,
                                        31,
                                        32,
                                        33,
                                        63,
                                        64,
                                        65,
                                        127,
                                        128,
                                        255,
                                        256,
                                        511,
                                        512,
                                        1023,
                                        1024,
                                        2047,
                                        2048,
                                        4079,
                                        4080,
                                        4095,
                                        4096,
                                        4097,
                                        8191,
                                        8192,
                                        16384,
                                        65535,
                                        65536,
                                        65537,
                                        (1u << 20) - 1,
                                        1u << 20,
                                        (1u << 20) + 1,
                                        1u << 24,
                                        0x7FFFFFFFu,
                                        0x80000000u,
                                        0xFFFFFFEFu,
                                        0xFFFFFFF0u,
                                        0xFFFFFFFEu,
                                        0xFFFFFFFFu,
                                        0x100000000ull,
                                        0x100000001ull,
                                        0x100000010ull,
                                        0x140000000ull,
                                        48,
                                        80,
                                        96,
                                        100,
                                        1000,
                                        3000,
                                        4000,
                                        5000,
                                        10000,
                                        12288,
                                        32768,
                                        262144,
                                        524288};
static const uint32_t tag_table[8] = {0x62707644u /* Dvpb */,
                                      0x74737444u /* Dtst */,
                                      0x63707644u /* Dvpc */,
                                      0x70707644u /* Dvpp */,
                                      0,
                                      0xFFFFFFFFu,
                                      0x74727056u /* Vprt */,
                                      0x41414141u /* AAAA */};
/* The type selector is 2 bits: the position in the pool-type table. */
_Static_assert(VPCERT_POOL_TYPE_COUNT == 4, "2-bit pool type selector");
/* Threads are 2 bits in a thread record, orders one byte (24 < 256). */
_Static_assert(PROG_MAX_THREADS == 4, "2-bit thread, 4! priority orders");
_Static_assert(PROG_YIELD_POINTS == 16, "4-bit switch point in a yield");
static const uint64_t repeat_table[] = {
    0,   1,   2,   3,   4,   7,    8,    15,   16,   31,   63,    64,
    100, 127, 255, 256, 511, 1000, 1023, 4095, 4096, 9999, 10000, 65535};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

struct reader {
    const uint8_t *p; /* input */
    size_t len;       /* input length */
    size_t pos;       /* next byte */
    uint8_t thread;   /* version 3: thread of the operations being read */
};

static uint8_t rd_u8(struct reader *r) {
    return r->pos < r->len ? r->p[r->pos++] : 0;
}

static uint64_t rd_u64(struct reader *r) {
    uint64_t v = 0;
    for (unsigned i = 0; i < 8; i++)
        v |= (uint64_t)rd_u8(r) << (8 * i);
    return v;
}

static uint32_t rd_u32(struct reader *r) {
    uint32_t v = 0;
    for (unsigned i = 0; i < 4; i++)
        v |= (uint32_t)rd_u8(r) << (8 * i);
    return v;
}

static uint64_t rd_sel(struct reader *r, const uint64_t *table, size_t n) {
    uint8_t s = rd_u8(r);
    return s == RAW_SEL ? rd_u64(r) : table[s % n];
}

static void rd_size(struct reader *r, struct prog_size *sz) {
    uint8_t s = rd_u8(r);
    memset(sz, 0, sizeof *sz);
    sz->kind = s >> 6;
    if (sz->kind != PROG_SZ_LITERAL)
        sz->delta = (int32_t)(s & 63) - 32;
    else if ((s & 63) == 63)
        sz->value = rd_u64(r);
    else
        sz->value = size_table[s & 63];
}

static uint32_t rd_tag(struct reader *r, unsigned sel) {
    return sel == 63 ? rd_u32(r) : tag_table[sel % COUNT(tag_table)];
}

static void rd_inject(struct reader *r, struct prog_op *op) {
    uint8_t k = rd_u8(r);
    op->inject = k & 3;
    if (op->inject == PROG_INJ_NEXT) {
        op->value = 1u + (k >> 2);
    } else if (op->inject == PROG_INJ_ABOVE) {
        struct prog_size sz;
        rd_size(r, &sz);
        op->value =
            sz.kind == PROG_SZ_LITERAL ? sz.value : (uint64_t)(sz.delta + 32);
    } else if (op->inject == PROG_INJ_TAG) {
        op->tag = rd_tag(r, k >> 2);
    }
}

static void rd_operands(struct reader *r, const struct program *p,
                        struct prog_op *op) {
    switch (op->code) {
    case PROG_OP_ALLOC_BUFFER:
        rd_size(r, &op->size);
        if (op->size.kind == PROG_SZ_LITERAL && op->size.value > 0xFFFFFFFFull)
            op->size.value = 0xFFFFFFFFull; /* Size is a ULONG */
        break;
    case PROG_OP_ALLOC_POOL: {
        uint8_t t = rd_u8(r);
        const struct vpcert_pool_type *type = vpcert_pool_type_at(t & 3);
        op->pool_type = type->value;
        op->tag = rd_tag(r, t >> 2);
        rd_size(r, &op->size);
        if (type->paged)
            op->dispatch = 0; /* CO-3: paged types only below DISPATCH */
        break;
    }
    case PROG_OP_RELEASE_BUFFER:
    case PROG_OP_FREE_POOL:
    case PROG_OP_TOUCH:
        op->index = rd_u8(r);
        break;
    case PROG_OP_INJECT:
        rd_inject(r, op);
        break;
    default:
        break;
    }
    (void)p;
}

/* Version 2: a repeat of the operations before operation `at`. */
static void rd_repeat(struct reader *r, struct prog_op *op, uint32_t at) {
    uint32_t back = rd_u8(r);
    back |= (uint32_t)rd_u8(r) << 8;
    op->code = PROG_OP_REPEAT;
    op->index = back < at ? back : at;
    uint8_t s = rd_u8(r);
    op->value =
        s == RAW_SEL ? rd_u32(r) : repeat_table[s % COUNT(repeat_table)];
    if (op->value > PROG_MAX_STEPS)
        op->value = PROG_MAX_STEPS;
}

/* The expect bytes: the outcome, the clause, and (version 2,
 * alloc_buffer) the outcome stated for each ICS choice flagged. */
static void rd_expect(struct reader *r, struct prog_op *op, unsigned version) {
    uint8_t e = rd_u8(r), c = rd_u8(r);
    if (op->code == PROG_OP_ALLOC_BUFFER)
        op->expect = (uint8_t)(PROG_EX_NO_ERROR + e % 4);
    else if (op->code == PROG_OP_ALLOC_POOL)
        op->expect = (uint8_t)(PROG_EX_BLOCK + e % 2);
    if (op->expect && c != 0xFF)
        op->clause = (uint16_t)(c % spec_clause_count());
    if (version < 2 || op->code != PROG_OP_ALLOC_BUFFER)
        return;
    for (unsigned k = 0; k < PROG_CH_COUNT; k++)
        if (e & (0x10u << k))
            op->expect_alt[k] = (uint8_t)(PROG_EX_NO_ERROR + rd_u8(r) % 4);
}

/* Version 3: a thread or yield record (head h); 1 when h is one. */
static int rd_record(struct reader *r, struct program *p, uint8_t h) {
    if ((h & 3) == 1) {
        r->thread = (h >> 2) & 3;
        return 1;
    }
    if ((h & 3) != 2)
        return 0;
    struct prog_op *last = p->nops ? &p->ops[p->nops - 1] : NULL;
    if (last && prog_op_calls(last->code))
        last->yield |= (uint16_t)(1u << ((h >> 2) & 15));
    return 1;
}

/* The next operation into p->ops[p->nops] (0), or a record (1); -1 when
 * p is full and the next byte starts no record (the end of decoding). */
static int rd_op(struct reader *r, struct program *p, unsigned version) {
    uint8_t h = rd_u8(r);
    if (version >= 3 && (h & 0x40) && rd_record(r, p, h))
        return 1;
    if (p->nops == PROG_MAX_OPS)
        return -1;
    struct prog_op *op = &p->ops[p->nops];
    memset(op, 0, sizeof *op);
    op->clause = UINT16_MAX;
    if (version >= 2 && (h & 0x40)) {
        rd_repeat(r, op, p->nops);
        if (h & 0x80)
            rd_expect(r, op, version);
        return 0;
    }
    op->code = h & 7;
    op->dev = (uint8_t)(((h >> 3) & 3) % p->ndevices);
    if (op->code == PROG_OP_ALLOC_POOL || op->code == PROG_OP_FREE_POOL)
        op->dispatch = (h >> 5) & 1;
    rd_operands(r, p, op);
    if (op->code != PROG_OP_ALLOC_BUFFER && op->code != PROG_OP_ALLOC_POOL &&
        op->code != PROG_OP_START && op->code != PROG_OP_STOP)
        op->dev = 0;
    if (prog_op_threaded(op->code))
        op->thread = r->thread;
    if (h & 0x80)
        rd_expect(r, op, version);
    return 0;
}

int prog_decode(const uint8_t *data, size_t len, struct program *p) {
    struct reader r = {data, len, 0, 0};
    prog_init(p);
    if (len == 0)
        return PROG_DECODE_OK;
    uint8_t v = rd_u8(&r);
    if (v > PROG_FORMAT_VERSION) {
        p->version = v;
        return PROG_DECODE_NEWER;
    }
    p->ndevices = 1u + rd_u8(&r) % PROG_MAX_DEVICES;
    p->capacity[0] = rd_sel(&r, cap_table, COUNT(cap_table));
    p->capacity[1] = rd_sel(&r, cap_table, COUNT(cap_table));
    for (uint32_t d = 0; d < p->ndevices; d++)
        p->quota[d] = rd_sel(&r, quota_table, COUNT(quota_table));
    if (v >= 3)
        prog_priority_of(rd_u8(&r), p->priority);
    for (int got = 0; r.pos < r.len && got >= 0;)
        if ((got = rd_op(&r, p, v)) == 0)
            p->nops++;
    return PROG_DECODE_OK;
}

/* ---- encoder ---- */

struct writer {
    uint8_t *p;     /* output, may be NULL when cap == 0 */
    size_t cap;     /* output capacity */
    size_t len;     /* bytes produced (even past cap) */
    uint8_t thread; /* thread the decoder will give the next operation */
};

static void wr_u8(struct writer *w, uint8_t b) {
    if (w->len < w->cap)
        w->p[w->len] = b;
    w->len++;
}

static void wr_le(struct writer *w, uint64_t v, unsigned n) {
    for (unsigned i = 0; i < n; i++)
        wr_u8(w, (uint8_t)(v >> (8 * i)));
}

static int find_u64(const uint64_t *t, size_t n, uint64_t v) {
    for (size_t i = 0; i < n; i++)
        if (t[i] == v)
            return (int)i;
    return -1;
}

static void wr_sel(struct writer *w, const uint64_t *t, size_t n, uint64_t v) {
    int i = find_u64(t, n, v);
    if (i >= 0) {
        wr_u8(w, (uint8_t)i);
    } else {
        wr_u8(w, RAW_SEL);
        wr_le(w, v, 8);
    }
}

static void wr_size(struct writer *w, const struct prog_size *sz) {
    if (sz->kind != PROG_SZ_LITERAL) {
        wr_u8(w, (uint8_t)(sz->kind << 6 | ((sz->delta + 32) & 63)));
        return;
    }
    int i = find_u64(size_table, COUNT(size_table), sz->value);
    wr_u8(w, (uint8_t)(i >= 0 ? i : 63));
    if (i < 0)
        wr_le(w, sz->value, 8);
}

static unsigned tag_sel(uint32_t tag) {
    for (unsigned i = 0; i < COUNT(tag_table); i++)
        if (tag_table[i] == tag)
            return i;
    return 63;
}

static void wr_inject(struct writer *w, const struct prog_op *op) {
    if (op->inject == PROG_INJ_NEXT) {
        wr_u8(w, (uint8_t)(((op->value - 1) & 63) << 2 | PROG_INJ_NEXT));
    } else if (op->inject == PROG_INJ_ABOVE) {
        struct prog_size sz = {PROG_SZ_LITERAL, 0, op->value};
        wr_u8(w, PROG_INJ_ABOVE);
        wr_size(w, &sz);
    } else if (op->inject == PROG_INJ_TAG) {
        unsigned s = tag_sel(op->tag);
        wr_u8(w, (uint8_t)(s << 2 | PROG_INJ_TAG));
        if (s == 63)
            wr_le(w, op->tag, 4);
    } else {
        wr_u8(w, PROG_INJ_CLEAR);
    }
}

static void wr_repeat(struct writer *w, const struct prog_op *op) {
    wr_u8(w, 0x40);
    wr_le(w, op->index, 2);
    int i = find_u64(repeat_table, COUNT(repeat_table), op->value);
    if (i >= 0) {
        wr_u8(w, (uint8_t)i);
    } else {
        wr_u8(w, RAW_SEL);
        wr_le(w, op->value, 4);
    }
}

static void wr_expect(struct writer *w, const struct prog_op *op) {
    unsigned base =
        op->code == PROG_OP_ALLOC_POOL ? PROG_EX_BLOCK : PROG_EX_NO_ERROR;
    unsigned flags = 0;
    for (unsigned k = 0; k < PROG_CH_COUNT; k++)
        if (op->expect_alt[k])
            flags |= 0x10u << k;
    wr_u8(w, (uint8_t)(flags | (op->expect - base)));
    wr_u8(w, op->clause == UINT16_MAX ? 0xFF : (uint8_t)op->clause);
    for (unsigned k = 0; k < PROG_CH_COUNT; k++)
        if (op->expect_alt[k])
            wr_u8(w, (uint8_t)(op->expect_alt[k] - PROG_EX_NO_ERROR));
}

/* Version 3: the thread record before op, the yield records after it. */
static void wr_thread(struct writer *w, const struct prog_op *op) {
    if (!prog_op_threaded(op->code) || op->thread == w->thread)
        return;
    w->thread = op->thread & 3;
    wr_u8(w, (uint8_t)(0x40 | w->thread << 2 | 1));
}

static void wr_yields(struct writer *w, const struct prog_op *op) {
    for (unsigned k = 0; k < PROG_YIELD_POINTS; k++)
        if (prog_op_calls(op->code) && (op->yield >> k & 1))
            wr_u8(w, (uint8_t)(0x40 | k << 2 | 2));
}

static void wr_op(struct writer *w, const struct prog_op *op) {
    if (op->code == PROG_OP_REPEAT) {
        wr_repeat(w, op);
        return;
    }
    wr_thread(w, op);
    uint8_t h = (uint8_t)(op->code | (op->dev & 3) << 3 |
                          (op->dispatch & 1) << 5 | (op->expect ? 0x80 : 0));
    wr_u8(w, h);
    switch (op->code) {
    case PROG_OP_ALLOC_BUFFER:
        wr_size(w, &op->size);
        break;
    case PROG_OP_ALLOC_POOL: {
        int t = vpcert_pool_type_index(op->pool_type);
        if (t < 0) /* not a valid type: written as the last one */
            t = VPCERT_POOL_TYPE_COUNT - 1;
        unsigned s = tag_sel(op->tag);
        wr_u8(w, (uint8_t)(s << 2 | (unsigned)t));
        if (s == 63)
            wr_le(w, op->tag, 4);
        wr_size(w, &op->size);
        break;
    }
    case PROG_OP_RELEASE_BUFFER:
    case PROG_OP_FREE_POOL:
    case PROG_OP_TOUCH:
        wr_u8(w, (uint8_t)op->index);
        break;
    case PROG_OP_INJECT:
        wr_inject(w, op);
        break;
    default:
        break;
    }
    if (op->expect)
        wr_expect(w, op);
    wr_yields(w, op);
}

size_t prog_encode(const struct program *p, uint8_t *out, size_t cap) {
    struct writer w = {out, out ? cap : 0, 0, 0};
    unsigned version = prog_min_version(p);
    wr_u8(&w, (uint8_t)version);
    wr_u8(&w, (uint8_t)(p->ndevices - 1));
    wr_sel(&w, cap_table, COUNT(cap_table), p->capacity[0]);
    wr_sel(&w, cap_table, COUNT(cap_table), p->capacity[1]);
    for (uint32_t d = 0; d < p->ndevices; d++)
        wr_sel(&w, quota_table, COUNT(quota_table), p->quota[d]);
    if (version >= 3)
        wr_u8(&w, (uint8_t)prog_priority_number(p->priority));
    for (uint32_t i = 0; i < p->nops; i++)
        wr_op(&w, &p->ops[i]);
    return w.len;
}
