/*
 * guard: what vpcert started dies with it, whatever ends vpcert. The
 * guard is a small child process that waits for vpcert's death (even by
 * SIGKILL: PR_SET_PDEATHSIG) and then kills every process group vpcert
 * was watching: the runner's keepers and children, the libFuzzer run of
 * `vpcert fuzz`. Each of those also dies with its own parent; the guard
 * reaches what they forked into their groups.
 */
#ifndef VPCERT_GUARD_H
#define VPCERT_GUARD_H

#include <sys/types.h>

#define GUARD_SLOTS 64u /* process groups watched at once */

/* Start the guard (once per vpcert process). 0, or -1. */
int guard_start(void);
/* Watch process group pgid, or stop watching it. Callable from any
 * process forked after guard_start (the table is shared). */
void guard_add(pid_t pgid);
void guard_remove(pid_t pgid);
/* The guard's pid, 0 when none. */
pid_t guard_pid(void);
/* End the guard; the groups watched are left alone. */
void guard_stop(void);

#endif /* VPCERT_GUARD_H */
