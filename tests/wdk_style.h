/* wdk_style.h: the entry points of tests/wdk_style.c, driver code written
 * against the WDK (include/vpcert/video.h only). */
#ifndef VPCERT_TESTS_WDK_STYLE_H
#define VPCERT_TESTS_WDK_STYLE_H

#include <vpcert/video.h>

/* The driver's context: one of each lock and lookaside list. */
typedef struct _SAMPLE_CONTEXT {
    KSPIN_LOCK Lock;                /* a spin lock */
    FAST_MUTEX Mutex;               /* a fast mutex */
    NPAGED_LOOKASIDE_LIST NonPaged; /* entries from the pool */
    PAGED_LOOKASIDE_LIST Paged;     /* entries from SampleAllocate */
    ULONG Count;                    /* changed under Lock */
} SAMPLE_CONTEXT, *PSAMPLE_CONTEXT;

/* Every allocation and free call, and the memory helpers. */
_IRQL_requires_max_(PASSIVE_LEVEL) NTSTATUS SampleExercisePool(VOID);
/* Every IRQL, spin lock and fast mutex call; returns at PASSIVE_LEVEL. */
_IRQL_requires_max_(PASSIVE_LEVEL) NTSTATUS
    SampleExerciseLocks(_Inout_ PSAMPLE_CONTEXT Context);
/* Both kinds of lookaside list, past their depth, then deleted. */
_IRQL_requires_max_(PASSIVE_LEVEL) NTSTATUS
    SampleExerciseLookaside(_Inout_ PSAMPLE_CONTEXT Context);
/* DbgPrint, DbgPrintEx and VideoPortDebugPrint. */
VOID SamplePrint(_In_ ULONG Value);
/* KeBugCheckEx(0xDEAD0001, Why, 2, 3, 4). */
DECLSPEC_NORETURN VOID SampleCrash(_In_ ULONG_PTR Why);

#endif
