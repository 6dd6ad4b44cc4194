/*
 * bad_null_success: Size 0 is "nothing to allocate": NO_ERROR at once,
 * with *Buffer left NULL.
 * Breaks AB-RES-2 at the first Size 0 request (zero-1-size-zero.vpt op 0,
 * ab-res-2-success-has-buffer.vpt op 1, buf-1, buf-3, rb-1, zero-3, ...).
 */
#define BASE_ON_ENTRY(d, size, Buffer)                                         \
    do {                                                                       \
        if ((size) == 0)                                                       \
            return NO_ERROR; /* FAULT: *Buffer is still NULL */                \
    } while (0)
#include "common.h"
