/*
 * bad_quota_nomem: a quota refusal is answered with ERROR_NOT_ENOUGH_MEMORY
 * ("no memory for you") instead of ERROR_INSUFFICIENT_BUFFER, although the
 * pool was never asked.
 * Breaks AB-RES-3 at the first over-quota request (qu-3-one-byte-over.vpt
 * op 0 and every quota vector).
 */
#define BASE_ST_QUOTA ERROR_NOT_ENOUGH_MEMORY /* FAULT */
#include "common.h"
