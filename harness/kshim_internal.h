/*
 * kshim_internal.h: the kernel shim's state and the functions its files
 * share. Names: kshim_* public (kshim.h), ks_* internal across files,
 * static inside one file. Grouped by the file that owns each declaration:
 *   kshim.c        lifecycle, binding, Ex* entry points, injection, accessors
 *   kshim_block.c  backing memory, alignment, fill, guards, quarantine
 *   kshim_event.c  event log, violation/note records, leak and guard reports
 */
#ifndef VPCERT_KSHIM_INTERNAL_H
#define VPCERT_KSHIM_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "kshim.h"
#include "rangemap.h"

#define KS_DEVICES 256u             /* device list heads (uint8_t ids) */
#define KS_QUARANTINE_DEFAULT 1024u /* cfg.quarantine_max when 0 */
#define KS_QUARANTINE_BYTES                                                    \
    (256ull << 20)           /* payload bytes the quarantine may hold */
#define KS_POISON_BYTE 0xDDu /* freed payload pattern */
#define KS_EVENTS_MIN 64u    /* first event array capacity */
/* cfg.mmap_threshold when 0 */
#define KS_MMAP_DEFAULT ((size_t)1 << 20)
/* bytes at the start of a freed block set to KS_POISON_BYTE */
#define KS_POISON_MAX ((size_t)64 << 10)
/* bytes at the start of a freed block poisoned for ASan: the same head that
 * is filled, so that poisoning never touches the shadow of a lazily mapped
 * block's middle (clang's shadow pages stay resident after munmap) */
#define KS_ASAN_POISON_MAX ((size_t)64 << 10)

/* Link of one intrusive doubly linked list. */
struct ks_link {
    struct ks_block *prev; /* previous block, NULL at the head */
    struct ks_block *next; /* next block, NULL at the tail */
};

/* Head of an intrusive list of blocks, oldest first. */
struct ks_list {
    struct ks_block *head; /* oldest block, NULL when empty */
    struct ks_block *tail; /* youngest block, NULL when empty */
};

/* The host memory behind one block. */
struct ks_host {
    void *base; /* what malloc/aligned_alloc/mmap returned */
    size_t len; /* bytes at base (the mmap length) */
    int mapped; /* 1: base came from mmap, 0: from aligned_alloc */
};

/* One pool block: live (in live map, id map and lists) or quarantined (in
 * quarantine map and FIFO). Blocks are owned by the struct kshim. */
struct ks_block {
    struct rmap_node range;  /* [addr, addr + max(size,1)): live or quar map */
    struct rmap_node idnode; /* [id, id + 1) in the id map while live */
    struct ks_link all;      /* allocation-order list of live blocks */
    struct ks_link dev;      /* per-device list of live blocks */
    struct ks_block *q_next; /* younger neighbour in the quarantine FIFO */
    struct ks_host host;     /* backing memory */
    struct kshim_block_info info; /* public description of the block */
};

/* Injected failures (HS-INJ-1). */
struct ks_inject {
    uint32_t next;                  /* requests still to refuse */
    uint64_t above;                 /* refuse size > above; UINT64_MAX: off */
    size_t ntags;                   /* tags in use in tags[] */
    ULONG tags[KS_INJECT_TAGS_MAX]; /* tags to refuse */
};

/* Growable event log. */
struct ks_events {
    struct kshim_event *v; /* events, oldest first */
    size_t n;              /* events recorded */
    size_t cap;            /* entries allocated in v */
    size_t lost;           /* events not recorded for lack of host memory */
};

struct kshim {
    struct kshim_config cfg; /* configuration, defaults resolved */
    KIRQL irql;              /* IRQL KeGetCurrentIrql reports */
    uint8_t device;          /* context device, KS_NO_DEVICE if none */
    uint64_t used[2];        /* live bytes per pool (0-byte blocks count 1) */
    uint64_t requests;       /* ExAllocatePoolWithTag calls */
    uint64_t next_id;        /* serial of the next block, from 1 */
    struct rmap live;        /* live blocks by address range */
    struct rmap ids;         /* live blocks by block id */
    struct rmap quar;        /* quarantined blocks by address range */
    struct ks_list all;      /* live blocks in allocation order */
    struct ks_list devs[KS_DEVICES]; /* live blocks per device */
    struct ks_fifo {
        struct ks_block *head; /* oldest quarantined block (released first) */
        struct ks_block *tail; /* youngest quarantined block */
        size_t count;          /* blocks in this FIFO */
    } q[2];           /* quarantine FIFOs: [0] heap blocks, [1] mapped blocks */
    uint64_t q_bytes; /* payload bytes held by the quarantine */
    struct ks_inject inj; /* injected failures */
    struct ks_events ev;  /* event log */
};

/* ---- kshim_block.c ---- */
/* A fresh block of size bytes with host memory, guard and fill, not yet
 * linked anywhere; NULL if the host refuses. */
struct ks_block *ks_block_new(const struct kshim *k, int32_t type,
                              uint64_t size);
/* Bytes the block occupies in the maps and the pool (max(size,1)). */
uint64_t ks_block_span(const struct ks_block *b);
/* 1 if the guard bytes after the block are intact. */
int ks_guard_intact(const struct ks_block *b);
/* Poison b and put it in the quarantine; releases the oldest if full. */
void ks_quarantine_push(struct kshim *k, struct ks_block *b);
/* Release every quarantined block to the host. */
void ks_quarantine_drain(struct kshim *k);
/* Give b's memory back to the host and free the record. */
void ks_block_release(struct ks_block *b);
/* Link/unlink a block in a list by its link member (all or dev). */
void ks_list_append(struct ks_list *l, struct ks_block *b, size_t link_off);
void ks_list_unlink(struct ks_list *l, struct ks_block *b, size_t link_off);
struct ks_block *ks_list_next(const struct ks_block *b, size_t link_off);
/* The block record of a node of the live or quarantine map. */
struct ks_block *ks_block_of_range(const struct rmap_node *n);

/* ---- kshim_event.c ---- */
/* An event of this kind with the context (irql, device) filled in and no
 * block: pool KS_NO_POOL, type -1. */
struct kshim_event ks_event_ctx(const struct kshim *k, uint8_t kind);
/* The same, describing block b (addr, size, type, pool, tag, id). */
struct kshim_event ks_event_block(const struct kshim *k, uint8_t kind,
                                  const struct ks_block *b);
/* Append an event (counted as lost if the host refuses memory). */
void ks_event_push(struct kshim *k, const struct kshim_event *ev);
/* Append ev as a violation/note citing clause with detail. */
void ks_event_cite(struct kshim *k, struct kshim_event ev, uint8_t kind,
                   const char *clause, const char *detail);
/* Free the event array. */
void ks_events_destroy(struct kshim *k);

#endif /* VPCERT_KSHIM_INTERNAL_H */
