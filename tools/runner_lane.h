/*
 * runner_lane: what the manager (runner.c) and a lane's keeper, loader
 * and child (worker.c) share: one block of shared memory per lane,
 * mapped before the keeper is forked, and semaphores in it (no pipe or
 * descriptor a library could close). Private to the runner.
 */
#ifndef VPCERT_RUNNER_LANE_H
#define VPCERT_RUNNER_LANE_H

#include "runner.h"

#include <semaphore.h>
#include <sys/types.h>

enum lane_cmd {
    LANE_BATCH = 1, /* run programs first..first+n-1 of program_at */
    LANE_ONE = 2,   /* run the program in `one` */
    LANE_QUIT = 3   /* the loader exits */
};

enum lane_load {
    LOAD_RUNNING = 0, /* the library is being loaded */
    LOAD_OK = 1,      /* loaded, exports in services */
    LOAD_REFUSED = 2  /* the loader's message or missing exports in err */
};

/* Shared by the manager and one lane's processes. The manager writes the
 * command, the loader and child the rest; sem_post/sem_wait order it. */
struct lane_shm {
    sem_t go;                   /* manager -> loader: a command is ready */
    sem_t *wake;                /* any process -> manager: look again */
    unsigned index;             /* the lane's number */
    pid_t deny[4];              /* vpcert's processes the loader may not
                                   signal: manager, its group, guard, keeper */
    volatile int unfiltered;    /* a worker runs without its sandbox */
    int cmd;                    /* enum lane_cmd */
    unsigned first;             /* LANE_BATCH: first position (runner_all.c) */
    unsigned n;                 /* LANE_BATCH: how many */
    unsigned all;               /* LANE_BATCH: programs in the run */
    volatile unsigned cmd_seq;  /* manager: commands sent */
    volatile unsigned done_seq; /* loader: commands finished */
    volatile int load;          /* enum lane_load */
    unsigned services;          /* SVC_* exported, once LOAD_OK */
    char host_imports[IMPL_HOST_MAX]; /* its host-memory imports (HOST-1) */
    char err[IMPL_ERR_MAX + 600];     /* LOAD_REFUSED: why */
    volatile pid_t loader;            /* the loader's pid */
    volatile pid_t child;       /* the running child's pid (its group), 0 */
    volatile unsigned ran;      /* programs the child finished (in res) */
    volatile double started;    /* os_now() when the current program began
                                   (or the load) */
    struct exec_progress pr;    /* where the current program is */
    volatile int child_status;  /* loader: wait status of the last child */
    volatile int loader_ended;  /* keeper: the loader has ended */
    volatile int loader_status; /* keeper: its wait status */
    volatile unsigned strays;   /* processes the loader ended */
    volatile int parent_hit;    /* the child found the loader signalled:
                                   that signal, -1 gone; 0 */
    struct exec_options one_o;  /* LANE_ONE: options */
    struct program one;         /* LANE_ONE: the program */
    struct child_result res[];  /* results: RUNNER_MAX_BATCH */
};

enum lane_state {
    LANE_DOWN = 0,    /* no processes */
    LANE_LOADING = 1, /* the loader is loading the library */
    LANE_IDLE = 2,    /* loaded, no command out */
    LANE_BUSY = 3     /* a command is out */
};

/* The own time of the work a lane's process is doing (runner.h): wall
 * time since it started, less the time the process waited for a CPU since
 * the manager first saw that work. */
struct lane_clock {
    double started; /* the start (L->started) it was taken for, 0 none */
    double wait0;   /* the process's run-queue wait then, in seconds */
    int known;      /* wait0 could be read (else wall time counts) */
};

/* The manager's view of one lane. */
struct runner_lane {
    struct lane_shm *L;      /* its shared memory */
    enum lane_state state;   /* where it is */
    pid_t keeper;            /* the keeper's pid (its group), 0 when down */
    int reaped;              /* the keeper has been reaped */
    int keeper_status;       /* its wait status, once reaped */
    unsigned first;          /* the command's first program */
    unsigned n;              /* the command's programs */
    unsigned end;            /* LANE_BATCH: end of the lane's share */
    int killed;              /* CH_TIMEOUT/CH_MEMORY: the manager killed the
                                child, 0 otherwise */
    char killed_what[128];   /* why, for the result */
    double killed_at;        /* os_now() of the kill */
    int recheck;             /* `first` is run again first after a result
                                that was not clean in a batch */
    enum child_outcome was;  /* that earlier outcome */
    int used;                /* it has had a command in this run */
    struct lane_clock clock; /* the own time of its current work */
};

/* runner.c */
int runner_lane_spawn(struct runner *r, unsigned i);
void runner_lane_kill(struct runner *r, unsigned i);
int runner_keeper_ended(struct runner_lane *ln);
int runner_must_stop(struct runner *r);
/* Has lane i loaded? 1 yes, 0 not yet, -1 it failed (err), -2 stopped. */
int runner_lane_poll_load(struct runner *r, unsigned i, char *err,
                          size_t errlen);
/* Wait for lane i to load. 0; -1 with err; -2 when stopped. */
int runner_lane_wait_load(struct runner *r, unsigned i, char *err,
                          size_t errlen);

/* runner_all.c: the program at position pos (< n) of a run of n programs
 * under cfg (its lanes and batch). */
unsigned runner_program(const struct runner_config *cfg, unsigned n,
                        unsigned pos);

/* runner_run.c */
/* Send lane i a command. */
void runner_issue(struct runner *r, unsigned i, int cmd, unsigned first,
                  unsigned n);
/* Is lane i's command over? 1 done (the loader reported), 2 the lane
 * died, 0 still running (its limits enforced meanwhile). */
int runner_poll_lane(struct runner *r, unsigned i);
/* The result of the program lane i's command was running when it ended
 * without finishing: how the child or the lane ended. */
void runner_abnormal(struct runner *r, unsigned i, int lane_died,
                     struct child_result *res);
/* Stop the run for a reason of vpcert's own (r->why). */
void runner_fail(struct runner *r, const char *why);

/* runner_wait.c */
/* Sleep until a lane's process posts, 10 ms at most. */
void runner_sleep(struct runner *r);
/* Is pid, at work since `started`, over the time or memory limit? 1 with
 * *kind and the text into out: CH_TIMEOUT (its own time, clock, is over
 * the case limit), CH_MEMORY, or CH_STOPPED (the wall-clock backstop,
 * RUNNER_BACKSTOP times the case limit, passed first: the machine is too
 * loaded to run it). */
int runner_over_limits(const struct runner_config *cfg,
                       struct lane_clock *clock, pid_t pid, double started,
                       int *kind, char *out, size_t cap);
/* How a lane's processes ended, in words. */
void runner_describe_end(int loader_ended, int loader_status, int keeper_status,
                         char *out, size_t cap);
/* How a child ended (its wait status), as outcome and words. */
enum child_outcome runner_child_end(int status, char *out, size_t cap);

/* worker.c: the keeper's life (forked by the manager; never returns):
 * a session of its own, the loader under it, its end reported. */
void worker_keeper(struct lane_shm *L, const struct runner_config *cfg,
                   pid_t manager);

#endif /* VPCERT_RUNNER_LANE_H */
