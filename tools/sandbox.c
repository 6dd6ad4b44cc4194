/* sandbox: seccomp filters on the targets of signals. */
#include "sandbox.h"

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
#define NATIVE_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define NATIVE_ARCH AUDIT_ARCH_AARCH64
#endif
#ifndef SECCOMP_RET_KILL_PROCESS
#define SECCOMP_RET_KILL_PROCESS SECCOMP_RET_KILL
#endif

#define MAX_INSNS 200  /* the filter's length at most */
#define MAX_VALUES 10u /* targets one rule lists */

/* A system call whose first argument (a pid) is checked. */
struct rule {
    long nr;    /* system call number */
    int allow;  /* 1: only `values` pass; 0: they are refused */
    unsigned n; /* values */
    uint32_t values[MAX_VALUES]; /* pids, as the low 32 bits of the argument */
};

struct filter {
    struct sock_filter insn[MAX_INSNS]; /* the program */
    unsigned n;                         /* its length */
};

static void put(struct filter *f, uint16_t code, uint32_t k, uint8_t jt,
                uint8_t jf) {
    if (f->n < MAX_INSNS)
        f->insn[f->n++] = (struct sock_filter){code, jt, jf, k};
}

/* One rule: not its call, skip it; a listed value returns at once. */
static void emit_rule(struct filter *f, const struct rule *r) {
    uint32_t pass = SECCOMP_RET_ALLOW, stop = SECCOMP_RET_KILL_PROCESS;
    put(f, BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)r->nr, 0,
        (uint8_t)(2 + 2 * r->n));
    put(f, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0]), 0,
        0);
    for (unsigned i = 0; i < r->n; i++) {
        put(f, BPF_JMP | BPF_JEQ | BPF_K, r->values[i], 0, 1);
        put(f, BPF_RET | BPF_K, r->allow ? pass : stop, 0, 0);
    }
    put(f, BPF_RET | BPF_K, r->allow ? stop : pass, 0, 0);
}

static int install(const struct rule *rules, unsigned nrules) {
#ifdef NATIVE_ARCH
    struct filter f = {.n = 0};
    put(&f, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch), 0,
        0);
    put(&f, BPF_JMP | BPF_JEQ | BPF_K, NATIVE_ARCH, 1, 0);
    put(&f, BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS, 0, 0);
    put(&f, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr), 0, 0);
#if defined(__x86_64__)
    put(&f, BPF_JMP | BPF_JGE | BPF_K, 0x40000000u, 0, 1); /* x32 calls */
    put(&f, BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS, 0, 0);
#endif
    for (unsigned i = 0; i < nrules; i++)
        emit_rule(&f, &rules[i]);
    put(&f, BPF_RET | BPF_K, SECCOMP_RET_ALLOW, 0, 0);
    if (f.n >= MAX_INSNS)
        return -1;
    struct sock_fprog prog = {(unsigned short)f.n, f.insn};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        return -1;
    return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) == 0 ? 0
                                                                        : -1;
#else
    (void)rules;
    (void)nrules;
    return -1;
#endif
}

/* The signalling calls whose first argument is a process (or group). */
static const long signal_calls[] = {SYS_kill,
                                    SYS_tkill,
                                    SYS_tgkill,
                                    SYS_rt_sigqueueinfo,
                                    SYS_rt_tgsigqueueinfo,
#ifdef SYS_pidfd_open
                                    SYS_pidfd_open
#endif
};
#define NCALLS (sizeof signal_calls / sizeof signal_calls[0])

int sandbox_child(pid_t self) {
    struct rule rules[NCALLS];
    for (unsigned i = 0; i < NCALLS; i++) {
        struct rule r = {signal_calls[i], 1, 1, {(uint32_t)self}};
        if (signal_calls[i] == SYS_kill) {
            r.n = 3; /* itself, its group, its own group by 0 */
            r.values[1] = (uint32_t)-self;
            r.values[2] = 0;
        }
        rules[i] = r;
    }
    return install(rules, NCALLS);
}

int sandbox_loader(const pid_t *deny, unsigned n) {
    struct rule rules[NCALLS];
    if (2 * n + 1 > MAX_VALUES)
        return -1;
    for (unsigned i = 0; i < NCALLS; i++) {
        struct rule r = {signal_calls[i], 0, 0, {0}};
        for (unsigned k = 0; k < n; k++)
            r.values[r.n++] = (uint32_t)deny[k];
        if (signal_calls[i] == SYS_kill) {
            for (unsigned k = 0; k < n; k++)
                r.values[r.n++] = (uint32_t)-deny[k];
            r.values[r.n++] = (uint32_t)-1; /* every process */
        }
        rules[i] = r;
    }
    return install(rules, NCALLS);
}
