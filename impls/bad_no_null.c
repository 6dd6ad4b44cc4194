/*
 * bad_no_null: a failing AllocateBuffer leaves *Buffer as the caller set
 * it (as an older open implementation did) instead of setting it to NULL.
 * Legal (AB-OUT-1 allows "unchanged") but not recommended: a WARN on the
 * SHOULD clause AB-OUT-2 at the first failure, nothing else, so the
 * verdict is CERTIFIED_WITH_WARNINGS.
 */
#define BASE_OUT_FAIL(Buffer) ((void)(Buffer)) /* FAULT: *Buffer untouched */
#include "common.h"
