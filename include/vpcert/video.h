/*
 * vpcert public ABI: the types, result codes and function signatures of the
 * Windows video port memory services, the kernel calls they make, and
 * vpcert's device lifecycle entry points.
 *
 * An implementation under test (vpcert's own shim/, or any shared object
 * handed to `vpcert certify`) includes this header and nothing else of
 * vpcert. Types follow the Windows LLP64 ABI: ULONG is 32 bits, SIZE_T and
 * ULONG_PTR are pointer-sized, VP_STATUS is a 32-bit signed integer, and
 * names, types and values are the WDK's for x64. Where the x64 WDK declares
 * a macro or an inline function (KeAcquireSpinLock, KeRaiseIrql,
 * KeLowerIrql, KeInitializeSpinLock, ExInitializeFastMutex,
 * ExAllocatePoolZero, ExAllocateFromNPagedLookasideList...), so does this
 * header, over functions of vpcert's kernel stand-in (the Vpcert* imports
 * below stand for what the WDK's inline code does with the processor), so
 * that code written for the WDK compiles unchanged.
 *
 * Plug-in ABI (see README "Certifying an implementation"):
 *   required  VideoPortAllocateBuffer, VideoPortReleaseBuffer
 *   optional  VideoPortAllocatePool, VideoPortFreePool,
 *             VpcertDeviceStart, VpcertDeviceStop
 *   imported  the kernel calls declared below (harness/kernel/exports.list),
 *             resolved to vpcert's kernel stand-in at load, and the C
 *             library; vpcert reads a plug-in's imports before loading it
 *             and refuses one that imports anything else
 * The HwDeviceExtension vpcert passes is a distinct, writable, zeroed block
 * of VPCERT_DEVICE_EXTENSION_SIZE bytes per device, 16-byte aligned, which
 * the implementation may use for its own per-device state between
 * VpcertDeviceStart and VpcertDeviceStop.
 *
 * Pool tags: WDK code writes them as multi-character constants ('Dvpc'),
 * which MSVC accepts silently; so that such code compiles unchanged with
 * -Werror, this header turns off GCC's and clang's -Wmultichar for the
 * rest of the file that includes it. Both compilers give a multi-character
 * constant the value MSVC gives it.
 */
#ifndef VPCERT_VIDEO_H
#define VPCERT_VIDEO_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Windows base types (LLP64 widths on an LP64 host) ---- */
typedef void VOID;
typedef void *PVOID;
typedef char CHAR;
typedef CHAR *PCHAR;
typedef char *PSTR;
typedef const char *PCSTR;
typedef uint8_t UCHAR;
typedef UCHAR *PUCHAR;
typedef uint16_t USHORT;
typedef uint32_t ULONG;
typedef ULONG *PULONG;
typedef uint64_t ULONGLONG;
typedef uint64_t ULONG64;
typedef int64_t LONGLONG;
typedef size_t SIZE_T;
typedef uintptr_t ULONG_PTR;
typedef int32_t LONG;
typedef LONG VP_STATUS;
typedef LONG NTSTATUS;
typedef UCHAR BOOLEAN;
typedef UCHAR KIRQL;
typedef KIRQL *PKIRQL;

#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif

/* ---- calling conventions and declaration specifiers (x64: no-ops) ---- */
#define NTAPI
#define FASTCALL
#define NTKERNELAPI
#define NTSYSAPI
#define FORCEINLINE static inline
#if defined(__GNUC__) || defined(__clang__)
#define DECLSPEC_NORETURN __attribute__((noreturn))
#pragma GCC diagnostic ignored "-Wmultichar"
#else
#define DECLSPEC_NORETURN
#endif
#ifndef UNREFERENCED_PARAMETER
#define UNREFERENCED_PARAMETER(P) ((void)(P))
#endif
#ifndef PAGED_CODE
#define PAGED_CODE() ((void)0)
#endif

/* ---- source annotations (SAL): documentation only, empty here ---- */
#define VPCERT_SAL0
#define VPCERT_SAL1(x)
#define VPCERT_SAL2(x, y)
#ifndef _In_
#define IN VPCERT_SAL0
#define OUT VPCERT_SAL0
#define OPTIONAL VPCERT_SAL0
#define _In_ VPCERT_SAL0
#define _In_opt_ VPCERT_SAL0
#define _Out_ VPCERT_SAL0
#define _Out_opt_ VPCERT_SAL0
#define _Inout_ VPCERT_SAL0
#define _Inout_opt_ VPCERT_SAL0
#define _Outptr_ VPCERT_SAL0
#define _Outptr_result_maybenull_ VPCERT_SAL0
#define _Ret_maybenull_ VPCERT_SAL0
#define _Must_inspect_result_ VPCERT_SAL0
#define _Use_decl_annotations_ VPCERT_SAL0
#define _IRQL_saves_ VPCERT_SAL0
#define _IRQL_restores_ VPCERT_SAL0
#define _Printf_format_string_ VPCERT_SAL0
#define __drv_aliasesMem VPCERT_SAL0
#define _In_reads_bytes_(s) VPCERT_SAL1(s)
#define _Out_writes_bytes_(s) VPCERT_SAL1(s)
#define _Out_writes_bytes_all_(s) VPCERT_SAL1(s)
#define _Post_writable_byte_size_(s) VPCERT_SAL1(s)
#define _IRQL_requires_(i) VPCERT_SAL1(i)
#define _IRQL_requires_max_(i) VPCERT_SAL1(i)
#define _IRQL_requires_min_(i) VPCERT_SAL1(i)
#define _IRQL_raises_(i) VPCERT_SAL1(i)
#define _Requires_lock_held_(l) VPCERT_SAL1(l)
#define _Requires_lock_not_held_(l) VPCERT_SAL1(l)
#define _Acquires_lock_(l) VPCERT_SAL1(l)
#define _Releases_lock_(l) VPCERT_SAL1(l)
#define _Function_class_(n) VPCERT_SAL1(n)
#define _Success_(e) VPCERT_SAL1(e)
#define _When_(c, a) VPCERT_SAL2(c, a)
#define __drv_allocatesMem(k) VPCERT_SAL1(k)
#define __drv_freesMem(k) VPCERT_SAL1(k)
#endif

/* ---- memory helpers: the C library's, as in the WDK ---- */
#define RtlZeroMemory(Destination, Length) memset((Destination), 0, (Length))
#define RtlFillMemory(Destination, Length, Fill)                               \
    memset((Destination), (Fill), (Length))
#define RtlCopyMemory(Destination, Source, Length)                             \
    memcpy((Destination), (Source), (Length))
#define RtlMoveMemory(Destination, Source, Length)                             \
    memmove((Destination), (Source), (Length))

/* ---- VP_STATUS values (Win32 error codes) ---- */
#define NO_ERROR 0L
#define ERROR_NOT_ENOUGH_MEMORY 8L
#define ERROR_INVALID_PARAMETER 87L
#define ERROR_INSUFFICIENT_BUFFER 122L

/* ---- NTSTATUS values ---- */
#define STATUS_SUCCESS ((NTSTATUS)0x00000000L)
#define STATUS_QUOTA_EXCEEDED ((NTSTATUS)0xC0000044L)
#define STATUS_INSUFFICIENT_RESOURCES ((NTSTATUS)0xC000009AL)
#define NT_SUCCESS(Status) (((NTSTATUS)(Status)) >= 0)

/* ---- IRQLs ---- */
#define PASSIVE_LEVEL 0
#define APC_LEVEL 1
#define DISPATCH_LEVEL 2
#define HIGH_LEVEL 15

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

/* ---- Kernel calls an implementation imports (vpcert's kernel stand-in) ----
 *
 * The stand-in accounts every pool byte, tracks the IRQL, spin locks, fast
 * mutexes and lookaside lists, and reports every broken rule as a finding
 * citing its SPEC.md clause (see SPEC.md for each call's rules). */

/* POOL_TYPE modifiers (ExAllocatePoolWithQuotaTag, lookaside Flags). */
#define POOL_QUOTA_FAIL_INSTEAD_OF_RAISE 8
#define POOL_RAISE_IF_ALLOCATION_FAILURE 16
#define POOL_NX_ALLOCATION 512

/* ExAllocatePool2 flags: the low 32 bits are required (an unknown one
 * fails the request), the high 32 bits optional (ignored if unknown). */
typedef ULONG64 POOL_FLAGS;
#define POOL_FLAG_REQUIRED_START 0x0000000000000001ULL
#define POOL_FLAG_USE_QUOTA 0x0000000000000001ULL
#define POOL_FLAG_UNINITIALIZED 0x0000000000000002ULL
#define POOL_FLAG_SESSION 0x0000000000000004ULL
#define POOL_FLAG_CACHE_ALIGNED 0x0000000000000008ULL
#define POOL_FLAG_RESERVED1 0x0000000000000010ULL
#define POOL_FLAG_RAISE_ON_FAILURE 0x0000000000000020ULL
#define POOL_FLAG_NON_PAGED 0x0000000000000040ULL
#define POOL_FLAG_NON_PAGED_EXECUTE 0x0000000000000080ULL
#define POOL_FLAG_PAGED 0x0000000000000100ULL
#define POOL_FLAG_RESERVED2 0x0000000000000200ULL
#define POOL_FLAG_RESERVED3 0x0000000000000400ULL
#define POOL_FLAG_REQUIRED_END 0x0000000080000000ULL
#define POOL_FLAG_OPTIONAL_START 0x0000000100000000ULL
#define POOL_FLAG_SPECIAL_POOL 0x0000000100000000ULL
#define POOL_FLAG_OPTIONAL_END 0x8000000000000000ULL

/* ExFreePool2's extended parameters (secure pool; vpcert has none). */
typedef struct _POOL_EXTENDED_PARAMETER {
    ULONG64 TypeAndFlags; /* Type (8 bits), Optional (1 bit), reserved */
    union {
        ULONG64 Reserved2; /* reserved */
        PVOID Reserved3;   /* reserved */
    } Parameter;           /* the parameter itself */
} POOL_EXTENDED_PARAMETER, *PPOOL_EXTENDED_PARAMETER;
typedef const POOL_EXTENDED_PARAMETER *PCPOOL_EXTENDED_PARAMETER;

/* Pool allocation and free. ExAllocatePool tags its blocks 'None';
 * ExFreePool(P) is ExFreePoolWithTag(P, 0). */
PVOID ExAllocatePoolWithTag(POOL_TYPE PoolType, SIZE_T NumberOfBytes,
                            ULONG Tag);
PVOID ExAllocatePool(POOL_TYPE PoolType, SIZE_T NumberOfBytes);
PVOID ExAllocatePoolWithQuotaTag(POOL_TYPE PoolType, SIZE_T NumberOfBytes,
                                 ULONG Tag);
PVOID ExAllocatePool2(POOL_FLAGS Flags, SIZE_T NumberOfBytes, ULONG Tag);
VOID ExFreePoolWithTag(PVOID P, ULONG Tag);
VOID ExFreePool(PVOID P);
VOID ExFreePool2(PVOID P, ULONG Tag,
                 PCPOOL_EXTENDED_PARAMETER ExtendedParameters,
                 ULONG ExtendedParametersCount);

/* Inline in the WDK: wrappers of ExAllocatePoolWithTag and
 * ExAllocatePoolWithQuotaTag. */
FORCEINLINE PVOID ExAllocatePoolZero(POOL_TYPE PoolType, SIZE_T NumberOfBytes,
                                     ULONG Tag) {
    PVOID Allocation = ExAllocatePoolWithTag(PoolType, NumberOfBytes, Tag);
    if (Allocation != NULL)
        RtlZeroMemory(Allocation, NumberOfBytes);
    return Allocation;
}
FORCEINLINE PVOID ExAllocatePoolUninitialized(POOL_TYPE PoolType,
                                              SIZE_T NumberOfBytes, ULONG Tag) {
    return ExAllocatePoolWithTag(PoolType, NumberOfBytes, Tag);
}
FORCEINLINE PVOID ExAllocatePoolQuotaZero(POOL_TYPE PoolType,
                                          SIZE_T NumberOfBytes, ULONG Tag) {
    PVOID Allocation = ExAllocatePoolWithQuotaTag(PoolType, NumberOfBytes, Tag);
    if (Allocation != NULL)
        RtlZeroMemory(Allocation, NumberOfBytes);
    return Allocation;
}
FORCEINLINE PVOID ExAllocatePoolQuotaUninitialized(POOL_TYPE PoolType,
                                                   SIZE_T NumberOfBytes,
                                                   ULONG Tag) {
    return ExAllocatePoolWithQuotaTag(PoolType, NumberOfBytes, Tag);
}

/* IRQL. KeGetCurrentIrql is a function here (inline in the WDK). On x64
 * the WDK's KfRaiseIrql and KeLowerIrql write the processor's CR8; here
 * VpcertRaiseIrql and VpcertLowerIrql set the stand-in's IRQL. */
KIRQL KeGetCurrentIrql(void);
KIRQL VpcertRaiseIrql(KIRQL NewIrql);
VOID VpcertLowerIrql(KIRQL NewIrql);
FORCEINLINE KIRQL KfRaiseIrql(KIRQL NewIrql) {
    return VpcertRaiseIrql(NewIrql);
}
#define KeRaiseIrql(a, b) *(b) = KfRaiseIrql(a)
FORCEINLINE VOID KeLowerIrql(KIRQL NewIrql) {
    VpcertLowerIrql(NewIrql);
}
FORCEINLINE KIRQL KeRaiseIrqlToDpcLevel(void) {
    return KfRaiseIrql(DISPATCH_LEVEL);
}

/* Spin locks (held: the caller runs at DISPATCH_LEVEL). */
typedef ULONG_PTR KSPIN_LOCK;
typedef KSPIN_LOCK *PKSPIN_LOCK;
FORCEINLINE VOID KeInitializeSpinLock(PKSPIN_LOCK SpinLock) {
    *SpinLock = 0;
}
KIRQL KeAcquireSpinLockRaiseToDpc(PKSPIN_LOCK SpinLock);
#define KeAcquireSpinLock(SpinLock, OldIrql)                                   \
    *(OldIrql) = KeAcquireSpinLockRaiseToDpc(SpinLock)
VOID KeReleaseSpinLock(PKSPIN_LOCK SpinLock, KIRQL NewIrql);
VOID KeAcquireSpinLockAtDpcLevel(PKSPIN_LOCK SpinLock);
VOID KeReleaseSpinLockFromDpcLevel(PKSPIN_LOCK SpinLock);

/* Fast mutexes (held: the caller runs at APC_LEVEL). KEVENT is opaque
 * here: vpcert provides no event calls. */
#define FM_LOCK_BIT 0x1
typedef struct _KEVENT {
    ULONG_PTR Header[3]; /* DISPATCHER_HEADER of the WDK, 24 bytes on x64 */
} KEVENT, *PKEVENT, *PRKEVENT;
typedef struct _FAST_MUTEX {
    volatile LONG Count; /* FM_LOCK_BIT when free */
    PVOID Owner;         /* owning thread, NULL when free */
    ULONG Contention;    /* times a waiter had to wait */
    KEVENT Event;        /* what waiters wait on */
    ULONG OldIrql;       /* IRQL before ExAcquireFastMutex */
} FAST_MUTEX, *PFAST_MUTEX;
FORCEINLINE VOID ExInitializeFastMutex(PFAST_MUTEX FastMutex) {
    FastMutex->Count = FM_LOCK_BIT;
    FastMutex->Owner = NULL;
    FastMutex->Contention = 0;
    RtlZeroMemory(&FastMutex->Event, sizeof FastMutex->Event);
}
VOID ExAcquireFastMutex(PFAST_MUTEX FastMutex);
VOID ExReleaseFastMutex(PFAST_MUTEX FastMutex);

/* Lookaside lists. The WDK declares GENERAL_LOOKASIDE cache aligned; the
 * documentation asks callers for 16 bytes on 64-bit platforms, which is
 * what this header declares, so that a list inside a pool block is never
 * misaligned for its type. The allocate and free entry points are inline
 * in the x64 WDK; here they call the stand-in, which caches freed entries
 * up to the list's depth. */
typedef struct _SLIST_ENTRY {
    struct _SLIST_ENTRY *Next; /* next entry */
} SLIST_ENTRY, *PSLIST_ENTRY;
typedef union _SLIST_HEADER {
    struct {
        _Alignas(16) ULONGLONG Alignment; /* depth and sequence */
        ULONGLONG Region;                 /* first entry */
    };
    ULONGLONG Words[2]; /* the header as two 64-bit words */
} SLIST_HEADER, *PSLIST_HEADER;
typedef struct _LIST_ENTRY {
    struct _LIST_ENTRY *Flink; /* next */
    struct _LIST_ENTRY *Blink; /* previous */
} LIST_ENTRY, *PLIST_ENTRY;
typedef PVOID (*PALLOCATE_FUNCTION)(POOL_TYPE PoolType, SIZE_T NumberOfBytes,
                                    ULONG Tag);
typedef VOID (*PFREE_FUNCTION)(PVOID Buffer);
#define LOOKASIDE_MINIMUM_BLOCK_SIZE (sizeof(PSLIST_ENTRY))
typedef struct _GENERAL_LOOKASIDE {
    SLIST_HEADER ListHead; /* cached entries (the stand-in keeps its own) */
    USHORT Depth;          /* entries the list caches at most */
    USHORT MaximumDepth;   /* what the system may tune Depth up to */
    ULONG TotalAllocates;  /* allocations from the list */
    union {
        ULONG AllocateMisses; /* allocations the cache could not serve */
        ULONG AllocateHits;   /* (the same counter, other name) */
    };
    ULONG TotalFrees; /* entries freed to the list */
    union {
        ULONG FreeMisses; /* frees the cache could not take */
        ULONG FreeHits;   /* (the same counter, other name) */
    };
    POOL_TYPE Type; /* pool type of the entries */
    ULONG Tag;      /* pool tag of the entries */
    ULONG Size;     /* bytes of one entry */
    union {
        PVOID AllocateEx;            /* (LOOKASIDE_LIST_EX only) */
        PALLOCATE_FUNCTION Allocate; /* makes an entry on a miss */
    };
    union {
        PVOID FreeEx;        /* (LOOKASIDE_LIST_EX only) */
        PFREE_FUNCTION Free; /* frees an entry the cache cannot take */
    };
    LIST_ENTRY ListEntry;     /* link in the system's list of lists */
    ULONG LastTotalAllocates; /* for depth tuning */
    union {
        ULONG LastAllocateMisses; /* for depth tuning */
        ULONG LastAllocateHits;   /* (the same counter, other name) */
    };
    ULONG Future[2]; /* reserved */
} GENERAL_LOOKASIDE, *PGENERAL_LOOKASIDE;
typedef struct _NPAGED_LOOKASIDE_LIST {
    GENERAL_LOOKASIDE L; /* the list */
} NPAGED_LOOKASIDE_LIST, *PNPAGED_LOOKASIDE_LIST;
typedef struct _PAGED_LOOKASIDE_LIST {
    GENERAL_LOOKASIDE L; /* the list */
} PAGED_LOOKASIDE_LIST, *PPAGED_LOOKASIDE_LIST;

VOID ExInitializeNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside,
                                     PALLOCATE_FUNCTION Allocate,
                                     PFREE_FUNCTION Free, ULONG Flags,
                                     SIZE_T Size, ULONG Tag, USHORT Depth);
VOID ExDeleteNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside);
VOID ExInitializePagedLookasideList(PPAGED_LOOKASIDE_LIST Lookaside,
                                    PALLOCATE_FUNCTION Allocate,
                                    PFREE_FUNCTION Free, ULONG Flags,
                                    SIZE_T Size, ULONG Tag, USHORT Depth);
VOID ExDeletePagedLookasideList(PPAGED_LOOKASIDE_LIST Lookaside);
/* Paged: 0 for a nonpaged list, 1 for a paged one. */
PVOID VpcertAllocateFromLookaside(PVOID Lookaside, ULONG Paged);
VOID VpcertFreeToLookaside(PVOID Lookaside, PVOID Entry, ULONG Paged);
FORCEINLINE PVOID
ExAllocateFromNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside) {
    return VpcertAllocateFromLookaside(Lookaside, 0);
}
FORCEINLINE VOID ExFreeToNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside,
                                             PVOID Entry) {
    VpcertFreeToLookaside(Lookaside, Entry, 0);
}
FORCEINLINE PVOID
ExAllocateFromPagedLookasideList(PPAGED_LOOKASIDE_LIST Lookaside) {
    return VpcertAllocateFromLookaside(Lookaside, 1);
}
FORCEINLINE VOID ExFreeToPagedLookasideList(PPAGED_LOOKASIDE_LIST Lookaside,
                                            PVOID Entry) {
    VpcertFreeToLookaside(Lookaside, Entry, 1);
}

/* Diagnostics. Debug output is captured per case and shown beside a
 * failure; a bug check ends the case as a finding (SPEC.md BC-1). */
typedef enum VIDEO_DEBUG_LEVEL {
    Error = 0,
    Warn,
    Trace,
    Info
} VIDEO_DEBUG_LEVEL;
ULONG DbgPrint(PCSTR Format, ...);
ULONG DbgPrintEx(ULONG ComponentId, ULONG Level, PCSTR Format, ...);
VOID VideoPortDebugPrint(VIDEO_DEBUG_LEVEL DebugPrintLevel, PSTR DebugMessage,
                         ...);
DECLSPEC_NORETURN VOID KeBugCheckEx(ULONG BugCheckCode,
                                    ULONG_PTR BugCheckParameter1,
                                    ULONG_PTR BugCheckParameter2,
                                    ULONG_PTR BugCheckParameter3,
                                    ULONG_PTR BugCheckParameter4);
VOID VideoPortZeroMemory(PVOID Destination, ULONG Length);
VOID VideoPortMoveMemory(PVOID Destination, PVOID Source, ULONG Length);

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
