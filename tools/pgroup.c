/* pgroup: spawning into a process group, waiting with a limit. */
#include "pgroup.h"

#include "guard.h"
#include "interrupt.h"
#include "os.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

pid_t pgroup_spawn(char *const argv[], const char *cwd, int out_fd,
                   const char *const env[]) {
    if (guard_start() != 0)
        return -1;
    fflush(NULL);
    pid_t parent = getpid(), pid = fork();
    if (pid > 0) {
        setpgid(pid, pid); /* both sides: no race with kill(-pid) */
        guard_add(pid);
    }
    if (pid != 0)
        return pid;
    setpgid(0, 0);
    if (os_die_with_parent(parent) != 0) /* kept across execv */
        _exit(127);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    if (cwd && chdir(cwd) != 0)
        _exit(127);
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0)
        dup2(devnull, 0);
    dup2(out_fd, 1);
    dup2(out_fd, 2);
    for (size_t i = 0; env && env[i]; i += 2)
        setenv(env[i], env[i + 1], 1);
    execv(argv[0], argv);
    fprintf(stderr, "vpcert: cannot run %s: %s\n", argv[0], strerror(errno));
    _exit(127);
}

void pgroup_end(pid_t pid) {
    kill(-pid, SIGKILL); /* what it started in its group */
    guard_remove(pid);
}

int pgroup_wait(pid_t pid, double limit) {
    double t0 = os_now();
    int status = 0, sent = 0;
    for (;;) {
        pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid || (w < 0 && errno != EINTR)) {
            pgroup_end(pid);
            return status;
        }
        if ((interrupt_seen() || os_now() - t0 > limit) && sent < 2) {
            kill(-pid, sent ? SIGKILL : SIGTERM);
            sent++;
            t0 = os_now() - limit + 5; /* SIGKILL 5 s after SIGTERM */
        }
        usleep(50000);
    }
}
