/*
 * bad_ntstatus: a pool refusal is answered with the NTSTATUS
 * STATUS_INSUFFICIENT_RESOURCES (0xC000009A), as an older open video port
 * did, instead of ERROR_NOT_ENOUGH_MEMORY.
 * Breaks AB-RES-1 at the first pool refusal (ab-res-1-only-documented-codes.vpt
 * op 1, and every vector with a refused AllocateBuffer).
 */
#define BASE_ST_NOMEM ((VP_STATUS)(int32_t)0xC000009Au) /* FAULT */
#include "common.h"
