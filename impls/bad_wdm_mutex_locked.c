/*
 * bad_wdm_mutex_locked: impls/wdm_port.h, except that the quota-refused
 * path takes and drops a fast mutex (to log the refusal) while it still
 * holds the device's spin lock, at DISPATCH_LEVEL, where a fast mutex may
 * not be acquired (the thread could have to wait). Breaks LK-4.
 */
#include <vpcert/video.h>

static FAST_MUTEX RefusalLog; /* guards the refusal count */
static ULONG Refusals;        /* quota refusals so far */

static VOID LogRefusalLocked(VOID) {
    static LONG Ready;
    if (!Ready) {
        ExInitializeFastMutex(&RefusalLog);
        Ready = 1;
    }
    ExAcquireFastMutex(&RefusalLog); /* at DISPATCH_LEVEL: the fault */
    Refusals++;
    ExReleaseFastMutex(&RefusalLog);
}

#define WDM_UNLOCK_REFUSED(Device, Irql)                                       \
    (LogRefusalLocked(), KeReleaseSpinLock(&(Device)->Lock, (Irql)))
#include "wdm_port.h"
