/*
 * bad_wdm_list_twice: impls/wdm_port.h, except that stopping a device
 * "drains" the records' lookaside list by hand first, and gives the entry
 * it took back to the list twice. Breaks LL-2.
 */
#include <vpcert/video.h>

#define WDM_DELETE_RECORDS(Books)                                              \
    do {                                                                       \
        PVOID Entry = ExAllocateFromNPagedLookasideList(&(Books)->Records);    \
        if (Entry != NULL) {                                                   \
            ExFreeToNPagedLookasideList(&(Books)->Records, Entry);             \
            ExFreeToNPagedLookasideList(&(Books)->Records, Entry);             \
        }                                                                      \
        ExDeleteNPagedLookasideList(&(Books)->Records);                        \
    } while (0)
#include "wdm_port.h"
