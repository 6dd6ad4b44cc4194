/*
 * passthrough: the video port memory services as the open-source video port
 * implements them. No quota, no bookkeeping, no checks:
 *
 *   VideoPortAllocateBuffer  ExAllocatePoolWithTag(PagedPool, Size, tag);
 *                            NULL -> ERROR_NOT_ENOUGH_MEMORY (*Buffer = NULL)
 *   VideoPortReleaseBuffer   ExFreePool(Buffer)
 *   VideoPortAllocatePool    ExAllocatePoolWithTag(PoolType, Bytes, Tag)
 *   VideoPortFreePool        ExFreePool(Ptr)
 *
 * Size 0 goes to the pool as it is (the pool serves one byte; vpcert notes
 * it under KP-ZERO-1). There is no VpcertDeviceStart/VpcertDeviceStop: the
 * quota never reaches this implementation, so it is conforming only with
 * `quota = none` in its ICS (impls/none.ics). With `quota = per-device` it
 * fails: it grants what the quota forbids (QU-3) and lacks the lifecycle
 * exports a quota needs (ICS-1).
 *
 * Built a second time with PASSTHROUGH_BUFFERS_ONLY as passthrough_buffers:
 * the two services of the documentation page alone, conforming with
 * impls/buffers.ics (quota = none, services = AllocateBuffer,
 * ReleaseBuffer).
 */
#include <vpcert/video.h>

/* 'Vprt' in memory, the tag the open implementation's buffers carry. */
#define PT_TAG VPCERT_TAG('V', 'p', 'r', 't')

VP_STATUS VideoPortAllocateBuffer(PVOID HwDeviceExtension, ULONG Size,
                                  PVOID *Buffer) {
    (void)HwDeviceExtension;
    *Buffer = ExAllocatePoolWithTag(PagedPool, Size, PT_TAG);
    return *Buffer ? NO_ERROR : ERROR_NOT_ENOUGH_MEMORY;
}

VOID VideoPortReleaseBuffer(PVOID HwDeviceExtension, PVOID Buffer) {
    (void)HwDeviceExtension;
    ExFreePool(Buffer);
}

#ifndef PASSTHROUGH_BUFFERS_ONLY
/* VP_POOL_TYPE shares POOL_TYPE's numbering: the type goes through as is. */
PVOID VideoPortAllocatePool(PVOID HwDeviceExtension, VP_POOL_TYPE PoolType,
                            SIZE_T NumberOfBytes, ULONG Tag) {
    (void)HwDeviceExtension;
    return ExAllocatePoolWithTag((POOL_TYPE)PoolType, NumberOfBytes, Tag);
}

VOID VideoPortFreePool(PVOID HwDeviceExtension, PVOID Ptr) {
    (void)HwDeviceExtension;
    ExFreePool(Ptr);
}
#endif
