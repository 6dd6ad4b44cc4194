/* runner_all: every program of a run in batches over the lanes. The
 * programs are taken in groups of lanes x batch consecutive ones (fewer in
 * the last group), and a group's programs are dealt out in turn to
 * ceil(size / batch) shares (its j-th program to share j % shares). So
 * the lanes work through the run in its order, side by side, and
 * programs that lie together, such as certify's few long scale cases, are
 * spread over the lanes instead of keeping one child busy while the other
 * lanes idle. Each lane takes a share (shares by count, so their make-up
 * never depends on speed), runs it in as few children as its results
 * allow (runner.h), and takes the next share.
 *
 * Within this file and the lanes' commands a program is named by its
 * position: a group's shares one after another, groups in order
 * (runner_program gives the program at a position). */
#include "runner_lane.h"

#include <stdio.h>
#include <string.h>

/* The run's bookkeeping. */
struct sched {
    unsigned n;          /* programs */
    unsigned next;       /* first position of the next share */
    unsigned done;       /* results delivered */
    runner_result_fn fn; /* where results go */
    void *ctx;           /* its context */
};

/* The group position pos lies in: its programs, at positions (and
 * program numbers) *base to *base + the count returned, dealt out to
 * *shares shares, the first count % *shares of them one program longer. */
static unsigned group_of(const struct runner_config *cfg, unsigned n,
                         unsigned pos, unsigned *base, unsigned *shares) {
    unsigned size = cfg->lanes * cfg->batch;
    *base = pos / size * size;
    unsigned m = n - *base < size ? n - *base : size;
    *shares = (m + cfg->batch - 1) / cfg->batch;
    return m;
}

unsigned runner_program(const struct runner_config *cfg, unsigned n,
                        unsigned pos) {
    unsigned base, shares, m = group_of(cfg, n, pos, &base, &shares);
    unsigned q = m / shares, rem = m % shares, big = rem * (q + 1), k, j;
    pos -= base;
    if (pos < big) {
        k = pos / (q + 1);
        j = pos % (q + 1);
    } else {
        k = rem + (pos - big) / q;
        j = (pos - big) % q;
    }
    return base + k + j * shares;
}

/* The end of the share whose first position is `first`. */
static unsigned share_end(const struct runner_config *cfg, unsigned n,
                          unsigned first) {
    unsigned base, shares, m = group_of(cfg, n, first, &base, &shares);
    unsigned at = 0;
    for (unsigned k = 0; at <= first - base; k++)
        at += m / shares + (k < m % shares);
    return base + at;
}

static void deliver(struct runner *r, struct sched *s, unsigned i,
                    const struct child_result *res, int carried) {
    r->st.carried += carried != 0;
    s->done++;
    s->fn(s->ctx, runner_program(&r->cfg, s->n, i), res, carried);
}

/* Program `at` was not clean after others in one child: the next child
 * starts with it, alone in a fresh process first. */
static void recheck(struct runner *r, struct runner_lane *ln, unsigned at,
                    enum child_outcome was) {
    r->st.reruns++;
    ln->recheck = 1;
    ln->was = was;
    ln->first = at;
}

/* The results of lane i's finished command (st: 1 done, 2 the lane
 * died, 0 stopped): delivered, and ln->first set to where the lane goes
 * on. */
static void settle(struct runner *r, unsigned i, int st, struct sched *s) {
    struct runner_lane *ln = &r->lane[i];
    unsigned first = ln->first, ran = ln->L->ran;
    r->st.programs += ran;
    for (unsigned k = 0; k < ran; k++) {
        const struct child_result *res = &ln->L->res[k];
        int clean = runner_clean(res);
        if (!clean && k > 0) {
            recheck(r, ln, first + k, res->out);
            return;
        }
        deliver(r, s, first + k, res, k == 0 && ln->recheck && clean);
        ln->recheck = 0;
        if (!clean) {
            ln->first = first + 1; /* first in its child: it decides */
            return;
        }
    }
    ln->first = first + ran;
    if (ran == ln->n || st == 0)
        return;
    struct child_result res;
    runner_abnormal(r, i, st == 2, &res);
    r->st.programs++;
    if (ran > 0) {
        recheck(r, ln, first + ran, res.out);
        return;
    }
    deliver(r, s, first, &res, 0);
    ln->recheck = 0;
    ln->first = first + 1;
}

/* Give lane i its next command, taking a new share when its own is done.
 * 0, or 1 when there is nothing left for it. */
static int feed(struct runner *r, unsigned i, struct sched *s) {
    struct runner_lane *ln = &r->lane[i];
    if (ln->first >= ln->end) {
        if (s->next >= s->n)
            return 1;
        ln->first = s->next;
        ln->end = s->next = share_end(&r->cfg, s->n, s->next);
        ln->recheck = 0;
    }
    ln->L->all = s->n;
    runner_issue(r, i, LANE_BATCH, ln->first, ln->end - ln->first);
    return 0;
}

/* One look at lane i. Returns 1 while it has work. */
static int step(struct runner *r, unsigned i, struct sched *s) {
    struct runner_lane *ln = &r->lane[i];
    char err[sizeof ln->L->err];
    int rc;
    switch (ln->state) {
    case LANE_DOWN:
        if (ln->first >= ln->end && s->next >= s->n)
            return 0;
        if (runner_lane_spawn(r, i) != 0)
            runner_fail(r, "vpcert could not start a worker process");
        return 1;
    case LANE_LOADING:
        rc = runner_lane_poll_load(r, i, err, sizeof err);
        if (rc == -1)
            runner_fail(r, err);
        return 1;
    case LANE_IDLE:
        return feed(r, i, s) == 0;
    case LANE_BUSY:
        rc = runner_poll_lane(r, i);
        if (rc)
            settle(r, i, rc, s);
        if (rc == 2)
            runner_lane_kill(r, i);
        if (rc != 1)
            return 1;
        ln->state = LANE_IDLE; /* fed at once: no sleep between batches */
        return feed(r, i, s) == 0;
    }
    return 0;
}

unsigned runner_all(struct runner *r, unsigned n, runner_result_fn fn,
                    void *ctx) {
    struct sched s = {n, 0, 0, fn, ctx};
    for (unsigned i = 0; i < r->cfg.lanes; i++) {
        struct runner_lane *ln = &r->lane[i];
        ln->first = ln->end = 0;
        /* a lane more only when there is a share for it */
        ln->used = i == 0 || n > i * r->cfg.batch;
        if (i > 0 && ln->used && ln->state == LANE_DOWN && !r->stopped)
            runner_lane_spawn(r, i);
    }
    while (!runner_must_stop(r)) {
        int busy = 0;
        for (unsigned i = 0; i < r->cfg.lanes && !r->stopped; i++)
            if (r->lane[i].used)
                busy |= step(r, i, &s);
        if (!busy)
            break;
        runner_sleep(r);
    }
    for (unsigned i = 0; i < r->cfg.lanes; i++)
        if (r->lane[i].state == LANE_BUSY) {
            settle(r, i, 0, &s);
            runner_lane_kill(r, i);
        }
    return s.done;
}
