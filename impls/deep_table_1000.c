/*
 * deep_table_1000: keeps every live buffer in a static table of 1,000 slots
 * (its own bookkeeping), on the assumption that no miniport holds 1,000
 * buffers at once. With the table full it answers ERROR_NOT_ENOUGH_MEMORY
 * without asking the pool.
 * Breaks AB-RES-3 at the 1,001st live buffer: certify's scale family holds
 * 4,096 (scale/buffers-4096-exact-quota); the certify of SPEC 1.0, whose
 * cases hold a few dozen buffers, certified it.
 */
#include <vpcert/video.h>

#define DT_SLOTS 1000u
static PVOID dt_slot[DT_SLOTS]; /* live buffer headers, NULL: free */
static unsigned dt_used;        /* slots in use */

static void dt_take(PVOID h) {
    for (unsigned i = 0; i < DT_SLOTS; i++)
        if (!dt_slot[i]) {
            dt_slot[i] = h;
            dt_used++;
            return;
        }
}

static void dt_drop(PVOID h) {
    for (unsigned i = 0; i < DT_SLOTS; i++)
        if (dt_slot[i] == h) {
            dt_slot[i] = NULL;
            dt_used--;
            return;
        }
}

#define BASE_ON_ENTRY(d, size, Buffer)                                         \
    do {                                                                       \
        if (dt_used == DT_SLOTS) /* FAULT: a full table is no pool refusal */  \
            return ERROR_NOT_ENOUGH_MEMORY;                                    \
    } while (0)
#define BASE_AFTER_GRANT(d, h, size) dt_take(h)
#define BASE_UNTRACK(d, h) (dt_drop(h), base_untrack((d), (h)))
#include "common.h"
