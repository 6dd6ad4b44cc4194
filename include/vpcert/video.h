/*
 * vpcert public ABI: the types, result codes and function signatures of the
 * Windows video port memory services, the kernel pool services they import,
 * and vpcert's device lifecycle entry points.
 *
 * An implementation under test (vpcert's own shim/, or any shared object
 * handed to `vpcert certify`) includes this header and nothing else of
 * vpcert. Types follow the Windows LLP64 ABI: ULONG is 32 bits, SIZE_T is
 * pointer-sized, VP_STATUS is a 32-bit signed integer.
 *
 * Plug-in ABI (see README "Certifying an implementation"):
 *   required  VideoPortAllocateBuffer, VideoPortReleaseBuffer
 *   optional  VideoPortAllocatePool, VideoPortFreePool,
 *             VpcertDeviceStart, VpcertDeviceStop
 *   imported  ExAllocatePoolWithTag, ExFreePoolWithTag, ExFreePool,
 *             KeGetCurrentIrql (resolved to vpcert's kernel stand-in at load)
 * The HwDeviceExtension vpcert passes is a distinct, writable, zeroed block
 * of VPCERT_DEVICE_EXTENSION_SIZE bytes per device, 16-byte aligned, which
 * the implementation may use for its own per-device state between
 * VpcertDeviceStart and VpcertDeviceStop.
 */
#ifndef VPCERT_VIDEO_H
#define VPCERT_VIDEO_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Windows base types (LLP64 widths on an LP64 host) ---- */
typedef void VOID;
typedef void *PVOID;
typedef uint8_t UCHAR;
typedef uint32_t ULONG;
typedef uint64_t ULONGLONG;
typedef size_t SIZE_T;
typedef int32_t LONG;
typedef LONG VP_STATUS;
typedef UCHAR KIRQL;

/* ---- VP_STATUS values (Win32 error codes) ---- */
#define NO_ERROR 0L
#define ERROR_NOT_ENOUGH_MEMORY 8L
#define ERROR_INVALID_PARAMETER 87L
#define ERROR_INSUFFICIENT_BUFFER 122L

/* ---- IRQLs ---- */
#define PASSIVE_LEVEL 0
#define APC_LEVEL 1
#define DISPATCH_LEVEL 2

/* ---- Pool types: VP_POOL_TYPE shares POOL_TYPE's numbering ---- */
typedef enum _VP_POOL_TYPE {
    VpNonPagedPool = 0,
    VpPagedPool = 1,
    VpNonPagedPoolCacheAligned = 4,
    VpPagedPoolCacheAligned = 5,
    VpMaxPoolType = 6
} VP_POOL_TYPE;

typedef enum _POOL_TYPE {
    NonPagedPool = 0,
    PagedPool = 1,
    NonPagedPoolMustSucceed = 2, /* forbidden to drivers */
    DontUseThisType = 3,
    NonPagedPoolCacheAligned = 4,
    PagedPoolCacheAligned = 5,
    NonPagedPoolCacheAlignedMustS = 6
} POOL_TYPE;

/* Build a pool tag from four characters: VPCERT_TAG('D','v','p','c') is the
 * ULONG whose bytes in memory read "Dvpc" (byte-reversed in the literal). */
#define VPCERT_TAG(a, b, c, d)                                                 \
    ((ULONG)(UCHAR)(a) | ((ULONG)(UCHAR)(b) << 8) |                            \
     ((ULONG)(UCHAR)(c) << 16) | ((ULONG)(UCHAR)(d) << 24))

/* ---- The video port memory services under test ---- */
VP_STATUS VideoPortAllocateBuffer(PVOID HwDeviceExtension, ULONG Size,
                                  PVOID *Buffer);
VOID VideoPortReleaseBuffer(PVOID HwDeviceExtension, PVOID Buffer);
PVOID VideoPortAllocatePool(PVOID HwDeviceExtension, VP_POOL_TYPE PoolType,
                            SIZE_T NumberOfBytes, ULONG Tag);
VOID VideoPortFreePool(PVOID HwDeviceExtension, PVOID Ptr);

/* ---- vpcert device lifecycle ---- */
#define VPCERT_DEVICE_EXTENSION_SIZE 256u
#define VPCERT_QUOTA_UNLIMITED ((ULONGLONG)-1)
VP_STATUS VpcertDeviceStart(PVOID HwDeviceExtension, ULONGLONG QuotaBytes);
VOID VpcertDeviceStop(PVOID HwDeviceExtension);

/* ---- Kernel services an implementation imports (vpcert's kernel stand-in)
 * ---- */
PVOID ExAllocatePoolWithTag(POOL_TYPE PoolType, SIZE_T NumberOfBytes,
                            ULONG Tag);
VOID ExFreePoolWithTag(PVOID P, ULONG Tag);
VOID ExFreePool(PVOID P);
KIRQL KeGetCurrentIrql(void);

/* Function pointer types, for loaders. */
typedef VP_STATUS (*PFN_VP_ALLOCATE_BUFFER)(PVOID, ULONG, PVOID *);
typedef VOID (*PFN_VP_RELEASE_BUFFER)(PVOID, PVOID);
typedef PVOID (*PFN_VP_ALLOCATE_POOL)(PVOID, VP_POOL_TYPE, SIZE_T, ULONG);
typedef VOID (*PFN_VP_FREE_POOL)(PVOID, PVOID);
typedef VP_STATUS (*PFN_VPCERT_DEVICE_START)(PVOID, ULONGLONG);
typedef VOID (*PFN_VPCERT_DEVICE_STOP)(PVOID);

#ifdef __cplusplus
}
#endif
#endif /* VPCERT_VIDEO_H */
