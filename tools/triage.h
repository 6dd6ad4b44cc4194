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
#include "finding.h"

#define TRIAGE_MAX_REPORTED 8 /* findings minimized and reported in detail */

/* One finding reported in detail (the first of its signature). */
struct triage_item {
    char name[256];             /* its artifact in findings/ */
    unsigned k;                 /* its FINDING number */
    int found;                  /* a vpcert finding (else: fuzz_diff failed
                                   on it without one) */
    struct exec_finding_text t; /* that finding, when found */
    char other[200];      /* else: the sanitizer's or libFuzzer's summary */
    unsigned occurrences; /* artifacts with its signature (1 when !found) */
};

struct triage {
    struct triage_item item[TRIAGE_MAX_REPORTED]; /* reported so far */
    unsigned n;                                   /* how many */
};

/* Artifacts of this campaign (not in c->known), sorted. */
void triage_new(const struct campaign *c, struct os_list *found);
/* How many there are so far. */
size_t triage_count(const struct campaign *c);
/* Replay, minimize, write and print artifact `name` as FINDING k. */
void triage_report(struct triage *t, const struct campaign *c, const char *name,
                   unsigned k);
/* fuzz_sarif.c: vpcert-work/findings.sarif, one result per item of t.
 * 0, or -1 (printed). */
int triage_write_sarif(const struct triage *t, const struct campaign *c);

#endif /* VPCERT_TRIAGE_H */
