/*
 * cases_exhaustive: every program of up to 3 operations over a boundary
 * alphabet (sizes 0, 1, the exact quota, one byte over, more than the pool;
 * a release, an injected refusal, a stop and a start; with the pool
 * services, pool blocks at both IRQLs, of 0 bytes, and a free), and every
 * program of 4 operations over its buffer letters. Two programs are
 * duplicates when the model sees the same thing happen: the same effective
 * steps (what the executor would skip, a release with nothing live or a
 * call on a stopped device, is no step), with the same resolved sizes,
 * targets and outcomes. Only the first of each is kept, so a program whose
 * last step changes nothing is not run twice.
 */
#include "cases_internal.h"

#include "vpm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define POOL_BYTES 65536u /* each pool: small enough to be refused */
#define QUOTA0 100u       /* device 0; device 1 has none */
#define MAX_LIVE 8u       /* allocations a 4-step program can hold */
#define SEEN_BITS 14u     /* 16384 traces remembered */

/* The alphabet, in the order programs are enumerated. */
enum letter_kind { L_BUF, L_REL, L_INJ, L_STOP, L_START, L_POOL, L_FREE };
struct letter {
    const char *name; /* in program names */
    uint8_t kind;     /* enum letter_kind */
    uint8_t dev;      /* device */
    uint8_t sym;      /* 1: size = quota remaining + delta */
    int8_t delta;     /* with sym */
    uint8_t type;     /* pool type (L_POOL) */
    uint8_t disp;     /* at DISPATCH_LEVEL (L_POOL, L_FREE) */
    uint8_t four;     /* 1: also a letter of the 4-step programs */
    uint64_t size;    /* literal size */
};

static const struct letter letters[] = {
    {"b1", L_BUF, 0, 0, 0, 0, 0, 1, 1},
    {"bq", L_BUF, 0, 1, 0, 0, 0, 1, 0},
    {"bq+1", L_BUF, 0, 1, 1, 0, 0, 1, 0},
    {"b0", L_BUF, 0, 0, 0, 0, 0, 0, 0},
    {"bbig", L_BUF, 1, 0, 0, 0, 0, 0, POOL_BYTES + 1},
    {"rel", L_REL, 0, 0, 0, 0, 0, 1, 0},
    {"inj", L_INJ, 0, 0, 0, 0, 0, 1, 0},
    {"stop", L_STOP, 0, 0, 0, 0, 0, 0, 0},
    {"start", L_START, 0, 0, 0, 0, 0, 0, 0},
    {"p64d", L_POOL, 0, 0, 0, 0, 1, 0, 64},
    {"pc0", L_POOL, 1, 0, 0, 5, 0, 0, 0},
    {"free", L_FREE, 0, 0, 0, 0, 1, 0, 0},
};
#define NLETTERS (sizeof letters / sizeof letters[0])

static void add_letter(struct cb *b, const struct letter *l) {
    switch (l->kind) {
    case L_BUF:
        if (l->sym)
            cb_alloc_quota(b, l->dev, l->delta);
        else
            cb_alloc(b, l->dev, l->size);
        break;
    case L_REL:
        cb_release(b, 0);
        break;
    case L_INJ:
        cb_inject_next(b, 1);
        break;
    case L_STOP:
        cb_stop(b, l->dev);
        break;
    case L_START:
        cb_start(b, l->dev);
        break;
    case L_POOL:
        cb_pool(b, l->dev, l->type, l->size, l->disp);
        break;
    default:
        cb_free(b, 0, l->disp);
    }
}

/* ---- the model's view of a program, for duplicates ---- */

struct sim {
    struct vpm m;           /* the model */
    int started[2];         /* per device */
    uint32_t buf[MAX_LIVE]; /* live buffers (model handles), exec order */
    uint8_t bdev[MAX_LIVE]; /* their devices */
    uint32_t nbuf;          /* live buffers */
    uint32_t blk[MAX_LIVE]; /* live blocks (model handles), exec order */
    uint8_t kdev[MAX_LIVE]; /* their devices */
    uint32_t nblk;          /* live blocks */
    unsigned inject;        /* injected refusals pending */
    uint64_t hash;          /* FNV-1a of the effective steps */
};

static void mix(struct sim *s, uint64_t v) {
    for (unsigned i = 0; i < 8; i++) {
        s->hash ^= (v >> (8 * i)) & 0xFF;
        s->hash *= 0x100000001B3ull;
    }
}

/* A pool request of size in pool: refused? (the model's payload view,
 * then consumes an injected refusal as the kernel stand-in would). */
static int refused(struct sim *s, enum vpm_pool pool, uint64_t size) {
    if (s->inject) {
        s->inject--;
        return 1;
    }
    return (size ? size : 1) > vpm_pool_remaining(&s->m, pool);
}

static void sim_buffer(struct sim *s, const struct letter *l) {
    uint64_t room = vpm_quota_remaining(&s->m, l->dev);
    uint64_t size = l->sym ? room + (uint64_t)(int64_t)l->delta : l->size;
    if (l->sym && room > 0xFFFFFFFFull - 1)
        size = 0xFFFFFFFFull;
    int over = size > room;
    int ref = !over && refused(s, VPM_PAGED, size);
    enum vpm_result r = over ? VPM_R_QUOTA : ref ? VPM_R_NOMEM : VPM_R_OK;
    uint32_t h = 0;
    vpm_buffer_commit(&s->m, l->dev, (uint32_t)size, r, &h);
    if (r == VPM_R_OK && s->nbuf < MAX_LIVE) {
        s->buf[s->nbuf] = h;
        s->bdev[s->nbuf++] = l->dev;
    }
    mix(s, 1u | (uint64_t)l->dev << 8 | (uint64_t)r << 16 | size << 24);
}

static void sim_release_at(struct sim *s, uint32_t i) {
    vpm_buffer_release(&s->m, s->buf[i]);
    mix(s, 2u | (uint64_t)s->buf[i] << 8);
    s->buf[i] = s->buf[--s->nbuf]; /* swap-remove, as the executor */
    s->bdev[i] = s->bdev[s->nbuf];
}

static void sim_pool(struct sim *s, const struct letter *l) {
    enum vpm_pool pool =
        l->type == 1 || l->type == 5 ? VPM_PAGED : VPM_NONPAGED;
    int ref = refused(s, pool, l->size);
    uint32_t h = 0;
    vpm_pool_commit(&s->m, l->dev, l->type, l->size,
                    ref ? VPM_P_NULL : VPM_P_BLOCK, &h);
    if (!ref && s->nblk < MAX_LIVE) {
        s->blk[s->nblk] = h;
        s->kdev[s->nblk++] = l->dev;
    }
    mix(s, 3u | (uint64_t)l->dev << 8 | (uint64_t)ref << 16 | l->size << 24);
}

static void sim_free_at(struct sim *s, uint32_t i) {
    vpm_pool_free(&s->m, s->blk[i], 0);
    mix(s, 4u | (uint64_t)s->blk[i] << 8);
    s->blk[i] = s->blk[--s->nblk];
    s->kdev[i] = s->kdev[s->nblk];
}

/* One letter: what the executor would do with it, on the model. */
static void sim_step(struct sim *s, const struct letter *l) {
    int on = s->started[l->dev];
    switch (l->kind) {
    case L_BUF:
        if (on)
            sim_buffer(s, l);
        return;
    case L_REL:
        if (s->nbuf)
            sim_release_at(s, 0);
        return;
    case L_INJ:
        s->inject = 1;
        mix(s, 5);
        return;
    case L_STOP:
        if (!on)
            return;
        for (uint32_t i = s->nbuf; i-- > 0;)
            if (i < s->nbuf && s->bdev[i] == l->dev)
                sim_release_at(s, i);
        for (uint32_t i = s->nblk; i-- > 0;)
            if (i < s->nblk && s->kdev[i] == l->dev)
                sim_free_at(s, i);
        vpm_device_stop(&s->m, l->dev);
        s->started[l->dev] = 0;
        mix(s, 6);
        return;
    case L_START:
        if (on)
            return;
        vpm_device_start(&s->m, l->dev, QUOTA0);
        s->started[l->dev] = 1;
        mix(s, 7);
        return;
    case L_POOL:
        if (on)
            sim_pool(s, l);
        return;
    default:
        if (s->nblk)
            sim_free_at(s, 0);
    }
}

/* The FNV-1a hash of what the model sees happen in the program of the n
 * letters seq[], or 0 when the model cannot be set up. */
static uint64_t trace(const unsigned *seq, unsigned n) {
    struct sim s;
    struct vpm_config cfg = {{POOL_BYTES, POOL_BYTES}, 2, 1, 1, VPM_ZERO_ANY};
    memset(&s, 0, sizeof s);
    if (vpm_init(&s.m, &cfg) != VPM_E_OK)
        return 0;
    vpm_device_start(&s.m, 0, QUOTA0);
    vpm_device_start(&s.m, 1, VPM_UNLIMITED);
    s.started[0] = s.started[1] = 1;
    s.hash = 0xCBF29CE484222325ull;
    for (unsigned i = 0; i < n; i++)
        sim_step(&s, &letters[seq[i]]);
    vpm_fini(&s.m);
    return s.hash | 1; /* never 0: 0 marks an empty slot */
}

/* Remember h; 1 if it is new. */
static int first_seen(uint64_t *seen, uint64_t h) {
    size_t mask = ((size_t)1 << SEEN_BITS) - 1, i = (size_t)h & mask;
    for (size_t n = 0; n <= mask; n++, i = (i + 1) & mask) {
        if (seen[i] == h)
            return 0;
        if (seen[i] == 0) {
            seen[i] = h;
            return 1;
        }
    }
    return 0; /* full: treat as seen (never, with the alphabet below) */
}

/* The program of seq[0..n), named after its letters, if its trace is new. */
static int one(const struct cases_options *o, struct program *scratch,
               uint64_t *seen, const unsigned *seq, unsigned n,
               cases_emit_fn emit, void *ctx) {
    const uint64_t q[2] = {QUOTA0, PROG_QUOTA_UNLIMITED};
    char name[128] = "exhaustive/";
    struct cb b;
    (void)o;
    if (!first_seen(seen, trace(seq, n)))
        return 0;
    cb_begin(&b, scratch, POOL_BYTES, POOL_BYTES, 2, q);
    for (unsigned i = 0; i < n; i++) {
        add_letter(&b, &letters[seq[i]]);
        snprintf(name + strlen(name), sizeof name - strlen(name), "%s%s",
                 i ? "-" : "", letters[seq[i]].name);
    }
    return emit(ctx, CASES_EXHAUSTIVE, name, scratch);
}

/* Is letter i in the alphabet of n-letter programs? */
static int usable(const struct cases_options *o, unsigned i, unsigned n) {
    const struct letter *l = &letters[i];
    if ((l->kind == L_POOL || l->kind == L_FREE) && !o->pool)
        return 0;
    return n < 4 || l->four;
}

/* Every program of n letters, in lexicographic order of the alphabet. */
static int all_of_length(const struct cases_options *o, struct program *scratch,
                         uint64_t *seen, unsigned n, cases_emit_fn emit,
                         void *ctx) {
    unsigned seq[4] = {0, 0, 0, 0};
    for (;;) {
        int ok = 1;
        for (unsigned i = 0; i < n; i++)
            ok &= usable(o, seq[i], n);
        int rc = ok ? one(o, scratch, seen, seq, n, emit, ctx) : 0;
        if (rc)
            return rc;
        unsigned i = n;
        while (i > 0 && ++seq[i - 1] == NLETTERS)
            seq[--i] = 0;
        if (i == 0)
            return 0;
    }
}

int cases_exhaustive(const struct cases_options *o, struct program *scratch,
                     cases_emit_fn emit, void *ctx) {
    uint64_t *seen = calloc((size_t)1 << SEEN_BITS, sizeof *seen);
    int rc = 0;
    if (!seen)
        return -1;
    for (unsigned n = 1; n <= 4 && rc == 0; n++)
        rc = all_of_length(o, scratch, seen, n, emit, ctx);
    free(seen);
    return rc;
}
