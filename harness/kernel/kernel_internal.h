/*
 * kernel_internal.h: the kernel stand-in's state and the functions its files
 * share. Names: kernel_* public (kernel.h), kn_* internal across files,
 * static inside one file. Grouped by the file that owns each declaration:
 *   kernel.c            lifecycle, binding, the pool allocate and free path
 *                       (ExAllocatePoolWithTag, ExFreePool(WithTag)),
 *                       injection, accessors
 *   kernel_arena.c      the address-space reservation, records, ids, lookup
 *   kernel_slots.c      size classes, heap runs, page lanes: where blocks go
 *   kernel_block.c      blocks in slots: alignment, fill, guards, quarantine
 *   kernel_event.c      event log, violation/note records, leak and guard
 *                       reports
 *   kernel_pool2.c      ExAllocatePool, ExAllocatePoolWithQuotaTag,
 *                       ExAllocatePool2, ExFreePool2
 *   kernel_sync.c       IRQL, spin locks, fast mutexes, end-of-call checks,
 *                       threads and the scheduler hook
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
    (256ull << 20)        /* payload bytes the heap quarantine may hold */
#define KN_EVENTS_MIN 64u /* first event array capacity */
/* cfg.page_threshold when 0, and its largest value */
#define KN_PAGE_THRESHOLD_DEFAULT ((size_t)1 << 20)
/* HS-FILL-1: blocks up to KN_FILL_WHOLE bytes are filled whole, larger ones
 * their first KN_FILL_HEAD and last KN_FILL_TAIL bytes */
#define KN_FILL_WHOLE ((size_t)8 << 10)
#define KN_FILL_HEAD ((size_t)4 << 10)
#define KN_FILL_TAIL ((size_t)4 << 10)
/* bytes at the start of a freed heap block set to KN_POISON_BYTE and, under
 * ASan, poisoned: bounded, so that a free costs the same for every size */
#define KN_POISON_MAX ((size_t)4 << 10)
/* HS-CAP-1: the largest block the host backs (a larger request is refused
 * as KN_RF_HOST, on every machine) */
#define KN_BLOCK_MAX ((uint64_t)1 << 40)

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

/* What a slot of the arena holds (kn_slot.state). */
enum kn_slot_state {
    KN_SLOT_FREE = 0,       /* nothing: on its class's free list */
    KN_SLOT_LIVE = 1,       /* a live block */
    KN_SLOT_QUARANTINED = 2 /* a freed block, in the quarantine */
};

/* The arena slot behind one block record. A record stays bound to its slot
 * for the life of the kernel: a free slot is a record on a free list. */
struct kn_slot {
    uintptr_t start;   /* first byte of the slot (the block starts at
                          start + its alignment) */
    uint64_t size;     /* bytes in the slot */
    uint16_t cls;      /* size class (free list) */
    uint8_t mapped;    /* 1: page class (map region), 0: heap class */
    uint8_t state;     /* enum kn_slot_state */
    uint8_t locked;    /* 1: made inaccessible (PROT_NONE) while freed */
    uint8_t lane;      /* 1: a page slot in its class's lane */
    uint8_t fenced;    /* ASan: the bytes before the block and redzone
                          bytes after its guard are poisoned */
    uint32_t redzone;  /* ASan: those bytes after the guard */
    uint32_t poisoned; /* ASan: bytes from info.addr poisoned as freed */
};

/* One pool block: live (indexes and lists) or quarantined (quarantine
 * FIFO), or a free slot's record. Records are owned by the arena. */
struct kn_block {
    struct rmap_node range;  /* [addr, addr + max(size,1)): page-class map */
    struct kn_link all;      /* allocation-order list of live blocks */
    struct kn_link dev;      /* per-device list of live blocks */
    struct kn_block *q_next; /* younger neighbour in the quarantine FIFO, or
                                next record on a free list */
    struct kn_slot slot;     /* where it lives */
    struct kernel_block_info info; /* public description of the block */
    uint32_t lookaside; /* id of the lookaside list it was allocated from or
                           is cached by (LL-2), 0 for none */
    uint8_t cached;     /* 1 while that list's cache holds it */
    uint8_t taker;      /* 1 + the thread a lookaside list's cache last
                           handed it to, 0 if none ever did */
};

/* ---- the arena (kernel_arena.c, kernel_slots.c) ---- */

#define KN_CLASSES 160u                  /* size classes (up to ~1.25 TiB) */
#define KN_LANE_SLOTS 128u               /* page slots of a lane */
#define KN_RUN ((uint64_t)16 << 10)      /* heap run granule and alignment */
#define KN_MAP_ALIGN ((uint64_t)8 << 10) /* page-class slot granule */
#define KN_NO_RUN UINT32_MAX             /* kn_class.run: none */

/* A run: consecutive slots of one size class in the heap region. */
struct kn_run {
    uintptr_t start;          /* first slot */
    uint64_t slot;            /* bytes per slot */
    uint32_t nslots;          /* slots in the run */
    uint32_t cap;             /* entries allocated in blocks[] */
    struct kn_block **blocks; /* record of each slot, NULL: not carved yet */
};

/* Allocation state of one size class of one region. */
struct kn_class {
    struct kn_block *free; /* records of free slots, last freed first */
    uint32_t run;          /* heap: run being carved, KN_NO_RUN if none */
    uint32_t next;         /* heap: next uncarved slot of that run; page:
                              next uncarved slot of the class's lane */
};

/* The page slots of one size class at fixed places of the map region, so
 * that a class's blocks land on the same KN_LANE_SLOTS slots in every run
 * (pages and page tables already there, nothing new touched); a kernel
 * carves them in order, past those earlier kernels left locked. */
struct kn_lane {
    uint64_t off;                        /* map offset, UINT64_MAX: none */
    uint64_t locked[KN_LANE_SLOTS / 64]; /* slots left inaccessible (by
                                            this or an earlier kernel) */
};

struct kn_arena {
    struct kn_arena *next_idle; /* the next idle arena (kn_arena_put) */
    void *res;                  /* what mmap returned (KN_RUN bytes more) */
    uintptr_t base;             /* heap region start: res aligned to KN_RUN */
    uint64_t heap_bytes;        /* bytes of the heap region */
    uint64_t map_bytes;         /* bytes of the map region after it */
    uint32_t *runmap;    /* per KN_RUN granule of the heap: run index + 1 */
    struct kn_run *runs; /* runs, in carving order */
    uint32_t nruns;      /* runs in use by this kernel */
    uint32_t runs_cap;   /* entries allocated in runs[] */
    uint64_t heap_top;   /* heap bytes carved into runs */
    uint64_t heap_hwm;   /* most heap bytes carved since the last trim */
    struct kn_lane lanes[KN_CLASSES]; /* page lanes, by class */
    uint64_t ovf_base;    /* map offset of the overflow area (the rest) */
    uint64_t ovf_top;     /* overflow bytes carved, back to back */
    uint64_t map_hwm;     /* map offset below which anything was carved
                             since the last remap */
    uint32_t *regions;    /* set of 2 MiB map regions used since the remap:
                             region index + 1, 0 empty (open addressing) */
    uint32_t nregions;    /* regions in the set */
    uint64_t regions_now; /* regions noted by this kernel (with repeats) */
    struct kn_class cls[2][KN_CLASSES]; /* per class: [0] heap, [1] page */
    struct kn_block **chunks;           /* record chunks */
    size_t nchunks;                     /* chunks allocated */
    size_t nrecs;                       /* records in use by this kernel */
    struct rmap map;                    /* page-class blocks held, by range */
    struct kn_block **by_id;            /* live block of each id, or NULL */
    size_t id_cap;                      /* entries allocated in by_id[] */
    uint64_t id_top;                    /* highest id set + 1 */
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
    uint8_t owner;  /* thread holding it */
};

/* What each thread keeps while another is current (kernel_set_thread): the
 * current thread's are the fields of struct kernel itself. */
struct kn_cpu {
    KIRQL irql;              /* its IRQL */
    uint8_t device;          /* its context device */
    kernel_escape_fn escape; /* where a call of its that cannot return goes */
    void *escape_ctx;        /* passed to escape */
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
    int fast_free;            /* kernel_set_fast_free */
    KIRQL irql;               /* IRQL KeGetCurrentIrql reports */
    uint8_t device;           /* context device, KN_NO_DEVICE if none */
    uint64_t used[2];         /* live bytes per pool (0-byte blocks count 1) */
    uint64_t requests;        /* ExAllocatePoolWithTag calls */
    uint64_t next_id;         /* serial of the next block, from 1 */
    struct kn_arena *arena;   /* host memory, slots, records, live ids */
    size_t nlive;             /* live blocks */
    struct kn_list all;       /* live blocks in allocation order */
    struct kn_list devs[KN_DEVICES]; /* live blocks per device */
    struct kn_fifo {
        struct kn_block *head; /* oldest quarantined block (released first) */
        struct kn_block *tail; /* youngest quarantined block */
        size_t count;          /* blocks in this FIFO */
    } q[2];               /* quarantine FIFOs: [0] heap class, [1] page class */
    uint64_t q_bytes;     /* payload bytes held by the quarantine */
    struct kn_inject inj; /* injected failures */
    struct kn_events ev;  /* event log */
    struct kn_lock locks[KN_LOCKS_MAX]; /* locks held now */
    size_t nlocks;                      /* entries used in locks[] */
    struct kn_lookasides lists;         /* live lookaside lists */
    struct kernel_fatal fatal;          /* what ended a call, if anything */
    kernel_escape_fn escape;            /* where a fatal event goes */
    void *escape_ctx;                   /* passed to escape */
    struct kn_debug debug;              /* captured debug output */
    uint8_t thread;                     /* current thread */
    struct kn_cpu cpu[KN_THREADS];      /* the other threads' saved state */
    kernel_switch_fn sched;             /* scheduler, NULL: none */
    void *sched_ctx;                    /* passed to sched */
};

/* A switch point (SPEC.md "Threads"): the scheduler may run other threads
 * before the kernel call that says this acts. Free without a scheduler. */
static inline void kn_switch_point(struct kernel *k) {
    if (k->sched)
        k->sched(k->sched_ctx, KN_SW_CALL, 0);
}

/* ---- kernel_stray.c ---- */
/* Count a call made with no kernel bound to the calling thread (routine:
 * its WDK name), for HOST-2. */
void kn_stray(const char *routine);

/* ---- kernel_exports.c (generated from exports.list) ---- */
typedef void (*kn_fn)(void);          /* any exported call, cast */
extern const kn_fn kn_exports[];      /* every exported kernel call */
extern const size_t kn_exports_count; /* entries in kn_exports */

/* ---- kernel.c ---- */
/* The kernel bound to the calling thread, after its switch point; with
 * none bound, NULL, and the call counted as stray (kn_stray). Every entry
 * point that acts on the kernel starts here. */
struct kernel *kn_enter(const char *routine);
/* The pool allocation path every allocating call goes through: type
 * (KP-TYPE-1), IRQL (IRQL-1), size (KP-ZERO-1), injection, capacity, host.
 * Returns the block or NULL after recording why. */
void *kn_pool_alloc(struct kernel *k, int32_t type, uint64_t size, ULONG tag);
/* The pool free path every freeing call goes through (tag 0: unchecked). */
void kn_pool_free(struct kernel *k, void *p, ULONG tag);
/* The live block that starts at addr, or NULL. */
struct kn_block *kn_live_block(const struct kernel *k, uintptr_t addr);

/* ---- kernel_arena.c ---- */
/* An arena for a new kernel (the last one given back, reset, or a new
 * reservation); NULL if the host refuses. */
struct kn_arena *kn_arena_get(void);
/* Give a kernel's arena back: every record and slot returns, ASan poison
 * is lifted, memory above the keep budgets goes back to the host. */
void kn_arena_put(struct kn_arena *a);
/* A zeroed record, NULL if the host refuses. */
struct kn_block *kn_record(struct kn_arena *a);
/* The record (live, quarantined or free slot) whose block range
 * [addr, addr + max(size,1)) contains p, or NULL. O(1) for heap-class
 * blocks, O(log n) in the page-class blocks held. */
struct kn_block *kn_arena_find(const struct kn_arena *a, uintptr_t p);
/* The arena's consistency: its records' slot states against live and
 * quarantined (the kernel's counts), its free lists against their classes.
 * NULL, or what is broken. O(records). */
const char *kn_arena_check(const struct kn_arena *a, size_t live,
                           size_t quarantined);
/* Note that the map region's 2 MiB region holding offset off is used. */
void kn_region_note(struct kn_arena *a, uint64_t off);
/* Live blocks by id (serials from 1): set (b NULL when it is freed; -1 if
 * the host refuses memory), and look up (NULL: not live). */
int kn_id_set(struct kn_arena *a, uint64_t id, struct kn_block *b);
struct kn_block *kn_id_block(const struct kn_arena *a, uint64_t id);

/* ---- kernel_slots.c ---- */
/* Lay out the lanes of a new arena. */
void kn_slots_init(struct kn_arena *a);
/* Forget every slot of the kernel that used a (runs, lanes, free lists). */
void kn_slots_reset(struct kn_arena *a);
/* A record bound to a free slot of n bytes (1 <= n <= KN_BLOCK_MAX + 8 KiB)
 * whose start is aligned to m (a power of two, at most 8192), heap or page
 * class; NULL if the arena is full. The slot is accessible; the record is
 * zero but for its slot. */
struct kn_block *kn_slot_take(struct kn_arena *a, uint64_t n, uint64_t m,
                              int mapped);
/* b's slot is free again (b stays its record, on the free list). */
void kn_slot_give(struct kn_arena *a, struct kn_block *b);
/* Make a page-class block's slot inaccessible (1) or accessible again (0);
 * returns 0, or -1 if the host refused. */
int kn_slot_lock(struct kn_arena *a, struct kn_block *b, int lock);
/* Index a page-class block by its range (1) or stop (0). */
void kn_slot_index(struct kn_arena *a, struct kn_block *b, int on);

/* ---- kernel_block.c ---- */
/* A fresh block of size bytes with host memory, guard and fill, not yet
 * linked anywhere; NULL if the host refuses. */
struct kn_block *kn_block_new(struct kernel *k, int32_t type, uint64_t size);
/* Bytes the block occupies in the pool (max(size,1)). */
uint64_t kn_block_span(const struct kn_block *b);
/* 1 if the guard bytes after the block are intact; the same for the block
 * of span bytes at addr. */
int kn_guard_intact(const struct kn_block *b);
int kn_guard_intact_at(uintptr_t addr, uint64_t span);
/* Poison b and put it in the quarantine; releases the oldest if full. */
void kn_quarantine_push(struct kernel *k, struct kn_block *b);
/* Lift every ASan poison of b's slot (no-op without ASan). */
void kn_block_unpoison(struct kn_block *b);
/* Give b's slot back to the arena (its memory stays reserved). */
void kn_block_release(struct kernel *k, struct kn_block *b);
/* Link/unlink a block in a list by its link member (all or dev). */
void kn_list_append(struct kn_list *l, struct kn_block *b, size_t link_off);
void kn_list_unlink(struct kn_list *l, struct kn_block *b, size_t link_off);
struct kn_block *kn_list_next(const struct kn_block *b, size_t link_off);
/* The live block whose range contains p, or NULL. */
struct kn_block *kn_live_at(const struct kernel *k, uintptr_t p);
/* Zero a fresh block's payload (ExAllocatePool2), every byte of it
 * (HS-ZERO-1). */
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
