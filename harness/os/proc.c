/* proc: the processes vpcert starts and must end: being the reaper of
 * orphaned descendants, finding a process's children in /proc, ending
 * every stray child, and reading resident memory. Linux. */
#include "os.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define STRAY_ROUNDS 10000 /* a fork bomb is outrun long before this */

int os_subreaper(void) {
    return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0 ? 0 : -1;
}

int os_die_with_parent(pid_t parent) {
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0)
        return -1;
    /* The parent may have died before the request was made. */
    return getppid() == parent ? 0 : -1;
}

/* /proc/PROCESS/FILE into buf (cap bytes, terminated). 0, or -1 when the
 * process is gone. */
static int proc_read(const char *process, const char *file, char *buf,
                     size_t cap) {
    char path[96];
    snprintf(path, sizeof path, "/proc/%s/%s", process, file);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t n = fread(buf, 1, cap - 1, f);
    fclose(f);
    buf[n] = 0;
    return 0;
}

/* The parent of process `name` (a /proc entry), or -1. */
static pid_t parent_of(const char *name) {
    char buf[512];
    if (proc_read(name, "stat", buf, sizeof buf) != 0)
        return -1;
    /* "pid (comm) state ppid ...": comm may hold ')' and blanks. */
    char *close = strrchr(buf, ')');
    long ppid;
    char state;
    if (!close || sscanf(close + 1, " %c %ld", &state, &ppid) != 2)
        return -1;
    return (pid_t)ppid;
}

size_t os_children(pid_t pid, pid_t *out, size_t cap) {
    DIR *d = opendir("/proc");
    size_t n = 0;
    if (!d)
        return 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] < '1' || e->d_name[0] > '9')
            continue;
        if (parent_of(e->d_name) != pid)
            continue;
        if (n < cap)
            out[n] = (pid_t)strtol(e->d_name, NULL, 10);
        n++;
    }
    closedir(d);
    return n;
}

static int kept(pid_t p, const pid_t *keep, size_t nkeep) {
    for (size_t i = 0; i < nkeep; i++)
        if (keep[i] == p)
            return 1;
    return 0;
}

unsigned os_end_strays(const pid_t *keep, size_t nkeep) {
    pid_t kids[256];
    unsigned ended = 0;
    pid_t self = getpid();
    /* Each round kills and reaps the children found; what they leave
     * behind has been handed to this process (the subreaper) before
     * they could be reaped, so the next round finds it. */
    for (int round = 0; round < STRAY_ROUNDS; round++) {
        size_t n = os_children(self, kids, 256), strays = 0;
        n = n < 256 ? n : 256;
        for (size_t i = 0; i < n; i++) {
            if (kept(kids[i], keep, nkeep))
                continue;
            kill(kids[i], SIGKILL);
            while (waitpid(kids[i], NULL, 0) < 0 && errno == EINTR)
                ;
            strays++;
        }
        ended += (unsigned)strays;
        if (!strays)
            break;
    }
    return ended;
}

void os_close_from(int lowest) {
#ifdef SYS_close_range
    if (syscall(SYS_close_range, (unsigned)lowest, ~0u, 0) == 0)
        return;
#endif
    long max = sysconf(_SC_OPEN_MAX);
    for (long fd = lowest; fd < (max > 0 && max < 65536 ? max : 65536); fd++)
        close((int)fd);
}

int os_has_children(void) {
    siginfo_t si;
    memset(&si, 0, sizeof si);
    return waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT) == 0;
}

/* Signals whose default action is to do nothing. */
#define IGNORED_BY_DEFAULT                                                     \
    ((1ull << (SIGCHLD - 1)) | (1ull << (SIGCONT - 1)) |                       \
     (1ull << (SIGURG - 1)) | (1ull << (SIGWINCH - 1)))

/* The hex mask after "Key:" in a /proc/PID/status text. */
static uint64_t status_mask(const char *text, const char *key) {
    const char *p = strstr(text, key);
    return p ? strtoull(p + strlen(key), NULL, 16) : 0;
}

int os_signalled(pid_t pid) {
    char name[24], text[4096];
    snprintf(name, sizeof name, "%ld", (long)pid);
    if (proc_read(name, "status", text, sizeof text) != 0)
        return -1;
    const char *state = strstr(text, "\nState:");
    char st = state ? state[sizeof "\nState:" - 1 + 1] : 'X';
    if (st == 'Z' || st == 'X' || st == 'x')
        return -1;
    if (st == 'T' || st == 't')
        return SIGSTOP;
    uint64_t pending =
        status_mask(text, "\nSigPnd:") | status_mask(text, "\nShdPnd:");
    pending &= ~status_mask(text, "\nSigIgn:") & ~IGNORED_BY_DEFAULT;
    for (int sig = 1; sig <= 64; sig++)
        if (pending & (1ull << (sig - 1)))
            return sig;
    return 0;
}

uint64_t os_rss(pid_t pid) {
    char name[24], text[128];
    unsigned long long size = 0, resident = 0;
    snprintf(name, sizeof name, "%ld", (long)pid);
    if (proc_read(name, "statm", text, sizeof text) != 0 ||
        sscanf(text, "%llu %llu", &size, &resident) != 2)
        return 0;
    return (uint64_t)resident * (uint64_t)sysconf(_SC_PAGESIZE);
}

int os_run_wait(pid_t pid, double *seconds) {
    char name[24], text[128];
    unsigned long long run = 0, wait = 0;
    snprintf(name, sizeof name, "%ld", (long)pid);
    /* "on-CPU-ns run-queue-wait-ns timeslices": this task's own (the
     * thread whose id is pid), not its other threads'. */
    if (pid <= 0 || proc_read(name, "schedstat", text, sizeof text) != 0 ||
        sscanf(text, "%llu %llu", &run, &wait) != 2)
        return -1;
    *seconds = (double)wait * 1e-9;
    return 0;
}
