/*
 * text: the human form of a program, one directive or operation per line.
 *
 *   vpcert 1
 *   pool paged 1048576
 *   pool nonpaged 1048576
 *   device 0 quota 4096            (or: quota unlimited)
 *   alloc_buffer dev=0 size=quota expect=NO_ERROR clause=QU-2
 *   release_buffer index=0
 *   alloc_pool dev=0 type=nonpaged size=64 tag='Dtst' irql=dispatch
 *   free_pool index=0 irql=passive
 *   touch index=0
 *   inject next=1 | inject above=4096 | inject tag='Dvpb' | inject clear
 *   start dev=0 / stop dev=0
 *   repeat last=2 times=100        (the 2 operations before, 100 more times)
 *   alloc_buffer dev=0 size=quota+1 expect=ERROR_INSUFFICIENT_BUFFER
 *       expect@pool-first=ERROR_NOT_ENOUGH_MEMORY  (one line: the outcome
 *       under a choice of the ICS: none, pool-first, allocate, reject)
 *   threads 1 0 2 3                (version 3, a header line: the threads
 *                                   from highest priority to lowest)
 *   alloc_buffer dev=0 size=64 thread=1 yield=1,2
 *                                  (version 3: the thread an operation runs
 *                                   on, and the switch points of its call at
 *                                   which that thread yields)
 *
 * Sizes: decimal, 0x hex, with an optional K/M/G (binary) suffix, or
 * symbolic: quota, paged, nonpaged, each with an optional +N / -N
 * (-32..+31). '#' starts a comment. The writer emits the canonical form;
 * parse(write(p)) == p for every program the binary decoder produces.
 */
#include "clauses.h"
#include "program.h"
#include "vpcert/pool_types.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TOKENS 12

struct token {
    const char *s; /* start (not NUL-terminated) */
    size_t n;      /* length */
    size_t col;    /* 1-based column */
};

struct line {
    const char *file;           /* file name for errors */
    size_t lineno;              /* 1-based */
    struct token t[MAX_TOKENS]; /* tokens */
    size_t nt;                  /* token count */
    char *err;                  /* error buffer */
    size_t errlen;              /* its size */
};

static int fail(struct line *l, size_t col, const char *fmt, ...) {
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(l->err, l->errlen, "%s:%zu:%zu: %s", l->file, l->lineno, col, msg);
    return -1;
}

static int tok_is(const struct token *t, const char *w) {
    return t->n == strlen(w) && memcmp(t->s, w, t->n) == 0;
}

static int tokenize(struct line *l, const char *s, size_t n) {
    size_t i = 0;
    l->nt = 0;
    while (i < n) {
        while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
            i++;
        if (i >= n || s[i] == '#')
            break;
        if (l->nt == MAX_TOKENS)
            return fail(l, i + 1, "too many words on one line");
        struct token *t = &l->t[l->nt++];
        t->s = s + i;
        t->col = i + 1;
        int quoted = 0;
        while (i < n && (quoted || (s[i] != ' ' && s[i] != '\t' &&
                                    s[i] != '\r' && s[i] != '#'))) {
            if (s[i] == '\'')
                quoted = !quoted;
            i++;
        }
        t->n = (size_t)(s + i - t->s);
    }
    return 0;
}

/* ---- values ---- */

static int parse_u64(const char *s, size_t n, uint64_t *out) {
    char buf[40];
    if (n == 0 || n >= sizeof buf || s[0] == '-' || s[0] == '+')
        return -1;
    memcpy(buf, s, n);
    buf[n] = 0;
    uint64_t mul = 1;
    char last = (char)toupper((unsigned char)buf[n - 1]);
    if (!(buf[0] == '0' && n > 1 && (buf[1] == 'x' || buf[1] == 'X')) &&
        (last == 'K' || last == 'M' || last == 'G')) {
        mul = last == 'K' ? 1u << 10 : last == 'M' ? 1u << 20 : 1u << 30;
        buf[--n] = 0;
    }
    char *end;
    errno = 0;
    unsigned long long v = strtoull(buf, &end, 0);
    if (errno || *end || n == 0 || v > UINT64_MAX / mul)
        return -1;
    *out = (uint64_t)v * mul;
    return 0;
}

static int parse_size(struct line *l, const struct token *t, size_t off,
                      struct prog_size *sz) {
    static const char *const kinds[] = {"", "quota", "paged", "nonpaged"};
    const char *s = t->s + off;
    size_t n = t->n - off;
    memset(sz, 0, sizeof *sz);
    for (unsigned k = 1; k < PROG_SZ_COUNT; k++) {
        size_t kl = strlen(kinds[k]);
        if (n < kl || memcmp(s, kinds[k], kl) != 0 ||
            (n > kl && s[kl] != '+' && s[kl] != '-'))
            continue;
        sz->kind = (uint8_t)k;
        if (n == kl)
            return 0;
        uint64_t d;
        if (parse_u64(s + kl + 1, n - kl - 1, &d) != 0 ||
            d > (s[kl] == '-' ? 32u : 31u))
            return fail(l, t->col + off + kl,
                        "symbolic size offset must be within -32..+31");
        sz->delta = s[kl] == '-' ? -(int32_t)d : (int32_t)d;
        return 0;
    }
    if (parse_u64(s, n, &sz->value) != 0)
        return fail(l, t->col + off,
                    "expected a size (bytes, or quota/paged/nonpaged[+-N])");
    return 0;
}

static int parse_tag(struct line *l, const struct token *t, size_t off,
                     uint32_t *tag) {
    const char *s = t->s + off;
    size_t n = t->n - off;
    if (n == 6 && s[0] == '\'' && s[5] == '\'') {
        *tag = 0;
        for (unsigned i = 0; i < 4; i++)
            *tag |= (uint32_t)(unsigned char)s[1 + i] << (8 * i);
        return 0;
    }
    uint64_t v;
    if (parse_u64(s, n, &v) != 0 || v > 0xFFFFFFFFu)
        return fail(l, t->col + off,
                    "expected a tag: 'Abcd' or a 32-bit number");
    *tag = (uint32_t)v;
    return 0;
}

/* ---- operations ---- */

struct kv {
    const struct token *t; /* the key=value token */
    size_t voff;           /* offset of the value in the token */
};

static int key_of(const struct token *t, const char *key, size_t *voff) {
    size_t kl = strlen(key);
    if (t->n > kl && memcmp(t->s, key, kl) == 0 && t->s[kl] == '=') {
        *voff = kl + 1;
        return 1;
    }
    return 0;
}

static int parse_index(struct line *l, const struct token *t, size_t off,
                       uint32_t *out) {
    uint64_t v;
    if (parse_u64(t->s + off, t->n - off, &v) != 0 || v > 255)
        return fail(l, t->col + off, "index must be 0..255");
    *out = (uint32_t)v;
    return 0;
}

static int parse_dev(struct line *l, const struct token *t, size_t off,
                     const struct program *p, uint8_t *out) {
    uint64_t v;
    if (parse_u64(t->s + off, t->n - off, &v) != 0 || v >= p->ndevices)
        return fail(l, t->col + off, "no such device (declared: %u)",
                    (unsigned)p->ndevices);
    *out = (uint8_t)v;
    return 0;
}

static int parse_type(struct line *l, const struct token *t, size_t off,
                      uint8_t *out) {
    const struct vpcert_pool_type *type =
        vpcert_pool_type_named(t->s + off, t->n - off);
    char names[96] = "";
    if (type) {
        *out = type->value;
        return 0;
    }
    for (size_t i = 0; i < VPCERT_POOL_TYPE_COUNT; i++)
        snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s",
                 i == 0                            ? ""
                 : i + 1 == VPCERT_POOL_TYPE_COUNT ? " or "
                                                   : ", ",
                 vpcert_pool_type_at(i)->name);
    return fail(l, t->col + off, "pool type must be %s", names);
}

static int parse_irql(struct line *l, const struct token *t, size_t off,
                      uint8_t *out) {
    const char *s = t->s + off;
    size_t n = t->n - off;
    if (n == 7 && memcmp(s, "passive", 7) == 0)
        *out = 0;
    else if (n == 8 && memcmp(s, "dispatch", 8) == 0)
        *out = 1;
    else
        return fail(l, t->col + off, "irql must be passive or dispatch");
    return 0;
}

/* The outcome named at t + off, into *out (expect= or expect@CHOICE=). */
static int parse_expect(struct line *l, const struct token *t, size_t off,
                        const struct prog_op *op, uint8_t *out) {
    unsigned lo =
        op->code == PROG_OP_ALLOC_POOL ? PROG_EX_BLOCK : PROG_EX_NO_ERROR;
    unsigned hi = op->code == PROG_OP_ALLOC_POOL ? PROG_EX_NULL
                                                 : PROG_EX_INVALID_PARAMETER;
    if (op->code != PROG_OP_ALLOC_BUFFER && op->code != PROG_OP_ALLOC_POOL)
        return fail(l, t->col, "only alloc_buffer and alloc_pool take expect=");
    for (unsigned e = lo; e <= hi; e++) {
        const char *nm = prog_expect_name(e);
        if (t->n - off == strlen(nm) &&
            memcmp(t->s + off, nm, t->n - off) == 0) {
            *out = (uint8_t)e;
            return 0;
        }
    }
    return fail(
        l, t->col + off, "expect must be %s",
        lo == PROG_EX_BLOCK
            ? "block or null"
            : "NO_ERROR, ERROR_NOT_ENOUGH_MEMORY, ERROR_INSUFFICIENT_BUFFER"
              " or ERROR_INVALID_PARAMETER");
}

static int parse_clause(struct line *l, const struct token *t, size_t off,
                        struct prog_op *op) {
    char id[24];
    size_t n = t->n - off;
    if (n == 0 || n >= sizeof id)
        return fail(l, t->col + off, "unknown clause");
    memcpy(id, t->s + off, n);
    id[n] = 0;
    int i = spec_clause_index(id);
    if (i < 0)
        return fail(l, t->col + off, "unknown clause '%s' (see SPEC.md)", id);
    op->clause = (uint16_t)i;
    return 0;
}

/* expect@CHOICE=OUTCOME: the outcome under one ICS choice. Returns 0, or
 * -1 on error. */
static int parse_alt(struct line *l, const struct token *t,
                     struct prog_op *op) {
    char key[32];
    for (unsigned c = 0; c < PROG_CH_COUNT; c++) {
        size_t o;
        snprintf(key, sizeof key, "expect@%s", prog_choice_name(c));
        if (!key_of(t, key, &o))
            continue;
        if (op->code != PROG_OP_ALLOC_BUFFER)
            return fail(l, t->col,
                        "only alloc_buffer outcomes depend on the "
                        "ICS (expect@CHOICE=)");
        return parse_expect(l, t, o, op, &op->expect_alt[c]);
    }
    return fail(l, t->col + 7,
                "expect@ takes none, pool-first, allocate or reject");
}

/* thread=N: 0..PROG_MAX_THREADS-1. */
static int parse_thread(struct line *l, const struct token *t, size_t off,
                        uint8_t *out) {
    uint64_t v;
    if (parse_u64(t->s + off, t->n - off, &v) != 0 || v >= PROG_MAX_THREADS)
        return fail(l, t->col + off, "thread must be 0..%u",
                    PROG_MAX_THREADS - 1);
    *out = (uint8_t)v;
    return 0;
}

/* yield=K[,K...]: switch points 0..PROG_YIELD_POINTS-1, each once. */
static int parse_yield(struct line *l, const struct token *t, size_t off,
                       uint16_t *out) {
    size_t at = off;
    *out = 0;
    while (at <= t->n) {
        size_t end = at;
        while (end < t->n && t->s[end] != ',')
            end++;
        uint64_t v;
        if (parse_u64(t->s + at, end - at, &v) != 0 || v >= PROG_YIELD_POINTS ||
            (*out >> v & 1))
            return fail(l, t->col + at,
                        "yield takes distinct switch points 0..%u, "
                        "comma-separated",
                        PROG_YIELD_POINTS - 1);
        *out |= (uint16_t)(1u << v);
        at = end + 1;
    }
    return 0;
}

static int parse_repeat_key(struct line *l, const struct token *t,
                            uint32_t before, struct prog_op *op) {
    size_t o;
    uint64_t v;
    if (key_of(t, "last", &o)) {
        if (parse_u64(t->s + o, t->n - o, &v) != 0 || v > before)
            return fail(l, t->col + o,
                        "repeat last= takes 0..%u (the operations before it)",
                        (unsigned)before);
        op->index = (uint32_t)v;
        return 0;
    }
    if (key_of(t, "times", &o)) {
        if (parse_u64(t->s + o, t->n - o, &v) != 0 || v > PROG_MAX_STEPS)
            return fail(l, t->col + o, "repeat times= takes 0..%u",
                        PROG_MAX_STEPS);
        op->value = v;
        return 0;
    }
    return fail(l, t->col, "repeat takes last=N and times=N");
}

/* One key=value of an operation. Returns 0, -1 on error, 1 if unknown. */
static int op_key(struct line *l, const struct token *t,
                  const struct program *p, struct prog_op *op) {
    size_t o;
    if (key_of(t, "dev", &o))
        return parse_dev(l, t, o, p, &op->dev);
    if (key_of(t, "size", &o))
        return parse_size(l, t, o, &op->size);
    if (key_of(t, "index", &o))
        return parse_index(l, t, o, &op->index);
    if (key_of(t, "type", &o))
        return parse_type(l, t, o, &op->pool_type);
    if (key_of(t, "tag", &o))
        return parse_tag(l, t, o, &op->tag);
    if (key_of(t, "irql", &o))
        return parse_irql(l, t, o, &op->dispatch);
    if (key_of(t, "expect", &o))
        return parse_expect(l, t, o, op, &op->expect);
    if (t->n > 7 && memcmp(t->s, "expect@", 7) == 0)
        return parse_alt(l, t, op);
    if (key_of(t, "clause", &o))
        return parse_clause(l, t, o, op);
    if (key_of(t, "thread", &o))
        return parse_thread(l, t, o, &op->thread);
    if (key_of(t, "yield", &o))
        return parse_yield(l, t, o, &op->yield);
    return 1;
}

/* Which keys each operation takes, as a string of initials (h: thread=,
 * y: yield=). */
static const char *op_keys(unsigned code) {
    switch (code) {
    case PROG_OP_ALLOC_BUFFER:
        return "dseachy"; /* dev size expect expect@ clause thread yield */
    case PROG_OP_ALLOC_POOL:
        return "dstgiechy"; /* dev size type tag irql expect clause ... */
    case PROG_OP_FREE_POOL:
        return "xihy"; /* index irql thread yield */
    case PROG_OP_RELEASE_BUFFER:
        return "xhy";
    case PROG_OP_TOUCH:
        return "xh";
    case PROG_OP_START:
    case PROG_OP_STOP:
        return "d";
    default:
        return "";
    }
}

static char key_initial(const struct token *t) {
    static const char *const keys[] = {
        "dev=",    "size=",   "index=",  "type=",   "tag=",  "irql=",
        "expect=", "clause=", "expect@", "thread=", "yield="};
    static const char initials[] = "dsxtgiecahy";
    for (unsigned i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (t->n > strlen(keys[i]) &&
            memcmp(t->s, keys[i], strlen(keys[i])) == 0)
            return initials[i];
    return 0;
}

static int parse_inject(struct line *l, struct prog_op *op) {
    size_t o;
    if (l->nt == 3 && key_of(&l->t[2], "thread", &o)) {
        if (parse_thread(l, &l->t[2], o, &op->thread) != 0)
            return -1;
    } else if (l->nt != 2) {
        return fail(l, l->t[0].col,
                    "inject takes one of next=N, above=SIZE, tag=TAG, clear "
                    "(and thread=N)");
    }
    const struct token *t = &l->t[1];
    struct prog_size sz;
    if (tok_is(t, "clear")) {
        op->inject = PROG_INJ_CLEAR;
    } else if (key_of(t, "next", &o)) {
        op->inject = PROG_INJ_NEXT;
        if (parse_u64(t->s + o, t->n - o, &op->value) != 0 || op->value < 1 ||
            op->value > 64)
            return fail(l, t->col + o, "inject next= takes 1..64");
    } else if (key_of(t, "above", &o)) {
        op->inject = PROG_INJ_ABOVE;
        if (parse_size(l, t, o, &sz) != 0)
            return -1;
        if (sz.kind != PROG_SZ_LITERAL)
            return fail(l, t->col + o, "inject above= takes a literal size");
        op->value = sz.value;
    } else if (key_of(t, "tag", &o)) {
        op->inject = PROG_INJ_TAG;
        return parse_tag(l, t, o, &op->tag);
    } else {
        return fail(l, t->col,
                    "inject takes next=N, above=SIZE, tag=TAG or clear");
    }
    return 0;
}

static int check_op(struct line *l, const struct prog_op *op) {
    if (op->code == PROG_OP_ALLOC_BUFFER && op->size.kind == PROG_SZ_LITERAL &&
        op->size.value > 0xFFFFFFFFull)
        return fail(l, l->t[0].col,
                    "alloc_buffer Size is a ULONG (at most 0xFFFFFFFF)");
    if (op->code == PROG_OP_ALLOC_POOL && op->dispatch &&
        vpcert_pool_type_paged(op->pool_type))
        return fail(
            l, l->t[0].col,
            "paged pool types are only legal below DISPATCH_LEVEL (CO-3)");
    if (op->clause != UINT16_MAX && !op->expect)
        return fail(l, l->t[0].col, "clause= needs expect=");
    for (unsigned c = 0; c < PROG_CH_COUNT; c++)
        if (op->expect_alt[c] && !op->expect)
            return fail(l, l->t[0].col,
                        "expect@%s= needs expect=", prog_choice_name(c));
    return 0;
}

static int parse_op(struct line *l, unsigned code, const struct program *p,
                    struct prog_op *op) {
    memset(op, 0, sizeof *op);
    op->code = (uint8_t)code;
    op->clause = UINT16_MAX;
    if (code == PROG_OP_ALLOC_POOL)
        op->tag = 0x74737444u; /* default tag Dtst */
    if (code == PROG_OP_INJECT)
        return parse_inject(l, op);
    if (code == PROG_OP_REPEAT) {
        for (size_t i = 1; i < l->nt; i++)
            if (parse_repeat_key(l, &l->t[i], p->nops, op) != 0)
                return -1;
        return 0;
    }
    const char *allowed = op_keys(code);
    for (size_t i = 1; i < l->nt; i++) {
        char k = key_initial(&l->t[i]);
        if (!k || !strchr(allowed, k))
            return fail(l, l->t[i].col, "%s does not take '%.*s'",
                        prog_op_name(code), (int)l->t[i].n, l->t[i].s);
        if (op_key(l, &l->t[i], p, op) != 0)
            return -1;
    }
    return check_op(l, op);
}

/* ---- header directives ---- */

struct parse_state {
    int seen_op;       /* an operation has been read */
    uint32_t declared; /* devices declared so far */
};

/* threads A B ...: thread ids from highest priority to lowest, each
 * once; those not named follow in id order. */
static int parse_threads(struct line *l, struct program *p) {
    unsigned seen = 0, n = 0;
    if (l->nt < 2 || l->nt > 1 + PROG_MAX_THREADS)
        return fail(l, l->t[0].col, "expected 'threads ID...' (0..%u)",
                    PROG_MAX_THREADS - 1);
    for (size_t i = 1; i < l->nt; i++) {
        uint64_t v;
        if (parse_u64(l->t[i].s, l->t[i].n, &v) != 0 || v >= PROG_MAX_THREADS ||
            (seen >> v & 1))
            return fail(l, l->t[i].col,
                        "threads lists distinct thread ids 0..%u",
                        PROG_MAX_THREADS - 1);
        seen |= 1u << v;
        p->priority[n++] = (uint8_t)v;
    }
    for (unsigned t = 0; t < PROG_MAX_THREADS; t++)
        if (!(seen >> t & 1))
            p->priority[n++] = (uint8_t)t;
    return 0;
}

static int parse_header(struct line *l, struct parse_state *st,
                        struct program *p) {
    const struct token *t = l->t;
    if (st->seen_op)
        return fail(l, t[0].col, "'%.*s' must come before the operations",
                    (int)t[0].n, t[0].s);
    uint64_t v;
    if (tok_is(&t[0], "vpcert")) {
        if (l->nt != 2 || parse_u64(t[1].s, t[1].n, &v) != 0)
            return fail(l, t[0].col, "expected 'vpcert VERSION'");
        if (v > PROG_FORMAT_VERSION)
            return fail(l, t[1].col,
                        "format version %llu is newer than this vpcert (%u)",
                        (unsigned long long)v, PROG_FORMAT_VERSION);
        return 0;
    }
    if (tok_is(&t[0], "threads"))
        return parse_threads(l, p);
    if (tok_is(&t[0], "pool")) {
        int which = l->nt == 3 && tok_is(&t[1], "paged")      ? 0
                    : l->nt == 3 && tok_is(&t[1], "nonpaged") ? 1
                                                              : -1;
        if (which < 0)
            return fail(l, t[0].col, "expected 'pool paged|nonpaged BYTES'");
        if (parse_u64(t[2].s, t[2].n, &p->capacity[which]) != 0)
            return fail(l, t[2].col, "expected a capacity in bytes");
        return 0;
    }
    /* device D quota Q */
    if (l->nt != 4 || !tok_is(&t[2], "quota"))
        return fail(l, t[0].col, "expected 'device N quota BYTES|unlimited'");
    if (parse_u64(t[1].s, t[1].n, &v) != 0 || v != st->declared ||
        v >= PROG_MAX_DEVICES)
        return fail(l, t[1].col,
                    "devices are declared in order 0..%u; expected %u",
                    PROG_MAX_DEVICES - 1, (unsigned)st->declared);
    if (tok_is(&t[3], "unlimited"))
        p->quota[v] = PROG_QUOTA_UNLIMITED;
    else if (parse_u64(t[3].s, t[3].n, &p->quota[v]) != 0)
        return fail(l, t[3].col, "expected a quota in bytes or 'unlimited'");
    st->declared++;
    p->ndevices = st->declared;
    return 0;
}

static int parse_line(struct line *l, struct parse_state *st,
                      struct program *p) {
    const struct token *t = l->t;
    if (tok_is(&t[0], "vpcert") || tok_is(&t[0], "pool") ||
        tok_is(&t[0], "device") || tok_is(&t[0], "threads"))
        return parse_header(l, st, p);
    for (unsigned c = 0; c < PROG_OP_COUNT; c++) {
        if (!tok_is(&t[0], prog_op_name(c)))
            continue;
        if (p->nops >= PROG_MAX_OPS)
            return fail(l, t[0].col, "more than %u operations", PROG_MAX_OPS);
        st->seen_op = 1;
        if (parse_op(l, c, p, &p->ops[p->nops]) != 0)
            return -1;
        p->nops++;
        return 0;
    }
    return fail(l, t[0].col, "unknown directive '%.*s'", (int)t[0].n, t[0].s);
}

int prog_text_parse(const char *text, size_t len, const char *file,
                    struct program *p, char *err, size_t errlen) {
    struct line l = {file ? file : "<input>", 0, {{0}}, 0, err, errlen};
    struct parse_state st = {0, 0};
    prog_init(p);
    size_t pos = 0;
    /* A UTF-8 byte order mark (files saved on Windows) is not text:
     * skipped, and columns count from what follows it. */
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        len -= 3;
    }
    while (pos < len) {
        const char *s = text + pos;
        const char *nl = memchr(s, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - s) : len - pos;
        l.lineno++;
        if (memchr(s, '\0', n))
            return fail(&l, (size_t)((const char *)memchr(s, '\0', n) - s) + 1,
                        "NUL byte in a text program");
        if (tokenize(&l, s, n) != 0)
            return -1;
        if (l.nt && parse_line(&l, &st, p) != 0)
            return -1;
        pos += n + (nl ? 1 : 0);
    }
    return 0;
}

/* ---- writer ---- */

struct out {
    char *p;    /* buffer, may be NULL */
    size_t cap; /* capacity */
    size_t len; /* produced (even past cap) */
};

static void put(struct out *o, const char *fmt, ...) {
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    for (int i = 0; i < n && (size_t)i < sizeof tmp - 1; i++, o->len++)
        if (o->len + 1 < o->cap)
            o->p[o->len] = tmp[i];
}

static void put_size(struct out *o, const struct prog_size *sz) {
    static const char *const kinds[] = {"", "quota", "paged", "nonpaged"};
    if (sz->kind == PROG_SZ_LITERAL)
        put(o, "%llu", (unsigned long long)sz->value);
    else if (sz->delta == 0)
        put(o, "%s", kinds[sz->kind & 3]);
    else
        put(o, "%s%+d", kinds[sz->kind & 3], (int)sz->delta);
}

static void put_inject(struct out *o, const struct prog_op *op) {
    char tag[16];
    switch (op->inject) {
    case PROG_INJ_NEXT:
        put(o, " next=%llu", (unsigned long long)op->value);
        break;
    case PROG_INJ_ABOVE:
        put(o, " above=%llu", (unsigned long long)op->value);
        break;
    case PROG_INJ_TAG:
        prog_tag_format(op->tag, tag);
        put(o, " tag=%s", tag);
        break;
    default:
        put(o, " clear");
    }
}

static void put_op(struct out *o, const struct prog_op *op) {
    char tag[16];
    put(o, "%s", prog_op_name(op->code));
    switch (op->code) {
    case PROG_OP_ALLOC_BUFFER:
        put(o, " dev=%u size=", op->dev);
        put_size(o, &op->size);
        break;
    case PROG_OP_ALLOC_POOL:
        prog_tag_format(op->tag, tag);
        put(o, " dev=%u type=%s size=", op->dev,
            prog_pool_type_name(op->pool_type));
        put_size(o, &op->size);
        put(o, " tag=%s irql=%s", tag, op->dispatch ? "dispatch" : "passive");
        break;
    case PROG_OP_FREE_POOL:
        put(o, " index=%u irql=%s", (unsigned)op->index,
            op->dispatch ? "dispatch" : "passive");
        break;
    case PROG_OP_RELEASE_BUFFER:
    case PROG_OP_TOUCH:
        put(o, " index=%u", (unsigned)op->index);
        break;
    case PROG_OP_INJECT:
        put_inject(o, op);
        if (op->thread)
            put(o, " thread=%u", (unsigned)op->thread);
        return;
    case PROG_OP_REPEAT:
        put(o, " last=%u times=%llu", (unsigned)op->index,
            (unsigned long long)op->value);
        break;
    default:
        put(o, " dev=%u", op->dev);
    }
    if (op->expect)
        put(o, " expect=%s", prog_expect_name(op->expect));
    for (unsigned c = 0; op->expect && c < PROG_CH_COUNT; c++)
        if (op->expect_alt[c])
            put(o, " expect@%s=%s", prog_choice_name(c),
                prog_expect_name(op->expect_alt[c]));
    if (op->expect && op->clause != UINT16_MAX)
        put(o, " clause=%s", spec_clause_at(op->clause)->id);
    if (op->thread && prog_op_threaded(op->code))
        put(o, " thread=%u", (unsigned)op->thread);
    for (unsigned k = 0, first = 1;
         prog_op_calls(op->code) && k < PROG_YIELD_POINTS; k++)
        if (op->yield >> k & 1) {
            put(o, "%s%u", first ? " yield=" : ",", k);
            first = 0;
        }
}

size_t prog_text_write(const struct program *p, char *out, size_t cap) {
    struct out o = {out, out ? cap : 0, 0};
    put(&o, "vpcert %u\n", prog_min_version(p));
    put(&o, "pool paged %llu\n", (unsigned long long)p->capacity[0]);
    put(&o, "pool nonpaged %llu\n", (unsigned long long)p->capacity[1]);
    if (prog_priority_number(p->priority))
        put(&o, "threads %u %u %u %u\n", p->priority[0], p->priority[1],
            p->priority[2], p->priority[3]);
    for (uint32_t d = 0; d < p->ndevices; d++) {
        if (p->quota[d] == PROG_QUOTA_UNLIMITED)
            put(&o, "device %u quota unlimited\n", d);
        else
            put(&o, "device %u quota %llu\n", d,
                (unsigned long long)p->quota[d]);
    }
    for (uint32_t i = 0; i < p->nops; i++) {
        put_op(&o, &p->ops[i]);
        put(&o, "\n");
    }
    if (o.cap)
        o.p[o.len < o.cap ? o.len : o.cap - 1] = 0;
    return o.len;
}

size_t prog_text_op(const struct prog_op *op, char *out, size_t cap) {
    struct out o = {out, out ? cap : 0, 0};
    put_op(&o, op);
    if (o.cap)
        o.p[o.len < o.cap ? o.len : o.cap - 1] = 0;
    return o.len;
}
