/*
 * campaign: `vpcert fuzz`, a differential fuzzing campaign. With libFuzzer
 * (the default engine) it runs the fuzz_diff libFuzzer binary as a child
 * process group:
 *
 *   fuzz_diff -max_total_time=S -artifact_prefix=vpcert-work/findings/
 *             -print_final_stats=1 -timeout=25 [-dict=fuzz_diff.dict]
 *             [-fork=N -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1]
 *             [ENGINE-FLAGS] CORPUS
 *
 * (--jobs N above 1: libFuzzer's fork mode, which goes on past findings),
 * reads what libFuzzer prints (fuzzer_log.c), prints a progress line every
 * few seconds and a summary (cmd_fuzz.c). With --engine afl it runs afl-fuzz
 * on the AFL++ build of fuzz_diff instead (campaign_afl.c) and copies what
 * AFL++ saves into vpcert-work/findings/. Every sample of the progress also
 * goes to vpcert-work/stats.csv, drawn into stats.png at the end (stats.c,
 * plot.c). Every new crash is then replayed
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
#include "stats.h"

#include <limits.h>

#define WORK_DIR "vpcert-work"
#define FUZZ_TIMEOUT_ARG "-timeout=25" /* libFuzzer's limit per input */

struct cli;

enum campaign_engine {
    CAMPAIGN_LIBFUZZER, /* fuzz_diff, libFuzzer */
    CAMPAIGN_AFL        /* afl-fuzz on afl/fuzz_diff */
};

struct campaign {
    enum campaign_engine engine; /* --engine */
    char fuzzer[PATH_MAX];       /* fuzz_diff (libFuzzer): the campaign's
                                    engine, and triage's and merge's */
    char afl_target[PATH_MAX];   /* afl/fuzz_diff (AFL++ engine) */
    char afl_fuzz[PATH_MAX];     /* the afl-fuzz program (AFL++ engine) */
    char afl_out[PATH_MAX];      /* vpcert-work/afl: afl-fuzz -o */
    char *const *pass;           /* engine flags given after -- */
    int npass;                   /* how many */
    char dict[PATH_MAX + 16];    /* fuzz_diff.dict, "" if none */
    char work[PATH_MAX];         /* vpcert-work, absolute */
    char corpus[PATH_MAX];       /* working corpus, absolute */
    char corpus_show[PATH_MAX];  /* working corpus as the user sees it */
    char findings[PATH_MAX];     /* vpcert-work/findings, absolute */
    double time;                 /* seconds */
    int jobs;                    /* parallel fuzzer processes */
    const char *target;          /* what is fuzzed, for the banner */
    struct fuzzer_log log;       /* what libFuzzer printed */
    struct os_list known;        /* vpcert-work/findings before the campaign */
    double start;                /* os_now() at the start */
    struct stats stats;          /* the samples: stats.csv, stats.png */
    unsigned long long last_execs; /* execs at the previous sample */
    double last_t;                 /* os_now() at the previous sample */
};

/* A program vpcert runs: $env_name if set (it must be executable), else
 * the first of rel[0..n-1] (relative to vpcert's own directory, which goes
 * into exe_dir) that is. 0 with its real path in out; 1 when not found; -1
 * when $env_name is set wrong (printed). */
int campaign_find(const char *env_name, const char *const rel[], unsigned n,
                  char out[PATH_MAX], char exe_dir[PATH_MAX]);
/* Check the options, find fuzz_diff, make the directories, pass --impl and
 * --ics on through the environment. 0, or -1 with the reason printed. */
int campaign_setup(const struct cli *cl, struct campaign *c);
/* Write the binary programs of corpus/seeds and corpus/regressions, as
 * built into vpcert, into the working corpus; returns how many inputs are
 * there from them. */
size_t campaign_seed(const struct campaign *c);
/* Run libFuzzer for the campaign's time, printing progress. Returns its
 * exit status (128 + signal when killed), -1 if it could not start. */
int campaign_run(struct campaign *c);
/* libFuzzer -merge=1 of the working corpus into dir. 0, or -1 (printed). */
int campaign_merge(const struct campaign *c, const char *dir);
/* Take a sample of the campaign now (executions, coverage, corpus,
 * findings), add it to the statistics and print it as a progress line. */
void campaign_progress(struct campaign *c, unsigned long long execs,
                       unsigned long cov, size_t corpus);
/* Open vpcert-work/stats.csv; at the end, close it and draw stats.png. */
void campaign_stats_open(struct campaign *c);
void campaign_stats_close(struct campaign *c);

/* campaign_afl.c: the AFL++ engine. */
/* Find afl/fuzz_diff (beside vpcert, or VPCERT_FUZZ_DIFF_AFL) and
 * afl-fuzz. 0, or -1 with the reason printed. */
int campaign_afl_find(struct campaign *c);
/* Run afl-fuzz (--jobs: one main and N-1 secondary instances) for the
 * campaign's time; its status as campaign_run's. */
int campaign_afl_run(struct campaign *c);

#endif /* VPCERT_CAMPAIGN_H */
