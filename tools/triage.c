/* triage: replaying, minimizing and reporting a campaign's artifacts. */
#include "triage.h"

#include "clauses.h"
#include "cli.h"
#include "finding.h"
#include "interrupt.h"
#include "pgroup.h"
#include "strf.h"
#include "vpcert/invariant.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define MIN_RUNS "10000"     /* -runs of -minimize_crash */
#define MIN_TIMEOUT 300.0    /* seconds for one minimization */
#define REPLAY_TIMEOUT 120.0 /* seconds for one replay */

/* What fuzz_diff says about one input, replayed alone: its findings, or
 * the sanitizer's report. */
struct replay {
    int found;                  /* a vpcert finding was printed */
    int crashed;                /* the replay did not exit 0 */
    int must;                   /* the chosen finding is a MUST one */
    struct exec_finding_text t; /* the last MUST finding, else the first */
    char other[200]; /* no finding: the sanitizer's or libFuzzer's summary */
};

static int is_artifact(const char *name) {
    size_t n = strlen(name);
    if ((n > 4 && strcmp(name + n - 4, ".min") == 0) ||
        (n > 4 && strcmp(name + n - 4, ".vpt") == 0) || strstr(name, ".tmp."))
        return 0;
    return strncmp(name, "crash-", 6) == 0 || strncmp(name, "leak-", 5) == 0 ||
           strncmp(name, "timeout-", 8) == 0 || strncmp(name, "oom-", 4) == 0;
}

static int known(const struct campaign *c, const char *name) {
    for (size_t i = 0; i < c->known.n; i++)
        if (strcmp(c->known.v[i].name, name) == 0)
            return 1;
    return 0;
}

void triage_new(const struct campaign *c, struct os_list *found) {
    char err[8];
    size_t k = 0;
    os_dir_list(c->findings, found, err, sizeof err);
    for (size_t i = 0; i < found->n; i++) {
        if (found->v[i].kind == OS_FILE && is_artifact(found->v[i].name) &&
            !known(c, found->v[i].name))
            found->v[k++] = found->v[i];
        else
            free(found->v[i].name);
    }
    found->n = k;
}

size_t triage_count(const struct campaign *c) {
    struct os_list l;
    triage_new(c, &l);
    size_t n = l.n;
    os_list_free(&l);
    return n;
}

/* The sanitizer's or libFuzzer's one-line summary, or vpcert's own
 * internal error (vpcert/invariant.h), when line is one. */
static void note_other(struct replay *a, const char *line, size_t len) {
    char l[1024];
    strf(l, sizeof l, "%.*s", (int)len, line);
    if (a->other[0] ||
        !(strncmp(l, "SUMMARY: ", 9) == 0 ||
          strncmp(l, VPCERT_INVARIANT_PREFIX,
                  strlen(VPCERT_INVARIANT_PREFIX)) == 0 ||
          strstr(l, "ERROR: AddressSanitizer") || strstr(l, "runtime error:") ||
          strstr(l, "ERROR: libFuzzer")))
        return;
    const char *p = strstr(l, "ERROR: ");
    strf(a->other, sizeof a->other, "%s",
         p ? p : l + (strncmp(l, "SUMMARY: ", 9) ? 0 : 9));
}

/* Read a replay's output: keep the last MUST finding, else the first. */
static void read_replay(const char *out, struct replay *a) {
    const size_t mark = strlen(EXEC_FINDING_FUZZ_MARK);
    for (const char *s = out; *s;) {
        const char *eol = strchr(s, '\n');
        size_t len = eol ? (size_t)(eol - s) : strlen(s);
        struct exec_finding_text t;
        const char *end;
        if (strncmp(s, EXEC_FINDING_FUZZ_MARK, mark) == 0 &&
            exec_finding_parse(s + mark, "  ", &t, &end) == 0) {
            int must = t.f.level == SPEC_MUST;
            if (!a->found || must) {
                a->t = t;
                a->must = must;
            }
            a->found = 1;
            s = end;
            continue;
        }
        note_other(a, s, len);
        s += len + (eol != NULL);
    }
}

/* libFuzzer can minimize crashes and leaks, not timeouts or ooms. */
static int minimizable(const char *name) {
    return strncmp(name, "crash-", 6) == 0 || strncmp(name, "leak-", 5) == 0;
}

static void replay(const struct campaign *c, const char *path,
                   struct replay *a) {
    char logp[PATH_MAX + 16], err[300];
    memset(a, 0, sizeof *a);
    strf(logp, sizeof logp, "%s/replay.log", c->work);
    int fd = open(logp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        strf(a->other, sizeof a->other, "%s: %s", logp, strerror(errno));
        return;
    }
    char a_to[] = FUZZ_TIMEOUT_ARG;
    char *argv[] = {(char *)c->fuzzer, a_to, (char *)path, NULL};
    pid_t pid = pgroup_spawn(argv, c->work, fd, NULL);
    close(fd);
    int status = pid > 0 ? pgroup_wait(pid, REPLAY_TIMEOUT) : -1;
    a->crashed = pid < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0;
    size_t len;
    char *out = (char *)os_file_read(logp, &len, err, sizeof err);
    if (out)
        read_replay(out, a);
    free(out);
    if (!a->found && !a->other[0])
        strf(a->other, sizeof a->other, "%s",
             a->crashed ? "fuzz_diff failed on it without a report"
                        : "fuzz_diff runs it clean now (flaky?)");
}

/* fuzz_diff -minimize_crash=1 on crash, into min, held to signature sig. */
static void minimize(const struct campaign *c, const char *crash,
                     const char *min, const char *sig) {
    char a_runs[32] = "-runs=" MIN_RUNS, a_exact[PATH_MAX + 32];
    char a_min[] = "-minimize_crash=1", a_to[] = FUZZ_TIMEOUT_ARG;
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
    pid_t pid = pgroup_spawn(argv, c->work, fd, env);
    close(fd);
    if (pid > 0)
        pgroup_wait(pid, MIN_TIMEOUT);
}

/* The comment lines at the head of a reproducer's text form. */
static void text_head(const struct replay *a, const char *show, char *out,
                      size_t cap) {
    char block[1024];
    if (!a->found) {
        strf(out, cap, "# vpcert fuzz: fuzz_diff failed on this input: %s\n",
             a->other);
        return;
    }
    exec_finding_format(&a->t, "# ", block, sizeof block);
    strf(out, cap,
         "# vpcert fuzz finding %s\n# %s# reproduce: vpcert replay %s\n",
         a->t.signature, block, show);
}

/* Text form of the reproducer, without the input's expect annotations
 * (fuzz_diff ignores them; `vpcert replay` would check them). */
static int write_text(const char *bin, const char *vpt, const char *show,
                      const struct replay *a) {
    struct program *p = malloc(sizeof *p);
    size_t len;
    char err[300];
    uint8_t *data = os_file_read(bin, &len, err, sizeof err);
    int rc = -1;
    if (p && data && prog_decode(data, len, p) == PROG_DECODE_OK) {
        for (uint32_t i = 0; i < p->nops; i++) {
            p->ops[i].expect = PROG_EX_NONE;
            p->ops[i].clause = UINT16_MAX;
        }
        char head[1500];
        text_head(a, show, head, sizeof head);
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

/* Has this signature been reported? Prints so, counts it and returns 1;
 * else 0. */
static int seen_before(struct triage *t, const char *name, unsigned k,
                       const struct replay *a) {
    for (unsigned i = 0; a->found && i < t->n; i++)
        if (t->item[i].found &&
            strcmp(t->item[i].t.signature, a->t.signature) == 0) {
            printf("\nFINDING %u: %s: same signature as FINDING %u (%s), not "
                   "minimized\n",
                   k, name, t->item[i].k, a->t.signature);
            t->item[i].occurrences++;
            return 1;
        }
    return 0;
}

/* Remember what was reported for `name` (b: its minimized replay). */
static void remember(struct triage *t, const char *name, unsigned k,
                     const struct replay *b) {
    if (t->n == TRIAGE_MAX_REPORTED)
        return;
    struct triage_item *it = &t->item[t->n++];
    memset(it, 0, sizeof *it);
    strf(it->name, sizeof it->name, "%s", name);
    it->k = k;
    it->found = b->found;
    it->t = b->t;
    strf(it->other, sizeof it->other, "%s", b->other);
    it->occurrences = 1;
}

/* Minimize crash into min, keeping the original when minimizing is not
 * possible or drifts to another finding; b is min's replay. */
static void shrink(const struct campaign *c, const char *name,
                   const char *crash, const char *min, const struct replay *a,
                   struct replay *b) {
    char err[300];
    if (minimizable(name) && !interrupt_seen()) {
        printf("vpcert fuzz: minimizing %s ...\n", name);
        fflush(stdout);
        minimize(c, crash, min, a->found ? a->t.signature : NULL);
    }
    if (!os_is_file(min))
        os_file_copy(crash, min, err, sizeof err); /* not minimizable */
    replay(c, min, b);
    if (a->found && (!b->found || strcmp(a->t.signature, b->t.signature))) {
        os_file_copy(crash, min, err, sizeof err); /* drifted: the original */
        *b = *a;
    }
}

/* What is printed for a finding: its block, or why there is none. */
static void print_what(const struct campaign *c, const char *name,
                       const char *crash, const struct replay *b) {
    char block[1024];
    if (b->found) {
        exec_finding_format(&b->t, "  ", block, sizeof block);
        printf("  %s", block);
    } else if (!minimizable(name)) {
        printf("  libFuzzer %s during the campaign; replayed alone: %s\n"
               "  (libFuzzer's report: %s/fuzz.log; reproduce: %s %s)\n",
               name[0] == 'o' ? "out-of-memory (-rss_limit_mb)" : "timeout",
               b->crashed ? b->other
                          : "it runs clean (the campaign's memory "
                            "or time grew over many inputs)",
               WORK_DIR, c->fuzzer, crash);
    } else {
        printf("  no vpcert finding, but fuzz_diff fails on it: %s\n"
               "  (libFuzzer's report: %s/fuzz.log; reproduce: %s %s)\n",
               b->other, WORK_DIR, c->fuzzer, crash);
    }
}

void triage_report(struct triage *t, const struct campaign *c, const char *name,
                   unsigned k) {
    char crash[PATH_MAX + 8], min[PATH_MAX + 16], vpt[PATH_MAX + 24];
    char show[PATH_MAX + 64];
    struct replay a, b;
    struct stat st0, st1;
    strf(crash, sizeof crash, "%s/%s", c->findings, name);
    strf(min, sizeof min, "%s.min", crash);
    strf(vpt, sizeof vpt, "%s.min.vpt", crash);
    strf(show, sizeof show, "%s/findings/%s.min.vpt", WORK_DIR, name);
    replay(c, crash, &a);
    if (seen_before(t, name, k, &a))
        return;
    shrink(c, name, crash, min, &a, &b);
    remember(t, name, k, &b);
    write_text(min, vpt, show, &b);
    if (stat(crash, &st0) != 0 || stat(min, &st1) != 0)
        st0.st_size = st1.st_size = 0;
    printf("\nFINDING %u: %s\n", k, name);
    print_what(c, name, crash, &b);
    printf("  reproducer: %s/findings/%s.min (%lld bytes, from %lld)\n"
           "  text form:  %s (vpcert replay|explain it)\n",
           WORK_DIR, name, (long long)st1.st_size, (long long)st0.st_size,
           show);
    fflush(stdout);
}
