/*
 * bad_quota_off_by_one: the quota test refuses when the request would fill
 * the quota exactly (>= instead of >), so an exact fit is refused.
 * Breaks QU-2 at the first exact fit (qu-2-exact-fit.vpt op 0).
 */
#define BASE_OVER_QUOTA(d, size)                                               \
    ((ULONGLONG)(size) >= (d)->quota - (d)->charge) /* FAULT: >= */
#include "common.h"
