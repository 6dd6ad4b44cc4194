/*
 * campaign: `vpcert fuzz`, a differential fuzzing campaign. It runs the
 * fuzz_diff libFuzzer binary as a child process group:
 *
 *   fuzz_diff -max_total_time=S -artifact_prefix=vpcert-work/findings/
 *             -print_final_stats=1 -timeout=25 [-dict=fuzz_diff.dict]
 *             [-jobs=N -workers=N] CORPUS
 *
 * reads what libFuzzer prints (fuzzer_log.c), prints a progress line every
 * few seconds and a summary (cmd_fuzz.c). Every new crash is then replayed
 * through fuzz_diff (the same shim build and sanitizers) for its finding,
 * minimized (-minimize_crash=1, held to the same finding signature), and
 * written beside itself in text form (triage.c).
 *
 * Corpora (campaign_setup.c): the working corpus is vpcert-work/corpus,
 * emptied at the start and seeded with copies of corpus/seeds and
 * corpus/regressions. --corpus DIR makes DIR the working corpus instead
 * (kept between runs), which may not lie inside the checked-in corpus/.
 * With --merge the campaign runs in vpcert-work/corpus and then libFuzzer
 * -merge=1 adds the inputs that bring new coverage to --corpus DIR
 * (campaign.c): the only way this command writes there.
 */
#ifndef VPCERT_CAMPAIGN_H
#define VPCERT_CAMPAIGN_H

#include "fuzzer_log.h"
#include "os.h"

#include <limits.h>

#define WORK_DIR "vpcert-work"
#define FUZZ_TIMEOUT_ARG "-timeout=25" /* libFuzzer's limit per input */

struct cli;

struct campaign {
    char fuzzer[PATH_MAX];      /* fuzz_diff */
    char dict[PATH_MAX + 16];   /* fuzz_diff.dict, "" if none */
    char work[PATH_MAX];        /* vpcert-work, absolute */
    char corpus[PATH_MAX];      /* working corpus, absolute */
    char corpus_show[PATH_MAX]; /* working corpus as the user sees it */
    char findings[PATH_MAX];    /* vpcert-work/findings, absolute */
    double time;                /* seconds */
    int jobs;                   /* parallel libFuzzer processes */
    const char *target;         /* what is fuzzed, for the banner */
    struct fuzzer_log log;      /* what libFuzzer printed */
    struct os_list known;       /* vpcert-work/findings before the campaign */
    double start;               /* os_now() at the start */
};

/* Check the options, find fuzz_diff, make the directories, pass --impl and
 * --ics on through the environment. 0, or -1 with the reason printed. */
int campaign_setup(const struct cli *cl, struct campaign *c);
/* Copy corpus/seeds and corpus/regressions into the working corpus;
 * returns how many inputs are there from them. */
size_t campaign_seed(const struct campaign *c);
/* Run libFuzzer for the campaign's time, printing progress. Returns its
 * exit status (128 + signal when killed), -1 if it could not start. */
int campaign_run(struct campaign *c);
/* libFuzzer -merge=1 of the working corpus into dir. 0, or -1 (printed). */
int campaign_merge(const struct campaign *c, const char *dir);

#endif /* VPCERT_CAMPAIGN_H */
