/* child: fork, run, watch (time and resident memory), report. */
#include "child.h"

#include "os.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

const char *child_outcome_name(enum child_outcome o) {
    static const char *const names[] = {"PASS",    "FAIL",   "CRASH", "EXIT",
                                        "TIMEOUT", "MEMORY", "ERROR"};
    return (unsigned)o < 7 ? names[o] : "?";
}

static void run_here(const struct program *p, const struct impl *impl,
                     const struct exec_options *o, struct child_result *res) {
    int rc = exec_run(p, impl, o, &res->r);
    res->out = rc < 0 ? CH_ERROR : res->r.must_failed ? CH_FAIL : CH_PASS;
    if (rc < 0)
        snprintf(res->what, sizeof res->what, "%s", res->r.error_text);
}

static uint64_t rss_of(pid_t pid) {
    char path[64];
    unsigned long long size = 0, resident = 0;
    snprintf(path, sizeof path, "/proc/%ld/statm", (long)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    int n = fscanf(f, "%llu %llu", &size, &resident);
    fclose(f);
    return n == 2 ? (uint64_t)resident * (uint64_t)sysconf(_SC_PAGESIZE) : 0;
}

static void kill_child(pid_t pid, struct child_result *res,
                       enum child_outcome why, const char *text) {
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    res->out = why;
    snprintf(res->what, sizeof res->what, "%s", text);
}

/* Read the result from fd while watching time and memory. Returns 1 when
 * the full result arrived, 0 when the child was killed or ended early. */
static int watch(pid_t pid, int fd, const struct child_limits *lim,
                 struct child_result *res) {
    static struct child_result tmp; /* a partial result never reaches res */
    struct pollfd pfd = {fd, POLLIN, 0};
    size_t got = 0;
    char text[96];
    double end = os_now() + lim->seconds;
    while (got < sizeof tmp) {
        if (poll(&pfd, 1, 20) > 0) {
            ssize_t n = read(fd, (char *)&tmp + got, sizeof tmp - got);
            if (n <= 0)
                return 0;
            got += (size_t)n;
            continue;
        }
        if (os_now() > end) {
            snprintf(text, sizeof text, "no result within %.1f s",
                     lim->seconds);
            kill_child(pid, res, CH_TIMEOUT, text);
            return 0;
        }
        uint64_t rss = lim->rss_bytes ? rss_of(pid) : 0;
        if (rss > lim->rss_bytes) {
            snprintf(text, sizeof text,
                     "resident memory %llu MiB above the %llu MiB limit",
                     (unsigned long long)(rss >> 20),
                     (unsigned long long)(lim->rss_bytes >> 20));
            kill_child(pid, res, CH_MEMORY, text);
            return 0;
        }
    }
    *res = tmp;
    return 1;
}

static void reap(pid_t pid, struct child_result *res) {
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (WIFSIGNALED(status)) {
        res->out = CH_CRASH;
        snprintf(res->what, sizeof res->what, "killed by signal %d (%s)",
                 WTERMSIG(status), strsignal(WTERMSIG(status)));
    } else {
        res->out = CH_EXIT;
        snprintf(res->what, sizeof res->what,
                 "exited with status %d before reporting", WEXITSTATUS(status));
    }
}

void child_run(const struct program *p, const struct impl *impl,
               const struct exec_options *o, const struct child_limits *lim,
               struct child_result *res) {
    memset(res, 0, sizeof *res);
    if (lim->in_process) {
        run_here(p, impl, o, res);
        return;
    }
    struct exec_progress *pr = mmap(NULL, sizeof *pr, PROT_READ | PROT_WRITE,
                                    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    int fds[2];
    if (pr == MAP_FAILED || pipe(fds) != 0) {
        res->out = CH_ERROR;
        snprintf(res->what, sizeof res->what, "cannot set up a child: %s",
                 strerror(errno));
        if (pr != MAP_FAILED)
            munmap(pr, sizeof *pr);
        return;
    }
    memset(pr, 0, sizeof *pr);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        struct exec_options co = *o;
        close(fds[0]);
        co.progress = pr;
        run_here(p, impl, &co, res);
        ssize_t w = write(fds[1], res, sizeof *res);
        _exit(w == (ssize_t)sizeof *res ? 0 : 3);
    }
    close(fds[1]);
    if (pid < 0) {
        res->out = CH_ERROR;
        snprintf(res->what, sizeof res->what, "fork: %s", strerror(errno));
    } else if (watch(pid, fds[0], lim, res)) {
        waitpid(pid, NULL, 0);
    } else if (res->out != CH_TIMEOUT && res->out != CH_MEMORY) {
        reap(pid, res);
    }
    res->op = pr->op;
    res->clause = pr->clause;
    if (res->out != CH_PASS && res->out != CH_FAIL && pr->vpcert_error[0]) {
        res->out = CH_ERROR; /* vpcert's own invariant, not the call's */
        snprintf(res->what, sizeof res->what, "%s", pr->vpcert_error);
    }
    close(fds[0]);
    munmap(pr, sizeof *pr);
}
