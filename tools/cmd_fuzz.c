/*
 * cmd_fuzz: `vpcert fuzz`, a differential fuzzing campaign against the
 * built-in shim. It runs the fuzz_diff libFuzzer binary as a child process
 * group:
 *
 *   fuzz_diff -max_total_time=S -artifact_prefix=vpcert-work/findings/
 *             -print_final_stats=1 -timeout=25 [-dict=fuzz_diff.dict]
 *             [-jobs=N -workers=N] CORPUS
 *
 * reads what libFuzzer prints (its stderr; with --jobs, the fuzz-J.log of
 * every job in vpcert-work/), prints a progress line every few seconds and
 * a summary. Every new crash is then replayed through fuzz_diff (the same
 * shim build and sanitizers) for its finding, minimized (-minimize_crash=1,
 * held to the same finding signature), and written beside itself in text
 * form; the clause, the signature and the reproducer paths are printed.
 *
 * Corpora: the working corpus is vpcert-work/corpus, emptied at the start
 * and seeded with copies of corpus/seeds and corpus/regressions. --corpus
 * DIR makes DIR the working corpus instead (kept between runs), which may
 * not lie inside the checked-in corpus/. With --merge the campaign runs in
 * vpcert-work/corpus and then libFuzzer -merge=1 adds the inputs that bring
 * new coverage to --corpus DIR: the only way this command writes there.
 *
 * Exit status: 0 nothing found, 1 findings, 2 usage or setup error.
 */
#include "cli.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define WORK_DIR "vpcert-work"
#define DEFAULT_TIME 60.0  /* seconds, when --time is not given */
#define PROGRESS_EVERY 5.0 /* seconds between progress lines */
#define GRACE 60.0         /* seconds past --time before the child is killed */
#define MIN_RUNS "10000"   /* -runs of -minimize_crash */
#define MIN_TIMEOUT 300.0  /* seconds for one minimization */
#define MAX_REPORTED 8     /* findings minimized and reported in detail */
#define MAX_STREAMS 65     /* libFuzzer stderr + one log per job */
#define TAIL_LINES 12      /* lines of libFuzzer output kept for errors */

/* ---- small helpers ---- */

/* snprintf that says whether the text fit: 0, or -1 when truncated. */
__attribute__((format(printf, 3, 4))) static int strf(char *out, size_t cap,
                                                      const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(out, cap, fmt, ap);
    va_end(ap);
    return n >= 0 && (size_t)n < cap ? 0 : -1;
}

static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int is_dir(const char *p) {
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int is_file(const char *p) {
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static int mkdirs(const char *path) {
    char tmp[PATH_MAX];
    strf(tmp, sizeof tmp, "%s", path);
    for (char *s = tmp + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = 0;
        if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
            return -1;
        *s = '/';
    }
    if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
        return -1;
    return is_dir(tmp) ? 0 : -1;
}

/* Absolute form of path; its last component need not exist. */
static int abs_path(const char *path, char *out) {
    char buf[PATH_MAX];
    if (realpath(path, out))
        return 0;
    strf(buf, sizeof buf, "%s", path);
    char *slash = strrchr(buf, '/');
    const char *base = slash ? slash + 1 : buf;
    const char *dir = slash ? (slash == buf ? "/" : buf) : ".";
    if (slash)
        *slash = 0;
    char d[PATH_MAX];
    if (!realpath(dir, d))
        return -1;
    return strf(out, PATH_MAX, "%s/%s", strcmp(d, "/") ? d : "", base);
}

/* Is path (absolute) dir or inside it? */
static int path_within(const char *path, const char *dir) {
    size_t n = strlen(dir);
    return strncmp(path, dir, n) == 0 && (path[n] == 0 || path[n] == '/');
}

/* Regular files of a directory (not dot files), sorted; NULL-terminated
 * array of malloc'd names, NULL on error. */
static char **list_dir(const char *dir, size_t *count) {
    DIR *d = opendir(dir);
    size_t n = 0, cap = 16;
    char **v = malloc(cap * sizeof *v);
    *count = 0;
    if (!d || !v) {
        if (d)
            closedir(d);
        free(v);
        return NULL;
    }
    for (struct dirent *e; (e = readdir(d));) {
        char p[PATH_MAX];
        if (e->d_name[0] == '.')
            continue;
        strf(p, sizeof p, "%s/%s", dir, e->d_name);
        if (!is_file(p))
            continue;
        if (n + 1 >= cap) {
            char **nv = realloc(v, (cap *= 2) * sizeof *v);
            if (!nv)
                break;
            v = nv;
        }
        if ((v[n] = strdup(e->d_name)))
            n++;
    }
    closedir(d);
    v[n] = NULL;
    for (size_t i = 1; i < n; i++) /* insertion sort: small lists */
        for (size_t j = i; j > 0 && strcmp(v[j - 1], v[j]) > 0; j--) {
            char *t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    *count = n;
    return v;
}

static void free_list(char **v) {
    for (size_t i = 0; v && v[i]; i++)
        free(v[i]);
    free(v);
}

static size_t count_files(const char *dir) {
    size_t n = 0;
    free_list(list_dir(dir, &n));
    return n;
}

static int copy_file(const char *from, const char *to) {
    size_t len;
    uint8_t *data = cli_read_file(from, &len);
    if (!data)
        return -1;
    int rc = cli_write_file(to, data, len);
    free(data);
    return rc;
}

/* ---- signals: Ctrl-C ends the campaign, the summary still prints ---- */

static volatile sig_atomic_t interrupted;

static void on_signal(int sig) {
    (void)sig;
    interrupted = 1;
}

static void catch_signals(struct sigaction *old_int,
                          struct sigaction *old_term) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, old_int);
    sigaction(SIGTERM, &sa, old_term);
}

/* ---- child processes ---- */

/* Start argv in its own process group (signals are forwarded to the
 * group), in cwd, with stdout and stderr on out_fd, and env NAME=VALUE
 * pairs (NULL-terminated). */
static pid_t spawn(char *const argv[], const char *cwd, int out_fd,
                   const char *const env[]) {
    fflush(NULL);
    pid_t pid = fork();
    if (pid > 0)
        setpgid(pid, pid); /* both sides: no race with kill(-pid) */
    if (pid != 0)
        return pid;
    setpgid(0, 0);
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
    fprintf(stderr, "vpcert fuzz: cannot run %s: %s\n", argv[0],
            strerror(errno));
    _exit(127);
}

/* Wait for pid, killing its group after limit seconds (or on Ctrl-C).
 * Returns the wait status. */
static int wait_group(pid_t pid, double limit) {
    double t0 = now_s();
    int status = 0, sent = 0;
    for (;;) {
        pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid || (w < 0 && errno != EINTR))
            return status;
        if ((interrupted || now_s() - t0 > limit) && sent < 2) {
            kill(-pid, sent ? SIGKILL : SIGTERM);
            sent++;
            t0 = now_s() - limit + 5; /* SIGKILL 5 s after SIGTERM */
        }
        usleep(50000);
    }
}

/* ---- libFuzzer output ---- */

struct stream {
    int fd;                   /* pipe or job log, -1 when not open */
    char path[PATH_MAX + 64]; /* job log; "" for the pipe */
    char line[4096];          /* partial line */
    size_t len;               /* bytes in line */
    unsigned long long execs; /* highest "#N" seen */
    unsigned long long final; /* stat::number_of_executed_units */
    unsigned long cov;        /* last cov: */
};

struct campaign {
    char fuzzer[PATH_MAX];      /* fuzz_diff */
    char dict[PATH_MAX + 16];   /* fuzz_diff.dict, "" if none */
    char work[PATH_MAX];        /* vpcert-work, absolute */
    char corpus[PATH_MAX];      /* working corpus, absolute */
    char corpus_show[PATH_MAX]; /* working corpus as the user sees it */
    char findings[PATH_MAX];    /* vpcert-work/findings, absolute */
    double time;                /* seconds */
    int jobs;                   /* parallel libFuzzer processes */
    const char *target;         /* what is fuzzed, for the banner */
    struct stream s[MAX_STREAMS];
    int ns;    /* streams in use */
    FILE *log; /* vpcert-work/fuzz.log: libFuzzer's own output */
    char tail[TAIL_LINES][256]; /* last lines of libFuzzer's stderr */
    unsigned ntail;
    char **known; /* artifacts present before the campaign */
    size_t nknown;
    double start;             /* now_s() at the start */
    unsigned long long execs; /* aggregated */
    unsigned long cov;        /* aggregated (max over jobs) */
};

static unsigned long long num_after(const char *l, const char *key) {
    const char *p = strstr(l, key);
    return p ? strtoull(p + strlen(key), NULL, 10) : 0;
}

static void parse_line(struct campaign *c, struct stream *s, const char *l) {
    if (l[0] == '#' && isdigit((unsigned char)l[1])) {
        unsigned long long n = strtoull(l + 1, NULL, 10);
        if (n > s->execs)
            s->execs = n;
        if (strstr(l, "cov: "))
            s->cov = (unsigned long)num_after(l, "cov: ");
    } else if (strncmp(l, "stat::number_of_executed_units:", 31) == 0) {
        s->final = num_after(l, "units:");
    }
    if (s == &c->s[0] && !strstr(l, "vpcert-progress")) {
        strf(c->tail[c->ntail % TAIL_LINES], sizeof c->tail[0], "%s", l);
        c->ntail++;
    }
}

/* Feed bytes read from a stream, line by line. */
static void feed(struct campaign *c, struct stream *s, const char *buf,
                 size_t n) {
    for (size_t i = 0; i < n; i++) {
        if (buf[i] != '\n' && s->len < sizeof s->line - 1) {
            s->line[s->len++] = buf[i];
            continue;
        }
        if (buf[i] != '\n')
            continue; /* overlong line: keep its head */
        s->line[s->len] = 0;
        parse_line(c, s, s->line);
        s->len = 0;
    }
}

/* Read what is available; returns 0 at the end of a pipe, 1 otherwise. */
static int pump(struct campaign *c, struct stream *s) {
    char buf[8192];
    if (s->fd < 0 && s->path[0])
        s->fd = open(s->path, O_RDONLY);
    if (s->fd < 0)
        return s->path[0] != 0;
    for (;;) {
        ssize_t n = read(s->fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return s->path[0] ? 1 : (n < 0 && errno == EAGAIN);
        if (!s->path[0] && c->log)
            fwrite(buf, 1, (size_t)n, c->log);
        feed(c, s, buf, (size_t)n);
        if (!s->path[0])
            return 1; /* the pipe: back to poll */
    }
}

static void aggregate(struct campaign *c) {
    c->execs = 0;
    for (int i = 0; i < c->ns; i++) {
        struct stream *s = &c->s[i];
        c->execs += s->final > s->execs ? s->final : s->execs;
        if (s->cov > c->cov)
            c->cov = s->cov;
    }
}

/* ---- findings ---- */

static int is_artifact(const char *name) {
    size_t n = strlen(name);
    if ((n > 4 && strcmp(name + n - 4, ".min") == 0) ||
        (n > 4 && strcmp(name + n - 4, ".vpt") == 0) || strstr(name, ".tmp."))
        return 0;
    return strncmp(name, "crash-", 6) == 0 || strncmp(name, "leak-", 5) == 0 ||
           strncmp(name, "timeout-", 8) == 0 || strncmp(name, "oom-", 4) == 0;
}

static int known_artifact(const struct campaign *c, const char *name) {
    for (size_t i = 0; i < c->nknown; i++)
        if (strcmp(c->known[i], name) == 0)
            return 1;
    return 0;
}

/* New artifacts of this campaign, sorted; NULL-terminated. */
static char **new_artifacts(const struct campaign *c, size_t *count) {
    size_t n = 0, k = 0;
    char **v = list_dir(c->findings, &n);
    for (size_t i = 0; v && i < n; i++) {
        if (is_artifact(v[i]) && !known_artifact(c, v[i]))
            v[k++] = v[i];
        else
            free(v[i]);
    }
    if (v)
        v[k] = NULL;
    *count = k;
    return v;
}

static void progress(struct campaign *c, double *last_t,
                     unsigned long long *last_execs) {
    double t = now_s();
    size_t nf = 0;
    aggregate(c);
    free_list(new_artifacts(c, &nf));
    double dt = t - *last_t;
    printf("vpcert fuzz: %5.0f s  execs %-10llu exec/s %-6.0f cov %-6lu "
           "corp %-6zu findings %zu\n",
           t - c->start, c->execs,
           dt > 0 ? (double)(c->execs - *last_execs) / dt : 0.0, c->cov,
           count_files(c->corpus), nf);
    fflush(stdout);
    *last_t = t;
    *last_execs = c->execs;
}

/* What fuzz_diff says about one input, replayed by the same binary (the
 * same shim build, the same sanitizers): its "vpcert-fuzz: FINDING" lines,
 * or the sanitizer's report. */
struct analysis {
    int found;      /* a vpcert finding was printed */
    int crashed;    /* the replay did not exit 0 */
    int must;       /* the chosen finding is a MUST one */
    char head[320]; /* "[CLAUSE] LEVEL at op N (op): expected ...; observed ..."
                     */
    char detail[200]; /* its sentence */
    char sig[160];    /* its signature */
    char other[200];  /* no finding: the sanitizer's or libFuzzer's summary */
};

static void chomp(char *l) {
    size_t n = strlen(l);
    while (n && (l[n - 1] == '\n' || l[n - 1] == '\r'))
        l[--n] = 0;
}

/* Parse a replay's output: keep the last MUST finding, else the first. */
static void parse_analysis(FILE *f, struct analysis *a) {
    char line[1024], head[320] = "", detail[200] = "";
    int in_finding = 0;
    while (fgets(line, sizeof line, f)) {
        chomp(line);
        if (strncmp(line, "vpcert-fuzz: FINDING ", 21) == 0) {
            strf(head, sizeof head, "%s", line + 21);
            detail[0] = 0;
            in_finding = 1;
        } else if (in_finding == 1 && strncmp(line, "  ", 2) == 0 &&
                   strncmp(line, "  signature ", 12) != 0) {
            strf(detail, sizeof detail, "%s", line + 2);
        } else if (in_finding && strncmp(line, "  signature ", 12) == 0) {
            int must = strstr(head, "] MUST ") != NULL;
            if (!a->found || must) {
                strf(a->head, sizeof a->head, "%s", head);
                strf(a->detail, sizeof a->detail, "%s", detail);
                strf(a->sig, sizeof a->sig, "%s", line + 12);
                a->must = must;
            }
            a->found = 1;
            in_finding = 0;
        } else if (!a->other[0] && (strncmp(line, "SUMMARY: ", 9) == 0 ||
                                    strstr(line, "ERROR: AddressSanitizer") ||
                                    strstr(line, "runtime error:") ||
                                    strstr(line, "ERROR: libFuzzer"))) {
            const char *p = strstr(line, "ERROR: ");
            strf(a->other, sizeof a->other, "%s",
                 p ? p : line + (strncmp(line, "SUMMARY: ", 9) ? 0 : 9));
        }
    }
}

static void analyze(const struct campaign *c, const char *path,
                    struct analysis *a) {
    char logp[PATH_MAX + 16];
    memset(a, 0, sizeof *a);
    strf(logp, sizeof logp, "%s/replay.log", c->work);
    int fd = open(logp, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        strf(a->other, sizeof a->other, "%s: %s", logp, strerror(errno));
        return;
    }
    char a_to[] = "-timeout=25";
    char *argv[] = {(char *)c->fuzzer, a_to, (char *)path, NULL};
    pid_t pid = spawn(argv, c->work, fd, NULL);
    int status = pid > 0 ? wait_group(pid, 120) : -1;
    a->crashed = pid < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0;
    FILE *f = fdopen(fd, "r");
    if (!f) {
        close(fd);
        return;
    }
    rewind(f);
    parse_analysis(f, a);
    fclose(f);
    if (!a->found && !a->other[0])
        strf(a->other, sizeof a->other, "%s",
             a->crashed ? "fuzz_diff failed on it without a report"
                        : "fuzz_diff runs it clean now (flaky?)");
}

/* fuzz_diff -minimize_crash=1 on crash, into min, held to signature sig. */
static void minimize(const struct campaign *c, const char *crash,
                     const char *min, const char *sig) {
    char a_runs[32] = "-runs=" MIN_RUNS, a_exact[PATH_MAX + 32];
    char a_min[] = "-minimize_crash=1", a_to[] = "-timeout=25";
    strf(a_exact, sizeof a_exact, "-exact_artifact_path=%s", min);
    char *argv[] = {(char *)c->fuzzer, a_min, a_runs, a_exact, a_to,
                    (char *)crash,     NULL};
    const char *env[] = {"VPCERT_FUZZ_SIGNATURE", sig ? sig : "", NULL};
    char logp[PATH_MAX + 16];
    strf(logp, sizeof logp, "%s/minimize.log", c->work);
    int fd = open(logp, O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd < 0)
        return;
    unlink(min);
    pid_t pid = spawn(argv, c->work, fd, env);
    close(fd);
    if (pid > 0)
        wait_group(pid, MIN_TIMEOUT);
}

/* Text form of the reproducer, without the input's expect annotations
 * (fuzz_diff ignores them; `vpcert replay` would check them). */
static int write_text(const char *bin, const char *vpt, const char *show,
                      const struct analysis *a) {
    struct program *p = malloc(sizeof *p);
    size_t len;
    uint8_t *data = cli_read_file(bin, &len);
    int rc = -1;
    if (p && data && prog_decode(data, len, p) == PROG_DECODE_OK) {
        for (uint32_t i = 0; i < p->nops; i++) {
            p->ops[i].expect = PROG_EX_NONE;
            p->ops[i].clause = UINT16_MAX;
        }
        char head[1024];
        if (a->found)
            strf(head, sizeof head,
                 "# vpcert fuzz finding %s\n# %s\n# %s\n"
                 "# reproduce: vpcert replay %s\n",
                 a->sig, a->head, a->detail, show);
        else
            strf(head, sizeof head,
                 "# vpcert fuzz: fuzz_diff failed on this "
                 "input: %s\n",
                 a->other);
        size_t hn = strlen(head), tn = prog_text_write(p, NULL, 0);
        char *text = malloc(hn + tn + 1);
        if (text) {
            memcpy(text, head, hn);
            prog_text_write(p, text + hn, tn + 1);
            rc = cli_write_file(vpt, text, hn + tn);
        }
        free(text);
    }
    free(data);
    free(p);
    return rc;
}

/* Signatures reported so far in this run (one minimization each). */
static char seen_sig[MAX_REPORTED][160];
static unsigned seen_k[MAX_REPORTED], nseen;

/* Minimize one artifact, write its text form, print it. */
static void report_finding(const struct campaign *c, const char *name,
                           unsigned k) {
    char crash[PATH_MAX + 8], min[PATH_MAX + 16], vpt[PATH_MAX + 24];
    char show[PATH_MAX + 64];
    struct analysis a, b;
    struct stat st0, st1;
    strf(crash, sizeof crash, "%s/%s", c->findings, name);
    strf(min, sizeof min, "%s.min", crash);
    strf(vpt, sizeof vpt, "%s.min.vpt", crash);
    strf(show, sizeof show, "%s/findings/%s.min.vpt", WORK_DIR, name);
    analyze(c, crash, &a);
    for (unsigned i = 0; a.found && i < nseen; i++)
        if (strcmp(seen_sig[i], a.sig) == 0) {
            printf("\nFINDING %u: %s: same signature as FINDING %u (%s), not "
                   "minimized\n",
                   k, name, seen_k[i], a.sig);
            return;
        }
    if (a.found && nseen < MAX_REPORTED) {
        seen_k[nseen] = k;
        strf(seen_sig[nseen++], sizeof seen_sig[0], "%s", a.sig);
    }
    int minimizable =
        strncmp(name, "crash-", 6) == 0 || strncmp(name, "leak-", 5) == 0;
    if (minimizable && !interrupted) {
        printf("vpcert fuzz: minimizing %s ...\n", name);
        fflush(stdout);
        minimize(c, crash, min, a.found ? a.sig : NULL);
    }
    if (!is_file(min))
        copy_file(crash, min); /* not minimizable, or already minimal */
    analyze(c, min, &b);
    if (a.found && (!b.found || strcmp(a.sig, b.sig) != 0)) {
        copy_file(crash,
                  min); /* drifted to another finding: keep the original */
        b = a;
    }
    write_text(min, vpt, show, &b);
    if (stat(crash, &st0) != 0 || stat(min, &st1) != 0)
        st0.st_size = st1.st_size = 0;
    printf("\nFINDING %u: %s\n", k, name);
    if (b.found)
        printf("  %s\n  %s\n  signature %s\n", b.head, b.detail, b.sig);
    else if (!minimizable)
        printf("  libFuzzer %s during the campaign; replayed alone: %s\n"
               "  (libFuzzer's report: %s/fuzz.log; reproduce: %s %s)\n",
               name[0] == 'o' ? "out-of-memory (-rss_limit_mb)" : "timeout",
               b.crashed ? b.other
                         : "it runs clean (the campaign's memory "
                           "or time grew over many inputs)",
               WORK_DIR, c->fuzzer, crash);
    else
        printf("  no vpcert finding, but fuzz_diff fails on it: %s\n"
               "  (libFuzzer's report: %s/fuzz.log; reproduce: %s %s)\n",
               b.other, WORK_DIR, c->fuzzer, crash);
    printf("  reproducer: %s/findings/%s.min (%lld bytes, from %lld)\n"
           "  text form:  %s (vpcert replay|explain it)\n",
           WORK_DIR, name, (long long)st1.st_size, (long long)st0.st_size,
           show);
    fflush(stdout);
}

/* ---- setting up ---- */

static int find_fuzzer(struct campaign *c) {
    const char *env = getenv("VPCERT_FUZZ_DIFF");
    char exe[PATH_MAX], cand[PATH_MAX + 32];
    if (env && *env) {
        if (access(env, X_OK) == 0 && realpath(env, c->fuzzer))
            return 0;
        fprintf(stderr,
                "vpcert fuzz: VPCERT_FUZZ_DIFF=%s is not an executable "
                "file\n",
                env);
        return -1;
    }
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = 0;
        char *slash = strrchr(exe, '/');
        if (slash)
            *slash = 0;
        const char *const rel[] = {"fuzzers/fuzz_diff", "fuzz_diff"};
        for (unsigned i = 0; i < 2; i++) {
            strf(cand, sizeof cand, "%s/%s", exe, rel[i]);
            if (is_file(cand) && access(cand, X_OK) == 0 &&
                realpath(cand, c->fuzzer))
                return 0;
        }
    }
    fprintf(stderr,
            "vpcert fuzz: the fuzz_diff libFuzzer target is not built (looked "
            "for %s/fuzzers/fuzz_diff).\n"
            "  Build it with clang and -DVPCERT_FUZZERS=ON, e.g.:\n"
            "    cmake --preset default && cmake --build --preset default\n"
            "  or: cmake -S . -B build -DCMAKE_C_COMPILER=clang "
            "-DVPCERT_FUZZERS=ON && cmake --build build\n"
            "  or set VPCERT_FUZZ_DIFF to a fuzz_diff binary.\n",
            n > 0 ? exe : "<build>");
    return -1;
}

/* Copy the checked-in seeds and regressions into the working corpus. */
static size_t seed_corpus(const struct campaign *c) {
    static const char *const dirs[] = {"corpus/seeds", "corpus/regressions"};
    size_t copied = 0;
    for (unsigned d = 0; d < 2; d++) {
        size_t n = 0;
        char **v = list_dir(dirs[d], &n);
        for (size_t i = 0; i < n; i++) {
            char from[PATH_MAX], to[PATH_MAX * 2];
            strf(from, sizeof from, "%s/%s", dirs[d], v[i]);
            strf(to, sizeof to, "%s/%s-%s", c->corpus,
                 d ? "regression" : "seed", v[i]);
            if (is_file(to) || copy_file(from, to) == 0)
                copied++;
        }
        free_list(v);
    }
    return copied;
}

static void empty_dir(const char *dir) {
    size_t n = 0;
    char **v = list_dir(dir, &n);
    for (size_t i = 0; i < n; i++) {
        char p[PATH_MAX * 2];
        strf(p, sizeof p, "%s/%s", dir, v[i]);
        unlink(p);
    }
    free_list(v);
}

static int setup(struct cli *cl, struct campaign *c) {
    char checked_in[PATH_MAX];
    if (cl->nargs) {
        fprintf(stderr,
                "vpcert fuzz: takes no FILE arguments (see vpcert --help)\n");
        return -1;
    }
    /* A plug-in (and its ICS) reach every fuzz_diff child through the
     * environment, as absolute paths: the children run in vpcert-work/. */
    static const char *const envs[2][2] = {{"VPCERT_IMPL", "--impl"},
                                           {"VPCERT_ICS", "--ics"}};
    const char *paths[2] = {cl->impl_path, cl->ics_path};
    if (paths[0] && strcmp(paths[0], "default") == 0)
        paths[0] = NULL;
    for (int i = 0; i < 2; i++) {
        char abs[PATH_MAX];
        if (!paths[i]) {
            unsetenv(envs[i][0]);
            continue;
        }
        if (!realpath(paths[i], abs)) {
            fprintf(stderr, "vpcert fuzz: %s %s: %s\n", envs[i][1], paths[i],
                    strerror(errno));
            return -1;
        }
        setenv(envs[i][0], abs, 1);
    }
    c->target = paths[0] ? paths[0] : "the built-in shim";
    if (cl->merge && !cl->corpus) {
        fprintf(stderr,
                "vpcert fuzz: --merge needs --corpus DIR, the corpus to "
                "merge into (e.g. --corpus corpus/seeds)\n");
        return -1;
    }
    c->time = cl->time > 0 ? cl->time : DEFAULT_TIME;
    c->jobs = cl->jobs > 0 ? cl->jobs : 1;
    if (find_fuzzer(c) != 0)
        return -1;
    char dict[PATH_MAX + 16];
    strf(dict, sizeof dict, "%s", c->fuzzer);
    char *slash = strrchr(dict, '/');
    strf(slash + 1, sizeof dict - (size_t)(slash + 1 - dict), "fuzz_diff.dict");
    if (is_file(dict))
        strf(c->dict, sizeof c->dict, "%s", dict);
    if (mkdirs(WORK_DIR "/findings") != 0 || abs_path(WORK_DIR, c->work) != 0 ||
        abs_path(WORK_DIR "/findings", c->findings) != 0) {
        fprintf(stderr, "vpcert fuzz: cannot create %s/findings: %s\n",
                WORK_DIR, strerror(errno));
        return -1;
    }
    if (cl->corpus && !cl->merge) {
        if (abs_path(cl->corpus, c->corpus) != 0) {
            fprintf(stderr, "vpcert fuzz: %s: %s\n", cl->corpus,
                    strerror(errno));
            return -1;
        }
        if (realpath("corpus", checked_in) &&
            path_within(c->corpus, checked_in)) {
            fprintf(stderr,
                    "vpcert fuzz: %s is inside the checked-in corpus/; "
                    "fuzz in a scratch corpus and add --merge to merge "
                    "into it\n",
                    cl->corpus);
            return -1;
        }
        if (mkdirs(c->corpus) != 0) {
            fprintf(stderr, "vpcert fuzz: cannot create %s: %s\n", cl->corpus,
                    strerror(errno));
            return -1;
        }
        strf(c->corpus_show, sizeof c->corpus_show, "%s", cl->corpus);
    } else {
        if (mkdirs(WORK_DIR "/corpus") != 0 ||
            abs_path(WORK_DIR "/corpus", c->corpus) != 0) {
            fprintf(stderr, "vpcert fuzz: cannot create %s/corpus\n", WORK_DIR);
            return -1;
        }
        empty_dir(c->corpus); /* a fresh working corpus */
        strf(c->corpus_show, sizeof c->corpus_show, "%s/corpus", WORK_DIR);
    }
    c->known = list_dir(c->findings, &c->nknown);
    return 0;
}

/* ---- the campaign ---- */

static int run_campaign(struct campaign *c) {
    char a_time[48], a_art[PATH_MAX + 32], a_dict[PATH_MAX + 16];
    char a_jobs[32], a_workers[32];
    char a_stats[] = "-print_final_stats=1", a_to[] = "-timeout=25";
    char *argv[16];
    int n = 0;
    strf(a_time, sizeof a_time, "-max_total_time=%.0f", c->time);
    strf(a_art, sizeof a_art, "-artifact_prefix=%s/", c->findings);
    strf(a_dict, sizeof a_dict, "-dict=%s", c->dict);
    strf(a_jobs, sizeof a_jobs, "-jobs=%d", c->jobs);
    strf(a_workers, sizeof a_workers, "-workers=%d", c->jobs);
    argv[n++] = c->fuzzer;
    argv[n++] = a_time;
    argv[n++] = a_art;
    argv[n++] = a_stats;
    argv[n++] = a_to;
    if (c->dict[0])
        argv[n++] = a_dict;
    if (c->jobs > 1) {
        argv[n++] = a_jobs;
        argv[n++] = a_workers;
    }
    argv[n++] = c->corpus;
    argv[n] = NULL;

    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    memset(c->s, 0, sizeof c->s);
    c->s[0].fd = fds[0];
    c->ns = 1;
    for (int j = 0; j < c->jobs && c->jobs > 1 && c->ns < MAX_STREAMS; j++) {
        struct stream *s = &c->s[c->ns++];
        s->fd = -1;
        strf(s->path, sizeof s->path, "%s/fuzz-%d.log", c->work, j);
        unlink(s->path);
    }
    char logp[PATH_MAX + 16];
    strf(logp, sizeof logp, "%s/fuzz.log", c->work);
    c->log = fopen(logp, "w");
    const char *env[] = {"VPCERT_FUZZ_PROGRESS", "1", NULL};
    c->start = now_s();
    pid_t pid = spawn(argv, c->work, fds[1], env);
    close(fds[1]);
    if (pid < 0) {
        close(fds[0]);
        return -1;
    }
    fcntl(fds[0], F_SETFL, O_NONBLOCK);
    double last_t = c->start;
    unsigned long long last_execs = 0;
    int open_pipe = 1, status = 0, done = 0, signalled = 0;
    while (!done || open_pipe) {
        struct pollfd pfd = {fds[0], POLLIN, 0};
        if (open_pipe && poll(&pfd, 1, 250) > 0)
            open_pipe = pump(c, &c->s[0]);
        else if (!open_pipe)
            usleep(250000);
        for (int i = 1; i < c->ns; i++)
            pump(c, &c->s[i]);
        if (!done && waitpid(pid, &status, WNOHANG) == pid)
            done = 1;
        double el = now_s() - c->start;
        if (!done && ((interrupted && !signalled) || el > c->time + GRACE)) {
            kill(-pid, signalled ? SIGKILL : SIGINT);
            signalled++;
        }
        if (done && open_pipe && el > c->time + 2 * GRACE)
            break; /* a grandchild holds the pipe */
        if (now_s() - last_t >= PROGRESS_EVERY && !done)
            progress(c, &last_t, &last_execs);
    }
    close(fds[0]);
    for (int i = 1; i < c->ns; i++) {
        pump(c, &c->s[i]);
        if (c->s[i].fd >= 0)
            close(c->s[i].fd);
    }
    if (c->log)
        fclose(c->log);
    aggregate(c);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int merge_into(const struct campaign *c, const char *dir) {
    char abs[PATH_MAX], a_art[PATH_MAX + 32];
    char a_merge[] = "-merge=1";
    if (mkdirs(dir) != 0 || abs_path(dir, abs) != 0) {
        fprintf(stderr, "vpcert fuzz: cannot create %s: %s\n", dir,
                strerror(errno));
        return -1;
    }
    size_t before = count_files(abs);
    strf(a_art, sizeof a_art, "-artifact_prefix=%s/", c->findings);
    char *argv[] = {(char *)c->fuzzer, a_merge, a_art, abs,
                    (char *)c->corpus, NULL};
    char logp[PATH_MAX + 16];
    strf(logp, sizeof logp, "%s/merge.log", c->work);
    int fd = open(logp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return -1;
    pid_t pid = spawn(argv, c->work, fd, NULL);
    close(fd);
    int status = pid > 0 ? wait_group(pid, 3600) : -1;
    if (pid < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr,
                "vpcert fuzz: merge into %s failed (see %s/merge.log)\n", dir,
                WORK_DIR);
        return -1;
    }
    printf("vpcert fuzz: merged %s into %s: %zu -> %zu inputs\n",
           c->corpus_show, dir, before, count_files(abs));
    return 0;
}

int cmd_fuzz(struct cli *cl) {
    struct campaign *c = calloc(1, sizeof *c);
    struct sigaction old_int, old_term;
    if (!c)
        return 2;
    if (setup(cl, c) != 0) {
        free_list(c->known);
        free(c);
        return 2;
    }
    size_t seeds = cl->no_seeds ? 0 : seed_corpus(c);
    printf("vpcert fuzz: %s against %s, %.0f s, %d job%s\n"
           "  corpus %s (%zu inputs, %zu from corpus/seeds and "
           "corpus/regressions)\n"
           "  findings %s/findings/, libFuzzer output %s/fuzz.log%s\n",
           c->fuzzer, c->target, c->time, c->jobs,
           c->jobs > 1 ? "s (-jobs/-workers)" : "", c->corpus_show,
           count_files(c->corpus), seeds, WORK_DIR, WORK_DIR,
           c->jobs > 1 ? " and fuzz-J.log" : "");
    fflush(stdout);
    interrupted = 0;
    catch_signals(&old_int, &old_term);
    int lf = run_campaign(c);
    double el = now_s() - c->start;
    size_t nf = 0;
    char **found = new_artifacts(c, &nf);
    printf("\nvpcert fuzz: %s after %.1f s: %llu execs (%.0f exec/s), cov %lu, "
           "corpus %zu inputs (%s), %zu finding%s\n",
           interrupted ? "interrupted" : "done", el, c->execs,
           el > 0 ? (double)c->execs / el : 0.0, c->cov, count_files(c->corpus),
           c->corpus_show, nf, nf == 1 ? "" : "s");
    int rc = 0;
    for (size_t i = 0; found && i < nf && i < MAX_REPORTED; i++)
        report_finding(c, found[i], (unsigned)i + 1);
    if (nf > MAX_REPORTED)
        printf("\n(%zu more findings in %s/findings/, not minimized)\n",
               nf - MAX_REPORTED, WORK_DIR);
    if (nf) {
        rc = 1;
        printf("\nvpcert fuzz: %zu finding%s; replay the text forms with "
               "`vpcert replay %s/findings/*.vpt`\n",
               nf, nf == 1 ? "" : "s", WORK_DIR);
    } else if (lf != 0 && !interrupted) {
        printf("vpcert fuzz: libFuzzer exited with status %d and no finding; "
               "its last lines:\n",
               lf);
        unsigned first = c->ntail > TAIL_LINES ? c->ntail - TAIL_LINES : 0;
        for (unsigned i = first; i < c->ntail; i++)
            printf("  %s\n", c->tail[i % TAIL_LINES]);
        rc = 2;
    } else if (cl->merge && !interrupted) {
        rc = merge_into(c, cl->corpus) == 0 ? 0 : 2;
    }
    if (cl->merge && nf)
        printf("vpcert fuzz: not merging into %s: the campaign has findings\n",
               cl->corpus);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    free_list(found);
    free_list(c->known);
    free(c);
    return rc;
}
