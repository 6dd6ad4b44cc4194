/*
 * kernel_check.c: the kernel stand-in's consistency, recomputed from its
 * blocks and compared with what it maintains incrementally (the expensive
 * checks, VPCERT_EXPENSIVE_CHECKS). O(records + KN_DEVICES): the arena's
 * records are the live, quarantined and free slots; and the threads' state,
 * O(locks^2 + events).
 */
#include "kernel_internal.h"

/* The allocation-order list against the maps and the pool accounting. */
static const char *kn_check_live(const struct kernel *k) {
    const size_t off = offsetof(struct kn_block, all);
    uint64_t used[2] = {0, 0};
    size_t n = 0;
    const struct kn_block *prev = NULL;
    for (const struct kn_block *b = k->all.head; b; b = kn_list_next(b, off)) {
        if (b->all.prev != prev)
            return "the live block list's links disagree";
        if (b->info.pool > KN_NONPAGED)
            return "a live block has no pool";
        if (b->slot.state != KN_SLOT_LIVE ||
            kn_arena_find(k->arena, b->info.addr) != b)
            return "a live block is not found at its address";
        if (kn_id_block(k->arena, b->info.id) != b)
            return "a live block is not found by its id";
        used[b->info.pool] += kn_block_span(b);
        prev = b;
        n++;
    }
    if (k->all.tail != prev)
        return "the live block list's tail is not its last block";
    if (n != k->nlive)
        return "the live count differs from the live block list";
    for (int pool = 0; pool < 2; pool++) {
        if (used[pool] != k->used[pool])
            return "used bytes differ from the sum of live block spans";
        if (k->used[pool] > k->cfg.capacity[pool])
            return "used bytes exceed the pool's capacity";
    }
    return NULL;
}

/* Every live block is on the list of its own device, once. */
static const char *kn_check_devices(const struct kernel *k) {
    const size_t off = offsetof(struct kn_block, dev);
    size_t n = 0;
    for (unsigned d = 0; d < KN_DEVICES; d++)
        for (const struct kn_block *b = k->devs[d].head; b;
             b = kn_list_next(b, off), n++)
            if (b->info.device != d)
                return "a block is on another device's list";
    return n == k->nlive ? NULL
                         : "the device lists do not hold every live block";
}

/* The quarantine FIFOs against the arena and the byte count. */
static const char *kn_check_quarantine(const struct kernel *k) {
    uint64_t bytes = 0;
    size_t n[2] = {0, 0};
    for (int f = 0; f < 2; f++)
        for (const struct kn_block *b = k->q[f].head; b; b = b->q_next) {
            if (b->slot.mapped != f)
                return "a block is in the other quarantine FIFO";
            if (b->slot.state != KN_SLOT_QUARANTINED ||
                kn_arena_find(k->arena, b->info.addr) != b)
                return "a quarantined block is not found at its address";
            if (!f)
                bytes += kn_block_span(b);
            n[f]++;
        }
    if (n[0] != k->q[0].count || n[1] != k->q[1].count)
        return "quarantine counts differ from its blocks";
    if (bytes != k->q_bytes)
        return "quarantined bytes differ from the sum of their spans";
    if (n[0] > k->cfg.quarantine_max || n[1] > k->cfg.quarantine_max)
        return "the quarantine holds more than quarantine_max blocks";
    return NULL;
}

/* The threads (HS-THR-1): the current one and every lock's holder is a
 * thread; no lock is held twice (a second acquire waits, or is LK-1); the
 * other threads' saved IRQLs are IRQLs; every event names a thread. */
static const char *kn_check_threads(const struct kernel *k) {
    if (k->thread >= KN_THREADS)
        return "the current thread is no thread";
    for (size_t i = 0; i < k->nlocks; i++) {
        if (k->locks[i].owner >= KN_THREADS)
            return "a held lock's holder is no thread";
        for (size_t j = 0; j < i; j++)
            if (k->locks[j].addr == k->locks[i].addr)
                return "a lock is held twice";
    }
    for (unsigned t = 0; t < KN_THREADS; t++)
        if (t != k->thread && k->cpu[t].irql > HIGH_LEVEL)
            return "another thread's saved IRQL is no IRQL";
    for (size_t i = 0; i < k->ev.n; i++)
        if (k->ev.v[i].thread >= KN_THREADS)
            return "an event names no thread";
    return NULL;
}

const char *kernel_check_consistency(const struct kernel *k) {
    const char *why;
    if (!k)
        return NULL;
    if ((why = rmap_check(&k->arena->map)) != NULL)
        return why;
    if ((why = kn_check_live(k)) != NULL ||
        (why = kn_check_devices(k)) != NULL ||
        (why = kn_check_quarantine(k)) != NULL ||
        (why = kn_check_threads(k)) != NULL)
        return why;
    return kn_arena_check(k->arena, k->nlive, k->q[0].count + k->q[1].count);
}
