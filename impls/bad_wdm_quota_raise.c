/*
 * bad_wdm_quota_raise: impls/wdm_port.h, except that the books come from
 * ExAllocatePoolWithQuotaTag without POOL_QUOTA_FAIL_INSTEAD_OF_RAISE
 * (then zeroed by hand): when the pool refuses them, the call raises, and
 * C code has no handler for it. Breaks EX-1.
 */
#include <vpcert/video.h>

static PVOID RaisingBooks(SIZE_T Bytes) {
    PVOID Books = ExAllocatePoolWithQuotaTag(NonPagedPool, Bytes, 'kMDW');
    if (Books != NULL)
        RtlZeroMemory(Books, Bytes);
    return Books;
}

#define WDM_BOOKS_ALLOCATE() RaisingBooks(sizeof(WDM_BOOKS))
#include "wdm_port.h"
