/*
 * kernel_internal.h: the kernel stand-in's state and the functions its files
 * share. Names: kernel_* public (kernel.h), kn_* internal across files,
 * static inside one file. Grouped by the file that owns each declaration:
 *   kernel.c            lifecycle, binding, the pool allocate and free path
 *                       (ExAllocatePoolWithTag, ExFreePool(WithTag)),
 *                       injection, accessors
 *   kernel_block.c      backing memory, alignment, fill, guards, quarantine
 *   kernel_event.c      event log, violation/note records, leak and guard
 *                       reports
 *   kernel_pool2.c      ExAllocatePool, ExAllocatePoolWithQuotaTag,
 *                       ExAllocatePool2, ExFreePool2
 *   kernel_sync.c       IRQL, spin locks, fast mutexes, end-of-call checks
 *   kernel_lookaside.c  lookaside lists
 *   kernel_debug.c      debug output, bug checks, fatal events,
 *                       VideoPortZeroMemory/MoveMemory
 *   kernel_check.c      the consistency check (the state checks)
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
#include "vpcert/invariant.h"
#include "vpcert/pool_types.h"

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
#define KN_LOCKS_MAX 32u      /* locks held at once that are tracked */
#define KN_LOOKASIDE_DEPTH 4u /* entries a lookaside list caches (HS-LL-1) */

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
    uint32_t lookaside; /* id of the lookaside list it was allocated from or
                           is cached by (LL-2), 0 for none */
    uint8_t cached;     /* 1 while that list's cache holds it */
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

/* A lock held now (LK-1..LK-4). */
struct kn_lock {
    uintptr_t addr; /* address of the KSPIN_LOCK or FAST_MUTEX */
    uint8_t kind;   /* KN_LOCK_SPIN or KN_LOCK_MUTEX */
    KIRQL old_irql; /* IRQL before it was acquired */
};
enum kn_lock_kind { KN_LOCK_SPIN = 1, KN_LOCK_MUTEX = 2 };

/* One lookaside list between its initialization and its deletion. */
struct kn_lookaside {
    uintptr_t addr;           /* the NPAGED/PAGED_LOOKASIDE_LIST */
    uint32_t id;              /* serial number, from 1, never reused */
    uint8_t paged;            /* 1: paged list */
    uint8_t device;           /* context device at initialization */
    uint8_t raise;            /* POOL_RAISE_IF_ALLOCATION_FAILURE given */
    int32_t type;             /* POOL_TYPE of the entries */
    uint64_t size;            /* bytes of an entry */
    ULONG tag;                /* tag of the entries */
    PALLOCATE_FUNCTION alloc; /* caller's allocate function, or NULL */
    PFREE_FUNCTION free;      /* caller's free function, or NULL */
    uint32_t ncached;         /* entries in cache[] */
    void *cache[KN_LOOKASIDE_DEPTH]; /* freed entries kept, newest last */
};

/* The live lookaside lists, a growable array (lists are few). */
struct kn_lookasides {
    struct kn_lookaside *v; /* lists, in initialization order */
    size_t n;               /* lists live */
    size_t cap;             /* entries allocated in v */
    uint32_t next_id;       /* id of the next list, from 1 */
};

/* Debug output captured so far, escaped. */
struct kn_debug {
    char text[KN_DEBUG_MAX]; /* escaped output, not NUL-terminated */
    size_t len;              /* bytes used in text */
    size_t lost;             /* bytes of raw output that did not fit */
    uint8_t full;            /* 1 once something did not fit */
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
    struct kn_inject inj;               /* injected failures */
    struct kn_events ev;                /* event log */
    struct kn_lock locks[KN_LOCKS_MAX]; /* locks held now */
    size_t nlocks;                      /* entries used in locks[] */
    struct kn_lookasides lists;         /* live lookaside lists */
    struct kernel_fatal fatal;          /* what ended a call, if anything */
    kernel_escape_fn escape;            /* where a fatal event goes */
    void *escape_ctx;                   /* passed to escape */
    struct kn_debug debug;              /* captured debug output */
};

/* ---- kernel_exports.c (generated from exports.list) ---- */
typedef void (*kn_fn)(void);          /* any exported call, cast */
extern const kn_fn kn_exports[];      /* every exported kernel call */
extern const size_t kn_exports_count; /* entries in kn_exports */

/* ---- kernel.c ---- */
/* The pool allocation path every allocating call goes through: type
 * (KP-TYPE-1), IRQL (IRQL-1), size (KP-ZERO-1), injection, capacity, host.
 * Returns the block or NULL after recording why. */
void *kn_pool_alloc(struct kernel *k, int32_t type, uint64_t size, ULONG tag);
/* The pool free path every freeing call goes through (tag 0: unchecked). */
void kn_pool_free(struct kernel *k, void *p, ULONG tag);
/* The live block that starts at addr, or NULL. */
struct kn_block *kn_live_block(const struct kernel *k, uintptr_t addr);

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
/* Zero a fresh block's payload (ExAllocatePool2): what the fill wrote and
 * whatever the host did not give zeroed (HS-ZERO-1). */
void kn_block_zero(struct kn_block *b, const struct kernel *k);
/* Fill a block with the poison (cached by a lookaside list) or the fresh
 * pattern (handed out again), up to KN_POISON_MAX bytes. */
void kn_block_repaint(struct kn_block *b, unsigned char byte);

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

/* ---- kernel_sync.c ---- */
/* 1 while a spin lock is held (IRQL-1 names it). */
int kn_spin_lock_held(const struct kernel *k);

/* ---- kernel_lookaside.c ---- */
/* Record LL-1 for every live list of device (KN_NO_DEVICE and above: all
 * lists); returns how many. */
size_t kn_report_lookasides(struct kernel *k, unsigned device);
/* Release the lists' bookkeeping (kernel_delete; blocks are freed there). */
void kn_lookasides_destroy(struct kernel *k);

/* ---- kernel_debug.c ---- */
/* Record a fatal event and end the call through the escape; returns only
 * when no escape is set. */
void kn_fatal(struct kernel *k, const char *clause, const char *what,
              uint32_t code, const uint64_t param[4], uintptr_t addr);
/* EX-1: an exception (STATUS_INSUFFICIENT_RESOURCES) raised by a pool call
 * that nothing catches: the service would not return. */
void kn_raise(struct kernel *k, const char *what);

#endif /* VPCERT_KERNEL_INTERNAL_H */
