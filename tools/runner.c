/* runner: the manager's side (runner.h): lanes started and ended, a
 * command at a time per lane, time and memory watched, every end heard
 * from waitpid, results turned into one result per program. */
#include "runner_lane.h"

#include "guard.h"
#include "interrupt.h"
#include "os.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

int runner_clean(const struct child_result *res) {
    return res->out == CH_PASS && res->r.nfindings == 0;
}

static size_t lane_size(const struct runner_config *cfg) {
    size_t n =
        sizeof(struct lane_shm) + cfg->batch * sizeof(struct child_result);
    return (n + 4095) & ~(size_t)4095;
}

static struct lane_shm *shm_of(const struct runner *r, unsigned i) {
    return (struct lane_shm *)((char *)r->shm + 4096 + i * lane_size(&r->cfg));
}

/* Start lane i's keeper (and so its loader). 0, or -1. */
int runner_lane_spawn(struct runner *r, unsigned i) {
    struct runner_lane *ln = &r->lane[i];
    struct lane_shm *L = ln->L;
    L->load = LOAD_RUNNING;
    L->loader_ended = 0;
    L->parent_hit = 0;
    L->loader = 0;
    L->child = 0;
    L->cmd_seq = L->done_seq = 0;
    L->started = os_now();
    ln->reaped = 0;
    fflush(NULL);
    pid_t manager = getpid(), pid = fork();
    if (pid == 0)
        worker_keeper(L, &r->cfg, manager);
    if (pid < 0)
        return -1;
    ln->keeper = pid;
    ln->state = LANE_LOADING;
    guard_add(pid);
    r->st.loads++;
    return 0;
}

/* The pids to keep when ending strays: the live keepers, the guard. */
static size_t keepers(const struct runner *r, pid_t *keep) {
    size_t n = 0;
    for (unsigned i = 0; i < r->cfg.lanes; i++)
        if (r->lane[i].keeper > 0)
            keep[n++] = r->lane[i].keeper;
    keep[n++] = guard_pid();
    return n;
}

/* Kill lane i's processes, reap its keeper and what the library left. */
void runner_lane_kill(struct runner *r, unsigned i) {
    struct runner_lane *ln = &r->lane[i];
    pid_t keep[RUNNER_MAX_LANES + 1];
    if (ln->keeper <= 0)
        return;
    /* By pid as well as by group: the library may have left its group. */
    pid_t loader = ln->L->loader_ended ? 0 : ln->L->loader;
    pid_t child = ln->L->child;
    if (child > 0) {
        kill(-child, SIGKILL);
        kill(child, SIGKILL);
    }
    if (loader > 0)
        kill(loader, SIGKILL);
    kill(-ln->keeper, SIGKILL);
    kill(ln->keeper, SIGKILL);
    if (!ln->reaped)
        while (waitpid(ln->keeper, &ln->keeper_status, 0) < 0 && errno == EINTR)
            ;
    /* The keeper is reaped, so its loader (and the loader's child) are
     * this process's children now: vpcert's own, not strays. */
    if (loader > 0)
        waitpid(loader, NULL, 0);
    if (child > 0)
        waitpid(child, NULL, 0);
    r->st.strays += ln->L->strays;
    ln->L->strays = 0;
    guard_remove(ln->keeper);
    if (child > 0)
        guard_remove(child);
    ln->keeper = 0;
    ln->state = LANE_DOWN;
    r->st.strays += os_end_strays(keep, keepers(r, keep));
}

/* Has lane i's keeper ended (not reaped twice)? */
int runner_keeper_ended(struct runner_lane *ln) {
    if (!ln->reaped &&
        waitpid(ln->keeper, &ln->keeper_status, WNOHANG) == ln->keeper)
        ln->reaped = 1;
    return ln->reaped;
}

/* Stop the run (deadline or interrupt)? Sets r->stopped and r->why. */
int runner_must_stop(struct runner *r) {
    if (r->stopped)
        return 1;
    if (interrupt_seen())
        snprintf(r->why, sizeof r->why, "interrupted");
    else if (r->cfg.deadline > 0 && os_now() >= r->cfg.deadline)
        r->by_deadline =
            snprintf(r->why, sizeof r->why, "the time budget ran out") > 0;
    else
        return 0;
    r->stopped = 1;
    return 1;
}

/* Why loading failed, from how the lane ended. */
static void load_failure(struct runner *r, unsigned i, const char *limit,
                         char *err, size_t errlen) {
    struct runner_lane *ln = &r->lane[i];
    struct lane_shm *L = ln->L;
    char how[160];
    if (L->load == LOAD_REFUSED) {
        snprintf(err, errlen, "%s", L->err);
        return;
    }
    if (limit)
        snprintf(how, sizeof how, "%s", limit);
    else
        runner_describe_end(L->loader_ended, L->loader_status,
                            ln->keeper_status, how, sizeof how);
    snprintf(err, errlen, "%s: the library did not load: %s",
             r->cfg.lib ? r->cfg.lib : "shim", how);
}

int runner_lane_poll_load(struct runner *r, unsigned i, char *err,
                          size_t errlen) {
    struct runner_lane *ln = &r->lane[i];
    char limit[160] = "";
    int kind;
    if (ln->L->load == LOAD_OK) {
        ln->state = LANE_IDLE;
        return 1;
    }
    if (runner_must_stop(r)) {
        runner_lane_kill(r, i);
        snprintf(err, errlen, "%s while the library was loading", r->why);
        return -2;
    }
    if (ln->L->load != LOAD_REFUSED && !runner_keeper_ended(ln) &&
        runner_over_limits(&r->cfg, &ln->clock, ln->L->loader, ln->L->started,
                           &kind, limit, sizeof limit) &&
        kind == CH_STOPPED) {
        runner_lane_kill(r, i);
        runner_fail(r, limit);
        snprintf(err, errlen, "%s while the library was loading", r->why);
        return -2;
    }
    if (ln->L->load == LOAD_REFUSED || runner_keeper_ended(ln) || limit[0]) {
        load_failure(r, i, limit[0] ? limit : NULL, err, errlen);
        runner_lane_kill(r, i);
        return -1;
    }
    return 0;
}

int runner_lane_wait_load(struct runner *r, unsigned i, char *err,
                          size_t errlen) {
    int rc;
    while ((rc = runner_lane_poll_load(r, i, err, errlen)) == 0)
        runner_sleep(r);
    return rc == 1 ? 0 : rc;
}

int runner_start(struct runner *r, const struct runner_config *cfg, char *err,
                 size_t errlen) {
    memset(r, 0, sizeof *r);
    r->cfg = *cfg;
    r->cfg.batch = cfg->batch < 1                  ? 1
                   : cfg->batch > RUNNER_MAX_BATCH ? RUNNER_MAX_BATCH
                                                   : cfg->batch;
    r->cfg.lanes = cfg->lanes < 1                  ? 1
                   : cfg->lanes > RUNNER_MAX_LANES ? RUNNER_MAX_LANES
                                                   : cfg->lanes;
    r->shm_size = 4096 + r->cfg.lanes * lane_size(&r->cfg);
    r->lane = calloc(r->cfg.lanes, sizeof *r->lane);
    void *m = mmap(NULL, r->shm_size, PROT_READ | PROT_WRITE,
                   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (!r->lane || m == MAP_FAILED || os_subreaper() != 0 ||
        guard_start() != 0) {
        snprintf(err, errlen, "cannot set up worker processes: %s",
                 strerror(errno));
        free(r->lane);
        r->lane = NULL;
        if (m != MAP_FAILED)
            munmap(m, r->shm_size);
        return -1;
    }
    r->shm = m;
    sem_t *wake = m;
    sem_init(wake, 1, 0);
    for (unsigned i = 0; i < r->cfg.lanes; i++) {
        r->lane[i].L = shm_of(r, i);
        sem_init(&r->lane[i].L->go, 1, 0);
        r->lane[i].L->wake = wake;
        r->lane[i].L->index = i;
        r->lane[i].L->deny[0] = getpid();
        r->lane[i].L->deny[1] = getpgrp();
        r->lane[i].L->deny[2] = guard_pid();
    }
    double t0 = os_now();
    err[0] = 0;
    int rc = runner_lane_spawn(r, 0) != 0
                 ? -1
                 : runner_lane_wait_load(r, 0, err, errlen);
    if (rc == 0) {
        r->services = r->lane[0].L->services;
        memcpy(r->host_imports, r->lane[0].L->host_imports,
               sizeof r->host_imports);
        r->st.load_seconds = os_now() - t0;
    } else if (!err[0]) {
        snprintf(err, errlen, "cannot start a worker process: %s",
                 strerror(errno));
    }
    return rc;
}

void runner_set_deadline(struct runner *r, double deadline) {
    r->cfg.deadline = deadline;
    if (r->stopped && r->by_deadline) {
        r->stopped = r->by_deadline = 0;
        r->why[0] = 0;
    }
}

void runner_reload(struct runner *r) {
    for (unsigned i = 0; r->lane && i < r->cfg.lanes; i++)
        runner_lane_kill(r, i);
}

void runner_stop(struct runner *r) {
    if (!r->lane)
        return;
    for (unsigned i = 0; i < r->cfg.lanes; i++)
        runner_lane_kill(r, i);
    pid_t keep[1] = {guard_pid()};
    r->st.strays += os_end_strays(keep, 1);
    guard_stop();
    munmap(r->shm, r->shm_size);
    free(r->lane);
    r->lane = NULL;
}
