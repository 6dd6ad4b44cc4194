/* campaign_afl: the AFL++ engine of `vpcert fuzz` (--engine afl).
 *
 *   afl-fuzz -i CORPUS -o vpcert-work/afl -V S -t 25000 [-x fuzz_diff.dict]
 *            [-M main | -S sJ] [ENGINE-FLAGS] -- afl/fuzz_diff
 *
 * afl/fuzz_diff is fuzz_diff built by fuzzers/build.sh with afl-clang-fast
 * and AFL++'s libFuzzer-compatible driver (the default preset builds it when
 * AFL++ is installed). afl-fuzz updates its statistics only while it draws
 * its screen, draws it only on a terminal, and writes plot_data and
 * fuzzer_stats only after its first minute: each instance runs on a
 * pseudo-terminal whose screen is read for the counters it shows and then
 * dropped (its first 64 KiB are kept in vpcert-work/afl.log, where
 * afl-fuzz's own error messages are); fuzzer_stats gives the final counts
 * and the stability. Progress comes from the screens; what
 * AFL++ saves in crashes/ and hangs/ is copied into vpcert-work/findings/
 * as crash-SHA and timeout-SHA, where triage treats it like libFuzzer's
 * artifacts; the queue is copied into the working corpus at the end. */
#define _XOPEN_SOURCE 600 /* posix_openpt and friends */
#include "campaign.h"

#include "afl_screen.h"

#include "interrupt.h"
#include "pgroup.h"
#include "sha256.h"
#include "strf.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#define PROGRESS_EVERY 5.0   /* seconds between progress lines */
#define GRACE 60.0           /* seconds past --time before it is stopped */
#define STOP_GRACE 5.0       /* seconds from SIGINT to SIGKILL */
#define LOG_KEEP (64u << 10) /* bytes of each screen kept in afl*.log */
#define AFL_TIMEOUT "25000"  /* -t, ms: libFuzzer's -timeout=25 */
#define MAX_INSTANCES 64     /* --jobs at most */

/* One afl-fuzz process. */
struct instance {
    char name[16];          /* default, main or sJ: its directory in -o */
    pid_t pid;              /* its process (group), -1 when not started */
    int status;             /* wait status once done */
    int done;               /* reaped */
    struct fuzzer_log log;  /* its screen */
    struct afl_screen seen; /* the counters its screen shows */
};

/* A program on $PATH into out; 0, or -1. */
static int on_path(const char *name, char out[PATH_MAX]) {
    const char *path = getenv("PATH");
    for (const char *p = path ? path : ""; *p;) {
        size_t n = strcspn(p, ":");
        char cand[PATH_MAX];
        if (n && strf(cand, sizeof cand, "%.*s/%s", (int)n, p, name) == 0 &&
            access(cand, X_OK) == 0 && realpath(cand, out))
            return 0;
        p += n + (p[n] == ':');
    }
    return -1;
}

int campaign_afl_find(struct campaign *c) {
    static const char *const rel[] = {"afl/fuzz_diff"};
    char exe[PATH_MAX];
    int rc = campaign_find("VPCERT_FUZZ_DIFF_AFL", rel, 1, c->afl_target, exe);
    if (rc < 0)
        return -1;
    if (rc > 0) {
        fprintf(stderr,
                "vpcert fuzz: --engine afl: the AFL++ build of fuzz_diff is "
                "not there (looked for %s/afl/fuzz_diff).\n"
                "  Install AFL++ (Debian: apt-get install afl++) and build "
                "again: the default preset builds it\n"
                "  when afl-clang-fast is found (-DVPCERT_AFL=ON to insist), "
                "or set VPCERT_FUZZ_DIFF_AFL.\n",
                exe);
        return -1;
    }
    const char *env = getenv("VPCERT_AFL_FUZZ");
    if (env && *env ? access(env, X_OK) == 0 && realpath(env, c->afl_fuzz)
                    : on_path("afl-fuzz", c->afl_fuzz) == 0)
        return 0;
    fprintf(stderr,
            "vpcert fuzz: --engine afl: afl-fuzz is not on PATH (Debian: "
            "apt-get install afl++; or set VPCERT_AFL_FUZZ)\n");
    return -1;
}

static int remove_entry(const char *path, const struct stat *st, int flag,
                        struct FTW *ftw) {
    (void)st, (void)flag, (void)ftw;
    remove(path);
    return 0;
}

/* A pseudo-terminal of 80x25 (afl-fuzz's smallest screen): the master in
 * *master, the other side returned (-1 on failure). */
static int open_pty(int *master) {
    struct winsize ws = {25, 80, 0, 0};
    *master = posix_openpt(O_RDWR | O_NOCTTY);
    if (*master < 0)
        return -1;
    const char *name = grantpt(*master) == 0 && unlockpt(*master) == 0
                           ? ptsname(*master)
                           : NULL;
    int slave = name ? open(name, O_RDWR | O_NOCTTY) : -1;
    if (slave < 0 || ioctl(slave, TIOCSWINSZ, &ws) != 0) {
        close(*master);
        if (slave >= 0)
            close(slave);
        return -1;
    }
    return slave;
}

/* afl-fuzz's command line for instance j. */
static char **afl_argv(const struct campaign *c, const char *in, int j,
                       const char *name, char *time) {
    char **v = calloc(20 + (size_t)c->npass, sizeof *v);
    int n = 0;
    if (!v)
        return NULL;
    v[n++] = (char *)c->afl_fuzz;
    v[n++] = (char *)"-i";
    v[n++] = (char *)in;
    v[n++] = (char *)"-o";
    v[n++] = (char *)c->afl_out;
    v[n++] = (char *)"-V";
    v[n++] = time;
    v[n++] = (char *)"-t";
    v[n++] = (char *)AFL_TIMEOUT;
    if (c->dict[0]) {
        v[n++] = (char *)"-x";
        v[n++] = (char *)c->dict;
    }
    if (c->jobs > 1) {
        v[n++] = (char *)(j ? "-S" : "-M");
        v[n++] = (char *)name;
    }
    for (int i = 0; i < c->npass; i++)
        v[n++] = c->pass[i];
    v[n++] = (char *)"--";
    v[n++] = (char *)c->afl_target;
    v[n] = NULL;
    return v;
}

/* The environment afl-fuzz and the target need: no CPU binding (the
 * machine is shared), sanitizers that abort without symbolizing (AFL++
 * requires it), crashing seeds skipped. */
static const char *const afl_env[] = {
    "AFL_SKIP_CPUFREQ",
    "1",
    "AFL_NO_AFFINITY",
    "1",
    "AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES",
    "1",
    "AFL_SKIP_CRASHES",
    "1",
    "ASAN_OPTIONS",
    "abort_on_error=1:symbolize=0:detect_leaks=0",
    "UBSAN_OPTIONS",
    "halt_on_error=1:abort_on_error=1:symbolize=0",
    NULL};

static int start(struct campaign *c, struct instance *v, const char *in) {
    char time[32];
    strf(time, sizeof time, "%.0f", c->time);
    for (int j = 0; j < c->jobs; j++) { /* none started yet */
        v[j].pid = -1;
        v[j].done = 1;
        v[j].log.fd = -1;
    }
    for (int j = 0; j < c->jobs; j++) {
        char path[PATH_MAX + 32];
        int master, slave = open_pty(&master);
        if (c->jobs == 1)
            strf(v[j].name, sizeof v[j].name, "default");
        else
            strf(v[j].name, sizeof v[j].name, j ? "s%d" : "main", j);
        char **argv = afl_argv(c, in, j, v[j].name, time);
        if (slave < 0 || !argv) {
            free(argv);
            fprintf(stderr, "vpcert fuzz: cannot start afl-fuzz: %s\n",
                    slave < 0 ? "no pseudo-terminal" : "out of memory");
            return -1;
        }
        strf(path, sizeof path, j ? "%s/afl-%d.log" : "%s/afl.log", c->work, j);
        fuzzer_log_open(&v[j].log, master, path, LOG_KEEP);
        v[j].log.on_line = afl_screen_line;
        v[j].log.ctx = &v[j].seen;
        v[j].pid = pgroup_spawn(argv, c->work, slave, afl_env);
        close(slave);
        free(argv);
        if (v[j].pid < 0)
            return -1;
        v[j].done = 0;
    }
    return 0;
}

static char *read_of(const struct campaign *c, const struct instance *v,
                     const char *file) {
    char path[PATH_MAX + 64], err[8];
    size_t len;
    strf(path, sizeof path, "%s/%s/%s", c->afl_out, v->name, file);
    return (char *)os_file_read(path, &len, err, sizeof err);
}

/* Copy what AFL++ saved in OUT/NAME/DIR into findings/PREFIX-SHA256. */
static void collect(const struct campaign *c, const struct instance *v,
                    const char *dir, const char *prefix) {
    char from_dir[PATH_MAX + 64], err[8];
    struct os_list l;
    strf(from_dir, sizeof from_dir, "%s/%s/%s", c->afl_out, v->name, dir);
    if (os_dir_list(from_dir, &l, err, sizeof err) != 0)
        return;
    for (size_t i = 0; i < l.n; i++) {
        char from[PATH_MAX * 2], to[PATH_MAX * 2], hex[65];
        if (l.v[i].kind != OS_FILE || strncmp(l.v[i].name, "id:", 3) != 0 ||
            strf(from, sizeof from, "%s/%s", from_dir, l.v[i].name) != 0 ||
            sha256_file(from, hex) != 0)
            continue;
        strf(to, sizeof to, "%s/%s-%.40s", c->findings, prefix, hex);
        if (!os_is_file(to))
            os_file_copy(from, to, err, sizeof err);
    }
    os_list_free(&l);
}

/* The instances' sum of executions, highest coverage (edges: the map's
 * density times its size) and the main instance's corpus, from their
 * screens; findings collected first. */
static void sample(struct campaign *c, struct instance *v) {
    unsigned long long execs = 0;
    unsigned long edges = 0;
    for (int j = 0; j < c->jobs; j++) {
        collect(c, &v[j], "crashes", "crash");
        collect(c, &v[j], "hangs", "timeout");
        unsigned long e =
            (unsigned long)(v[j].seen.density * v[j].seen.map_size / 100 + 0.5);
        execs += v[j].seen.execs;
        edges = e > edges ? e : edges;
    }
    campaign_progress(c, execs, edges, v[0].seen.corpus);
}

/* Read the screens until every instance has exited and closed its
 * terminal, sampling every PROGRESS_EVERY seconds; Ctrl-C or GRACE seconds
 * past the campaign's time stop them (SIGINT, then SIGKILL). */
static void watch(struct campaign *c, struct instance *v) {
    struct pollfd pfd[MAX_INSTANCES];
    double asked = 0; /* when the instances were asked to stop */
    for (;;) {
        int open = 0, running = 0;
        for (int j = 0; j < c->jobs; j++) {
            pfd[j] = (struct pollfd){v[j].log.fd, POLLIN, 0};
            open += v[j].log.fd >= 0;
        }
        if (open)
            poll(pfd, (nfds_t)c->jobs, 250);
        else
            usleep(250000);
        for (int j = 0; j < c->jobs; j++) {
            if (v[j].log.fd >= 0 && (pfd[j].revents & (POLLIN | POLLHUP)) &&
                !fuzzer_log_pump_pipe(&v[j].log)) {
                close(v[j].log.fd);
                v[j].log.fd = -1;
            }
            if (!v[j].done && waitpid(v[j].pid, &v[j].status, WNOHANG) > 0) {
                v[j].done = 1;
                pgroup_end(v[j].pid);
            }
            running += !v[j].done;
        }
        double now = os_now(), el = now - c->start;
        int stop =
            running && !asked && (interrupt_seen() || el > c->time + GRACE);
        int force = running && asked && now - asked > STOP_GRACE;
        for (int j = 0; (stop || force) && j < c->jobs; j++)
            if (!v[j].done)
                kill(-v[j].pid, force ? SIGKILL : SIGINT);
        if (stop)
            asked = now;
        if (!running && (!open || el > c->time + 2 * GRACE))
            return;
        if (os_now() - c->last_t >= PROGRESS_EVERY && running)
            sample(c, v);
    }
}

/* The queue (every instance's) into the working corpus, as afl-SHA256, so
 * that --corpus keeps it and --merge can merge it. */
static void keep_queue(const struct campaign *c, const struct instance *v) {
    for (int j = 0; j < c->jobs; j++) {
        char dir[PATH_MAX + 64], err[8];
        struct os_list l;
        strf(dir, sizeof dir, "%s/%s/queue", c->afl_out, v[j].name);
        if (os_dir_list(dir, &l, err, sizeof err) != 0)
            continue;
        for (size_t i = 0; i < l.n; i++) {
            char from[PATH_MAX * 2], to[PATH_MAX * 2], hex[65];
            if (l.v[i].kind == OS_FILE &&
                strf(from, sizeof from, "%s/%s", dir, l.v[i].name) == 0 &&
                sha256_file(from, hex) == 0 &&
                strf(to, sizeof to, "%s/afl-%.40s", c->corpus, hex) == 0 &&
                !os_is_file(to))
                os_file_copy(from, to, err, sizeof err);
        }
        os_list_free(&l);
    }
}

/* The final counts from fuzzer_stats, into c->log for the summary, and
 * each instance's stability printed. */
static void final_stats(struct campaign *c, const struct instance *v) {
    c->log.execs = 0;
    c->log.cov = 0;
    for (int j = 0; j < c->jobs; j++) {
        char *st = read_of(c, &v[j], "fuzzer_stats");
        if (!st) {
            printf("vpcert fuzz: afl-fuzz %s wrote no statistics; its "
                   "last lines:\n",
                   v[j].name);
            fuzzer_log_print_tail(&v[j].log, stdout);
            continue;
        }
        unsigned long e = (unsigned long)afl_stats_value(st, "edges_found");
        c->log.execs += (unsigned long long)afl_stats_value(st, "execs_done");
        c->log.cov = e > c->log.cov ? e : c->log.cov;
        printf("vpcert fuzz: AFL++ %s: stability %.2f%%, %.0f exec/s, "
               "%lu edges (%s/afl/%s/fuzzer_stats)\n",
               v[j].name, afl_stats_value(st, "stability"),
               afl_stats_value(st, "execs_per_sec"), e, WORK_DIR, v[j].name);
        free(st);
    }
}

/* The input directory: the working corpus, or, when it is empty (AFL++
 * needs one input, not empty), vpcert-work/afl-in holding one byte. */
static int input_dir(const struct campaign *c, char in[PATH_MAX + 16]) {
    char err[8];
    if (os_dir_count_files(c->corpus) > 0)
        return strf(in, PATH_MAX + 16, "%s", c->corpus);
    strf(in, PATH_MAX + 16, "%s/afl-in", c->work);
    char seed[PATH_MAX + 32];
    strf(seed, sizeof seed, "%s/empty", in);
    return os_dir_make(in) == 0 &&
                   os_file_write(seed, "\n", 1, err, sizeof err) == 0
               ? 0
               : -1;
}

int campaign_afl_run(struct campaign *c) {
    struct instance *v = calloc((size_t)c->jobs, sizeof *v);
    char in[PATH_MAX + 16];
    if (!v || strf(c->afl_out, sizeof c->afl_out, "%s/afl", c->work) != 0 ||
        input_dir(c, in) != 0) {
        free(v);
        return -1;
    }
    nftw(c->afl_out, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    c->start = os_now();
    campaign_stats_open(c);
    int rc = start(c, v, in);
    for (int j = 0; j < c->jobs && rc != 0; j++)
        if (v[j].pid > 0)
            kill(-v[j].pid, SIGKILL);
    watch(c, v);
    for (int j = 0; j < c->jobs; j++)
        fuzzer_log_close(&v[j].log);
    if (rc == 0) {
        sample(c, v); /* the last sample, the last findings */
        keep_queue(c, v);
        final_stats(c, v);
        rc = WIFEXITED(v[0].status) ? WEXITSTATUS(v[0].status)
                                    : 128 + WTERMSIG(v[0].status);
    }
    campaign_stats_close(c);
    free(v);
    return rc;
}
