/*
 * bad_tag_mismatch: FreePool frees with the implementation's own tag
 * 'Dvcb', but AllocatePool allocated with the caller's tag.
 * Breaks KP-TAG-1 at the first FreePool (kp-tag-1-free-tag.vpt op 6,
 * ap-free-1-free-gives-back.vpt op 4, ...).
 */
#define BASE_POOL_FREE(p)                                                      \
    ExFreePoolWithTag((p), BASE_TAG) /* FAULT: wrong tag */
#include "common.h"
