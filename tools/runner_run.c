/* runner_run: commands to the lanes and their results: one program in a
 * fresh child (runner_one), or every program in batches over the lanes
 * (runner_all), each program's result decided as runner.h states. */
#include "runner_lane.h"

#include "os.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#define LOADER_GRACE 2.0 /* seconds the loader has to report a killed child */

void runner_issue(struct runner *r, unsigned i, int cmd, unsigned first,
                  unsigned n) {
    struct runner_lane *ln = &r->lane[i];
    struct lane_shm *L = ln->L;
    L->cmd = cmd;
    L->first = ln->first = first;
    L->n = ln->n = n;
    L->ran = 0;
    L->started = os_now();
    ln->killed = 0;
    ln->state = LANE_BUSY;
    L->cmd_seq++;
    r->st.children++;
    sem_post(&L->go);
}

/* Kill lane i's child for `kind` (time or memory). */
static void kill_child(struct runner_lane *ln, int kind, const char *what) {
    pid_t child = ln->L->child;
    ln->killed = kind;
    ln->killed_at = os_now();
    snprintf(ln->killed_what, sizeof ln->killed_what, "%s", what);
    if (child > 0)
        kill(-child, SIGKILL);
}

int runner_poll_lane(struct runner *r, unsigned i) {
    struct runner_lane *ln = &r->lane[i];
    struct lane_shm *L = ln->L;
    char what[128];
    int kind;
    if (L->done_seq == L->cmd_seq)
        return 1;
    if (runner_keeper_ended(ln) || L->loader_ended || L->parent_hit)
        return 2;
    if (ln->killed) {
        /* The child was killed; a loader that does not say so is stuck. */
        if (os_now() - ln->killed_at > LOADER_GRACE)
            return 2;
    } else if (runner_over_limits(&r->cfg, &ln->clock, L->child, L->started,
                                  &kind, what, sizeof what)) {
        kill_child(ln, kind, what);
        if (kind == CH_STOPPED)
            runner_fail(r, what); /* starved by load: not run, not failed */
    }
    return 0;
}

void runner_abnormal(struct runner *r, unsigned i, int lane_died,
                     struct child_result *res) {
    struct runner_lane *ln = &r->lane[i];
    struct lane_shm *L = ln->L;
    char how[160];
    memset(res, 0, sizeof *res);
    if (ln->killed) {
        res->out = (enum child_outcome)ln->killed;
        snprintf(res->what, sizeof res->what, "%s", ln->killed_what);
    } else if (L->parent_hit) {
        res->out = CH_KILL;
        snprintf(res->what, sizeof res->what,
                 "signalled vpcert's process above it, its parent (%s)",
                 L->parent_hit > 0 ? strsignal(L->parent_hit) : "it is gone");
    } else if (lane_died) {
        runner_describe_end(L->loader_ended, L->loader_status,
                            ln->keeper_status, how, sizeof how);
        res->out = CH_KILL;
        snprintf(res->what, sizeof res->what, "%.150s", how);
    } else {
        res->out =
            runner_child_end(L->child_status, res->what, sizeof res->what);
    }
    res->op = L->pr.op;
    res->clause = L->pr.clause;
    res->seconds = (ln->killed ? ln->killed_at : os_now()) - L->started;
    if (L->pr.vpcert_error[0]) {
        res->out = CH_ERROR; /* vpcert's own invariant, not the call's */
        snprintf(res->what, sizeof res->what, "%s", L->pr.vpcert_error);
    }
}

/* Wait for lane i's command; 1 done, 2 lane died, 0 stopped. */
static int wait_lane(struct runner *r, unsigned i) {
    for (;;) {
        int st = runner_poll_lane(r, i);
        if (st)
            return st;
        if (runner_must_stop(r))
            return 0;
        runner_sleep(r);
    }
}

/* A lane that can take a command: loaded again if it died. 0, or -1. */
static int lane_ready(struct runner *r, unsigned i, char *err, size_t cap) {
    if (r->lane[i].state == LANE_IDLE)
        return 0;
    if (r->lane[i].state == LANE_DOWN && runner_lane_spawn(r, i) != 0) {
        snprintf(err, cap, "vpcert could not start a worker process");
        return -1;
    }
    return runner_lane_wait_load(r, i, err, cap);
}

void runner_fail(struct runner *r, const char *why) {
    if (r->stopped)
        return;
    r->stopped = 1;
    snprintf(r->why, sizeof r->why, "%.150s", why);
}

void runner_one(struct runner *r, const struct program *p,
                const struct exec_options *o, struct child_result *res) {
    char err[sizeof r->lane[0].L->err];
    memset(res, 0, sizeof *res);
    int rc = runner_must_stop(r) ? -2 : lane_ready(r, 0, err, sizeof err);
    if (rc != 0) {
        res->out = rc == -2 || r->stopped ? CH_STOPPED : CH_ERROR;
        snprintf(res->what, sizeof res->what, "%.150s",
                 r->stopped ? r->why : err);
        return;
    }
    struct lane_shm *L = r->lane[0].L;
    prog_copy(&L->one, p);
    L->one_o = *o;
    runner_issue(r, 0, LANE_ONE, 0, 1);
    r->st.programs++;
    int st = wait_lane(r, 0);
    if (st == 1 && L->ran == 1) {
        *res = L->res[0];
    } else if (st == 0) {
        res->out = CH_STOPPED;
        snprintf(res->what, sizeof res->what, "%s", r->why);
    } else {
        runner_abnormal(r, 0, st == 2, res);
    }
    if (st != 1)
        runner_lane_kill(r, 0);
    else
        r->lane[0].state = LANE_IDLE;
}
