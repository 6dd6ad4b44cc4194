/*
 * bad_refund_lost: ReleaseBuffer frees the buffer but never lowers the
 * device's charge, so released room never comes back.
 * Breaks QU-4 (qu-4-refund-once.vpt op 3: the exact fit after a release is
 * refused; also qu-1-per-device.vpt op 11).
 */
#define BASE_REFUND(d, size) ((void)(d), (void)(size)) /* FAULT: no refund */
#include "common.h"
