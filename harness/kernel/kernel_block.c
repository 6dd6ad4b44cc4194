/*
 * kernel_block.c: pool blocks in their arena slots (kernel_arena.c).
 * Placement (HS-ALIGN-1), fill (HS-FILL-1), guard bytes (KP-OVR-1), the
 * quarantine of freed blocks (KP-FREE-2) and the intrusive lists the
 * kernel stand-in keeps its blocks on.
 *
 * Layout of one block in its slot (A = kernel_alignment(type, size)):
 *
 *   slot start         addr               addr+span        +KN_GUARD_BYTES
 *   |<- A bytes ------>|<- span payload ->|<- guard 0xFD ->|<- rest ->|
 *
 * The slot start is a multiple of 2A, so addr is aligned to A and never
 * to 2A: as guaranteed and no more. Every cost here is bounded: a block
 * of any size is filled, guarded and poisoned on at most a few KiB.
 * Under ASan, a heap-class slot's bytes before the block and up to
 * KN_ASAN_REDZONE bytes after its guard are poisoned while the slot is
 * used, and the poisoned head of a freed block stays poisoned until the
 * slot is used again, so ASan reports a stray access at once.
 */
#include <string.h>
#include <sys/mman.h>

#include "kernel_internal.h"

#define KN_ASAN_REDZONE 1024u /* poisoned bytes after a heap block's guard */

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

/* HS-FILL-1: fresh memory is not zeroed. A block up to KN_FILL_WHOLE is
 * filled whole; a larger one its first KN_FILL_HEAD and last KN_FILL_TAIL
 * bytes (where headers, trailers and the caller's first writes go), so the
 * fill costs the same for every size and a huge block's middle no memory. */
static void kn_fill(uintptr_t addr, uint64_t span) {
    if (span <= KN_FILL_WHOLE) {
        memset((void *)addr, KN_FILL_BYTE, (size_t)span);
        return;
    }
    memset((void *)addr, KN_FILL_BYTE, KN_FILL_HEAD);
    memset((void *)(addr + span - KN_FILL_TAIL), KN_FILL_BYTE, KN_FILL_TAIL);
}

/* Under ASan: poison a heap-class slot around its block (see the top). */
static void kn_redzones(struct kn_block *b) {
#ifdef KN_ASAN
    uintptr_t guard_end = b->info.addr + kn_block_span(b) + KN_GUARD_BYTES;
    uint64_t rest = b->slot.start + b->slot.size - guard_end;
    b->slot.redzone =
        (uint32_t)(rest < KN_ASAN_REDZONE ? rest : KN_ASAN_REDZONE);
    b->slot.fenced = 1;
    KN_ASAN_POISON((void *)b->slot.start, b->info.addr - b->slot.start);
    KN_ASAN_POISON((void *)guard_end, b->slot.redzone);
#else
    (void)b;
#endif
}

void kn_block_unpoison(struct kn_block *b) {
#ifdef KN_ASAN
    if (b->slot.fenced) {
        uintptr_t guard_end = b->info.addr + kn_block_span(b) + KN_GUARD_BYTES;
        KN_ASAN_UNPOISON((void *)b->slot.start, b->info.addr - b->slot.start);
        KN_ASAN_UNPOISON((void *)guard_end, b->slot.redzone);
        b->slot.fenced = 0;
        b->slot.redzone = 0;
    }
    if (b->slot.poisoned) {
        KN_ASAN_UNPOISON((void *)b->info.addr, b->slot.poisoned);
        b->slot.poisoned = 0;
    }
#else
    (void)b; /* nothing is ever poisoned */
#endif
}

struct kn_block *kn_block_new(struct kernel *k, int32_t type, uint64_t size) {
    size_t align = kernel_alignment(type, size);
    uint64_t span = size ? size : 1; /* KP-ZERO-1: served as one byte */
    if (span > KN_BLOCK_MAX)
        return NULL; /* the host does not back it: KN_RF_HOST */
    int mapped = size >= k->cfg.page_threshold;
    struct kn_block *b = kn_slot_take(k->arena, align + span + KN_GUARD_BYTES,
                                      2 * align, mapped);
    if (!b)
        return NULL;
    uintptr_t addr = b->slot.start + align; /* HS-ALIGN-1: A, not 2A */
    b->info.addr = addr;
    b->info.size = size;
    b->info.type = type;
    b->info.slot = b->slot.start;
    b->taker = 0; /* a record may be reused: no list has handed this on */
    b->range.start = addr;
    b->range.end = addr + (uintptr_t)span;
    if (k->cfg.fill) /* HS-FILL-1 */
        kn_fill(addr, span);
    memset((void *)(addr + span), KN_GUARD_BYTE, KN_GUARD_BYTES); /* KP-OVR-1 */
    if (mapped)
        kn_slot_index(k->arena, b, 1);
    else
        kn_redzones(b);
    return b;
}

/* KP-OVR-1: the KN_GUARD_BYTES after the payload still hold the pattern. */
int kn_guard_intact(const struct kn_block *b) {
    return kn_guard_intact_at(b->info.addr, kn_block_span(b));
}

int kn_guard_intact_at(uintptr_t addr, uint64_t span) {
    _Static_assert(KN_GUARD_BYTES == 32, "one initializer per guard byte");
    static const unsigned char guard[KN_GUARD_BYTES] = {
        KN_GUARD_BYTE, KN_GUARD_BYTE, KN_GUARD_BYTE, KN_GUARD_BYTE,
        KN_GUARD_BYTE, KN_GUARD_BYTE, KN_GUARD_BYTE, KN_GUARD_BYTE,
        KN_GUARD_BYTE, KN_GUARD_BYTE, KN_GUARD_BYTE, KN_GUARD_BYTE,
        KN_GUARD_BYTE, KN_GUARD_BYTE, KN_GUARD_BYTE, KN_GUARD_BYTE,
        KN_GUARD_BYTE, KN_GUARD_BYTE, KN_GUARD_BYTE, KN_GUARD_BYTE,
        KN_GUARD_BYTE, KN_GUARD_BYTE, KN_GUARD_BYTE, KN_GUARD_BYTE,
        KN_GUARD_BYTE, KN_GUARD_BYTE, KN_GUARD_BYTE, KN_GUARD_BYTE,
        KN_GUARD_BYTE, KN_GUARD_BYTE, KN_GUARD_BYTE, KN_GUARD_BYTE};
    return memcmp((const void *)(addr + span), guard, KN_GUARD_BYTES) == 0;
}

/* Bytes of a freed heap-class payload poisoned with 0xDD and for ASan. */
static size_t kn_poison_len(const struct kn_block *b) {
    uint64_t span = kn_block_span(b);
    return span < KN_POISON_MAX ? (size_t)span : KN_POISON_MAX;
}

void kn_block_release(struct kernel *k, struct kn_block *b) {
    if (b->slot.mapped)
        kn_slot_index(k->arena, b, 0);
    kn_slot_give(k->arena, b);
}

struct kn_block *kn_live_at(const struct kernel *k, uintptr_t p) {
    struct kn_block *b = kn_arena_find(k->arena, p);
    return b && b->slot.state == KN_SLOT_LIVE ? b : NULL;
}

/* Release the oldest block of quarantine FIFO f: its slot is free. Only
 * kn_quarantine_push pops, while f holds two blocks or more (the newest
 * always stays), so the FIFO is never left empty. */
static void kn_quarantine_pop(struct kernel *k, int f) {
    struct kn_block *b = k->q[f].head;
    VPCERT_INVARIANT(b && b->q_next);
    k->q[f].head = b->q_next;
    k->q[f].count--;
    VPCERT_INVARIANT(f || k->q_bytes >= kn_block_span(b));
    if (!f)
        k->q_bytes -= kn_block_span(b);
    kn_block_release(k, b);
}

/* KP-FREE-2: a freed block keeps its address (so a second free is
 * recognized) until quarantine_max younger blocks of its kind have been
 * freed after it. A heap-class block keeps its memory, its head poisoned
 * (a use after free reads 0xDD or trips ASan), and heap-class blocks are
 * also bounded by KN_QUARANTINE_BYTES. A page-class block is made
 * inaccessible (a use after free faults at once; with fast free its
 * head is poisoned instead) and costs nothing to hold, so a double free of
 * a huge block is KP-FREE-2 too. */
void kn_quarantine_push(struct kernel *k, struct kn_block *b) {
    void *p = (void *)b->info.addr;
    int f = b->slot.mapped;
    VPCERT_INVARIANT(b->slot.state == KN_SLOT_LIVE); /* freed once */
    if (!f || k->fast_free || kn_slot_lock(k->arena, b, 1) != 0)
        memset(p, KN_POISON_BYTE, kn_poison_len(b));
    if (!f) {
        b->slot.poisoned = (uint32_t)kn_poison_len(b);
        KN_ASAN_POISON(p, b->slot.poisoned);
    }
    b->slot.state = KN_SLOT_QUARANTINED;
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

/* HS-ZERO-1: every byte of the block reads zero. Arena memory is reused,
 * so none of it comes zeroed: a heap-class block is cleared with memset; a
 * page-class block's whole pages are given back to the host (they read as
 * zero afterwards and cost no memory) and only its partial first and last
 * pages are cleared, so zeroing a huge block costs what its ends cost. */
void kn_block_zero(struct kn_block *b, const struct kernel *k) {
    (void)k;
    uintptr_t a = b->info.addr, end = a + (uintptr_t)kn_block_span(b);
    uintptr_t lo = (a + 4095) & ~(uintptr_t)4095, hi = end & ~(uintptr_t)4095;
    if (!b->slot.mapped || hi <= lo ||
        madvise((void *)lo, hi - lo, MADV_DONTNEED) != 0) {
        memset((void *)a, 0, end - a);
        return;
    }
    memset((void *)a, 0, lo - a);
    memset((void *)hi, 0, end - hi);
}

void kn_block_repaint(struct kn_block *b, unsigned char byte) {
    memset((void *)b->info.addr, byte, kn_poison_len(b));
}
