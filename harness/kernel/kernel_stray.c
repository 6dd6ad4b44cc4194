/*
 * kernel_stray.c: kernel calls made while no kernel is bound to the calling
 * thread (HOST-2): by the library while it loads (a constructor doing what
 * DriverEntry would), or by a thread the library started itself. No program
 * owns them, so the stand-in serves none of them; it counts them and keeps
 * the first one's name, for the loader and the executor to report.
 */
#include <stdatomic.h>

#include "kernel_internal.h"

/* Process-wide: a library's own thread has no kernel of its own. */
static atomic_ulong kn_stray_count;         /* stray calls since the reset */
static _Atomic(const char *) kn_stray_name; /* the first one's routine */

void kn_stray(const char *routine) {
    const char *none = NULL;
    atomic_compare_exchange_strong(&kn_stray_name, &none, routine);
    atomic_fetch_add(&kn_stray_count, 1);
}

unsigned long kernel_stray_calls(const char **first) {
    unsigned long n = atomic_load(&kn_stray_count);
    if (first) {
        const char *name = atomic_load(&kn_stray_name);
        *first = name ? name : "";
    }
    return n;
}

void kernel_stray_reset(void) {
    atomic_store(&kn_stray_name, NULL);
    atomic_store(&kn_stray_count, 0);
}
