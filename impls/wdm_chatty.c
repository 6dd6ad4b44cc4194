/*
 * wdm_chatty: impls/wdm_port.h written with the older kernel calls a port
 * of some age still makes, all correctly: the books come from
 * ExAllocatePoolWithQuotaTag with POOL_QUOTA_FAIL_INSTEAD_OF_RAISE (a
 * refusal returns NULL) and are zeroed with VideoPortZeroMemory; every
 * AllocateBuffer takes and drops a fast mutex at PASSIVE_LEVEL, copies its
 * size into a trace slot with VideoPortMoveMemory, and reports itself with
 * DbgPrintEx and VideoPortDebugPrint (a backslash and a control character
 * included), so a long program fills the stand-in's debug buffer. It
 * certifies.
 */
#include <vpcert/video.h>

static FAST_MUTEX ChattyMutex; /* serializes the trace below */
static ULONG ChattyLast;       /* the last Size asked for */

static VOID ChattyEntry(ULONG Size) {
    static LONG Ready;
    if (!Ready) {
        ExInitializeFastMutex(&ChattyMutex);
        Ready = 1;
    }
    ExAcquireFastMutex(&ChattyMutex);
    VideoPortMoveMemory(&ChattyLast, &Size, sizeof Size);
    ExReleaseFastMutex(&ChattyMutex);
    DbgPrintEx(0, 3,
               "wdm_chatty: VideoPortAllocateBuffer(Size=%lu) entered at IRQL "
               "%u; quota bookkeeping follows (\\ marks a trace, \x01 its "
               "level)\n",
               (unsigned long)Size, (unsigned)KeGetCurrentIrql());
    VideoPortDebugPrint(Info, "wdm_chatty: last size %lu\n",
                        (unsigned long)ChattyLast);
}

static PVOID ChattyBooks(SIZE_T Bytes) {
    PVOID Books = ExAllocatePoolWithQuotaTag(
        (POOL_TYPE)(NonPagedPool | POOL_QUOTA_FAIL_INSTEAD_OF_RAISE), Bytes,
        'kMDW');
    if (Books != NULL)
        VideoPortZeroMemory(Books, (ULONG)Bytes);
    return Books;
}

#define WDM_ON_ENTRY(Size) ChattyEntry(Size)
#define WDM_BOOKS_ALLOCATE() ChattyBooks(sizeof(WDM_BOOKS))
#define WDM_BOOKS_FREE(Books) ExFreePool(Books)
#include "wdm_port.h"
