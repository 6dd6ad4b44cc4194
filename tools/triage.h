/*
 * triage: what a campaign found. Each new libFuzzer artifact in
 * vpcert-work/findings/ is replayed through fuzz_diff for its finding (the
 * same shim build, the same sanitizers), minimized with -minimize_crash=1
 * held to that finding's signature, written beside itself in text form,
 * and printed. A finding whose signature was already reported is named,
 * not minimized again.
 */
#ifndef VPCERT_TRIAGE_H
#define VPCERT_TRIAGE_H

#include "campaign.h"

#define TRIAGE_MAX_REPORTED 8 /* findings minimized and reported in detail */

struct triage {
    char sig[TRIAGE_MAX_REPORTED][160]; /* signatures reported so far */
    unsigned k[TRIAGE_MAX_REPORTED];    /* FINDING number of each */
    unsigned n;                         /* signatures reported */
};

/* Artifacts of this campaign (not in c->known), sorted. */
void triage_new(const struct campaign *c, struct os_list *found);
/* How many there are so far. */
size_t triage_count(const struct campaign *c);
/* Replay, minimize, write and print artifact `name` as FINDING k. */
void triage_report(struct triage *t, const struct campaign *c, const char *name,
                   unsigned k);

#endif /* VPCERT_TRIAGE_H */
