/*
 * zero_reject: a conforming implementation that rejects Size 0 with
 * ERROR_INVALID_PARAMETER (zero-size = reject, impls/zero-reject.ics), as
 * a driver that treats a zero-byte buffer as a caller bug does. Under
 * zero-size = allocate it fails ZERO-3. impls/common.h otherwise.
 */
#define BASE_ON_ENTRY(d, size, Buffer)                                         \
    do {                                                                       \
        if ((size) == 0)                                                       \
            return ERROR_INVALID_PARAMETER;                                    \
    } while (0)
#include "common.h"
