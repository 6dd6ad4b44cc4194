/*
 * pool_types: the pool types a driver may pass to VideoPortAllocatePool
 * (VP_POOL_TYPE, numbered as POOL_TYPE) and to ExAllocatePoolWithTag, one
 * row each, with every fact vpcert's checks use about them. This is the
 * only place those facts are stated: the kernel stand-in, the model, the
 * program formats, the executor and the fuzzers read them here.
 *
 * Not part of the ABI an implementation compiles against (video.h does not
 * include it), and never used by shim/: vpcert's own implementation states
 * the facts itself, so that a mistake in this table cannot hide by being
 * shared with the implementation the table is used to check.
 */
#ifndef VPCERT_POOL_TYPES_H
#define VPCERT_POOL_TYPES_H

#ifdef VPCERT_IN_SHIM
#error "pool_types.h is private to vpcert's checks: shim/ states them itself"
#endif

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* X(VALUE, NAME, PAGED, CACHE_ALIGNED), one row per valid type (KP-TYPE-1,
 * CO-4):
 *   VALUE          the number passed (VP_POOL_TYPE == POOL_TYPE)
 *   NAME           its name in the text program form (corpus files use
 *                  these names: never rename one)
 *   PAGED          1: backed by paged pool, 0: by nonpaged pool
 *                  (AP-TYPE-1, AP-TYPE-2, IRQL-1, CO-3)
 *   CACHE_ALIGNED  1: a CacheAligned type (AP-ALIGN-1, HS-ALIGN-1)
 * Rows are in value order, and a row's position is the type selector of the
 * binary program form (harness/program/binary.c): never reorder them. */
#define VPCERT_POOL_TYPE_ROWS(X)                                               \
    X(0, "nonpaged", 0, 0)                                                     \
    X(1, "paged", 1, 0)                                                        \
    X(4, "nonpaged-cache", 0, 1)                                               \
    X(5, "paged-cache", 1, 1)

/* Alignment guarantees (AP-ALIGN-1, HS-ALIGN-1). */
#define VPCERT_POOL_ALIGN 16u       /* every block */
#define VPCERT_POOL_CACHE_ALIGN 64u /* blocks of the CacheAligned types */
#define VPCERT_POOL_PAGE 4096u      /* requests of a page or more: the page */

#define VPCERT_POOL_TYPE_ONE_(v, n, p, c) +1
/* Rows in the table. */
#define VPCERT_POOL_TYPE_COUNT (0 VPCERT_POOL_TYPE_ROWS(VPCERT_POOL_TYPE_ONE_))

/* One row of the table. */
struct vpcert_pool_type {
    uint8_t value;         /* the number passed (0, 1, 4, 5) */
    uint8_t paged;         /* 1: paged pool, 0: nonpaged pool */
    uint8_t cache_aligned; /* 1: a CacheAligned type */
    unsigned align;        /* alignment guaranteed below VPCERT_POOL_PAGE */
    const char *name;      /* name in the text program form */
};

/* Row i of the table (0 .. VPCERT_POOL_TYPE_COUNT - 1), or NULL. */
static inline const struct vpcert_pool_type *vpcert_pool_type_at(size_t i) {
#define VPCERT_POOL_TYPE_ROW_(v, n, p, c)                                      \
    {v, p, c, (c) ? VPCERT_POOL_CACHE_ALIGN : VPCERT_POOL_ALIGN, n},
    static const struct vpcert_pool_type rows[] = {
        VPCERT_POOL_TYPE_ROWS(VPCERT_POOL_TYPE_ROW_)};
#undef VPCERT_POOL_TYPE_ROW_
    return i < sizeof rows / sizeof rows[0] ? &rows[i] : NULL;
}

/* The row of pool type value, or NULL when drivers may not pass it. */
static inline const struct vpcert_pool_type *vpcert_pool_type_of(long value) {
    const struct vpcert_pool_type *t;
    for (size_t i = 0; (t = vpcert_pool_type_at(i)) != NULL; i++)
        if (t->value == value)
            return t;
    return NULL;
}

/* The position of pool type value in the table, or -1 when drivers may
 * not pass it. */
static inline int vpcert_pool_type_index(long value) {
    const struct vpcert_pool_type *t = vpcert_pool_type_of(value);
    return t ? (int)(t - vpcert_pool_type_at(0)) : -1;
}

/* 1 when value is a valid type backed by paged pool, else 0. */
static inline int vpcert_pool_type_paged(long value) {
    const struct vpcert_pool_type *t = vpcert_pool_type_of(value);
    return t && t->paged;
}

/* The row of the type backed by paged (1) or nonpaged (0) pool that is
 * cache-aligned (1) or not (0); every combination has one. */
static inline const struct vpcert_pool_type *
vpcert_pool_type_with(int paged, int cache_aligned) {
    const struct vpcert_pool_type *t;
    for (size_t i = 0; (t = vpcert_pool_type_at(i)) != NULL; i++)
        if (t->paged == (paged != 0) &&
            t->cache_aligned == (cache_aligned != 0))
            return t;
    return NULL;
}

/* The row named name[0..len) in the text form, or NULL. */
static inline const struct vpcert_pool_type *
vpcert_pool_type_named(const char *name, size_t len) {
    const struct vpcert_pool_type *t;
    for (size_t i = 0; (t = vpcert_pool_type_at(i)) != NULL; i++)
        if (strlen(t->name) == len && memcmp(t->name, name, len) == 0)
            return t;
    return NULL;
}

#endif /* VPCERT_POOL_TYPES_H */
