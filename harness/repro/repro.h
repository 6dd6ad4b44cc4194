/*
 * repro: the runtime of vpcert's standalone C reproducers (the
 * reproducers/CLAUSE.c files `vpcert certify` writes). A reproducer calls
 * the implementation's services directly, through include/vpcert/video.h,
 * in the order, with the sizes, devices, IRQLs and injections vpcert
 * recorded; this runtime is what vpcert's executor does around those
 * calls, and nothing more: the kernel stand-in the implementation's
 * kernel calls go to, the device extensions, the IRQL and device each call
 * is made at, contents written into what it is handed (as vpcert writes
 * its own, at the same places: repro_contents.c), and the
 * queries the reproducer's one check is written with. It is built, with
 * the kernel stand-in, as libvpcert_repro.so in the build directory.
 *
 * A reproducer ends in one of four ways, each with one line on stderr:
 *   exit 1  "CLAUSE: ..."  the finding recurred: the check failed, or the
 *           implementation crashed, hung, called exit() or ran away with
 *           memory in a call charged to CLAUSE, or a call could not return
 *           for CLAUSE (a bug check, an exception, a lock taken twice);
 *   exit 0  it did not recur (repro_end);
 *   exit 3  the run ended early for another reason (a crash charged to
 *           another clause, ...): the check was never reached;
 *   exit 2  the runtime could not set up (out of memory).
 * Under a debugger (or with VPCERT_REPRO_NO_TIMEOUT set) there is no time
 * limit, so that a developer can stop inside a call; break on repro_found
 * to stop where a finding recurs.
 */
#ifndef VPCERT_REPRO_H
#define VPCERT_REPRO_H

#include <stdint.h>

#include "vpcert/video.h"

#define REPRO_EXIT_FOUND 1 /* the finding recurred */
#define REPRO_EXIT_SETUP 2 /* the runtime could not set up */
#define REPRO_EXIT_ELSE 3  /* ended early, another reason */

/* AllocateBuffer results a check allows (bits of an allowed set). */
#define REPRO_NO_ERROR 1u
#define REPRO_NOT_ENOUGH_MEMORY 2u
#define REPRO_INSUFFICIENT_BUFFER 4u
#define REPRO_INVALID_PARAMETER 8u
/* AllocatePool results a check allows. */
#define REPRO_BLOCK 1u
#define REPRO_NULL 2u

/* Injected pool failures (the kernel stand-in's). */
enum repro_inject {
    REPRO_INJECT_NEXT,  /* refuse the next value requests */
    REPRO_INJECT_ABOVE, /* refuse requests above value bytes */
    REPRO_INJECT_TAG,   /* refuse requests with tag value */
    REPRO_INJECT_CLEAR  /* clear every injection */
};

/* How the recorded run was set up. */
struct repro_setup {
    const char *clause;   /* the clause this program reproduces */
    uint64_t pool[2];     /* pool capacities: paged, nonpaged */
    unsigned devices;     /* device extensions (1..8) */
    double seconds;       /* a call longer than this has hung */
    uint64_t rss_limit;   /* resident bytes above this run away (0: none) */
    uint64_t write_limit; /* allocations up to this size get contents in
                             full, larger ones at both ends (as vpcert) */
};

struct repro; /* the runtime's state (repro.c) */

/* Set up as the recorded run was (exits 2 when it cannot). */
struct repro *repro_begin(const struct repro_setup *s);
/* Device dev's HwDeviceExtension: zeroed, 16-byte aligned,
 * VPCERT_DEVICE_EXTENSION_SIZE bytes. */
PVOID repro_device(struct repro *r, unsigned dev);
/* What vpcert puts in *Buffer before AllocateBuffer, so that "left
 * unchanged" can be seen. */
PVOID repro_sentinel(void);
/* Before a call into the implementation: for device dev, at irql; a crash,
 * hang, exit or runaway memory until repro_leave is charged to clause
 * `charged` (the clauses.def CHARGED column, as the recorded run said).
 * Clears the kernel stand-in's event log. */
void repro_enter(struct repro *r, unsigned dev, KIRQL irql,
                 const char *charged);
/* After it returned: no lock may be held, the IRQL as on entry (recorded
 * as events, LK-3 and IRQL-3), then back to PASSIVE_LEVEL and no device. */
void repro_leave(struct repro *r);
/* An injection, as the recorded program's inject line. */
void repro_inject(struct repro *r, enum repro_inject kind, uint64_t value);
/* A new allocation as vpcert keeps it: p (NULL when the call failed) is
 * registered as handed out and contents (of seed) are written into its
 * size bytes. Returns p, or NULL when p is NULL or does not lie in one
 * live pool block (vpcert would have stopped there). */
PVOID repro_hand_out(struct repro *r, PVOID p, uint64_t size, uint32_t seed);
/* Rewrite a live allocation's contents with a new seed (a touch). */
void repro_refill(struct repro *r, PVOID p, uint32_t seed);
/* Forget an allocation given back (after ReleaseBuffer or FreePool). */
void repro_given_back(struct repro *r, PVOID p);

/* ---- queries the check is written with (repro_query.c) ---- */
/* Is status st in the allowed set: `allowed` when no pool request in the
 * last call was refused, `allowed_if_refused` when one was? */
int repro_status_allowed(struct repro *r, VP_STATUS st, unsigned allowed,
                         unsigned allowed_if_refused);
/* The same for an AllocatePool result (block: non-NULL). */
int repro_block_allowed(struct repro *r, int block, unsigned allowed,
                        unsigned allowed_if_refused);
/* The kernel stand-in recorded the clause being reproduced as broken since
 * the last call began (the guard bytes of every live block checked
 * first). */
int repro_event_seen(struct repro *r);
/* The checks vpcert makes when a device stops (dev, its leaks) or at the
 * end of the run (dev < 0: every guard, every leak), then
 * repro_event_seen. */
int repro_sweep_seen(struct repro *r, int dev);
/* The last call made a pool request. */
int repro_pool_asked(struct repro *r);
/* A pool block the last call allocated is still in use. */
int repro_call_kept_block(struct repro *r);
/* A thread the implementation started has called the kernel (HOST-2). */
int repro_stray_calls(struct repro *r);
/* [p, p + size) lies in one live pool block no lookaside list caches. */
int repro_in_one_block(struct repro *r, PVOID p, uint64_t size);
/* [p, p + size) overlaps an allocation handed out and not given back. */
int repro_overlaps(struct repro *r, PVOID p, uint64_t size);
/* The pool block holding p is paged pool. */
int repro_paged(struct repro *r, PVOID p);
/* The tag of the pool block holding p. */
ULONG repro_tag(struct repro *r, PVOID p);
/* The live allocation p still has the contents written into it. */
int repro_intact(struct repro *r, PVOID p);
/* The pool block that backed allocation p (about to be forgotten) is
 * still in use although no other live allocation lies in it. */
int repro_still_backed(struct repro *r, PVOID p);

/* If cond: the finding recurred. Prints "CLAUSE: what" and exits 1. */
void repro_check(struct repro *r, int cond, const char *what);
/* Where a recurring finding ends the program: a place for a breakpoint. */
void repro_found(struct repro *r, const char *what);
/* The end: the finding did not recur. Prints so; returns 0 for main. */
int repro_end(struct repro *r);

#endif /* VPCERT_REPRO_H */
