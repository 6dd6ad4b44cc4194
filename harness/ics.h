/*
 * ics: the implementation conformance statement, a `key = value` text file
 * with `#` comments. Keys and defaults are documented in SPEC.md.
 */
#ifndef VPCERT_ICS_H
#define VPCERT_ICS_H

#include <stddef.h>

struct vp_ics {
    int quota_enabled;  /* quota = per-device (1, default) | none (0) */
    int quota_first;    /* quota-order = quota-first (1, default) | pool-first (0) */
    unsigned services;  /* VP_SVC_* mask, default VP_SVC_ALL */
    int zero_size;      /* enum vpm_zero_size: any (default), allocate, reject */
};

void vp_ics_default(struct vp_ics *ics);
/* Parse text; on error returns -1 with "FILE:LINE:COL: message" in err. */
int vp_ics_parse(const char *text, size_t len, const char *file,
                 struct vp_ics *ics, char *err, size_t errlen);
/* Write the declared values after defaults, one `key = value` per line. */
size_t vp_ics_write(const struct vp_ics *ics, char *out, size_t cap);

#endif /* VPCERT_ICS_H */
