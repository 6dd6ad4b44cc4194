/*
 * kernel_pool2.c: the rest of the pool allocation family, each a thin
 * layer over the one allocate and free path of kernel.c (so accounting,
 * guards, the quarantine and the events stay in one place):
 *   ExAllocatePool              the 'None' tag
 *   ExAllocatePoolWithQuotaTag  raises on failure (EX-1) unless the type
 *                               carries POOL_QUOTA_FAIL_INSTEAD_OF_RAISE
 *   ExAllocatePool2             64-bit flags (KP-POOL2-1), zeroed unless
 *                               POOL_FLAG_UNINITIALIZED (HS-ZERO-1), raises
 *                               with POOL_FLAG_RAISE_ON_FAILURE (EX-1)
 *   ExFreePool2                 ExFreePoolWithTag; extended parameters
 *                               (secure pool) are ignored: vpcert has none
 */
#include "kernel_internal.h"

/* The tag of ExAllocatePool's blocks: "None" in memory. */
#define KN_TAG_NONE VPCERT_TAG('N', 'o', 'n', 'e')

/* ExAllocatePool2: the flags that name a pool, and every required flag a
 * caller may pass (POOL_FLAG_SESSION is accepted and changes nothing). */
#define KN_POOL2_KINDS                                                         \
    (POOL_FLAG_NON_PAGED | POOL_FLAG_NON_PAGED_EXECUTE | POOL_FLAG_PAGED)
#define KN_POOL2_KNOWN                                                         \
    (KN_POOL2_KINDS | POOL_FLAG_USE_QUOTA | POOL_FLAG_UNINITIALIZED |          \
     POOL_FLAG_SESSION | POOL_FLAG_CACHE_ALIGNED | POOL_FLAG_RAISE_ON_FAILURE)
#define KN_POOL2_REQUIRED 0xFFFFFFFFull /* low half: required flags */

PVOID ExAllocatePool(POOL_TYPE PoolType, SIZE_T NumberOfBytes) {
    struct kernel *k = kn_enter("ExAllocatePool");
    if (!k)
        return NULL;
    return kn_pool_alloc(k, (int32_t)PoolType, (uint64_t)NumberOfBytes,
                         KN_TAG_NONE);
}

PVOID ExAllocatePoolWithQuotaTag(POOL_TYPE PoolType, SIZE_T NumberOfBytes,
                                 ULONG Tag) {
    struct kernel *k = kn_enter("ExAllocatePoolWithQuotaTag");
    if (!k)
        return NULL;
    int32_t type = (int32_t)PoolType;
    int fail_instead = (type & POOL_QUOTA_FAIL_INSTEAD_OF_RAISE) != 0;
    void *p = kn_pool_alloc(k, type & ~POOL_QUOTA_FAIL_INSTEAD_OF_RAISE,
                            (uint64_t)NumberOfBytes, Tag);
    if (!p && !fail_instead) /* EX-1 */
        kn_raise(k, "ExAllocatePoolWithQuotaTag failed without "
                    "POOL_QUOTA_FAIL_INSTEAD_OF_RAISE: the exception it "
                    "raised escaped the service");
    return p;
}

/* KP-POOL2-1: why these flags and tag are invalid, or NULL. */
static const char *kn_pool2_invalid(POOL_FLAGS flags, ULONG tag) {
    POOL_FLAGS required = flags & KN_POOL2_REQUIRED;
    POOL_FLAGS kind = required & KN_POOL2_KINDS;
    if (kind == 0)
        return "ExAllocatePool2 flags name no pool (POOL_FLAG_PAGED, "
               "_NON_PAGED or _NON_PAGED_EXECUTE)";
    if (kind & (kind - 1))
        return "ExAllocatePool2 flags name more than one pool";
    if (required & ~(POOL_FLAGS)KN_POOL2_KNOWN)
        return "ExAllocatePool2 flags carry a reserved or unknown required "
               "bit";
    if (tag == 0)
        return "ExAllocatePool2 tag is 0";
    return NULL;
}

/* The POOL_TYPE a valid set of flags asks for. */
static int32_t kn_pool2_type(POOL_FLAGS flags) {
    return vpcert_pool_type_with((flags & POOL_FLAG_PAGED) != 0,
                                 (flags & POOL_FLAG_CACHE_ALIGNED) != 0)
        ->value;
}

/* KP-POOL2-1: the kernel returns NULL for invalid flags; so does the
 * stand-in, after recording why. */
static void *kn_pool2_refuse(struct kernel *k, uint64_t size, ULONG tag,
                             const char *why) {
    struct kernel_event ev = kn_event_ctx(k, KN_EV_VIOLATION);
    ev.size = size;
    ev.tag = tag;
    k->requests++;
    kn_event_cite(k, ev, KN_EV_VIOLATION, "KP-POOL2-1", why);
    ev.kind = KN_EV_REFUSE;
    ev.reason = KN_RF_BAD_FLAGS;
    kn_event_push(k, &ev);
    return NULL;
}

PVOID ExAllocatePool2(POOL_FLAGS Flags, SIZE_T NumberOfBytes, ULONG Tag) {
    struct kernel *k = kn_enter("ExAllocatePool2");
    if (!k)
        return NULL;
    const char *why = kn_pool2_invalid(Flags, Tag);
    void *p = why ? kn_pool2_refuse(k, (uint64_t)NumberOfBytes, Tag, why)
                  : kn_pool_alloc(k, kn_pool2_type(Flags),
                                  (uint64_t)NumberOfBytes, Tag);
    if (p && !(Flags & POOL_FLAG_UNINITIALIZED)) /* HS-ZERO-1 */
        kn_block_zero(kn_live_block(k, (uintptr_t)p), k);
    if (!p && (Flags & POOL_FLAG_RAISE_ON_FAILURE)) /* EX-1 */
        kn_raise(k, "ExAllocatePool2 failed with POOL_FLAG_RAISE_ON_FAILURE: "
                    "the exception it raised escaped the service");
    return p;
}

VOID ExFreePool2(PVOID P, ULONG Tag,
                 PCPOOL_EXTENDED_PARAMETER ExtendedParameters,
                 ULONG ExtendedParametersCount) {
    struct kernel *k = kn_enter("ExFreePool2");
    (void)ExtendedParameters;
    (void)ExtendedParametersCount;
    if (!k)
        return;
    kn_pool_free(k, P, Tag);
}
