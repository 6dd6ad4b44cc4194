/*
 * certify_repro: clause k's standalone C reproducer, reproducers/ID.c,
 * and reproducers/build.sh, which builds every ID.c there into the
 * executable ID against the library under test and libvpcert_repro.so.
 * The minimized program runs once more in a child process of the runner
 * (runner.h) with the executor's trace on, recorded into memory shared
 * with the child (c->trace, mapped before the runner started, so a crash
 * or a hang loses nothing recorded); repro_c.c writes the record as C.
 * When no C reproducer can be written, c_note says why.
 */
#include "certify.h"

#include "clauses.h"
#include "os.h"
#include "repro_c.h"
#include "strf.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define TRACE_CAP (1u << 16) /* records kept (REPRO_C_MAX_CALLS calls fit) */

struct trace_buf {
    size_t n;                         /* records */
    int overflow;                     /* more than TRACE_CAP were made */
    struct exec_trace rec[TRACE_CAP]; /* them */
};

size_t cert_trace_size(void) {
    return sizeof(struct trace_buf);
}

static void on_trace(void *ctx, const struct exec_trace *t) {
    struct trace_buf *b = ctx;
    if (b->n < TRACE_CAP)
        b->rec[b->n++] = *t;
    else
        b->overflow = 1;
}

/* The sanitizers a library was built with, from its imports: a
 * reproducer linked against it must link their runtimes too. */
struct sanitizers {
    int asan;  /* imports __asan_* */
    int ubsan; /* imports __ubsan_* */
};

static void on_import(void *ctx, const char *name) {
    struct sanitizers *s = ctx;
    s->asan |= strncmp(name, "__asan_", 7) == 0;
    s->ubsan |= strncmp(name, "__ubsan_", 8) == 0;
}

/* "-fsanitize=..." for lib, or "". */
static const char *sanitize_flags(const char *lib) {
    struct sanitizers s = {0, 0};
    if (impl_elf_imports(lib, on_import, &s) != 0)
        return "";
    return s.asan && s.ubsan ? "-fsanitize=address,undefined"
           : s.asan          ? "-fsanitize=address"
           : s.ubsan         ? "-fsanitize=undefined"
                             : "";
}

/* reproducers/build.sh: every ID.c of its directory into ID, against
 * lib, or against the library its argument names (a fixed build, another
 * implementation). */
static int write_build_sh(const struct cert_run *c, const struct where_repro *w,
                          const char *lib, const char *sanitize) {
    struct sbuf b = {0};
    char dir[PATH_MAX + 16], path[PATH_MAX + 32];
    sb_add(&b, "#!/bin/sh\n# Builds each CLAUSE.c of this directory into the "
               "executable CLAUSE beside it,\n# against the library under test "
               "and vpcert's kernel stand-in (libvpcert_repro.so).\n"
               "# usage: build.sh [LIB.so]   (default: the library certified)\n"
               "# CC chooses the compiler (default cc); CFLAGS are added.\n"
               "# Written by vpcert certify.\nset -eu\nlib=${1:-");
    repro_c_sh_quote(&b, lib);
    sb_add(&b, "}\ncase $lib in /*) ;; *) lib=$PWD/$lib ;; esac\n"
               "libdir=$(dirname \"$lib\")\ncd \"$(dirname \"$0\")\"\n"
               "CC=${CC:-cc}\nfor src in *.c; do\n  [ -e \"$src\" ] || "
               "continue\n  exe=${src%%.c}\n  $CC ${CFLAGS:-} ");
    repro_c_build_line(w, sanitize, "\"$lib\"", "\"$libdir\"", "\"$src\"",
                       "\"$exe\"", &b);
    sb_add(&b, "\n  echo \"built $exe\"\ndone\n");
    snprintf(dir, sizeof dir, "%s/reproducers", c->cfg.stage);
    snprintf(path, sizeof path, "%s/build.sh", dir);
    return sb_write(&b, dir, "build.sh") == 0 ? chmod(path, 0755) : -1;
}

/* Run the minimized program p of clause k again, recording into b. */
static int record(struct cert_run *c, size_t k, const struct program *p,
                  struct trace_buf *b) {
    struct exec_options o;
    struct child_result res;
    const struct cert_case *cs = &c->cases[c->clauses[k].first_case];
    cert_case_options(c, cs, &o);
    o.on_trace = on_trace;
    o.trace_ctx = b;
    runner_one(&c->runner, p, &o, &res);
    return res.out != CH_PASS && res.out != CH_FAIL && res.out != CH_ERROR &&
           res.clause && strcmp(res.clause, spec_clause_at(k)->id) == 0;
}

void cert_write_c_reproducer(struct cert_run *c, size_t k,
                             const struct program *p) {
    struct cert_clause *g = &c->clauses[k];
    const char *id = spec_clause_at(k)->id;
    struct where_repro w;
    char lib[PATH_MAX], name[32], vpt[32];
    if (c->cfg.ics.thread_safe && prog_threads(p) > 1) {
        /* a standalone C program makes its calls one after the other: it
         * cannot replay an interleaving (the .vpt reproducer does) */
        snprintf(g->c_note, sizeof g->c_note,
                 "not supported for a concurrent program: replay %s.vpt "
                 "(it carries its schedule)",
                 id);
        return;
    }
    if (where_repro(&w) != 0 || os_path_abs(c->cfg.lib, lib) != 0) {
        snprintf(g->c_note, sizeof g->c_note,
                 "libvpcert_repro.so not found beside vpcert");
        return;
    }
    struct trace_buf *b = c->trace;
    if (!b || c->trace_len < sizeof *b)
        return;
    b->n = 0;
    b->overflow = 0;
    int crashed = record(c, k, p, b);
    snprintf(name, sizeof name, "%s.c", id);
    snprintf(vpt, sizeof vpt, "%s.vpt", id);
    struct exec_options o;
    exec_options_default(&o);
    struct repro_c_input in = {.clause = id,
                               .p = p,
                               .t = b->rec,
                               .n = b->n,
                               .crashed = crashed,
                               .c_name = name,
                               .lib = lib,
                               .sha256 = c->sha256,
                               .case_name = c->cases[g->first_case].name,
                               .vpt = vpt,
                               .expected = g->expected,
                               .observed = g->observed,
                               .seconds = c->cfg.case_seconds,
                               .rss_limit = c->cfg.case_rss,
                               .write_limit = o.write_limit,
                               .w = &w,
                               .sanitize = sanitize_flags(lib)};
    struct sbuf text = {0};
    char dir[PATH_MAX + 16];
    snprintf(dir, sizeof dir, "%s/reproducers", c->cfg.stage);
    if (repro_c_write(&in, &text, g->c_note, sizeof g->c_note) != 0) {
        sb_free(&text);
    } else if (sb_write(&text, dir, name) == 0 &&
               write_build_sh(c, &w, lib, in.sanitize) == 0 &&
               strf(g->c_reproducer, sizeof g->c_reproducer,
                    "%s/reproducers/%s", c->cfg.out_dir, name) != 0) {
        g->c_reproducer[0] = 0; /* a report directory too long to name */
    }
}
