/*
 * bad_wdm_list_kind: impls/wdm_port.h, except that stopping a device
 * deletes the books' nonpaged lookaside list with the paged list's call
 * (ExDeletePagedLookasideList, one letter from the right one). Breaks
 * LL-3.
 */
#include <vpcert/video.h>

#define WDM_DELETE_RECORDS(Books)                                              \
    ExDeletePagedLookasideList((PPAGED_LOOKASIDE_LIST) & (Books)->Records)
#include "wdm_port.h"
