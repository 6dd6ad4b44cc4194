/*
 * sandbox: what a worker process (runner.h) may signal. A seccomp filter
 * (Linux) checks the target of every signalling system call (kill, tkill,
 * tgkill, rt_sigqueueinfo, rt_tgsigqueueinfo, pidfd_open) and kills the
 * calling process with SIGSYS when the implementation aims at vpcert:
 *
 * - a child that runs programs may signal only itself and its own
 *   process group (kill(0, ...) included: that ends the child, a crash);
 * - the loader may signal anything but vpcert's processes (the manager,
 *   its group, the keeper and its group, the guard) and every process
 *   (-1); kill(0, ...) there ends the loader and the keeper, a lane
 *   vpcert sees end.
 *
 * So kill(getppid(), SIGKILL) in a service ends the child, never the
 * loader or vpcert, and the case is charged to the clause being
 * exercised. Forks of a filtered process keep its filter. Where the
 * kernel refuses a filter, the runner's other defences remain (its own
 * process groups, the check of the loader after each program).
 */
#ifndef VPCERT_SANDBOX_H
#define VPCERT_SANDBOX_H

#include <signal.h>
#include <sys/types.h>

#define SANDBOX_SIGNAL SIGSYS /* what a filtered process dies of */

/* In a child that runs programs: it may signal itself and its group
 * only. 0, or -1 when the kernel refuses the filter. */
int sandbox_child(pid_t self);
/* In the loader: it may not signal the processes in deny[] (n of them),
 * their groups, or every process (-1). 0, or -1. */
int sandbox_loader(const pid_t *deny, unsigned n);

#endif /* VPCERT_SANDBOX_H */
