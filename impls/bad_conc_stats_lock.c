/*
 * bad_conc_stats_lock: conc_port keeping a driver-wide statistic (the
 * bytes handed out, over every device) under a static spin lock.
 * AllocateBuffer counts a buffer while it holds the device's quota and list
 * locks, taking the statistics lock last; ReleaseBuffer takes the
 * statistics lock first and unlinks the buffer under it (taking the
 * device's locks), so that the count and the lists always agree. Alone,
 * every call is right (CERTIFIED under impls/default.ics); an allocation
 * holding a device's quota lock and a release holding the statistics lock
 * wait for each other forever: CONC-2 under impls/thread-safe.ics.
 */
#include <vpcert/video.h>

struct _CONC_DEVICE;
struct _CONC_HEADER;
static VOID StatsCount(struct _CONC_HEADER *Header);
static VOID StatsUnlink(struct _CONC_DEVICE *Device,
                        struct _CONC_HEADER *Header);

static KSPIN_LOCK StatsLock; /* over BytesOut (0: initialized, free) */
static ULONGLONG BytesOut;   /* Sizes of the live buffers of every device */

#define CONC_ON_LINKED(Header) StatsCount(Header)
#define CONC_UNLINK(Device, Header) StatsUnlink((Device), (Header))
#include "conc_port.h"

/* At DISPATCH_LEVEL, holding the device's quota and list locks. */
static VOID StatsCount(PCONC_HEADER Header) {
    KeAcquireSpinLockAtDpcLevel(&StatsLock);
    BytesOut += Header->Size;
    KeReleaseSpinLockFromDpcLevel(&StatsLock);
}

static VOID StatsUnlink(PCONC_DEVICE Device, PCONC_HEADER Header) {
    KIRQL Irql;
    KeAcquireSpinLock(&StatsLock, &Irql);
    BytesOut -= Header->Size;
    ConcUnlink(Device, Header); /* FAULT: the quota lock after StatsLock */
    KeReleaseSpinLock(&StatsLock, Irql);
}
