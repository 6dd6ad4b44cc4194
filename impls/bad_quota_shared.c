/*
 * bad_quota_shared: each device has its own quota, but the charge is one
 * counter for the whole driver, so one device's buffers count against
 * another's quota.
 * Breaks QU-1 (qu-1-per-device.vpt op 1: device 1's exact fit is refused
 * because device 0 holds 4096 bytes).
 */
#include <vpcert/video.h>

static ULONGLONG bad_charge_all; /* FAULT: one charge for every device */
#define BASE_OVER_QUOTA(d, size) (bad_charge_all + (size) > (d)->quota)
#define BASE_CHARGE(d, size) ((void)(d), bad_charge_all += (size))
#define BASE_REFUND(d, size) ((void)(d), bad_charge_all -= (size))
#include "common.h"
