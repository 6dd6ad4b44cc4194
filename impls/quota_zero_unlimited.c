/*
 * quota_zero_unlimited: VpcertDeviceStart takes a quota of 0 for "no quota
 * configured", as many drivers read a zero in a registry value.
 * Breaks QU-3 on a device whose quota is 0 (one byte is granted). The
 * conformance vectors have such a device since 1.0 (qu-3-one-byte-over.vpt
 * op 1), so this bug is not a deep one: the quota family meets it too
 * (quotas/0).
 */
#define BASE_QUOTA_OF(q) ((q) ? (q) : VPCERT_QUOTA_UNLIMITED) /* FAULT */
#include "common.h"
