/*
 * deep_late_refund: with more than 256 buffers live on a device,
 * ReleaseBuffer parks the refund and applies it at the next release (a
 * batch of bookkeeping done "later"): for one call, the device is charged
 * for a buffer it no longer holds.
 * Breaks QU-4 only with more than 256 buffers live and the quota full:
 * certify's scale family (scale/buffers-4096-exact-quota releases one
 * buffer at the full mark and asks for exactly what it freed); the
 * certify of SPEC 1.0 certified it.
 */
#define BASE_AFTER_GRANT(d, h, size) ((d)->spare_n++)
#define BASE_REFUND(d, size)                                                   \
    ((d)->charge -= (d)->spare_m, (d)->spare_m = 0,                            \
     (d)->spare_n-- > 256u ? (void)((d)->spare_m = (size)) /* FAULT */         \
                           : (void)((d)->charge -= (size)))
#include "common.h"
