/*
 * kernel_internal.h: the kernel stand-in's state and the functions its files
 * share. Names: kernel_* public (kernel.h), kn_* internal across files,
 * static inside one file. Grouped by the file that owns each declaration:
 *   kernel.c        lifecycle, binding, Ex* entry points, injection, accessors
 *   kernel_block.c  backing memory, alignment, fill, guards, quarantine
 *   kernel_event.c  event log, violation/note records, leak and guard reports
 */
#ifndef VPCERT_KERNEL_INTERNAL_H
#define VPCERT_KERNEL_INTERNAL_H

#ifndef VPCERT_IN_KERNEL
#error "kernel_internal.h is private to harness/kernel/"
#endif

#include <stddef.h>
#include <stdint.h>

#include "kernel.h"
#include "rangemap.h"

#define KN_DEVICES 256u             /* device list heads (uint8_t ids) */
#define KN_QUARANTINE_DEFAULT 1024u /* cfg.quarantine_max when 0 */
#define KN_QUARANTINE_BYTES                                                    \
    (256ull << 20)           /* payload bytes the quarantine may hold */
#define KN_POISON_BYTE 0xDDu /* freed payload pattern */
#define KN_EVENTS_MIN 64u    /* first event array capacity */
/* cfg.mmap_threshold when 0 */
#define KN_MMAP_DEFAULT ((size_t)1 << 20)
/* bytes at the start of a freed block set to KN_POISON_BYTE */
#define KN_POISON_MAX ((size_t)64 << 10)
/* bytes at the start of a freed block poisoned for ASan: the same head that
 * is filled, so that poisoning never touches the shadow of a lazily mapped
 * block's middle (clang's shadow pages stay resident after munmap) */
#define KN_ASAN_POISON_MAX ((size_t)64 << 10)

/* Link of one intrusive doubly linked list. */
struct kn_link {
    struct kn_block *prev; /* previous block, NULL at the head */
    struct kn_block *next; /* next block, NULL at the tail */
};

/* Head of an intrusive list of blocks, oldest first. */
struct kn_list {
    struct kn_block *head; /* oldest block, NULL when empty */
    struct kn_block *tail; /* youngest block, NULL when empty */
};

/* The host memory behind one block. */
struct kn_host {
    void *base; /* what malloc/aligned_alloc/mmap returned */
    size_t len; /* bytes at base (the mmap length) */
    int mapped; /* 1: base came from mmap, 0: from aligned_alloc */
};

/* One pool block: live (in live map, id map and lists) or quarantined (in
 * quarantine map and FIFO). Blocks are owned by the struct kernel. */
struct kn_block {
    struct rmap_node range;  /* [addr, addr + max(size,1)): live or quar map */
    struct rmap_node idnode; /* [id, id + 1) in the id map while live */
    struct kn_link all;      /* allocation-order list of live blocks */
    struct kn_link dev;      /* per-device list of live blocks */
    struct kn_block *q_next; /* younger neighbour in the quarantine FIFO */
    struct kn_host host;     /* backing memory */
    struct kernel_block_info info; /* public description of the block */
};

/* Injected failures (HS-INJ-1). */
struct kn_inject {
    uint32_t next;                  /* requests still to refuse */
    uint64_t above;                 /* refuse size > above; UINT64_MAX: off */
    size_t ntags;                   /* tags in use in tags[] */
    ULONG tags[KN_INJECT_TAGS_MAX]; /* tags to refuse */
};

/* Growable event log. */
struct kn_events {
    struct kernel_event *v; /* events, oldest first */
    size_t n;               /* events recorded */
    size_t cap;             /* entries allocated in v */
    size_t lost;            /* events not recorded for lack of host memory */
};

struct kernel {
    struct kernel_config cfg; /* configuration, defaults resolved */
    KIRQL irql;               /* IRQL KeGetCurrentIrql reports */
    uint8_t device;           /* context device, KN_NO_DEVICE if none */
    uint64_t used[2];         /* live bytes per pool (0-byte blocks count 1) */
    uint64_t requests;        /* ExAllocatePoolWithTag calls */
    uint64_t next_id;         /* serial of the next block, from 1 */
    struct rmap live;         /* live blocks by address range */
    struct rmap ids;          /* live blocks by block id */
    struct rmap quar;         /* quarantined blocks by address range */
    struct kn_list all;       /* live blocks in allocation order */
    struct kn_list devs[KN_DEVICES]; /* live blocks per device */
    struct kn_fifo {
        struct kn_block *head; /* oldest quarantined block (released first) */
        struct kn_block *tail; /* youngest quarantined block */
        size_t count;          /* blocks in this FIFO */
    } q[2];           /* quarantine FIFOs: [0] heap blocks, [1] mapped blocks */
    uint64_t q_bytes; /* payload bytes held by the quarantine */
    struct kn_inject inj; /* injected failures */
    struct kn_events ev;  /* event log */
};

/* ---- kernel_block.c ---- */
/* A fresh block of size bytes with host memory, guard and fill, not yet
 * linked anywhere; NULL if the host refuses. */
struct kn_block *kn_block_new(const struct kernel *k, int32_t type,
                              uint64_t size);
/* Bytes the block occupies in the maps and the pool (max(size,1)). */
uint64_t kn_block_span(const struct kn_block *b);
/* 1 if the guard bytes after the block are intact. */
int kn_guard_intact(const struct kn_block *b);
/* Poison b and put it in the quarantine; releases the oldest if full. */
void kn_quarantine_push(struct kernel *k, struct kn_block *b);
/* Release every quarantined block to the host. */
void kn_quarantine_drain(struct kernel *k);
/* Give b's memory back to the host and free the record. */
void kn_block_release(struct kn_block *b);
/* Link/unlink a block in a list by its link member (all or dev). */
void kn_list_append(struct kn_list *l, struct kn_block *b, size_t link_off);
void kn_list_unlink(struct kn_list *l, struct kn_block *b, size_t link_off);
struct kn_block *kn_list_next(const struct kn_block *b, size_t link_off);
/* The block record of a node of the live or quarantine map. */
struct kn_block *kn_block_of_range(const struct rmap_node *n);

/* ---- kernel_event.c ---- */
/* An event of this kind with the context (irql, device) filled in and no
 * block: pool KN_NO_POOL, type -1. */
struct kernel_event kn_event_ctx(const struct kernel *k, uint8_t kind);
/* The same, describing block b (addr, size, type, pool, tag, id). */
struct kernel_event kn_event_block(const struct kernel *k, uint8_t kind,
                                   const struct kn_block *b);
/* Append an event (counted as lost if the host refuses memory). */
void kn_event_push(struct kernel *k, const struct kernel_event *ev);
/* Append ev as a violation/note citing clause with detail. */
void kn_event_cite(struct kernel *k, struct kernel_event ev, uint8_t kind,
                   const char *clause, const char *detail);
/* Free the event array. */
void kn_events_destroy(struct kernel *k);

#endif /* VPCERT_KERNEL_INTERNAL_H */
