/*
 * repro: the C reproducers' runtime (repro.h): set-up, the calls, and
 * what ends a call that does not return normally. A crash (SIGSEGV,
 * SIGBUS, SIGILL, SIGFPE, SIGABRT), a hang, an exit() or runaway memory
 * during a call is the finding when the call is charged to the clause
 * being reproduced, as vpcert charges it (clauses.def CHARGED); a call the
 * kernel stand-in ends (a bug check, an exception, a lock taken twice) is
 * the finding when the stand-in names that clause. Everything reported
 * from a signal handler is written with write() and ends with _exit().
 */
#include "repro_internal.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

/* The one runtime of the process, for the signal handlers and atexit. */
static struct repro *the_repro;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Append s to the message in m (async-signal-safe). */
static void msg_add(char *m, size_t cap, const char *s) {
    size_t n = strlen(m);
    while (*s && n + 1 < cap)
        m[n++] = *s++;
    m[n] = 0;
}

/* End the program from anywhere (a handler included): "CLAUSE: what"
 * and exit 1 when clause is the one reproduced, else exit 3 saying the
 * check was not reached. */
static void finish(struct repro *r, const char *clause, const char *what) {
    char m[512] = "";
    int found = clause && strcmp(clause, r->clause) == 0;
    if (found) {
        msg_add(m, sizeof m, r->clause);
        msg_add(m, sizeof m, ": ");
    } else {
        msg_add(m, sizeof m,
                "vpcert reproducer: not reproduced, the run "
                "ended before the check of ");
        msg_add(m, sizeof m, r->clause);
        msg_add(m, sizeof m, " (");
        msg_add(m, sizeof m, clause ? clause : "no clause");
        msg_add(m, sizeof m, "): ");
    }
    msg_add(m, sizeof m, what);
    msg_add(m, sizeof m, "\n");
    if (write(STDERR_FILENO, m, strlen(m)) < 0)
        m[0] = 0;
    _exit(found ? REPRO_EXIT_FOUND : REPRO_EXIT_ELSE);
}

/* The call in progress did not return normally (a handler's report). */
static void call_ended(struct repro *r, const char *what) {
    if (!r->in_call)
        finish(r, NULL, what);
    finish(r, r->charged, what);
}

static void on_signal(int sig) {
    char what[96] = "";
    msg_add(what, sizeof what, "the implementation crashed (");
    msg_add(what, sizeof what,
            sig == SIGSEGV  ? "SIGSEGV"
            : sig == SIGBUS ? "SIGBUS"
            : sig == SIGILL ? "SIGILL"
            : sig == SIGFPE ? "SIGFPE"
                            : "SIGABRT");
    msg_add(what, sizeof what, ") in the call");
    call_ended(the_repro, what);
}

/* Resident bytes now, from /proc/self/statm (open/read: safe here). */
static uint64_t resident(void) {
    char buf[128];
    int fd = open("/proc/self/statm", O_RDONLY);
    ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
    if (fd >= 0)
        close(fd);
    if (n <= 0)
        return 0;
    buf[n] = 0;
    const char *p = strchr(buf, ' ');
    uint64_t pages = 0;
    for (p = p ? p + 1 : buf; *p >= '0' && *p <= '9'; p++)
        pages = pages * 10 + (uint64_t)(*p - '0');
    return pages * (uint64_t)sysconf(_SC_PAGESIZE);
}

static void on_timer(int sig) {
    struct repro *r = the_repro;
    (void)sig;
    if (!r->in_call)
        return;
    if (now() - r->call_start > r->s.seconds)
        call_ended(r, "the call did not return within the time limit");
    if (r->s.rss_limit && resident() > r->s.rss_limit)
        call_ended(r, "the call ran away with memory (resident above the "
                      "limit)");
}

static void on_exit_call(void) {
    if (the_repro && the_repro->in_call)
        call_ended(the_repro, "the implementation called exit()");
}

/* A sanitizer in the library under test (built with AddressSanitizer or
 * UndefinedBehaviorSanitizer, and the reproducer with it) reported an
 * error and is about to end the program with _exit(1), which would pass
 * for the finding of the clause reproduced: it is the call's outcome, as
 * vpcert's run saw it (an exit charged to the call). */
static void on_sanitizer_death(void) {
    call_ended(the_repro, "a sanitizer reported an error in the call");
}

/* Ask the sanitizers' runtime, when the program has one, for
 * on_sanitizer_death (dlsym's pointer converts to a function pointer under
 * POSIX, not ISO C: hence the copy of its bytes). */
static void sanitizer_death(void) {
    void (*set)(void (*)(void)) = NULL;
    void *self = dlopen(NULL, RTLD_LAZY); /* the program and its libraries */
    void *p = self ? dlsym(self, "__sanitizer_set_death_callback") : NULL;
    if (!p)
        return;
    memcpy(&set, &p, sizeof set);
    set(on_sanitizer_death);
}

/* The kernel stand-in ends a call that cannot return. */
static void on_escape(void *ctx) {
    struct repro *r = ctx;
    const struct kernel_fatal *f = kernel_fatal(r->k);
    finish(r, f->clause, f->what ? f->what : "the call could not return");
}

/* Is a debugger attached (TracerPid in /proc/self/status)? */
static int traced(void) {
    char buf[4096];
    FILE *f = fopen("/proc/self/status", "r");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f)
        fclose(f);
    buf[n] = 0;
    const char *t = strstr(buf, "TracerPid:");
    return t && strtol(t + 10, NULL, 10) != 0;
}

static void guards(struct repro *r) {
    static char alt[64 * 1024];
    stack_t ss = {.ss_sp = alt, .ss_size = sizeof alt, .ss_flags = 0};
    struct sigaction sa;
    static const int crash[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};
    sigaltstack(&ss, NULL);
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_ONSTACK | SA_NODEFER;
    for (size_t i = 0; i < sizeof crash / sizeof crash[0]; i++)
        sigaction(crash[i], &sa, NULL);
    atexit(on_exit_call);
    sanitizer_death();
    if (traced() || getenv("VPCERT_REPRO_NO_TIMEOUT"))
        return; /* a developer may stop inside a call */
    sa.sa_handler = on_timer;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = {{0, 100000}, {0, 100000}};
    setitimer(ITIMER_REAL, &it, NULL);
    r->timer = 1;
}

struct repro *repro_begin(const struct repro_setup *s) {
    struct repro *r = calloc(1, sizeof *r);
    struct kernel_config kc = {{s->pool[0], s->pool[1]}, 0, 0, 1};
    if (!r || s->devices == 0 || s->devices > REPRO_MAX_DEVICES) {
        fprintf(stderr, "vpcert reproducer: bad set-up\n");
        exit(REPRO_EXIT_SETUP);
    }
    r->s = *s;
    snprintf(r->clause, sizeof r->clause, "%s", s->clause);
    r->k = kernel_new(&kc);
    for (unsigned d = 0; r->k && d < s->devices; d++) {
        r->ext[d] = aligned_alloc(16, VPCERT_DEVICE_EXTENSION_SIZE);
        if (!r->ext[d])
            break;
        memset(r->ext[d], 0, VPCERT_DEVICE_EXTENSION_SIZE);
    }
    if (!r->k || !r->ext[s->devices - 1]) {
        fprintf(stderr, "vpcert reproducer: out of memory\n");
        exit(REPRO_EXIT_SETUP);
    }
    kernel_bind(r->k);
    kernel_stray_reset(); /* HOST-2 counts from here */
    the_repro = r;
    guards(r);
    return r;
}

PVOID repro_device(struct repro *r, unsigned dev) {
    return dev < r->s.devices ? r->ext[dev] : NULL;
}

PVOID repro_sentinel(void) {
    static const unsigned char sentinel[16];
    return (PVOID)(uintptr_t)sentinel;
}

void repro_enter(struct repro *r, unsigned dev, KIRQL irql,
                 const char *charged) {
    kernel_events_clear(r->k);
    kernel_set_device(r->k, dev);
    kernel_set_irql(r->k, irql);
    kernel_set_escape(r->k, on_escape, r);
    r->irql = irql;
    r->charged = charged;
    r->call_start = now();
    r->in_call = 1;
}

void repro_leave(struct repro *r) {
    r->in_call = 0;
    kernel_set_escape(r->k, NULL, NULL);
    kernel_end_call(r->k, r->irql); /* LK-3, IRQL-3 */
    kernel_set_irql(r->k, PASSIVE_LEVEL);
    kernel_set_device(r->k, KN_NO_DEVICE);
}

void repro_inject(struct repro *r, enum repro_inject kind, uint64_t value) {
    switch (kind) {
    case REPRO_INJECT_NEXT:
        kernel_inject_next(r->k, (uint32_t)value);
        break;
    case REPRO_INJECT_ABOVE:
        kernel_inject_above(r->k, value);
        break;
    case REPRO_INJECT_TAG:
        kernel_inject_tag(r->k, (ULONG)value, 1);
        break;
    default:
        kernel_inject_clear(r->k);
    }
}

PVOID repro_hand_out(struct repro *r, PVOID p, uint64_t size, uint32_t seed) {
    struct kernel_block_info b;
    if (!p || !repro_contained(r, p, size, &b))
        return NULL;
    if (r->nlive == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 64;
        struct repro_live *v = realloc(r->live, cap * sizeof *v);
        if (!v) {
            fprintf(stderr, "vpcert reproducer: out of memory\n");
            exit(REPRO_EXIT_SETUP);
        }
        r->live = v;
        r->cap = cap;
    }
    struct repro_live *l = &r->live[r->nlive++];
    l->start = (uintptr_t)p;
    l->size = size;
    l->seed = seed;
    l->block_id = b.id;
    l->block_start = b.addr;
    l->block_end = b.addr + (b.size ? b.size : 1);
    repro_contents_write(p, size, seed, r->s.write_limit);
    return p;
}

void repro_refill(struct repro *r, PVOID p, uint32_t seed) {
    struct repro_live *l = repro_live_of(r, p);
    if (l) {
        l->seed = seed;
        repro_contents_write(p, l->size, seed, r->s.write_limit);
    }
}

void repro_given_back(struct repro *r, PVOID p) {
    struct repro_live *l = repro_live_of(r, p);
    if (l)
        *l = r->live[--r->nlive];
}

void repro_found(struct repro *r, const char *what) {
    finish(r, r->clause, what);
}

void repro_check(struct repro *r, int cond, const char *what) {
    if (cond)
        repro_found(r, what);
}

int repro_end(struct repro *r) {
    if (r->timer) {
        struct itimerval off = {{0, 0}, {0, 0}};
        setitimer(ITIMER_REAL, &off, NULL);
    }
    fprintf(stderr, "vpcert reproducer: %s did not recur\n", r->clause);
    return 0;
}
