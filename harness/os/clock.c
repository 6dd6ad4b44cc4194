/* clock: the monotonic clock every timer of vpcert reads. */
#include "os.h"

#include <time.h>

double os_now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}
