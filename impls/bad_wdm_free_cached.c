/*
 * bad_wdm_free_cached: impls/wdm_port.h, except that stopping a device
 * "drains" the records' lookaside list by hand first: it takes an entry,
 * gives it back to the list, then frees that same entry with ExFreePool
 * while the list still caches it. Breaks LL-2.
 */
#include <vpcert/video.h>

#define WDM_DELETE_RECORDS(Books)                                              \
    do {                                                                       \
        PVOID Entry = ExAllocateFromNPagedLookasideList(&(Books)->Records);    \
        if (Entry != NULL) {                                                   \
            ExFreeToNPagedLookasideList(&(Books)->Records, Entry);             \
            ExFreePool(Entry);                                                 \
        }                                                                      \
        ExDeleteNPagedLookasideList(&(Books)->Records);                        \
    } while (0)
#include "wdm_port.h"
