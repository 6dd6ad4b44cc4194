/* guard: a process that kills the watched process groups when vpcert
 * dies. */
#include "guard.h"

#include "os.h"

#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t *groups; /* shared: GUARD_SLOTS process groups, 0 = free */
static pid_t guard;   /* the guard process, 0 when none */

static void end_groups(void) {
    for (unsigned i = 0; i < GUARD_SLOTS; i++) {
        pid_t g = __atomic_load_n(&groups[i], __ATOMIC_SEQ_CST);
        if (g > 0)
            kill(-g, SIGKILL);
    }
}

/* The guard's life: wait for the parent's death, then end the groups. */
static void guard_main(pid_t parent) {
    static const int ignored[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE};
    sigset_t wait_for;
    int sig;
    setpgid(0, 0);    /* Ctrl-C at the terminal is vpcert's to handle */
    os_close_from(3); /* vpcert's pipes close when vpcert closes them */
    for (size_t i = 0; i < sizeof ignored / sizeof ignored[0]; i++)
        signal(ignored[i], SIG_IGN);
    sigemptyset(&wait_for);
    sigaddset(&wait_for, SIGUSR1);
    sigprocmask(SIG_BLOCK, &wait_for, NULL);
    if (prctl(PR_SET_PDEATHSIG, SIGUSR1, 0, 0, 0) != 0 || getppid() != parent) {
        end_groups();
        _exit(0);
    }
    while (sigwait(&wait_for, &sig) != 0)
        ;
    end_groups();
    _exit(0);
}

int guard_start(void) {
    if (guard > 0)
        return 0;
    if (!groups) {
        void *m =
            mmap(NULL, GUARD_SLOTS * sizeof(pid_t), PROT_READ | PROT_WRITE,
                 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        if (m == MAP_FAILED)
            return -1;
        groups = m;
    }
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0)
        guard_main(parent);
    if (pid < 0)
        return -1;
    guard = pid;
    return 0;
}

void guard_add(pid_t pgid) {
    for (unsigned i = 0; groups && pgid > 0 && i < GUARD_SLOTS; i++) {
        pid_t free_slot = 0;
        if (__atomic_compare_exchange_n(&groups[i], &free_slot, pgid, 0,
                                        __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
            return;
    }
}

void guard_remove(pid_t pgid) {
    for (unsigned i = 0; groups && pgid > 0 && i < GUARD_SLOTS; i++) {
        pid_t was = pgid;
        __atomic_compare_exchange_n(&groups[i], &was, 0, 0, __ATOMIC_SEQ_CST,
                                    __ATOMIC_SEQ_CST);
    }
}

pid_t guard_pid(void) {
    return guard;
}

void guard_stop(void) {
    if (guard <= 0)
        return;
    kill(guard, SIGKILL);
    while (waitpid(guard, NULL, 0) < 0 && errno == EINTR)
        ;
    guard = 0;
}
