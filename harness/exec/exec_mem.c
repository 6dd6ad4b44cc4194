/* exec_mem: live allocations handed to the caller, and the memory checks
 * on them (BUF-2/AP-RES-2 containment, BUF-3 disjointness, BUF-4 stable
 * contents, RB-1/AP-FREE-1 given back). Every check is O(1) expected in
 * the number of live allocations, plus the bytes written or verified. */
#include "exec_internal.h"
#include "vpcert/wraps.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WINDOW 4096u /* bytes written at each end of a large buffer */

int exec_live_add(struct exec_liveset *s, struct exec_live *l) {
    if (s->n == s->cap) {
        uint32_t cap = s->cap ? s->cap * 2 : 64;
        struct exec_live **v = realloc(s->v, cap * sizeof *v);
        if (!v)
            return -1;
        s->v = v;
        s->cap = cap;
    }
    l->pos = s->n;
    s->v[s->n++] = l;
    return 0;
}

void exec_live_del(struct exec_liveset *s, struct exec_live *l) {
    struct exec_live *last = s->v[--s->n];
    s->v[l->pos] = last;
    last->pos = l->pos;
}

/* A zeroed record for a new allocation: a spare one, else a new one. */
static struct exec_live *live_new(struct executor *x) {
    struct exec_live *l = x->spare;
    if (!l)
        return calloc(1, sizeof *l);
    x->spare = l->hnext;
    memset(l, 0, sizeof *l);
    return l;
}

void exec_live_retire(struct executor *x, struct exec_live *l) {
    l->hnext = x->spare;
    x->spare = l;
}

void exec_live_free_spares(struct executor *x) {
    while (x->spare) {
        struct exec_live *l = x->spare;
        x->spare = l->hnext;
        free(l);
    }
}

void exec_live_free_all(struct exec_liveset *s) {
    for (uint32_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
    memset(s, 0, sizeof *s);
}

int exec_contained(struct executor *x, void *ptr, uint64_t size,
                   struct kernel_block_info *b) {
    uintptr_t p = (uintptr_t)ptr;
    /* A block a lookaside list caches is the list's, not the caller's. */
    if (kernel_find_block(x->k, ptr, b)) {
        if (!kernel_block_in_use(x->k, b->id))
            return 0;
        uint64_t room = (uint64_t)(b->addr + (b->size ? b->size : 0) - p);
        return p >= b->addr && size <= room;
    }
    /* A zero-size buffer may sit one past the end of its block. */
    if (size == 0 && p > 0 && kernel_find_block(x->k, (void *)(p - 1), b))
        return p == b->addr + b->size && kernel_block_in_use(x->k, b->id);
    return 0;
}

/* The content pattern: word j of a buffer is base + j * step, both drawn
 * from the seed (step odd, so no two words of a buffer repeat), written
 * with memcpy in the aligned middle and byte by byte at the edges; write
 * and verify use the same split, so they agree on any byte order. An
 * arithmetic progression costs one addition a word, which the compiler
 * vectorizes. */
VPCERT_WRAPS static uint64_t pattern_base(uint32_t seed) {
    return (uint64_t)seed * 0x9E3779B97F4A7C15ull + 0x2545F4914F6CDD1Dull;
}

VPCERT_WRAPS static uint64_t pattern_step(uint32_t seed) {
    return ((uint64_t)seed * 0xBF58476D1CE4E5B9ull) | 1u;
}

VPCERT_WRAPS static uint64_t pattern_word(uint32_t seed, uint64_t j) {
    return pattern_base(seed) + j * pattern_step(seed);
}

static uint8_t pattern_byte(uint32_t seed, uint64_t i) {
    return (uint8_t)(pattern_word(seed, i >> 3) >> (8 * (i & 7)));
}

#define PATTERN_CHUNK 32u /* words verified between two checks */

/* Write the words of [i, end) (i a multiple of 8, end - i too). */
VPCERT_WRAPS static void pattern_words_write(unsigned char *p, uint32_t seed,
                                             uint64_t i, uint64_t end) {
    uint64_t w = pattern_word(seed, i >> 3), step = pattern_step(seed);
    for (; i < end; i += 8, w += step)
        memcpy(p + i, &w, 8);
}

/* The first differing byte of the words of [i, end), or UINT64_MAX. */
VPCERT_WRAPS static uint64_t pattern_words_verify(const unsigned char *p,
                                                  uint32_t seed, uint64_t i,
                                                  uint64_t end) {
    uint64_t step = pattern_step(seed);
    while (i < end) {
        uint64_t stop =
            end - i > 8 * PATTERN_CHUNK ? i + 8 * PATTERN_CHUNK : end;
        uint64_t w = pattern_word(seed, i >> 3), diff = 0;
        for (uint64_t k = i; k < stop; k += 8, w += step) {
            uint64_t got;
            memcpy(&got, p + k, 8);
            diff |= got ^ w;
        }
        for (uint64_t b = i; diff && b < stop; b++)
            if (p[b] != pattern_byte(seed, b))
                return b;
        i = stop;
    }
    return UINT64_MAX;
}

/* Write (verify = 0) or find the first differing byte (verify = 1) of
 * [from, from + len); returns that offset, or UINT64_MAX. */
static uint64_t pattern_range(unsigned char *p, uint32_t seed, uint64_t from,
                              uint64_t len, int verify) {
    uint64_t i = from, end = from + len;
    uint64_t mid = (from + 7) & ~(uint64_t)7, mid_end = end & ~(uint64_t)7;
    if (mid > end || mid_end < mid)
        mid = mid_end = end; /* no whole word: bytes only */
    for (; i < mid; i++) {
        if (!verify)
            p[i] = pattern_byte(seed, i);
        else if (p[i] != pattern_byte(seed, i))
            return i;
    }
    if (!verify) {
        pattern_words_write(p, seed, mid, mid_end);
    } else {
        uint64_t bad = pattern_words_verify(p, seed, mid, mid_end);
        if (bad != UINT64_MAX)
            return bad;
    }
    for (i = mid_end; i < end; i++) {
        if (!verify)
            p[i] = pattern_byte(seed, i);
        else if (p[i] != pattern_byte(seed, i))
            return i;
    }
    return UINT64_MAX;
}

/* The windows of l that vpcert writes: all of it up to the write limit,
 * else the first and last WINDOW bytes. */
static int windows(const struct executor *x, const struct exec_live *l,
                   uint64_t start[2], uint64_t len[2]) {
    if (l->size <= x->o->write_limit || l->size <= 2 * WINDOW) {
        start[0] = 0;
        len[0] = l->size;
        return 1;
    }
    start[0] = 0;
    len[0] = WINDOW;
    start[1] = l->size - WINDOW;
    len[1] = WINDOW;
    return 2;
}

/* The seed of the n-th allocation's pattern: n spread over 32 bits
 * (Knuth's multiplicative hash, modulo 2^32). */
VPCERT_WRAPS static uint32_t pattern_seed(uint32_t n) {
    return n * 2654435761u;
}

void exec_pattern_write(struct executor *x, struct exec_live *l) {
    uint64_t st[2], ln[2];
    l->seed = pattern_seed(++x->next_seed);
    exec_trace_live(x, l, EXEC_TR_FILL);
    int n = windows(x, l, st, ln);
    for (int w = 0; w < n; w++)
        pattern_range(l->ptr, l->seed, st[w], ln[w], 0);
}

int exec_pattern_verify(struct executor *x, struct exec_live *l) {
    uint64_t st[2], ln[2];
    const unsigned char *p = l->ptr;
    exec_trace_live(x, l, EXEC_TR_VERIFY);
    int n = windows(x, l, st, ln);
    for (int w = 0; w < n; w++) {
        uint64_t i = pattern_range(l->ptr, l->seed, st[w], ln[w], 1);
        if (i == UINT64_MAX)
            continue;
        char obs[96];
        snprintf(obs, sizeof obs, "byte %llu of %llu changed to 0x%02x",
                 (unsigned long long)i, (unsigned long long)l->size, p[i]);
        exec_find(x, "BUF-4", "contents as written by the caller", obs,
                  "the implementation wrote into memory it had handed out");
        return 0;
    }
    return 1;
}

struct exec_live *exec_hand_out(struct executor *x, void *ptr, uint64_t size,
                                const struct kernel_block_info *b) {
    struct exec_live *l = live_new(x);
    if (!l) {
        exec_fail(x, EXEC_ERR_HOST, "vpcert ran out of memory");
        return NULL;
    }
    l->ptr = ptr;
    l->size = size;
    l->slot = b->slot;
    l->block_id = b->id;
    l->block_start = b->addr;
    l->block_end = b->addr + (b->size ? b->size : 1);
    uintptr_t start = (uintptr_t)ptr, end = start + (size ? size : 1);
    const struct exec_live *clash =
        exec_handed_overlap(&x->handed, l->slot, start, end, NULL);
    if (clash) {
        char obs[96];
        snprintf(obs, sizeof obs, "[%#lx, +%llu) overlaps [%#lx, %#lx)",
                 (unsigned long)start, (unsigned long long)size,
                 (unsigned long)(uintptr_t)clash->ptr,
                 (unsigned long)((uintptr_t)clash->ptr +
                                 (clash->size ? clash->size : 1)));
        exec_find(x, "BUF-3", "disjoint from every live allocation", obs,
                  "two live allocations share memory");
        exec_live_retire(x, l);
        return NULL;
    }
    if (exec_handed_add(&x->handed, l) != 0) {
        exec_fail(x, EXEC_ERR_HOST, "vpcert ran out of memory");
        exec_live_retire(x, l);
        return NULL;
    }
    return l;
}

void exec_check_given_back(struct executor *x, const struct exec_live *l,
                           const char *clause) {
    /* Given back to the pool, or to a lookaside list that caches it. */
    if (!kernel_block_in_use(x->k, l->block_id))
        return;
    if (exec_handed_overlap(&x->handed, l->slot, l->block_start, l->block_end,
                            l))
        return; /* the block still backs another live allocation */
    char obs[96];
    snprintf(obs, sizeof obs, "block #%llu of %llu bytes still live",
             (unsigned long long)l->block_id,
             (unsigned long long)(l->block_end - l->block_start));
    exec_find(x, clause, "backing block freed", obs,
              "the allocation was given back but its pool block was not");
}
