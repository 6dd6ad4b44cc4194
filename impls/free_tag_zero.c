/*
 * free_tag_zero: a conforming implementation that gives every block back
 * with ExFreePoolWithTag(P, 0), as kernel code often does (ExFreePool(P)
 * is that very call). The kernel compares the tag on free only when the
 * caller passes a non-zero one, so this is legal (SPEC.md KP-TAG-1, 1.1).
 *
 * impls/common.h otherwise: 48-byte headers, quota-first, Size 0 granted.
 * Before SPEC 1.1 vpcert failed it on KP-TAG-1 at the first release
 * (corpus/regressions/kp-tag-1-tag-zero-free.vpt replays that case).
 */
#define BASE_BLOCK_FREE(h) ExFreePoolWithTag((h), 0)
#define BASE_POOL_FREE(p) ExFreePoolWithTag((p), 0)
#include "common.h"
