/*
 * bad_overrun: after a grant the buffer is "NUL-terminated" for the debug
 * dump, one byte past the Size bytes asked for, which is one byte past the
 * bytes requested from the pool.
 * Breaks KP-OVR-1 at the first grant of Size >= 1 (the shim's guard bytes
 * are checked right after every allocation; e.g. buf-1-aligned.vpt op 0).
 */
#define BASE_AFTER_GRANT(d, h, size)                                           \
    (((UCHAR *)base_user_of(h))[(size)] = 0) /* FAULT: byte Size written */
#include "common.h"
