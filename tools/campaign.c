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
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define PROGRESS_EVERY 5.0 /* seconds between progress lines */
#define GRACE 60.0         /* seconds past --time before the child is killed */

/* fuzz_diff's arguments for the campaign. */
struct fuzz_args {
    char time[48];                 /* -max_total_time= */
    char artifacts[PATH_MAX + 32]; /* -artifact_prefix= */
    char dict[PATH_MAX + 16];      /* -dict= */
    char jobs[32];                 /* -jobs= */
    char workers[32];              /* -workers= */
    char stats[24];                /* -print_final_stats=1 */
    char timeout[24];              /* FUZZ_TIMEOUT_ARG */
    char *argv[16];                /* the command line */
};

static void fuzz_args(const struct campaign *c, struct fuzz_args *a) {
    int n = 0;
    strf(a->time, sizeof a->time, "-max_total_time=%.0f", c->time);
    strf(a->artifacts, sizeof a->artifacts, "-artifact_prefix=%s/",
         c->findings);
    strf(a->dict, sizeof a->dict, "-dict=%s", c->dict);
    strf(a->jobs, sizeof a->jobs, "-jobs=%d", c->jobs);
    strf(a->workers, sizeof a->workers, "-workers=%d", c->jobs);
    strf(a->stats, sizeof a->stats, "-print_final_stats=1");
    strf(a->timeout, sizeof a->timeout, FUZZ_TIMEOUT_ARG);
    a->argv[n++] = (char *)c->fuzzer;
    a->argv[n++] = a->time;
    a->argv[n++] = a->artifacts;
    a->argv[n++] = a->stats;
    a->argv[n++] = a->timeout;
    if (c->dict[0])
        a->argv[n++] = a->dict;
    if (c->jobs > 1) {
        a->argv[n++] = a->jobs;
        a->argv[n++] = a->workers;
    }
    a->argv[n++] = (char *)c->corpus;
    a->argv[n] = NULL;
}

static void progress(struct campaign *c, double *last_t,
                     unsigned long long *last_execs) {
    double t = os_now();
    fuzzer_log_total(&c->log);
    double dt = t - *last_t;
    printf("vpcert fuzz: %5.0f s  execs %-10llu exec/s %-6.0f cov %-6lu "
           "corp %-6zu findings %zu\n",
           t - c->start, c->log.execs,
           dt > 0 ? (double)(c->log.execs - *last_execs) / dt : 0.0, c->log.cov,
           os_dir_count_files(c->corpus), triage_count(c));
    fflush(stdout);
    *last_t = t;
    *last_execs = c->log.execs;
}

/* Read libFuzzer's output until it has exited and closed its pipe, with a
 * progress line every PROGRESS_EVERY seconds; Ctrl-C or GRACE seconds past
 * the campaign's time stop it (SIGINT, then SIGKILL). Its wait status. */
static int watch(struct campaign *c, pid_t pid, int fd) {
    double last_t = c->start;
    unsigned long long last_execs = 0;
    int open_pipe = 1, status = 0, done = 0, signalled = 0;
    while (!done || open_pipe) {
        struct pollfd pfd = {fd, POLLIN, 0};
        if (open_pipe && poll(&pfd, 1, 250) > 0)
            open_pipe = fuzzer_log_pump_pipe(&c->log);
        else if (!open_pipe)
            usleep(250000);
        fuzzer_log_pump_jobs(&c->log);
        if (!done && waitpid(pid, &status, WNOHANG) == pid)
            done = 1;
        double el = os_now() - c->start;
        if (!done &&
            ((interrupt_seen() && !signalled) || el > c->time + GRACE)) {
            kill(-pid, signalled ? SIGKILL : SIGINT);
            signalled++;
        }
        if (done && open_pipe && el > c->time + 2 * GRACE)
            break; /* a grandchild holds the pipe */
        if (os_now() - last_t >= PROGRESS_EVERY && !done)
            progress(c, &last_t, &last_execs);
    }
    return status;
}

int campaign_run(struct campaign *c) {
    struct fuzz_args a;
    char path[PATH_MAX + 32];
    int fds[2];
    fuzz_args(c, &a);
    if (pipe(fds) != 0)
        return -1;
    strf(path, sizeof path, "%s/fuzz.log", c->work);
    fuzzer_log_open(&c->log, fds[0], path);
    for (int j = 0; j < c->jobs && c->jobs > 1; j++) {
        strf(path, sizeof path, "%s/fuzz-%d.log", c->work, j);
        fuzzer_log_follow(&c->log, path);
    }
    const char *env[] = {"VPCERT_FUZZ_PROGRESS", "1", NULL};
    c->start = os_now();
    pid_t pid = pgroup_spawn(a.argv, c->work, fds[1], env);
    close(fds[1]);
    int status = pid < 0 ? 0 : watch(c, pid, fds[0]);
    fuzzer_log_close(&c->log);
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
