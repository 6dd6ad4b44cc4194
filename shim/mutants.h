/*
 * vpcert shim mutants: compile-time switches that turn the correct shim into
 * one deliberately faulty variant each. Build a mutant with
 * -DVPCERT_MUTANT=N; 0 (or leaving it undefined) builds the correct shim.
 *
 * Each mutant is ONE realistic, local bug a real implementer could write.
 * VPCERT_MUTANT_LIST documents them for tools, one entry per mutant:
 *   MUTANT(NUMBER, NAME, CLAUSE, "one-line description")
 * CLAUSE is the SPEC clause (harness/spec/clauses.def) expected to catch it.
 * Expand the list with a macro of your own, e.g.
 *   #define ROW(n, name, clause, desc) {n, #name, #clause, desc},
 *   VPCERT_MUTANT_LIST(ROW)
 *
 * MUT_<NAME> gives each number a name for `#if VPCERT_MUTANT == MUT_<NAME>`;
 * the shim checks at compile time that the two tables agree. Build with
 * -Wundef to catch a misspelt MUT_ name (it would silently read as 0).
 */
#ifndef VPCERT_SHIM_MUTANTS_H
#define VPCERT_SHIM_MUTANTS_H

#ifndef VPCERT_MUTANT
#define VPCERT_MUTANT 0
#endif

/* clang-format off */
#define VPCERT_MUTANT_LIST(MUTANT) \
    MUTANT(1, QUOTA_OFF_BY_ONE, QU-2, "quota test uses >= so the exact fit is refused") \
    MUTANT(2, QUOTA_PLUS_ONE, QU-3, "quota test tolerates one byte of slack, so one byte over the quota is granted") \
    MUTANT(3, QUOTA_WRAP32, QU-6, "charged + Size is summed in a ULONG, so a large Size wraps past a small quota") \
    MUTANT(4, REFUND_LOST, QU-4, "ReleaseBuffer frees the block but never refunds its Size") \
    MUTANT(5, REFUND_DOUBLE, QU-4, "the block-freeing helper refunds again after ReleaseBuffer already refunded") \
    MUTANT(6, CHARGE_ON_FAILURE, QU-5, "Size is charged before the pool request and not undone when the pool refuses") \
    MUTANT(7, CHARGE_OVERHEAD, QU-2, "the charge is Size + the 16-byte header, so the exact fit is refused") \
    MUTANT(8, SHARED_QUOTA, QU-1, "the charge is kept in one static shared by all devices") \
    MUTANT(9, SWAP_NOMEM_CODE, AB-RES-4, "returns ERROR_INSUFFICIENT_BUFFER when the pool refuses") \
    MUTANT(10, SWAP_QUOTA_CODE, AB-RES-3, "returns ERROR_NOT_ENOUGH_MEMORY when the quota is exceeded") \
    MUTANT(11, NTSTATUS_CODE, AB-RES-1, "returns STATUS_INSUFFICIENT_RESOURCES (0xC000009A) when the pool refuses") \
    MUTANT(12, NO_NULL_ON_FAILURE, AB-OUT-2, "leaves *Buffer unchanged on failure") \
    MUTANT(13, STALE_PTR_ON_FAILURE, AB-OUT-1, "on pool refusal writes the device extension address into *Buffer") \
    MUTANT(14, POOL_FIRST, QU-7, "asks the pool before the quota; a pool refusal returns ERROR_NOT_ENOUGH_MEMORY even when over quota") \
    MUTANT(15, SHORT_BY_ONE, BUF-2, "requests header + Size - 1 bytes from the pool") \
    MUTANT(16, MISALIGNED, BUF-1, "8-byte header, so the buffer is block + 8") \
    MUTANT(17, NONPAGED_BUFFER, BUF-5, "buffers come from NonPagedPool") \
    MUTANT(18, LEAK_ON_RELEASE, RB-1, "ReleaseBuffer refunds but never frees the block") \
    MUTANT(19, LEAK_ON_QUOTA_FAILURE, AB-LEAK-1, "pool first; when the quota is then exceeded it returns without freeing the block") \
    MUTANT(20, POOL_SIZE_TRUNC, AP-RES-2, "AllocatePool passes (ULONG)NumberOfBytes to the pool") \
    MUTANT(21, PAGED_BOOKKEEPING, IRQL-1, "AllocatePool/FreePool take their tracking records from a paged lookaside list, even at DISPATCH_LEVEL") \
    MUTANT(22, NONPAGED_TYPE_MAP, AP-TYPE-1, "maps VpNonPagedPoolCacheAligned (4) to PagedPoolCacheAligned (5)") \
    MUTANT(23, CACHE_ALIGN_LOST, AP-ALIGN-1, "maps the cache-aligned types (4, 5) to the plain types (0, 1)") \
    MUTANT(24, TAG_DROPPED, AP-TAG-1, "AllocatePool uses its own tag 'Dvpp' instead of the caller's") \
    MUTANT(25, WRONG_FREE_TAG, KP-TAG-1, "ReleaseBuffer frees with the tag byte-reversed ('bpvD')") \
    MUTANT(26, FREE_INTERIOR, KP-FREE-1, "ReleaseBuffer frees the buffer pointer instead of the header") \
    MUTANT(27, DOUBLE_FREE, KP-FREE-2, "FreePool calls ExFreePool twice on the same pointer") \
    MUTANT(28, TRAILER_OVERRUN, KP-OVR-1, "AllocateBuffer writes a 4-byte canary just past Size, outside the block it requested") \
    MUTANT(29, MUST_SUCCEED_POOL, KP-TYPE-1, "buffers are requested with NonPagedPoolMustSucceed (2)") \
    MUTANT(30, LEAK_DEVICE_RECORD, KP-LEAK-1, "DeviceStart allocates a NonPagedPool record that DeviceStop never frees") \
    MUTANT(31, NULL_ON_ZERO, AB-RES-2, "Size 0 returns NO_ERROR with *Buffer = NULL") \
    MUTANT(32, STALE_REUSE, RB-1, "one-entry lookaside keeps a released block but is not cleared when the block is reused, so two live buffers share it") \
    MUTANT(33, LINK_IN_BUFFER, BUF-4, "live-buffer list keeps its next link in the first 8 bytes of the previous caller buffer") \
    MUTANT(34, FREEPOOL_NOOP, AP-FREE-1, "VideoPortFreePool does nothing") \
    MUTANT(35, POOL_LEAK_ON_NULL, AP-LEAK-1, "AllocatePool leaks its NonPagedPool tracking record when the block request is refused") \
    MUTANT(36, POOL_NULL_HUGE, AP-RES-1, "AllocatePool returns NULL for NumberOfBytes > 0xFFFFFFFF without asking the pool") \
    MUTANT(37, POOL_NULL_AT_DISPATCH, IRQL-2, "AllocatePool returns NULL at DISPATCH_LEVEL or above") \
    MUTANT(38, RESTART_KEEPS_CHARGE, QU-9, "DeviceStop marks the device exhausted; DeviceStart resets the charge only on the first start") \
    MUTANT(39, START_FAILS_ZERO_QUOTA, DEV-1, "DeviceStart returns ERROR_INVALID_PARAMETER for QuotaBytes == 0") \
    MUTANT(40, ZERO_REJECTED, ZERO-3, "Size 0 returns ERROR_INVALID_PARAMETER with *Buffer = NULL (the ICS declares allocate)") \
    MUTANT(41, PAGED_FROM_NONPAGED_TYPE, AP-TYPE-2, "maps VpPagedPool (1) to NonPagedPool (0)") \
    MUTANT(42, POOL_MISALIGNED, AP-ALIGN-1, "AllocatePool puts an 8-byte header in front and returns block + 8") \
    MUTANT(43, SHARED_LIMIT, QU-1, "the quota limit is one static overwritten by every DeviceStart, so the last started device's limit applies to all") \
    MUTANT(44, POOL_FIRST_ORDER, QU-8, "asks the pool before the quota (results right, but the pool is asked for over-quota requests)") \
    MUTANT(45, QUOTA_IGNORES_CHARGE, QU-3, "quota test compares Size alone with the limit, ignoring what is already charged") \
    MUTANT(46, REQUEST_WRAP32, KP-OVR-1, "header + Size is summed in a ULONG, so Size >= 0xFFFFFFF0 gets a tiny block and the header overruns it") \
    MUTANT(47, REPEAT_SIZE_MEMO, BUF-3, "a one-entry memo hands the last buffer out again when the same Size is asked for twice in a row") \
    MUTANT(48, PAGED_CACHE_ALIGN_LOST, AP-ALIGN-1, "maps VpPagedPoolCacheAligned (5) alone to PagedPool (1); type 4 keeps its alignment") \
    MUTANT(49, PAGED_UNDER_LOCK, IRQL-1, "AllocateBuffer requests its PagedPool block while holding the device's spin lock") \
    MUTANT(50, LOCK_TWICE, LK-1, "ReleaseBuffer holds the device's spin lock while calling the refund, which acquires it again") \
    MUTANT(51, UNLOCK_UNHELD, LK-2, "the quota-refused path releases the device's spin lock twice") \
    MUTANT(52, RETURN_LOCKED, LK-3, "the quota-refused path returns without releasing the device's spin lock") \
    MUTANT(53, LOCK_AT_DPC_CALL, LK-4, "the device's spin lock is taken with KeAcquireSpinLockAtDpcLevel, also at PASSIVE_LEVEL") \
    MUTANT(54, RELEASE_WRONG_IRQL, IRQL-3, "the refund releases the device's spin lock to DISPATCH_LEVEL instead of the IRQL it saved") \
    MUTANT(55, RAISE_BELOW, IRQL-4, "FreePool raises to APC_LEVEL around its record search, which lowers the IRQL at DISPATCH_LEVEL") \
    MUTANT(56, RECORD_TWO_POOLS, KP-POOL2-1, "the record list's allocate function passes POOL_FLAG_NON_PAGED | POOL_FLAG_PAGED to ExAllocatePool2") \
    MUTANT(57, RECORD_RAISES, EX-1, "the record list's allocate function passes POOL_FLAG_RAISE_ON_FAILURE, and nothing catches the exception") \
    MUTANT(58, BUGCHECK_ZERO, BC-1, "AllocateBuffer calls KeBugCheckEx(0xC4, 0, ...) for Size 0") \
    MUTANT(59, LIST_NOT_DELETED, LL-1, "DeviceStop never deletes the record lookaside list") \
    MUTANT(60, BLOCK_TO_LIST, LL-2, "FreePool frees the caller's block to the record lookaside list instead of its record") \
    MUTANT(61, LIST_FIRST_START_ONLY, LL-3, "the record list is initialized by the first DeviceStart only, so a restarted device uses the list DeviceStop deleted") \
    MUTANT(62, MALLOC_RECORDS, HOST-1, "AllocatePool takes its tracking records from calloc instead of the lookaside list") \
    MUTANT(63, RECORD_FREE_TAG, KP-TAG-1, "the record list's free function passes the buffer tag to ExFreePool2") \
    MUTANT(64, CHECK_THEN_CHARGE, CONC-1, "AllocateBuffer tests the quota under the lock, asks the pool, then charges under the lock again: two callers can both pass the test") \
    MUTANT(65, LOCK_ORDER, CONC-2, "a records lock taken before the device's lock by AllocatePool and after it by ReleaseBuffer") \
    MUTANT(66, RECORD_TAG_ZERO, KP-POOL2-1, "the record list's allocate function passes tag 0 to ExAllocatePool2 instead of the list's tag") \
    MUTANT(67, RECORD_RESERVED_FLAG, KP-POOL2-1, "the record list's allocate function passes POOL_FLAG_RESERVED1 beside POOL_FLAG_NON_PAGED") \
    MUTANT(68, RECORD_AT_HIGH_LEVEL, IRQL-1, "AllocatePool takes its record at HIGH_LEVEL (raised so that nothing interrupts it), when the list must ask the pool") \
    MUTANT(69, PAGED_FREE_UNDER_LOCK, IRQL-1, "ReleaseBuffer frees the paged buffer block while it holds the device's spin lock") \
    MUTANT(70, LIST_RAISES, EX-1, "the record lookaside list is initialized with POOL_RAISE_IF_ALLOCATION_FAILURE, and nothing catches the exception") \
    MUTANT(71, RECORD_OVERRUN, KP-OVR-1, "FreePool clears the record one byte past its end before the record goes back to the list") \
    MUTANT(72, POOL_UNTAGGED, AP-TAG-1, "AllocatePool asks the legacy ExAllocatePool, which tags every block 'None', so the caller's tag is lost") \
    MUTANT(73, RECORD_LINK_TO_LIST, LL-2, "FreePool gives its record's link field back to the record list instead of the record")

#define MUT_QUOTA_OFF_BY_ONE 1
#define MUT_QUOTA_PLUS_ONE 2
#define MUT_QUOTA_WRAP32 3
#define MUT_REFUND_LOST 4
#define MUT_REFUND_DOUBLE 5
#define MUT_CHARGE_ON_FAILURE 6
#define MUT_CHARGE_OVERHEAD 7
#define MUT_SHARED_QUOTA 8
#define MUT_SWAP_NOMEM_CODE 9
#define MUT_SWAP_QUOTA_CODE 10
#define MUT_NTSTATUS_CODE 11
#define MUT_NO_NULL_ON_FAILURE 12
#define MUT_STALE_PTR_ON_FAILURE 13
#define MUT_POOL_FIRST 14
#define MUT_SHORT_BY_ONE 15
#define MUT_MISALIGNED 16
#define MUT_NONPAGED_BUFFER 17
#define MUT_LEAK_ON_RELEASE 18
#define MUT_LEAK_ON_QUOTA_FAILURE 19
#define MUT_POOL_SIZE_TRUNC 20
#define MUT_PAGED_BOOKKEEPING 21
#define MUT_NONPAGED_TYPE_MAP 22
#define MUT_CACHE_ALIGN_LOST 23
#define MUT_TAG_DROPPED 24
#define MUT_WRONG_FREE_TAG 25
#define MUT_FREE_INTERIOR 26
#define MUT_DOUBLE_FREE 27
#define MUT_TRAILER_OVERRUN 28
#define MUT_MUST_SUCCEED_POOL 29
#define MUT_LEAK_DEVICE_RECORD 30
#define MUT_NULL_ON_ZERO 31
#define MUT_STALE_REUSE 32
#define MUT_LINK_IN_BUFFER 33
#define MUT_FREEPOOL_NOOP 34
#define MUT_POOL_LEAK_ON_NULL 35
#define MUT_POOL_NULL_HUGE 36
#define MUT_POOL_NULL_AT_DISPATCH 37
#define MUT_RESTART_KEEPS_CHARGE 38
#define MUT_START_FAILS_ZERO_QUOTA 39
#define MUT_ZERO_REJECTED 40
#define MUT_PAGED_FROM_NONPAGED_TYPE 41
#define MUT_POOL_MISALIGNED 42
#define MUT_SHARED_LIMIT 43
#define MUT_POOL_FIRST_ORDER 44
#define MUT_QUOTA_IGNORES_CHARGE 45
#define MUT_REQUEST_WRAP32 46
#define MUT_REPEAT_SIZE_MEMO 47
#define MUT_PAGED_CACHE_ALIGN_LOST 48
#define MUT_PAGED_UNDER_LOCK 49
#define MUT_LOCK_TWICE 50
#define MUT_UNLOCK_UNHELD 51
#define MUT_RETURN_LOCKED 52
#define MUT_LOCK_AT_DPC_CALL 53
#define MUT_RELEASE_WRONG_IRQL 54
#define MUT_RAISE_BELOW 55
#define MUT_RECORD_TWO_POOLS 56
#define MUT_RECORD_RAISES 57
#define MUT_BUGCHECK_ZERO 58
#define MUT_LIST_NOT_DELETED 59
#define MUT_BLOCK_TO_LIST 60
#define MUT_LIST_FIRST_START_ONLY 61
#define MUT_MALLOC_RECORDS 62
#define MUT_RECORD_FREE_TAG 63
#define MUT_CHECK_THEN_CHARGE 64
#define MUT_LOCK_ORDER 65
#define MUT_RECORD_TAG_ZERO 66
#define MUT_RECORD_RESERVED_FLAG 67
#define MUT_RECORD_AT_HIGH_LEVEL 68
#define MUT_PAGED_FREE_UNDER_LOCK 69
#define MUT_LIST_RAISES 70
#define MUT_RECORD_OVERRUN 71
#define MUT_POOL_UNTAGGED 72
#define MUT_RECORD_LINK_TO_LIST 73
/* clang-format on */

/* Highest mutant number; VPCERT_MUTANT must lie in 0..VPCERT_MUTANT_COUNT. */
#define VPCERT_MUTANT_COUNT 73

#if VPCERT_MUTANT < 0 || VPCERT_MUTANT > VPCERT_MUTANT_COUNT
#error "VPCERT_MUTANT must be 0 (correct shim) or a number from mutants.h"
#endif

#endif /* VPCERT_SHIM_MUTANTS_H */
