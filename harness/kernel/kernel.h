/*
 * kernel: vpcert's user-mode kernel stand-in. It provides the kernel calls
 * of include/vpcert/video.h (the pool allocation family, IRQL, spin locks,
 * fast mutexes, lookaside lists, debug output, bug checks; the list is
 * exports.list) to the implementation under test, with paged and nonpaged
 * pools of fixed byte capacity, exact accounting, a current IRQL, injected
 * failures, guard bytes after every block, a quarantine for freed blocks,
 * and an event log of every pool call so that the executor can make
 * relational checks. It never crashes on a bad call: it records a violation
 * event citing the SPEC.md clause and carries on, except where the real
 * kernel would not return either (a bug check, an exception nobody
 * catches, a spin lock acquired twice): then it records a fatal event and
 * ends the call through the escape the caller set (kernel_set_escape).
 *
 * The exported Ex* functions carry no context, so the kernel they act on is
 * the one bound to the calling thread with kernel_bind(); everything else is
 * in the struct kernel the caller owns.
 *
 * Threads (SPEC.md "Threads"): the stand-in keeps, for each of up to
 * KN_THREADS threads (each a processor of its own), an IRQL, a context
 * device, an escape and the locks it holds; kernel_set_thread makes one of
 * them current. A scheduler set with kernel_set_scheduler is called at
 * every switch point (a pool, lock, IRQL or lookaside call, before it
 * acts) and whenever the current thread must wait for a lock another
 * thread holds. Without a scheduler (the default), nothing of this costs
 * anything and everything runs on thread 0.
 */
#ifndef VPCERT_KERNEL_H
#define VPCERT_KERNEL_H

#include <stddef.h>
#include <stdint.h>

#include "vpcert/video.h"

enum kernel_pool { KN_PAGED = 0, KN_NONPAGED = 1 };

#define KN_NO_DEVICE 0xFFu   /* context: no device call in progress */
#define KN_GUARD_BYTES 32u   /* guard bytes after every block */
#define KN_GUARD_BYTE 0xFDu  /* guard pattern */
#define KN_POISON_BYTE 0xDDu /* the head of a freed block holds this */
#define KN_FILL_BYTE                                                           \
    0xCDu /* fresh blocks are filled with this (not zeroed)                    \
           */
#define KN_NO_POOL                                                             \
    0xFFu /* event pool: no pool applies (bad type, bad free)                  \
           */
#define KN_INJECT_TAGS_MAX 32u /* distinct tags kernel_inject_tag can hold */
#define KN_THREADS 4u          /* threads (processors) the stand-in knows */
/* The PROTECTED_POOL bit of a pool tag (KP-TAG-1). */
#define KN_PROTECTED_POOL 0x80000000u

enum kernel_event_kind {
    KN_EV_ALLOC = 1,  /* a request granted: addr, size, type, tag, block_id */
    KN_EV_REFUSE = 2, /* a request refused: size, type, tag, reason */
    KN_EV_FREE = 3,   /* a live block freed: addr, size, type, tag, block_id */
    KN_EV_VIOLATION = 4, /* a rule broken: clause, addr, detail */
    KN_EV_NOTE = 5,      /* a MAY-level behaviour seen (e.g. KP-ZERO-1) */
    KN_EV_FATAL = 6      /* a rule broken that ended the call: clause,
                            detail; the rest in kernel_fatal() */
};

enum kernel_refuse_reason {
    KN_RF_NONE = 0,
    KN_RF_CAPACITY = 1, /* used + size > capacity */
    KN_RF_INJECT_NEXT = 2,
    KN_RF_INJECT_SIZE = 3,
    KN_RF_INJECT_TAG = 4,
    KN_RF_BAD_TYPE = 5, /* pool type not 0,1,4,5: refused after KP-TYPE-1 */
    KN_RF_HOST = 6,     /* the host could not back the block (mmap failed) */
    KN_RF_BAD_FLAGS = 7 /* ExAllocatePool2 flags or tag invalid: refused
                           after KP-POOL2-1 */
};

struct kernel_event {
    uint8_t kind;   /* enum kernel_event_kind */
    uint8_t pool;   /* enum kernel_pool of the request/block */
    uint8_t irql;   /* IRQL at the time of the call */
    uint8_t reason; /* enum kernel_refuse_reason for KN_EV_REFUSE */
    uint8_t device; /* context device at the time, KN_NO_DEVICE if none */
    uint8_t thread; /* thread that made the call (0..KN_THREADS-1) */
    int32_t type;   /* POOL_TYPE as passed */
    ULONG tag; /* tag as passed (free: tag passed to ExFreePoolWithTag, 0 for
                  ExFreePool) */
    uint64_t size; /* bytes requested / of the block */
    uintptr_t
        addr; /* block address (alloc, free), address passed (violation) */
    uint64_t block_id;  /* serial number of the block, 0 if none */
    const char *clause; /* violation/note: SPEC.md clause ID, else NULL */
    const char *detail; /* violation/note: static short text, else NULL */
};

struct kernel_block_info {
    uintptr_t addr; /* first byte of the block */
    uint64_t size;  /* bytes requested (0-byte requests: 0) */
    int32_t type;   /* POOL_TYPE requested */
    uint8_t pool;   /* enum kernel_pool */
    uint8_t device; /* context device at allocation */
    ULONG tag;      /* tag at allocation */
    uint64_t id;    /* serial number, from 1 */
    uintptr_t slot; /* the host memory holding it: two blocks that overlap
                       at any two times of one kernel's life share it */
};

struct kernel_config {
    uint64_t capacity[2];  /* byte capacity of each pool, by enum kernel_pool */
    size_t quarantine_max; /* freed blocks of each kind (heap, mapped) kept
                              unreused for double-free detection (0: default
                              1024) */
    size_t page_threshold; /* blocks of at least this many bytes are page
                              class: inaccessible while quarantined, no ASan
                              poison (0 or above 1 MiB: 1 MiB) */
    int fill; /* 1: fill fresh blocks with KN_FILL_BYTE (HS-FILL-1) */
};

/* What ended a call (KN_EV_FATAL): a bug check, an exception that would
 * escape the service, a self-deadlock. */
struct kernel_fatal {
    const char *clause; /* SPEC.md clause broken; NULL if nothing ended */
    const char *what;   /* static text: what happened */
    uint32_t code;      /* bug-check code or exception status, else 0 */
    uint64_t param[4];  /* bug-check parameters, else 0 */
    uintptr_t addr;     /* lock or block concerned, else 0 */
};

/* Called when a call must end: must not return (the executor longjmps). */
typedef void (*kernel_escape_fn)(void *ctx);

#define KN_DEBUG_MAX 2048u /* bytes of escaped debug output kept per run */

struct kernel; /* opaque */

struct kernel *kernel_new(const struct kernel_config *cfg); /* NULL on OOM */
void kernel_delete(
    struct kernel *k); /* releases every block, live or quarantined */

/* Bind k to the calling thread for the Ex* entry points (NULL unbinds).
 * An Ex* call with no kernel bound is refused / ignored safely, and counted
 * as a stray call (HOST-2); debug output and KeGetCurrentIrql are not. */
void kernel_bind(struct kernel *k);
struct kernel *kernel_bound(void);
/* Stray calls in this process since the last kernel_stray_reset (all
 * threads), and (first, if not NULL) the WDK name of the first of them,
 * "" if none. */
unsigned long kernel_stray_calls(const char **first);
void kernel_stray_reset(void);

/* IRQL the implementation observes through KeGetCurrentIrql. */
void kernel_set_irql(struct kernel *k, KIRQL irql);
KIRQL kernel_irql(const struct kernel *k);
/* Fast free (off by default): a freed block of the page threshold or more
 * has its head poisoned with KN_POISON_BYTE, like a smaller block, instead
 * of being made inaccessible. It saves a system call per such free (a few
 * microseconds each), but a use after free of one no longer faults. */
void kernel_set_fast_free(struct kernel *k, int on);
/* Device on whose behalf the next calls are made (for per-device leaks);
 * values from KN_NO_DEVICE up mean "no device". */
void kernel_set_device(struct kernel *k, unsigned device);

/* Threads. kernel_set_thread saves the current thread's IRQL, context
 * device and escape and makes thread t's current (t < KN_THREADS). */
void kernel_set_thread(struct kernel *k, unsigned t);
unsigned kernel_thread(const struct kernel *k);
/* Why the stand-in calls the scheduler. */
enum kernel_switch {
    KN_SW_CALL = 0, /* a switch point: a kernel call is about to act */
    KN_SW_WAIT = 1  /* the current thread waits for the lock at `lock`,
                       which another thread holds: the scheduler must not
                       return until that lock is free (kernel_lock_holder) */
};
typedef void (*kernel_switch_fn)(void *ctx, enum kernel_switch why,
                                 uintptr_t lock);
/* NULL (the default): no switch points, and a lock another thread holds is
 * a deadlock (CONC-2: nothing else can run). */
void kernel_set_scheduler(struct kernel *k, kernel_switch_fn fn, void *ctx);
/* The thread holding the lock at addr, or -1 when it is free. */
int kernel_lock_holder(const struct kernel *k, uintptr_t addr);
/* Kind of the lock at addr held now: 1 spin lock, 2 fast mutex, 0 free. */
int kernel_lock_kind(const struct kernel *k, uintptr_t addr);

/* Where a call that cannot return goes (NULL: nowhere; then KeBugCheckEx
 * aborts the process, and the other fatal events return to their caller
 * as a failed call). */
void kernel_set_escape(struct kernel *k, kernel_escape_fn fn, void *ctx);
/* The fatal event of this run; ->clause is NULL if there was none. */
const struct kernel_fatal *kernel_fatal(const struct kernel *k);
/* After a call into the implementation returned normally: record LK-3 for
 * every lock the current thread still holds, else IRQL-3 if its IRQL is not
 * entry_irql; then forget those locks. Returns the number of violations
 * recorded. */
size_t kernel_end_call(struct kernel *k, KIRQL entry_irql);
/* Locks (spin locks, fast mutexes) the current thread holds now. */
size_t kernel_locks_held(const struct kernel *k);
/* Lookaside lists initialized and not deleted. */
size_t kernel_lookaside_live(const struct kernel *k);
/* The debug output (DbgPrint, DbgPrintEx, VideoPortDebugPrint) so far,
 * with control bytes other than newline and tab escaped as \xNN and a
 * note of what did not fit; NUL-terminated in out[cap]. Returns its
 * length. */
size_t kernel_debug_text(const struct kernel *k, char *out, size_t cap);

/* Injected failures (HS-INJ-1). They refuse with the reason recorded. */
void kernel_inject_next(struct kernel *k,
                        uint32_t n); /* refuse the next n requests */
void kernel_inject_above(
    struct kernel *k,
    uint64_t size); /* refuse requests > size; UINT64_MAX clears */
void kernel_inject_tag(struct kernel *k, ULONG tag,
                       int on); /* refuse requests with this tag */
/* Injections are checked in this order, the first that applies gives the
 * reason: next (consumed only when it refuses), above, tag. A tag beyond
 * KN_INJECT_TAGS_MAX distinct ones is ignored. */
void kernel_inject_clear(struct kernel *k);

/* Event log since the last kernel_events_clear(). */
size_t kernel_event_count(const struct kernel *k);
const struct kernel_event *kernel_event_at(const struct kernel *k, size_t i);
void kernel_events_clear(struct kernel *k);
/* Forget the first n events (all of them if n is larger): the others move
 * to the front, in order. */
void kernel_events_discard(struct kernel *k, size_t n);
/* Events that could not be recorded because the host refused memory for the
 * log (0 in any sane run; a non-zero value makes the log incomplete). */
size_t kernel_events_lost(const struct kernel *k);

/* Live blocks. find: the live block containing p (a 0-byte block contains
 * its first byte). Returns 1 and fills *out, or 0. O(1) for blocks below
 * the page threshold, O(log n) in the page-class blocks held. */
int kernel_find_block(const struct kernel *k, const void *p,
                      struct kernel_block_info *out);
int kernel_block_is_live(const struct kernel *k, uint64_t block_id);
/* Live and not held in a lookaside list's cache: a block a list caches
 * belongs to the list (SPEC.md LL-1), not to the call that freed it. */
int kernel_block_in_use(const struct kernel *k, uint64_t block_id);
/* Is block block_id in use and still thread's: not cached by a lookaside
 * list, and not handed by one to another thread since (a block thread put
 * back on a list that the list then gave to thread u is u's). */
int kernel_block_kept_by(const struct kernel *k, uint64_t block_id,
                         unsigned thread);
/* Check one block's guard bytes now (KP-OVR-1); records a violation event
 * and returns 0 if broken, 1 if intact, -1 (no event) if no live block
 * contains block_addr. */
int kernel_check_guard(struct kernel *k, uintptr_t block_addr);
/* The same for the block an allocation event describes, without looking
 * it up by address: -1 (no event) if e is not an allocation or its block
 * is no longer live. */
int kernel_check_guard_of(struct kernel *k, const struct kernel_event *e);
/* Check every live block's guard bytes (O(live)); returns broken count. */
size_t kernel_check_all_guards(struct kernel *k);
/* Record an LL-1 violation for every lookaside list initialized on behalf
 * of device and not deleted, then a KP-LEAK-1 violation for every live
 * block allocated on behalf of device that no list caches (O(lists +
 * blocks of that device)); returns how many. */
size_t kernel_report_device_leaks(struct kernel *k, unsigned device);
/* Record an LL-1 violation for every lookaside list not deleted, then a
 * KP-LEAK-2 violation for every live block no list caches; returns how
 * many.
 * Leak events carry the block's own device (not the context device) and
 * come in allocation order. */
size_t kernel_report_all_leaks(struct kernel *k);
/* Freed blocks held in the quarantine (at most quarantine_max). */
size_t kernel_quarantined(const struct kernel *k);

/* Accounting. */
uint64_t kernel_capacity(const struct kernel *k, enum kernel_pool pool);
uint64_t kernel_used(const struct kernel *k,
                     enum kernel_pool pool); /* bytes live */
size_t kernel_live_blocks(const struct kernel *k);
uint64_t kernel_requests(
    const struct kernel *k); /* pool requests so far, every Ex* call */

/* The stand-in's consistency, recomputed from its blocks: used bytes are
 * the sum of live block spans, the live count agrees between the lists and
 * the maps, every live block is on its device's list, the quarantine's
 * counts and bytes agree with its blocks. NULL, or what is broken. O(live +
 * quarantined); for the expensive checks (VPCERT_EXPENSIVE_CHECKS). */
const char *kernel_check_consistency(const struct kernel *k);

/* Alignment guarantees (HS-ALIGN-1), from the pool-type table
 * (vpcert/pool_types.h): the type's own below a page, the page for
 * requests of a page or more. Blocks are placed so that
 * they are NOT aligned more than guaranteed where possible (HS-ALIGN-2), so
 * that an implementation relying on luck is caught. */
size_t kernel_alignment(int32_t type, uint64_t size);

#endif /* VPCERT_KERNEL_H */
