/*
 * wdk_style: driver code written against the WDK, using every kernel call
 * of include/vpcert/video.h the way a driver does: multi-character pool
 * tags, SAL annotations, NTSTATUS, and the calls the x64 WDK declares as
 * macros or inline functions. It compiles against that header with no
 * edits (both compilers, -Werror) and tests/test_wdk_style.c runs it over
 * the kernel stand-in. Nothing of vpcert but the header is visible here.
 */
#include <vpcert/video.h>

#include "wdk_style.h"

#define SAMPLE_TAG 'lpmS'
#define SAMPLE_ENTRY_TAG 'elmS'
#define STATUS_SAMPLE_FAILED ((NTSTATUS)0xC0000001L)

static ULONG SampleAllocations;

_Function_class_(ALLOCATE_FUNCTION) static PVOID
    SampleAllocate(_In_ POOL_TYPE PoolType, _In_ SIZE_T NumberOfBytes,
                   _In_ ULONG Tag) {
    SampleAllocations++;
    return ExAllocatePoolZero(PoolType, NumberOfBytes, Tag);
}

_Function_class_(FREE_FUNCTION) static VOID SampleFree(_In_ PVOID Buffer) {
    ExFreePoolWithTag(Buffer, SAMPLE_ENTRY_TAG);
}

_Use_decl_annotations_ NTSTATUS SampleExercisePool(VOID) {
    PUCHAR a, b, c, d, e, f, g, h;

    PAGED_CODE();
    a = ExAllocatePool(NonPagedPool, 64);
    b = ExAllocatePoolWithTag(PagedPool, 64, SAMPLE_TAG);
    c = ExAllocatePoolWithQuotaTag(
        (POOL_TYPE)(PagedPool | POOL_QUOTA_FAIL_INSTEAD_OF_RAISE), 64,
        SAMPLE_TAG);
    d = ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_CACHE_ALIGNED, 64,
                        SAMPLE_TAG);
    e = ExAllocatePoolZero(PagedPool, 64, SAMPLE_TAG);
    f = ExAllocatePoolUninitialized(NonPagedPool, 64, SAMPLE_TAG);
    g = ExAllocatePoolQuotaZero(NonPagedPool, 64, SAMPLE_TAG);
    h = ExAllocatePoolQuotaUninitialized(PagedPool, 64, SAMPLE_TAG);
    if (!a || !b || !c || !d || !e || !f || !g || !h)
        return STATUS_INSUFFICIENT_RESOURCES;
    if (d[63] != 0 || e[0] != 0 || g[10] != 0 || ((ULONG_PTR)d & 63) != 0)
        return STATUS_SAMPLE_FAILED;
    VideoPortZeroMemory(a, 64);
    RtlFillMemory(b, 64, 0x5A);
    VideoPortMoveMemory(a + 8, b, 32);
    RtlCopyMemory(f, a, 64);
    RtlMoveMemory(h, f + 1, 63);
    RtlZeroMemory(c, 64);
    if (a[7] != 0 || a[8] != 0x5A || f[39] != 0x5A || h[38] != 0x5A)
        return STATUS_SAMPLE_FAILED;
    ExFreePool(a);
    ExFreePoolWithTag(b, SAMPLE_TAG);
    ExFreePool2(c, SAMPLE_TAG, NULL, 0);
    ExFreePool2(d, 0, NULL, 0);
    ExFreePool(e);
    ExFreePoolWithTag(f, 0);
    ExFreePool(g);
    ExFreePool(h);
    return STATUS_SUCCESS;
}

_Use_decl_annotations_ NTSTATUS SampleExerciseLocks(PSAMPLE_CONTEXT Context) {
    KIRQL OldIrql, DpcIrql;

    KeInitializeSpinLock(&Context->Lock);
    ExInitializeFastMutex(&Context->Mutex);
    KeAcquireSpinLock(&Context->Lock, &OldIrql);
    if (KeGetCurrentIrql() != DISPATCH_LEVEL)
        return STATUS_SAMPLE_FAILED;
    Context->Count++;
    KeReleaseSpinLock(&Context->Lock, OldIrql);
    OldIrql = KeAcquireSpinLockRaiseToDpc(&Context->Lock);
    KeReleaseSpinLock(&Context->Lock, OldIrql);
    KeRaiseIrql(DISPATCH_LEVEL, &OldIrql);
    KeAcquireSpinLockAtDpcLevel(&Context->Lock);
    KeReleaseSpinLockFromDpcLevel(&Context->Lock);
    KeLowerIrql(OldIrql);
    DpcIrql = KeRaiseIrqlToDpcLevel();
    KeLowerIrql(DpcIrql);
    OldIrql = KfRaiseIrql(APC_LEVEL);
    KeLowerIrql(OldIrql);
    ExAcquireFastMutex(&Context->Mutex);
    if (KeGetCurrentIrql() != APC_LEVEL || Context->Mutex.Count != 0)
        return STATUS_SAMPLE_FAILED;
    ExReleaseFastMutex(&Context->Mutex);
    return KeGetCurrentIrql() == PASSIVE_LEVEL ? STATUS_SUCCESS
                                               : STATUS_SAMPLE_FAILED;
}

_Use_decl_annotations_ NTSTATUS
SampleExerciseLookaside(PSAMPLE_CONTEXT Context) {
    PVOID Entries[8];
    ULONG i;

    ExInitializeNPagedLookasideList(&Context->NonPaged, NULL, NULL, 0, 48,
                                    SAMPLE_ENTRY_TAG, 0);
    ExInitializePagedLookasideList(&Context->Paged, SampleAllocate, SampleFree,
                                   0, 24, SAMPLE_ENTRY_TAG, 0);
    for (i = 0; i < 8; i++) {
        Entries[i] = ExAllocateFromNPagedLookasideList(&Context->NonPaged);
        if (Entries[i] == NULL)
            return STATUS_INSUFFICIENT_RESOURCES;
    }
    for (i = 0; i < 8; i++)
        ExFreeToNPagedLookasideList(&Context->NonPaged, Entries[i]);
    for (i = 0; i < 8; i++) {
        Entries[i] = ExAllocateFromPagedLookasideList(&Context->Paged);
        if (Entries[i] == NULL)
            return STATUS_INSUFFICIENT_RESOURCES;
    }
    for (i = 0; i < 8; i++)
        ExFreeToPagedLookasideList(&Context->Paged, Entries[i]);
    ExDeleteNPagedLookasideList(&Context->NonPaged);
    ExDeletePagedLookasideList(&Context->Paged);
    return SampleAllocations == 8 ? STATUS_SUCCESS : STATUS_SAMPLE_FAILED;
}

_Use_decl_annotations_ VOID SamplePrint(ULONG Value) {
    DbgPrint("sample: value %lu\n", (unsigned long)Value);
    DbgPrintEx(0, 0, "sample: %s\n", "ex");
    VideoPortDebugPrint(Info, "sample: video %u\n", 3u);
}

_Use_decl_annotations_ VOID SampleCrash(ULONG_PTR Why) {
    KeBugCheckEx(0xDEAD0001, Why, 2, 3, 4);
}
