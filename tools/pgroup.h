/*
 * pgroup: a helper program (libFuzzer) started in a process group of its
 * own, so that a time limit or Ctrl-C reaches it and every process it
 * starts (libFuzzer's -jobs workers). It dies with vpcert
 * (PR_SET_PDEATHSIG), and the guard (guard.h) kills its group when
 * vpcert dies, whatever the signal.
 */
#ifndef VPCERT_PGROUP_H
#define VPCERT_PGROUP_H

#include <sys/types.h>

/* Start argv[0] (a path) in its own process group, in directory cwd (NULL:
 * here), with stdin from /dev/null, stdout and stderr on out_fd, and the
 * environment NAME, VALUE pairs of env (NULL-terminated; may be NULL).
 * Returns the pid (= the group), or -1. */
pid_t pgroup_spawn(char *const argv[], const char *cwd, int out_fd,
                   const char *const env[]);
/* Wait for pid; after limit seconds, or on interrupt_seen(), its group gets
 * SIGTERM and 5 s later SIGKILL. Returns the wait status; what is left
 * of its group is ended (pgroup_end). */
int pgroup_wait(pid_t pid, double limit);
/* After pid has been reaped: kill what is left of its group, stop
 * watching it. */
void pgroup_end(pid_t pid);

#endif /* VPCERT_PGROUP_H */
