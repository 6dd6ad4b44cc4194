/*
 * bad_deferred_free: FreePool at DISPATCH_LEVEL defers the free to the next
 * call at PASSIVE_LEVEL (as if it were paged memory), so the block is still
 * live when FreePool returns. Nothing leaks: stops drain the list.
 * Breaks AP-FREE-1 at the first FreePool at DISPATCH_LEVEL
 * (ap-free-1-free-gives-back.vpt op 5, irql-2, kp-free-2, ...).
 */
#define BASE_OWN_FREE_POOL
static void bad_drain(void);
#define BASE_ON_STOP(d) ((void)(d), bad_drain())
#include "common.h"

#define BAD_DEFER_MAX 64u
static PVOID bad_deferred[BAD_DEFER_MAX]; /* blocks waiting for PASSIVE */
static unsigned bad_ndeferred;

static void bad_drain(void) {
    while (bad_ndeferred)
        ExFreePool(bad_deferred[--bad_ndeferred]);
}

VOID VideoPortFreePool(PVOID HwDeviceExtension, PVOID Ptr) {
    (void)HwDeviceExtension;
    if (KeGetCurrentIrql() >= DISPATCH_LEVEL && bad_ndeferred < BAD_DEFER_MAX) {
        bad_deferred[bad_ndeferred++] = Ptr; /* FAULT: not freed now */
        return;
    }
    bad_drain();
    ExFreePool(Ptr);
}
