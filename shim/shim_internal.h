/*
 * vpcert shim: internal declarations shared by device.c, buffer.c and pool.c.
 *
 * The shim keeps no mutable global state: everything a device needs lives in
 * a VPCERT_DEVICE placed at the start of its HwDeviceExtension, which vpcert
 * hands over zeroed, writable, 16-byte aligned and
 * VPCERT_DEVICE_EXTENSION_SIZE bytes long. Buffers from
 * VideoPortAllocateBuffer carry a VPCERT_BUFFER_HEADER in the 16 bytes in
 * front of them.
 *
 * Written like a video port: the device's charge is kept under a spin lock,
 * and every VideoPortAllocatePool block has a small tracking record that
 * comes from a per-device nonpaged lookaside list whose entries are made
 * with ExAllocatePool2 and freed with ExFreePool2.
 */
#ifndef VPCERT_SHIM_INTERNAL_H
#define VPCERT_SHIM_INTERNAL_H

#include <vpcert/video.h>

#include "mutants.h"

#if defined(__GNUC__) || defined(__clang__)
#define VPCERT_EXPORT __attribute__((visibility("default")))
#define VPCERT_HIDDEN __attribute__((visibility("hidden")))
#else
#define VPCERT_EXPORT
#define VPCERT_HIDDEN
#endif

/* Pool tag of VideoPortAllocateBuffer blocks ("Dvpb" in memory). */
#define VPCERT_BUFFER_TAG VPCERT_TAG('D', 'v', 'p', 'b')
/* Pool tag of AllocatePool tracking records ("Dvpt" in memory). */
#define VPCERT_RECORD_TAG VPCERT_TAG('D', 'v', 'p', 't')
/* VPCERT_DEVICE.magic once VpcertDeviceStart has run ("VpDv"). */
#define VPCERT_DEVICE_MAGIC VPCERT_TAG('V', 'p', 'D', 'v')
/* High half of VPCERT_BUFFER_HEADER.stamp for a live buffer. */
#define VPCERT_BUFFER_MAGIC 0x56420000u
/* Parts of VPCERT_BUFFER_HEADER.stamp: magic and device start epoch. */
#define VPCERT_STAMP_MAGIC_MASK 0xFFFF0000u
#define VPCERT_STAMP_EPOCH_MASK 0x0000FFFFu

/* Bytes in front of each buffer: keeps the buffer 16-byte aligned. */
#if VPCERT_MUTANT == MUT_MISALIGNED
#define VPCERT_BUFFER_HEADER_SIZE 8u
#else
#define VPCERT_BUFFER_HEADER_SIZE 16u
#endif

/* One live AllocatePool block of a device (pool.c). */
typedef struct VPCERT_POOL_RECORD {
    PVOID block;                     /* the block handed to the caller */
    struct VPCERT_POOL_RECORD *next; /* next record of the same device */
    SIZE_T bytes;                    /* NumberOfBytes the caller asked for */
    ULONG tag;                       /* the caller's tag */
} VPCERT_POOL_RECORD;

/* The lookaside list records come from: nonpaged, except in the mutant
 * that takes them from a paged one. */
#if VPCERT_MUTANT == MUT_PAGED_BOOKKEEPING
typedef PAGED_LOOKASIDE_LIST VPCERT_RECORD_LIST;
#else
typedef NPAGED_LOOKASIDE_LIST VPCERT_RECORD_LIST;
#endif

/* Mutants that ask the pool before consulting the quota. */
#if VPCERT_MUTANT == MUT_POOL_FIRST ||                                         \
    VPCERT_MUTANT == MUT_LEAK_ON_QUOTA_FAILURE ||                              \
    VPCERT_MUTANT == MUT_POOL_FIRST_ORDER
#define VPCERT_POOL_FIRST 1
#else
#define VPCERT_POOL_FIRST 0
#endif

/* Mutants that test the quota and charge it in two steps (the shim itself
 * reserves in one, vpcert_quota_reserve): only they have
 * vpcert_quota_exceeded and vpcert_quota_charge. */
#if VPCERT_POOL_FIRST || VPCERT_MUTANT == MUT_CHECK_THEN_CHARGE
#define VPCERT_QUOTA_IN_STEPS 1
#else
#define VPCERT_QUOTA_IN_STEPS 0
#endif

/* Per-device state, at the start of the HwDeviceExtension. */
typedef struct VPCERT_DEVICE {
    ULONG magic;       /* VPCERT_DEVICE_MAGIC once started at least once */
    ULONG started;     /* nonzero between VpcertDeviceStart and Stop */
    ULONG epoch;       /* bumped by every Start; stamped into buffer headers */
    ULONG reserved;    /* padding, keeps the 64-bit fields aligned */
    ULONGLONG limit;   /* quota in bytes; VPCERT_QUOTA_UNLIMITED for none */
    ULONGLONG charged; /* bytes outstanding through AllocateBuffer */
    KSPIN_LOCK lock;   /* held while charged or records change */
    VPCERT_POOL_RECORD *records;    /* live AllocatePool blocks */
    VPCERT_RECORD_LIST record_list; /* where records come from */
#if VPCERT_MUTANT == MUT_LEAK_DEVICE_RECORD
    PVOID record; /* NonPagedPool per-device record made by Start */
#endif
#if VPCERT_MUTANT == MUT_STALE_REUSE
    PVOID lookaside; /* header of a released buffer, kept for reuse */
#endif
#if VPCERT_MUTANT == MUT_LINK_IN_BUFFER
    PVOID tail; /* newest live buffer; its first 8 bytes get the next link */
#endif
#if VPCERT_MUTANT == MUT_REPEAT_SIZE_MEMO
    PVOID memo;      /* last buffer granted (never cleared: the bug) */
    ULONG memo_size; /* its Size */
#endif
#if VPCERT_MUTANT == MUT_LOCK_ORDER
    KSPIN_LOCK records_lock; /* a second lock over the records (the bug:
                                taken in both orders with lock) */
    ULONG releases;          /* buffers released, counted under both */
#endif
} VPCERT_DEVICE;

_Static_assert(sizeof(VPCERT_DEVICE) <= VPCERT_DEVICE_EXTENSION_SIZE,
               "device state must fit in the HwDeviceExtension");
_Static_assert(_Alignof(VPCERT_DEVICE) <= 16,
               "the HwDeviceExtension is only 16-byte aligned");

/* Header in front of every VideoPortAllocateBuffer buffer. */
typedef struct VPCERT_BUFFER_HEADER {
    ULONG stamp; /* VPCERT_BUFFER_MAGIC | (owner's epoch & 0xFFFF); 0 freed */
    ULONG size;  /* Size the caller asked for: the amount charged */
#if VPCERT_MUTANT != MUT_MISALIGNED
    PVOID owner; /* HwDeviceExtension charged for this buffer */
#endif
} VPCERT_BUFFER_HEADER;

_Static_assert(sizeof(VPCERT_BUFFER_HEADER) <= VPCERT_BUFFER_HEADER_SIZE,
               "buffer header must fit in front of the buffer");

/* The device state inside a HwDeviceExtension. */
VPCERT_HIDDEN VPCERT_DEVICE *vpcert_device(PVOID HwDeviceExtension);

/* The device's spin lock: acquire (returns the IRQL to restore), release. */
VPCERT_HIDDEN KIRQL vpcert_lock(VPCERT_DEVICE *dev);
VPCERT_HIDDEN void vpcert_unlock(VPCERT_DEVICE *dev, KIRQL old);

/* The quota, each under the device's spin lock. exceeded: nonzero when
 * charging Size would exceed it; reserve: charge Size if it fits (1) or
 * charge nothing (0); charge and refund: the bytes a buffer of Size
 * costs. */
VPCERT_HIDDEN int vpcert_quota_reserve(VPCERT_DEVICE *dev, ULONG Size);
#if VPCERT_QUOTA_IN_STEPS
VPCERT_HIDDEN int vpcert_quota_exceeded(VPCERT_DEVICE *dev, ULONG Size);
VPCERT_HIDDEN void vpcert_quota_charge(VPCERT_DEVICE *dev, ULONG Size);
#endif
VPCERT_HIDDEN void vpcert_quota_refund(VPCERT_DEVICE *dev, ULONG Size);

/* The record lookaside list of a device: set up by VpcertDeviceStart,
 * deleted by VpcertDeviceStop (records.c). */
VPCERT_HIDDEN void vpcert_records_start(VPCERT_DEVICE *dev, int first);
VPCERT_HIDDEN void vpcert_records_stop(VPCERT_DEVICE *dev);
/* A record from the device's list (NULL when the pool refuses), and back. */
VPCERT_HIDDEN VPCERT_POOL_RECORD *vpcert_record_take(VPCERT_DEVICE *dev);
VPCERT_HIDDEN void vpcert_record_give(VPCERT_DEVICE *dev,
                                      VPCERT_POOL_RECORD *rec);

/* Header stamp for a buffer allocated now on dev. */
VPCERT_HIDDEN ULONG vpcert_buffer_stamp(const VPCERT_DEVICE *dev);

#if VPCERT_MUTANT == MUT_STALE_REUSE
/* Free the lookaside block, if any (DeviceStop). */
VPCERT_HIDDEN void vpcert_lookaside_flush(VPCERT_DEVICE *dev);
#endif

#endif /* VPCERT_SHIM_INTERNAL_H */
