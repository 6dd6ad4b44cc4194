/*
 * kernel_block.c: the memory behind pool blocks. Placement (HS-ALIGN-1),
 * fill (HS-FILL-1), guard bytes (KP-OVR-1), the quarantine of freed blocks
 * (KP-FREE-2) and the intrusive lists the shim keeps its blocks on.
 *
 * Layout of one block's host memory (A = kernel_alignment(type, size)):
 *
 *   base                addr               addr+span        +KN_GUARD_BYTES
 *   |<- 0 or A bytes ->|<- span payload ->|<- guard 0xFD ->|
 *
 * base is A-aligned; addr is base or base + A, whichever is congruent to A
 * modulo 2A, so that a block is aligned as guaranteed and never more.
 */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, MAP_NORESERVE */
#endif

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "kernel_internal.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KN_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) && !defined(KN_ASAN)
#define KN_ASAN 1
#endif

#ifdef KN_ASAN
#include <sanitizer/asan_interface.h>
#define KN_ASAN_POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define KN_ASAN_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define KN_ASAN_POISON(p, n) ((void)(p), (void)(n))
#define KN_ASAN_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#if !defined(MAP_ANONYMOUS) && defined(MAP_ANON)
#define MAP_ANONYMOUS MAP_ANON
#endif
#ifndef MAP_NORESERVE
#define MAP_NORESERVE 0
#endif

/* HS-ALIGN-1: what the kernel guarantees, and what the stand-in gives. */
size_t kernel_alignment(int32_t type, uint64_t size) {
    const struct vpcert_pool_type *t = vpcert_pool_type_of(type);
    if (size >= VPCERT_POOL_PAGE)
        return VPCERT_POOL_PAGE;
    return t ? t->align : VPCERT_POOL_ALIGN;
}

uint64_t kn_block_span(const struct kn_block *b) {
    return b->info.size ? b->info.size : 1;
}

struct kn_block *kn_block_of_range(const struct rmap_node *n) {
    return (struct kn_block *)((char *)n - offsetof(struct kn_block, range));
}

/* Get len bytes aligned to align (a power of two dividing the page size)
 * from mmap (lazily backed) or aligned_alloc. 0 if the host refuses. */
static int kn_host_get(struct kn_host *h, size_t len, size_t align,
                       int mapped) {
    h->mapped = mapped;
    if (mapped) {
        void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        h->base = p == MAP_FAILED ? NULL : p;
        h->len = len;
    } else {
        h->len = (len + align - 1) & ~(align - 1);
        h->base = aligned_alloc(align, h->len);
    }
    return h->base != NULL;
}

static void kn_host_put(struct kn_host *h) {
    if (h->mapped)
        munmap(h->base, h->len);
    else
        free(h->base);
    h->base = NULL;
}

/* HS-ALIGN-1 ("and no more"): the address in [base, base + A] aligned to A
 * but not to 2A, pages included (4096 but not 8192 aligned). */
static uintptr_t kn_place(uintptr_t base, size_t align) {
    return (base & (2 * align - 1)) == align ? base : base + align;
}
/* HS-FILL-1: fresh memory is not zeroed. A block above 64 KiB gets its
 * first 64 KiB and last 4 KiB filled (what vpcert and most implementations
 * touch first), so that its untouched middle costs no page faults, and a
 * lazily mapped one no memory. */
static void kn_fill(uintptr_t addr, uint64_t span, int whole,
                    unsigned char byte) {
    const uint64_t head = 64u << 10, tail = 4u << 10;
    if (whole || span <= head + tail) {
        memset((void *)addr, byte, (size_t)span);
        return;
    }
    memset((void *)addr, byte, (size_t)head);
    memset((void *)(addr + span - tail), byte, (size_t)tail);
}

struct kn_block *kn_block_new(const struct kernel *k, int32_t type,
                              uint64_t size) {
    size_t align = kernel_alignment(type, size);
    uint64_t span = size ? size : 1; /* KP-ZERO-1: served as one byte */
    if (span > SIZE_MAX - 2 * align - KN_GUARD_BYTES)
        return NULL; /* the host cannot address it: KN_RF_HOST */
    struct kn_block *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    int mapped = size >= k->cfg.mmap_threshold;
    if (!kn_host_get(&b->host, align + (size_t)span + KN_GUARD_BYTES, align,
                     mapped)) {
        free(b);
        return NULL;
    }
    uintptr_t addr = kn_place((uintptr_t)b->host.base, align);
    b->info.addr = addr;
    b->info.size = size;
    b->info.type = type;
    b->range.start = addr;
    b->range.end = addr + (uintptr_t)span;
    if (k->cfg.fill) /* HS-FILL-1: whole up to 64 KiB, else head and tail */
        kn_fill(addr, span, size <= (64u << 10), KN_FILL_BYTE);
    memset((void *)(addr + span), KN_GUARD_BYTE, KN_GUARD_BYTES); /* KP-OVR-1 */
    return b;
}

/* KP-OVR-1: the KN_GUARD_BYTES after the payload still hold the pattern. */
int kn_guard_intact(const struct kn_block *b) {
    const unsigned char *g =
        (const unsigned char *)(b->info.addr + kn_block_span(b));
    for (size_t i = 0; i < KN_GUARD_BYTES; i++)
        if (g[i] != KN_GUARD_BYTE)
            return 0;
    return 1;
}

/* Bytes of a freed payload the shim poisons with 0xDD / for ASan. */
static size_t kn_poison_len(const struct kn_block *b, size_t max) {
    uint64_t span = kn_block_span(b);
    return span < max ? (size_t)span : max;
}

void kn_block_release(struct kn_block *b) {
    if (!b->host.mapped) /* only heap blocks are ever poisoned */
        KN_ASAN_UNPOISON((void *)b->info.addr,
                         kn_poison_len(b, KN_ASAN_POISON_MAX));
    kn_host_put(&b->host);
    free(b);
}

/* Release the oldest block of quarantine FIFO f to the host. */
static void kn_quarantine_pop(struct kernel *k, int f) {
    struct kn_block *b = k->q[f].head;
    if (!b)
        return;
    k->q[f].head = b->q_next;
    if (!k->q[f].head)
        k->q[f].tail = NULL;
    k->q[f].count--;
    rmap_remove(&k->quar, &b->range);
    VPCERT_INVARIANT(f || k->q_bytes >= kn_block_span(b));
    if (!f)
        k->q_bytes -= kn_block_span(b);
    kn_block_release(b);
}

/* KP-FREE-2: a freed block keeps its address (so a second free is
 * recognized) until quarantine_max younger blocks of its kind have been
 * freed after it. A heap block keeps its memory, poisoned (a use after
 * free reads 0xDD or trips ASan), and heap blocks are also bounded by
 * KN_QUARANTINE_BYTES. A lazily mapped block gives its pages back and stays
 * as a reserved, inaccessible range (a use after free faults at once): it
 * costs no memory, so a double free of a huge block is KP-FREE-2 too. */
void kn_quarantine_push(struct kernel *k, struct kn_block *b) {
    void *p = (void *)b->info.addr;
    int f = b->host.mapped;
    if (f && mmap(b->host.base, b->host.len, PROT_NONE,
                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1,
                  0) == MAP_FAILED)
        memset(p, KN_POISON_BYTE, kn_poison_len(b, KN_POISON_MAX));
    if (!f) {
        memset(p, KN_POISON_BYTE, kn_poison_len(b, KN_POISON_MAX));
        KN_ASAN_POISON(p, kn_poison_len(b, KN_ASAN_POISON_MAX));
    }
    /* A freed block's range cannot clash with a quarantined one: a range
     * stays reserved (its memory is not given back) while quarantined. */
    int clash = rmap_insert(&k->quar, &b->range, NULL);
    VPCERT_INVARIANT(clash == 0);
    b->q_next = NULL;
    if (k->q[f].tail)
        k->q[f].tail->q_next = b;
    else
        k->q[f].head = b;
    k->q[f].tail = b;
    k->q[f].count++;
    if (!f)
        k->q_bytes += kn_block_span(b);
    /* The newest block always stays. */
    while (k->q[f].count > k->cfg.quarantine_max ||
           (!f && k->q[f].count > 1 && k->q_bytes > KN_QUARANTINE_BYTES))
        kn_quarantine_pop(k, f);
}

void kn_quarantine_drain(struct kernel *k) {
    for (int f = 0; f < 2; f++)
        while (k->q[f].head)
            kn_quarantine_pop(k, f);
}

static struct kn_link *kn_link_of(struct kn_block *b, size_t link_off) {
    return (struct kn_link *)((char *)b + link_off);
}

void kn_list_append(struct kn_list *l, struct kn_block *b, size_t link_off) {
    struct kn_link *lk = kn_link_of(b, link_off);
    lk->prev = l->tail;
    lk->next = NULL;
    if (l->tail)
        kn_link_of(l->tail, link_off)->next = b;
    else
        l->head = b;
    l->tail = b;
}

void kn_list_unlink(struct kn_list *l, struct kn_block *b, size_t link_off) {
    struct kn_link *lk = kn_link_of(b, link_off);
    VPCERT_INVARIANT(lk->prev ? kn_link_of(lk->prev, link_off)->next == b
                              : l->head == b);
    if (lk->prev)
        kn_link_of(lk->prev, link_off)->next = lk->next;
    else
        l->head = lk->next;
    if (lk->next)
        kn_link_of(lk->next, link_off)->prev = lk->prev;
    else
        l->tail = lk->prev;
    lk->prev = NULL;
    lk->next = NULL;
}

struct kn_block *kn_list_next(const struct kn_block *b, size_t link_off) {
    return kn_link_of((struct kn_block *)b, link_off)->next;
}

/* HS-ZERO-1: a heap block's host memory is arbitrary, so all of it is
 * zeroed; a lazily mapped block comes zeroed from the host, so only what
 * the fill wrote is. */
void kn_block_zero(struct kn_block *b, const struct kernel *k) {
    uint64_t span = kn_block_span(b);
    if (!b->host.mapped)
        memset((void *)b->info.addr, 0, (size_t)span);
    else if (k->cfg.fill)
        kn_fill(b->info.addr, span, 0, 0);
}

void kn_block_repaint(struct kn_block *b, unsigned char byte) {
    memset((void *)b->info.addr, byte, kn_poison_len(b, KN_POISON_MAX));
}
