/* campaign: libFuzzer run for the campaign's time with progress lines, and
 * the merge of its corpus into another. */
#include "campaign.h"

#include "interrupt.h"
#include "pgroup.h"
#include "strf.h"
#include "triage.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define PROGRESS_EVERY 5.0 /* seconds between progress lines */
#define GRACE 60.0         /* seconds past --time before the child is stopped */
#define STOP_GRACE 5.0     /* seconds from SIGINT to SIGKILL */

/* fuzz_diff's arguments for the campaign. */
struct fuzz_args {
    char time[48];                 /* -max_total_time= */
    char artifacts[PATH_MAX + 32]; /* -artifact_prefix= */
    char dict[PATH_MAX + 16];      /* -dict= */
    char fork[32];                 /* -fork= */
    char **argv;                   /* the command line, malloc'd */
};

/* The flags of libFuzzer's fork mode that go on past findings. */
static const char *const fork_flags[] = {
    "-ignore_crashes=1", "-ignore_timeouts=1", "-ignore_ooms=1"};

/* 0, or -1 when out of memory. */
static int fuzz_args(const struct campaign *c, struct fuzz_args *a) {
    int n = 0;
    a->argv = calloc(16 + (size_t)c->npass, sizeof *a->argv);
    if (!a->argv)
        return -1;
    strf(a->time, sizeof a->time, "-max_total_time=%.0f", c->time);
    strf(a->artifacts, sizeof a->artifacts, "-artifact_prefix=%s/",
         c->findings);
    strf(a->dict, sizeof a->dict, "-dict=%s", c->dict);
    strf(a->fork, sizeof a->fork, "-fork=%d", c->jobs);
    a->argv[n++] = (char *)c->fuzzer;
    a->argv[n++] = a->time;
    a->argv[n++] = a->artifacts;
    a->argv[n++] = (char *)"-print_final_stats=1";
    a->argv[n++] = (char *)FUZZ_TIMEOUT_ARG;
    if (c->dict[0])
        a->argv[n++] = a->dict;
    if (c->jobs > 1) {
        a->argv[n++] = a->fork;
        for (unsigned i = 0; i < 3; i++)
            a->argv[n++] = (char *)fork_flags[i];
    }
    for (int i = 0; i < c->npass; i++)
        a->argv[n++] = c->pass[i];
    a->argv[n++] = (char *)c->corpus;
    a->argv[n] = NULL;
    return 0;
}

void campaign_stats_open(struct campaign *c) {
    char path[PATH_MAX + 16];
    strf(path, sizeof path, "%s/stats.csv", c->work);
    if (stats_open(&c->stats, path) != 0)
        fprintf(stderr, "vpcert fuzz: cannot write %s/stats.csv: %s\n",
                WORK_DIR, strerror(errno));
    c->last_t = c->start;
    c->last_execs = 0;
    struct stats_sample zero = {0, 0, 0, 0, os_dir_count_files(c->corpus), 0};
    stats_add(&c->stats, &zero); /* the start: nothing run yet */
}

void campaign_stats_close(struct campaign *c) {
    char path[PATH_MAX + 16], err[PATH_MAX + 64];
    strf(path, sizeof path, "%s/stats.png", c->work);
    if (stats_plot(&c->stats, path, err, sizeof err) != 0)
        fprintf(stderr, "vpcert fuzz: %s\n", err);
    stats_close(&c->stats);
}

void campaign_progress(struct campaign *c, unsigned long long execs,
                       unsigned long cov, size_t corpus) {
    double t = os_now(), dt = t - c->last_t;
    struct stats_sample x = {t - c->start,
                             execs,
                             dt > 0 && execs >= c->last_execs
                                 ? (double)(execs - c->last_execs) / dt
                                 : 0.0,
                             cov,
                             corpus,
                             triage_count(c)};
    stats_add(&c->stats, &x);
    printf("vpcert fuzz: %5.0f s  execs %-10llu exec/s %-6.0f cov %-6lu "
           "corp %-6zu findings %zu\n",
           x.t, x.execs, x.rate, x.cov, x.corpus, x.findings);
    fflush(stdout);
    c->last_t = t;
    c->last_execs = execs;
}

static void progress(struct campaign *c) {
    fuzzer_log_total(&c->log);
    campaign_progress(c, c->log.execs, c->log.cov,
                      os_dir_count_files(c->corpus));
}

/* Read libFuzzer's output until it has exited and closed its pipe, with a
 * progress line every PROGRESS_EVERY seconds. Ctrl-C (or SIGTERM, SIGHUP)
 * or GRACE seconds past the campaign's time stop it: SIGINT to its group,
 * SIGKILL STOP_GRACE seconds later. Once it has exited, what is left of
 * its group (a -jobs worker holding the pipe) is killed. Its wait
 * status. */
static int watch(struct campaign *c, pid_t pid, int fd) {
    double asked = 0;
    int open_pipe = 1, status = 0, done = 0;
    while (!done || open_pipe) {
        struct pollfd pfd = {fd, POLLIN, 0};
        if (open_pipe && poll(&pfd, 1, 250) > 0)
            open_pipe = fuzzer_log_pump_pipe(&c->log);
        else if (!open_pipe)
            usleep(250000);
        if (!done && waitpid(pid, &status, WNOHANG) == pid) {
            done = 1;
            pgroup_end(pid);
        }
        double now = os_now(), el = now - c->start;
        if (!done && !asked && (interrupt_seen() || el > c->time + GRACE)) {
            kill(-pid, SIGINT);
            asked = now;
        } else if (!done && asked && now - asked > STOP_GRACE) {
            kill(-pid, SIGKILL);
        }
        if (now - c->last_t >= PROGRESS_EVERY && !done)
            progress(c);
    }
    return status;
}

int campaign_run(struct campaign *c) {
    struct fuzz_args a;
    char path[PATH_MAX + 32];
    int fds[2];
    if (c->engine == CAMPAIGN_AFL)
        return campaign_afl_run(c);
    if (fuzz_args(c, &a) != 0 || pipe(fds) != 0) {
        free(a.argv);
        return -1;
    }
    strf(path, sizeof path, "%s/fuzz.log", c->work);
    fuzzer_log_open(&c->log, fds[0], path, 0);
    const char *env[] = {"VPCERT_FUZZ_PROGRESS", "1", NULL};
    c->start = os_now();
    campaign_stats_open(c);
    pid_t pid = pgroup_spawn(a.argv, c->work, fds[1], env);
    close(fds[1]);
    int status = pid < 0 ? 0 : watch(c, pid, fds[0]);
    fuzzer_log_close(&c->log);
    fuzzer_log_total(&c->log);
    if (pid >= 0 &&
        (c->log.execs != c->last_execs || os_now() - c->last_t >= 1))
        progress(c); /* the last sample: the final counts */
    campaign_stats_close(c);
    free(a.argv);
    if (pid < 0)
        return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int campaign_merge(const struct campaign *c, const char *dir) {
    char abs[PATH_MAX], a_art[PATH_MAX + 32], logp[PATH_MAX + 16];
    char a_merge[] = "-merge=1";
    if (os_dir_make(dir) != 0 || os_path_abs(dir, abs) != 0) {
        fprintf(stderr, "vpcert fuzz: cannot create %s: %s\n", dir,
                strerror(errno));
        return -1;
    }
    size_t before = os_dir_count_files(abs);
    strf(a_art, sizeof a_art, "-artifact_prefix=%s/", c->findings);
    char *argv[] = {(char *)c->fuzzer, a_merge, a_art, abs,
                    (char *)c->corpus, NULL};
    strf(logp, sizeof logp, "%s/merge.log", c->work);
    int fd = open(logp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return -1;
    pid_t pid = pgroup_spawn(argv, c->work, fd, NULL);
    close(fd);
    int status = pid > 0 ? pgroup_wait(pid, 3600) : -1;
    if (pid < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr,
                "vpcert fuzz: merge into %s failed (see %s/merge.log)\n", dir,
                WORK_DIR);
        return -1;
    }
    printf("vpcert fuzz: merged %s into %s: %zu -> %zu inputs\n",
           c->corpus_show, dir, before, os_dir_count_files(abs));
    return 0;
}
