/* runner_wait: the manager waiting on its lanes, the limits it enforces,
 * and how a process's end is said in words. */
#include "runner_lane.h"

#include "os.h"
#include "sandbox.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#define WAKE_EVERY_NS 10000000L /* the manager looks at least every 10 ms */

void runner_sleep(struct runner *r) {
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    t.tv_nsec += WAKE_EVERY_NS;
    if (t.tv_nsec >= 1000000000L) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000L;
    }
    while (sem_timedwait((sem_t *)r->shm, &t) != 0 && errno == EINTR)
        ;
}

/* The own time of the work pid started at `started` (runner.h), wall
 * being the wall time since then. */
static double own_time(struct lane_clock *clock, pid_t pid, double started,
                       double wall, double limit) {
    double wait;
    if (clock->started != started) {
        clock->started = started; /* first seen now: its wait from here */
        clock->known = os_run_wait(pid, &clock->wait0) == 0;
    }
    if (wall <= limit || !clock->known || os_run_wait(pid, &wait) != 0)
        return wall; /* wall time is an upper bound of its own */
    double own = wall - (wait - clock->wait0);
    return own < 0 ? 0 : own;
}

int runner_over_limits(const struct runner_config *cfg,
                       struct lane_clock *clock, pid_t pid, double started,
                       int *kind, char *out, size_t cap) {
    double wall = os_now() - started;
    double own = own_time(clock, pid, started, wall, cfg->case_seconds);
    if (own > cfg->case_seconds) {
        *kind = CH_TIMEOUT;
        snprintf(out, cap,
                 "no result within %.1f s (its own time; %.1f s "
                 "wall clock)",
                 cfg->case_seconds, wall);
        return 1;
    }
    if (wall > RUNNER_BACKSTOP * cfg->case_seconds) {
        *kind = CH_STOPPED;
        snprintf(out, cap,
                 "the machine is too loaded: in %.1f s of wall clock a case "
                 "got %.1f s of its own time (limit %.1f s)",
                 wall, own, cfg->case_seconds);
        return 1;
    }
    uint64_t rss = cfg->rss_bytes && pid > 0 ? os_rss(pid) : 0;
    if (rss > cfg->rss_bytes) {
        *kind = CH_MEMORY;
        snprintf(out, cap, "resident memory %llu MiB above the %llu MiB limit",
                 (unsigned long long)(rss >> 20),
                 (unsigned long long)(cfg->rss_bytes >> 20));
        return 1;
    }
    return 0;
}

enum child_outcome runner_child_end(int status, char *out, size_t cap) {
    if (status == -1) {
        snprintf(out, cap, "vpcert could not start a child process");
        return CH_ERROR;
    }
    if (WIFSIGNALED(status) && WTERMSIG(status) == SANDBOX_SIGNAL) {
        snprintf(out, cap,
                 "tried to signal a process outside its own "
                 "group (vpcert's); stopped by the sandbox");
        return CH_KILL;
    }
    if (WIFSIGNALED(status)) {
        snprintf(out, cap, "killed by signal %d (%s)", WTERMSIG(status),
                 strsignal(WTERMSIG(status)));
        return CH_CRASH;
    }
    snprintf(out, cap, "exited with status %d before reporting",
             WEXITSTATUS(status));
    return CH_EXIT;
}

void runner_describe_end(int loader_ended, int loader_status, int keeper_status,
                         char *out, size_t cap) {
    char how[96];
    if (loader_ended) {
        /* The loader ended on its own: the library ended it (exit, a
         * crash, a signal to its own group). */
        runner_child_end(loader_status, how, sizeof how);
        snprintf(out, cap, "the process loading it %s", how);
    } else if (WIFSIGNALED(keeper_status)) {
        snprintf(out, cap,
                 "the library signalled its parent process or its process "
                 "group (%s)",
                 strsignal(WTERMSIG(keeper_status)));
    } else {
        snprintf(out, cap, "vpcert's process above it ended (status %d)",
                 WEXITSTATUS(keeper_status));
    }
}
