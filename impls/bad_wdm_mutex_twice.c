/*
 * bad_wdm_mutex_twice: impls/wdm_port.h, except that AllocateBuffer keeps
 * statistics under a fast mutex, and counts a large request with a helper
 * written to be called without it (it takes the mutex itself), from inside
 * the section that holds it. A fast mutex is not recursive: the thread
 * waits for itself forever. Only requests of a page or more reach the
 * helper. Breaks LK-1.
 */
#include <vpcert/video.h>

#define STATS_LARGE 4096 /* a request of this many bytes or more is large */

static FAST_MUTEX StatsMutex; /* guards the counts below */
static ULONG StatsCalls;      /* AllocateBuffer calls */
static ULONG StatsLarge;      /* of them, large requests */

/* Count a large request; takes StatsMutex. */
static VOID StatsCountLarge(VOID) {
    ExAcquireFastMutex(&StatsMutex);
    StatsLarge++;
    ExReleaseFastMutex(&StatsMutex);
}

static VOID StatsEntry(ULONG Size) {
    static LONG Ready;
    if (!Ready) {
        ExInitializeFastMutex(&StatsMutex);
        Ready = 1;
    }
    ExAcquireFastMutex(&StatsMutex);
    StatsCalls++;
    if (Size >= STATS_LARGE)
        StatsCountLarge(); /* FAULT: StatsMutex is held already */
    ExReleaseFastMutex(&StatsMutex);
}

#define WDM_ON_ENTRY(Size) StatsEntry(Size)
#include "wdm_port.h"
