/*
 * cmd_run: replay, conform, explain, decode, encode. Programs run in a
 * child process (unless --no-fork) so that a crash or a hang of the
 * implementation is reported and the next program runs.
 */
#include "child.h"
#include "clauses.h"
#include "cli.h"

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- file lists ---- */

struct files {
    char **v;   /* paths, malloc'd */
    size_t n;   /* count */
    size_t cap; /* capacity */
};

static int files_add(struct files *f, const char *path) {
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 64;
        char **v = realloc(f->v, cap * sizeof *v);
        if (!v)
            return -1;
        f->v = v;
        f->cap = cap;
    }
    f->v[f->n] = strdup(path);
    return f->v[f->n] ? (int)++f->n * 0 : -1;
}

static void files_free(struct files *f) {
    for (size_t i = 0; i < f->n; i++)
        free(f->v[i]);
    free(f->v);
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int skip_name(const char *n) {
    return n[0] == '.' || strncmp(n, "README", 6) == 0 ||
           (strlen(n) > 3 && strcmp(n + strlen(n) - 3, ".md") == 0) ||
           (strlen(n) > 4 && strcmp(n + strlen(n) - 4, ".txt") == 0) ||
           (strlen(n) > 4 && strcmp(n + strlen(n) - 4, ".ics") == 0);
}

static int collect(struct files *f, const char *path) {
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "vpcert: %s: %s\n", path, strerror(errno));
        return -1;
    }
    if (!S_ISDIR(st.st_mode))
        return files_add(f, path);
    DIR *d = opendir(path);
    if (!d) {
        fprintf(stderr, "vpcert: %s: %s\n", path, strerror(errno));
        return -1;
    }
    int rc = 0;
    for (struct dirent *e; rc == 0 && (e = readdir(d));) {
        if (skip_name(e->d_name))
            continue;
        char sub[4096];
        snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
        rc = collect(f, sub);
    }
    closedir(d);
    return rc;
}

static int collect_args(struct cli *c, struct files *f, const char *dflt) {
    memset(f, 0, sizeof *f);
    if (c->nargs == 0 && dflt)
        return collect(f, dflt);
    for (int i = 0; i < c->nargs; i++) {
        size_t before = f->n;
        if (collect(f, c->args[i]) != 0)
            return -1;
        qsort(f->v + before, f->n - before, sizeof *f->v, cmp_str);
    }
    if (c->nargs == 0) {
        fprintf(stderr, "vpcert: no program given (see vpcert --help)\n");
        return -1;
    }
    return 0;
}

/* ---- running one program ---- */

static void run_program(const struct cli *c, const struct program *p,
                        const struct impl *impl, struct child_result *run) {
    struct exec_options o;
    /* resident memory above 2 GiB is a runaway implementation (MEMORY) */
    struct child_limits lim = {c->timeout > 0 ? c->timeout : 10, 2048ull << 20,
                               c->no_fork};
    exec_options_default(&o);
    o.ics = c->ics;
    child_run(p, impl, &o, &lim, run);
}

static void print_finding(const char *path, const struct program *p,
                          const struct exec_finding *f) {
    char sig[160];
    exec_signature(f, sig, sizeof sig);
    const char *opname =
        f->op < p->nops ? prog_op_name(p->ops[f->op].code) : "end";
    printf("  [%s] %s at op %u (%s): expected %s; observed %s\n    %s\n    "
           "signature %s\n",
           f->clause, spec_level_name((enum spec_level)f->level), f->op, opname,
           f->expected, f->observed, f->detail, sig);
    (void)path;
}

static void print_run(const char *path, const struct program *p,
                      const struct child_result *run, int verbose) {
    if (run->out == CH_PASS && !verbose && run->r.nfindings == 0)
        return;
    printf("%-7s %s%s%s\n", child_outcome_name(run->out), path,
           run->what[0] ? ": " : "", run->what);
    if (run->out > CH_FAIL && run->out < CH_ERROR && run->clause)
        printf("  [%s] while running op %u (%s)\n", run->clause, run->op,
               run->op < p->nops ? prog_op_name(p->ops[run->op].code) : "end");
    if (run->out == CH_FAIL || run->out == CH_PASS)
        for (uint32_t i = 0; i < run->r.nfindings; i++)
            print_finding(path, p, &run->r.f[i]);
}

/* A run passes when it ended normally with no MUST finding. SHOULD
 * findings are printed but do not fail a replay. */
static int run_passed(const struct child_result *run) {
    return run->out == CH_PASS;
}

/* ---- replay ---- */

struct tally {
    unsigned skipped; /* vectors that do not apply under the ICS */
    unsigned passed;  /* programs that passed */
    unsigned failed;  /* programs with a MUST finding, crash or timeout */
    unsigned bad;     /* programs that could not be read */
};

static void replay_one(struct cli *c, const char *path, const struct impl *impl,
                       struct program *p, struct tally *t) {
    struct child_result run;
    if (cli_load_program(path, p) != 0) {
        t->bad++;
        return;
    }
    run_program(c, p, impl, &run);
    if (run_passed(&run))
        t->passed++;
    else
        t->failed++;
    if (!c->quiet)
        print_run(path, p, &run, c->verbose);
}

int cmd_replay(struct cli *c) {
    struct files f;
    struct impl impl;
    if (collect_args(c, &f, NULL) != 0) {
        files_free(&f);
        return 2;
    }
    struct program *p = malloc(sizeof *p);
    if (!p || cli_load_impl(c, &impl) != 0) {
        free(p);
        files_free(&f);
        return 2;
    }
    struct tally t = {0, 0, 0, 0};
    for (size_t i = 0; i < f.n; i++)
        replay_one(c, f.v[i], &impl, p, &t);
    printf("%u passed, %u failed%s", t.passed, t.failed, t.bad ? "" : "\n");
    if (t.bad)
        printf(", %u unreadable\n", t.bad);
    impl_unload(&impl);
    free(p);
    files_free(&f);
    return t.bad ? 2 : t.failed ? 1 : 0;
}

/* ---- conform: conformance vectors with a per-clause summary ---- */

struct clause_tally {
    unsigned vectors; /* vectors citing the clause */
    unsigned failed;  /* of those, failed; or a finding on this clause */
    unsigned warned;  /* SHOULD findings on this clause */
};

/* Clauses a vector cites: its expect clause= and its "# clauses:" lines. */
static void cite_clauses(const char *path, const struct program *p,
                         unsigned char *cited) {
    size_t n = spec_clause_count();
    memset(cited, 0, n);
    for (uint32_t i = 0; i < p->nops; i++)
        if (p->ops[i].clause != UINT16_MAX)
            cited[p->ops[i].clause] = 1;
    FILE *fp = fopen(path, "r");
    char line[512];
    while (fp && fgets(line, sizeof line, fp)) {
        if (strncmp(line, "# clauses:", 10) != 0)
            continue;
        for (char *tok = strtok(line + 10, " \t\r\n,"); tok;
             tok = strtok(NULL, " \t\r\n,")) {
            int k = spec_clause_index(tok);
            if (k >= 0)
                cited[k] = 1;
        }
    }
    if (fp)
        fclose(fp);
}

static void conform_tally(const struct child_result *run,
                          const unsigned char *cited, struct clause_tally *ct) {
    size_t n = spec_clause_count();
    for (size_t k = 0; k < n; k++) {
        if (!cited[k])
            continue;
        ct[k].vectors++;
        if (!run_passed(run))
            ct[k].failed++;
    }
    if (run->out > CH_FAIL && run->clause &&
        spec_clause_index(run->clause) >= 0 &&
        !cited[spec_clause_index(run->clause)])
        ct[spec_clause_index(run->clause)].failed++;
    for (uint32_t i = 0; run->out <= CH_FAIL && i < run->r.nfindings; i++) {
        int k = spec_clause_index(run->r.f[i].clause);
        if (k >= 0 && run->r.f[i].level == SPEC_SHOULD)
            ct[k].warned++;
        else if (k >= 0 && !cited[k])
            ct[k].failed++;
    }
}

static void conform_summary(const struct clause_tally *ct,
                            const struct tally *t, const struct ics *ics) {
    size_t n = spec_clause_count(), untested = 0, failed = 0;
    printf("\n%-11s %-6s %7s  %s\n", "clause", "level", "vectors", "result");
    for (size_t k = 0; k < n; k++) {
        const struct spec_clause *cl = spec_clause_at(k);
        const char *na = ics_not_applicable(ics, cl);
        const char *res = ct[k].failed    ? "FAIL"
                          : ct[k].warned  ? "WARN"
                          : na            ? "NOT-APPLICABLE"
                          : ct[k].vectors ? "PASS"
                                          : "-";
        untested += !na && !ct[k].vectors && !ct[k].failed;
        failed += ct[k].failed != 0;
        printf("%-11s %-6s %7u  %s\n", cl->id, spec_level_name(cl->level),
               ct[k].vectors, res);
    }
    printf(
        "\n%u vectors: %u passed, %u failed, %u not applicable under the ICS; "
        "%zu clauses failed; %zu applicable clauses without a vector here\n",
        t->passed + t->failed + t->skipped, t->passed, t->failed, t->skipped,
        failed, untested);
}

int cmd_conform(struct cli *c) {
    struct files f;
    struct impl impl;
    if (collect_args(c, &f, "corpus/conformance") != 0) {
        files_free(&f);
        return 2;
    }
    qsort(f.v, f.n, sizeof *f.v, cmp_str);
    struct program *p = malloc(sizeof *p);
    struct clause_tally *ct = calloc(spec_clause_count(), sizeof *ct);
    unsigned char *cited = malloc(spec_clause_count());
    int rc = !p || !ct || !cited || cli_load_impl(c, &impl) != 0 ? 2 : 0;
    struct tally t = {0, 0, 0, 0};
    if (rc == 0)
        printf("vpcert conform: %zu vectors against %s\n", f.n, impl.name);
    unsigned missing = rc == 0 ? impl_missing(&impl, ics_required(&c->ics)) : 0;
    if (missing) {
        ct[spec_clause_index("ICS-1")].failed++;
        printf("FAIL    [ICS-1] %s does not export everything its ICS "
               "declares:%s%s%s%s\n",
               impl.name,
               missing & SVC_ALLOCATE_POOL ? " VideoPortAllocatePool" : "",
               missing & SVC_FREE_POOL ? " VideoPortFreePool" : "",
               missing & SVC_DEVICE_START ? " VpcertDeviceStart" : "",
               missing & SVC_DEVICE_STOP ? " VpcertDeviceStop" : "");
    }
    for (size_t i = 0; rc == 0 && i < f.n; i++) {
        struct child_result run;
        if (cli_load_program(f.v[i], p) != 0) {
            t.bad++;
            continue;
        }
        cite_clauses(f.v[i], p, cited);
        if (!ics_vector_applies(&c->ics, p, cited)) {
            t.skipped++;
            if (c->verbose)
                printf("N/A     %s: rests on what the ICS does not declare\n",
                       f.v[i]);
            continue;
        }
        run_program(c, p, &impl, &run);
        run_passed(&run) ? t.passed++ : t.failed++;
        conform_tally(&run, cited, ct);
        if (!c->quiet)
            print_run(f.v[i], p, &run, c->verbose);
    }
    if (rc == 0) {
        conform_summary(ct, &t, &c->ics);
        impl_unload(&impl);
        rc = t.bad ? 2 : t.failed || missing ? 1 : 0;
    }
    free(cited);
    free(ct);
    free(p);
    files_free(&f);
    return rc;
}

/* ---- decode / encode / explain ---- */

static int one_arg(struct cli *c, const char *cmd) {
    if (c->nargs == 1)
        return 0;
    fprintf(stderr, "vpcert %s: takes exactly one FILE (see vpcert --help)\n",
            cmd);
    return -1;
}

int cmd_decode(struct cli *c) {
    struct program *p = malloc(sizeof *p);
    if (!p || one_arg(c, "decode") != 0 ||
        cli_load_program(c->args[0], p) != 0) {
        free(p);
        return 2;
    }
    size_t n = prog_text_write(p, NULL, 0);
    char *text = malloc(n + 1);
    int rc = 2;
    if (text) {
        prog_text_write(p, text, n + 1);
        rc = c->out_path ? (cli_write_file(c->out_path, text, n) ? 2 : 0)
                         : (fwrite(text, 1, n, stdout) == n ? 0 : 2);
    }
    free(text);
    free(p);
    return rc;
}

int cmd_encode(struct cli *c) {
    struct program *p = malloc(sizeof *p);
    if (!p || one_arg(c, "encode") != 0 ||
        cli_load_program(c->args[0], p) != 0) {
        free(p);
        return 2;
    }
    size_t n = prog_encode(p, NULL, 0);
    uint8_t *bin = malloc(n);
    int rc = 2;
    if (bin) {
        prog_encode(p, bin, n);
        if (c->out_path)
            rc = cli_write_file(c->out_path, bin, n) ? 2 : 0;
        else if (isatty(STDOUT_FILENO))
            fprintf(stderr, "vpcert encode: refusing to write binary to a "
                            "terminal; use -o FILE\n");
        else
            rc = fwrite(bin, 1, n, stdout) == n ? 0 : 2;
    }
    free(bin);
    free(p);
    return rc;
}
