/* worker: a lane's keeper, loader and child (runner.h): the processes
 * that hold the implementation, so that vpcert never does. */
#define _GNU_SOURCE /* dlinfo, dl_iterate_phdr */
#include "runner_lane.h"

#include "guard.h"
#include "os.h"
#include "sandbox.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define STATICS_MAX (16u << 20) /* larger writable data is not put back */
#define STATICS_RANGES 8u       /* writable ranges kept at most */

/* The library's writable static data as it was after loading, put back
 * before each program after the first in a child. */
struct statics {
    uintptr_t lo[STATICS_RANGES]; /* range starts */
    size_t len[STATICS_RANGES];   /* range lengths */
    unsigned n;                   /* ranges */
    unsigned char *copy;          /* their bytes, one after another */
};

/* dl_iterate_phdr callback: the writable PT_LOAD ranges of the object
 * loaded at the base in st->lo[0] (set by the caller), without its
 * read-only-after-relocation part (PT_GNU_RELRO). */
static int find_ranges(struct dl_phdr_info *info, size_t size, void *arg) {
    struct statics *st = arg;
    (void)size;
    if (info->dlpi_addr != st->lo[0] || st->n)
        return 0;
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE), relro_end = 0;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type == PT_GNU_RELRO)
            relro_end =
                (info->dlpi_addr + ph->p_vaddr + ph->p_memsz) & ~(page - 1);
    }
    for (int i = 0; i < info->dlpi_phnum && st->n < STATICS_RANGES; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_W))
            continue;
        uintptr_t lo = info->dlpi_addr + ph->p_vaddr, hi = lo + ph->p_memsz;
        lo = lo < relro_end ? relro_end : lo;
        if (lo < hi) {
            st->lo[st->n] = lo;
            st->len[st->n++] = hi - lo;
        }
    }
    return 1;
}

/* Copy n bytes, word by word, unseen by a sanitizer: a library built
 * with AddressSanitizer has poisoned red zones between its globals, and
 * the copy takes them as they are. (volatile: not turned into memcpy,
 * which the sanitizer checks.) */
__attribute__((no_sanitize_address)) static void
raw_copy(void *to, const void *from, size_t n) {
    volatile unsigned char *d = to;
    const volatile unsigned char *s = from;
    size_t i = 0;
    if (((uintptr_t)d | (uintptr_t)s) % sizeof(uintptr_t) == 0)
        for (; i + sizeof(uintptr_t) <= n; i += sizeof(uintptr_t))
            *(volatile uintptr_t *)(d + i) =
                *(const volatile uintptr_t *)(s + i);
    for (; i < n; i++)
        d[i] = s[i];
}

static void statics_take(struct statics *st, void *handle) {
    struct link_map *lm = NULL;
    memset(st, 0, sizeof *st);
    if (!handle || dlinfo(handle, RTLD_DI_LINKMAP, &lm) != 0 || !lm)
        return;
    st->lo[0] = (uintptr_t)lm->l_addr;
    dl_iterate_phdr(find_ranges, st);
    size_t total = 0;
    for (unsigned i = 0; i < st->n; i++)
        total += st->len[i];
    st->copy = total && total <= STATICS_MAX ? malloc(total) : NULL;
    if (!st->copy) {
        st->n = 0;
        return;
    }
    size_t at = 0;
    for (unsigned i = 0; i < st->n; at += st->len[i], i++)
        raw_copy(st->copy + at, (const void *)st->lo[i], st->len[i]);
}

static void statics_put_back(const struct statics *st) {
    size_t at = 0;
    for (unsigned i = 0; i < st->n; at += st->len[i], i++)
        raw_copy((void *)st->lo[i], st->copy + at, st->len[i]);
}

/* The child's mark: a private page that the kernel gives any process
 * forked from the child zero-filled (MADV_WIPEONFORK), holding 1 in the
 * child. A step tells a copy from the child by reading it, where a
 * getpid() at every step was a tenth of a batch's time (the system call,
 * through the sandbox's filter). A copy that shares the child's memory
 * (CLONE_VM) keeps the mark: run_program's getpid() at the program's end
 * ends it before it reports. NULL when the kernel refuses the advice:
 * then every step calls getpid(). */
static const volatile unsigned char *child_mark;

static void mark_child(void) {
#ifdef MADV_WIPEONFORK
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    unsigned char *m = mmap(NULL, page, PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
        return;
    if (madvise(m, page, MADV_WIPEONFORK) != 0) {
        munmap(m, page);
        return;
    }
    m[0] = 1;
    child_mark = m;
#endif
}

/* What a child's steps need to tell a stray copy of the child (the
 * library forked and returned twice) from the child itself. */
struct step_guard {
    pid_t owner;        /* the child */
    exec_step_fn inner; /* the caller's on_step, or NULL */
    void *inner_ctx;    /* its context */
};

static void guarded_step(void *ctx, const struct exec_step *s) {
    const struct step_guard *g = ctx;
    if (child_mark ? child_mark[0] != 1 : getpid() != g->owner)
        _exit(0); /* a copy forked by the implementation: not ours */
    if (g->inner)
        g->inner(g->inner_ctx, s);
}

/* Run one program as the child's k-th, result into res[k]. A program
 * during which the implementation signalled the loader (its parent) is
 * never counted as run: kill() has returned, so the signal shows in the
 * loader at once, however late the loader acts on it. */
static void run_program(struct lane_shm *L, const struct impl *impl,
                        const struct program *p, struct exec_options *o,
                        unsigned k, pid_t me, pid_t loader) {
    struct step_guard g = {me, o->on_step, o->step_ctx};
    o->progress = &L->pr;
    o->on_step = guarded_step;
    o->step_ctx = &g;
    memset(&L->pr, 0, sizeof L->pr);
    L->started = os_now();
    if (p) {
        child_run_here(p, impl, o, &L->res[k]);
    } else {
        memset(&L->res[k], 0, sizeof L->res[k]);
        L->res[k].out = CH_ERROR;
        snprintf(L->res[k].what, sizeof L->res[k].what,
                 "vpcert could not decode its own case");
    }
    L->res[k].seconds = os_now() - L->started;
    if (getpid() != me)
        _exit(0);
    int hit = L->unfiltered ? os_signalled(loader) : 0;
    if (hit) {
        L->parent_hit = hit;
        sem_post(L->wake);
        _exit(3);
    }
    L->ran = k + 1;
}

/* exit() called by the implementation ends the process here and now:
 * no destructor of the library, no sanitizer's exit-time leak check
 * (which takes longer than the program did). */
static void quick_exit_here(int status, void *arg) {
    (void)arg;
    _exit(status);
}

static void child_main(struct lane_shm *L, const struct runner_config *cfg,
                       const struct impl *impl, const struct statics *st,
                       pid_t loader) {
    pid_t me = getpid();
    if (setpgid(0, 0) != 0 || os_die_with_parent(loader) != 0)
        _exit(4);
    if (sandbox_child(me) != 0)
        L->unfiltered = 1;
    mark_child();
    on_exit(quick_exit_here, NULL);
    if (L->cmd == LANE_ONE) {
        struct exec_options o = L->one_o;
        run_program(L, impl, &L->one, &o, 0, me, loader);
    } else {
        struct program *scratch = malloc(sizeof *scratch);
        for (unsigned k = 0; scratch && k < L->n; k++) {
            struct exec_options o;
            exec_options_default(&o);
            if (k)
                statics_put_back(st);
            const struct program *p = cfg->program_at(
                cfg->ctx, runner_program(cfg, L->all, L->first + k), scratch,
                &o);
            run_program(L, impl, p, &o, k, me, loader);
            if (!runner_clean(&L->res[k]))
                break;
        }
    }
    fflush(NULL);
    _exit(0);
}

/* Fork the child for the command in L, wait for it, end its group and
 * whatever it left behind. */
static void run_child(struct lane_shm *L, const struct runner_config *cfg,
                      const struct impl *impl, const struct statics *st) {
    L->ran = 0;
    L->child_status = -1;
    fflush(NULL);
    pid_t loader = getpid(), pid = fork();
    if (pid == 0)
        child_main(L, cfg, impl, st, loader);
    if (pid < 0)
        return;
    setpgid(pid, pid); /* both sides: no race with kill(-pid) */
    L->child = pid;
    guard_add(pid);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    L->child_status = status;
    kill(-pid, SIGKILL); /* what the library forked into its group */
    guard_remove(pid);
    L->child = 0;
    if (os_has_children())
        L->strays += os_end_strays(NULL, 0);
}

/* A crash in the library is the kernel's signal, not a sanitizer's exit
 * status: the crash handlers vpcert's build may have are taken off. */
static void default_crash_signals(void) {
    static const int crash[] = {SIGSEGV, SIGBUS,  SIGFPE,
                                SIGILL,  SIGTRAP, SIGABRT};
    for (size_t i = 0; i < sizeof crash / sizeof crash[0]; i++)
        signal(crash[i], SIG_DFL);
}

static void quiet_stdio(const struct runner_config *cfg) {
    int null = open("/dev/null", O_RDWR);
    if (null < 0)
        return;
    dup2(null, 0);
    if (!cfg->child_stdout)
        dup2(null, 1);
    if (!cfg->child_stderr)
        dup2(null, 2);
    if (null > 2)
        close(null);
}

/* The loader: load, report, then run commands until told to quit. */
static void loader_main(struct lane_shm *L, const struct runner_config *cfg,
                        pid_t keeper) {
    struct impl impl;
    struct statics st;
    char err[sizeof L->err];
    pid_t me = getpid();
    if (os_die_with_parent(keeper) != 0 || os_subreaper() != 0)
        _exit(4);
    L->loader = me;
    L->deny[3] = keeper;
    L->unfiltered = sandbox_loader(L->deny, 4) != 0;
    on_exit(quick_exit_here, NULL);
    quiet_stdio(cfg);
    default_crash_signals();
    L->started = os_now();
    int rc = 0;
    if (cfg->lib)
        rc = impl_open(&impl, cfg->lib, err, sizeof err);
    else if (cfg->builtin)
        impl = *cfg->builtin;
    else
        impl_builtin(&impl);
    if (getpid() != me)
        _exit(0); /* the library forked while loading: a copy of us */
    int hit = os_signalled(keeper);
    if (hit) {
        snprintf(err, sizeof err,
                 "%s: the library did not load: the library signalled its "
                 "parent process (%s)",
                 cfg->lib, hit > 0 ? strsignal(hit) : "it is gone");
        rc = -1;
    }
    if (rc != 0) {
        memcpy(L->err, err, sizeof err);
        L->load = LOAD_REFUSED;
        sem_post(L->wake);
        _exit(0);
    }
    statics_take(&st, impl.handle);
    L->services = impl_services(&impl);
    memcpy(L->host_imports, impl.host_imports, sizeof L->host_imports);
    L->load = LOAD_OK;
    sem_post(L->wake);
    for (;;) {
        while (sem_wait(&L->go) != 0)
            if (errno != EINTR)
                _exit(5);
        if (getpid() != me || L->cmd == LANE_QUIT)
            _exit(0);
        run_child(L, cfg, &impl, &st);
        L->done_seq = L->cmd_seq;
        sem_post(L->wake);
    }
}

void worker_keeper(struct lane_shm *L, const struct runner_config *cfg,
                   pid_t manager) {
    /* A subreaper too: what outlives the loader comes here, not to
     * vpcert. */
    if (setsid() < 0 || os_die_with_parent(manager) != 0 || os_subreaper() != 0)
        _exit(4);
    os_close_from(3); /* no pipe or lock of vpcert's outlives it here */
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    fflush(NULL);
    pid_t w = fork();
    if (w == 0)
        loader_main(L, cfg, getppid());
    int status = 0;
    if (w > 0) {
        while (waitpid(w, &status, 0) < 0 && errno == EINTR)
            ;
    }
    L->loader_status = w > 0 ? status : -1;
    L->loader_ended = 1;
    sem_post(L->wake);
    _exit(0);
}
