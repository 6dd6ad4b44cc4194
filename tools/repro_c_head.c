/*
 * repro_c_head: a C reproducer's opening comment (the clause, the library,
 * the finding, the build line, how to run and debug it) and the build line
 * it shares with reproducers/build.sh.
 */
#include "repro_gen.h"

#include "clauses.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

void repro_c_sh_quote(struct sbuf *b, const char *s) {
    sb_add(b, "'");
    for (; *s; s++)
        sb_add(b, *s == '\'' ? "'\\''" : "%c", *s);
    sb_add(b, "'");
}

void repro_c_build_line(const struct where_repro *w, const char *sanitize,
                        const char *lib, const char *libdir, const char *src,
                        const char *exe, struct sbuf *out) {
    sb_add(out, "-std=c11 -g -O0%s%s", *sanitize ? " " : "", sanitize);
    for (unsigned i = 0; i < w->ninclude; i++) {
        sb_add(out, " -I");
        repro_c_sh_quote(out, w->include[i]);
    }
    sb_add(out, " %s -o %s %s -L", src, exe, lib);
    repro_c_sh_quote(out, w->libdir);
    sb_add(out, " -lvpcert_repro -Wl,-rpath,");
    repro_c_sh_quote(out, w->libdir);
    sb_add(out, " -Wl,-rpath,%s", libdir);
}

/* A byte string fit for a C comment: printable, no comment end. */
static void comment_text(struct sbuf *b, const char *s) {
    for (; *s; s++)
        sb_add(b, "%c",
               (unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7F ||
                       (*s == '*' && s[1] == '/')
                   ? '?'
                   : *s);
}

/* The build line of the file: in->c_name into exe against in->lib. */
static void build_line(const struct repro_c_input *in, const char *exe,
                       struct sbuf *line) {
    struct sbuf lib = {0}, libdir = {0};
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", in->lib);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = 0;
    repro_c_sh_quote(&lib, in->lib);
    repro_c_sh_quote(&libdir, slash ? dir : ".");
    repro_c_build_line(in->w, in->sanitize, lib.p ? lib.p : "",
                       libdir.p ? libdir.p : "", in->c_name, exe, line);
    sb_free(&lib);
    sb_free(&libdir);
}

void repro_gen_head(const struct repro_gen *g) {
    const struct repro_c_input *in = g->in;
    const struct spec_clause *cl = spec_clause_find(in->clause);
    struct sbuf line = {0};
    char exe[64];
    snprintf(exe, sizeof exe, "%.*s", (int)strlen(in->c_name) - 2, in->c_name);
    build_line(in, exe, &line);
    sb_add(g->b, "/*\n * vpcert C reproducer of %s (%s): ", in->clause,
           spec_level_name(cl->level));
    comment_text(g->b, cl->title);
    sb_add(g->b,
           "\n * (SPEC.md, section \"%s (%s)\").\n *\n * library: ", in->clause,
           spec_level_name(cl->level));
    comment_text(g->b, in->lib);
    sb_add(g->b, "\n *          sha256 %s\n * from case: ", in->sha256);
    comment_text(g->b, in->case_name);
    sb_add(g->b, ", minimized to %s\n * expected: ", in->vpt);
    comment_text(g->b, in->expected);
    sb_add(g->b, "\n * observed: ");
    comment_text(g->b, in->observed);
    sb_add(g->b,
           "\n *\n * The calls vpcert made, in its order, with its sizes, "
           "devices, IRQLs and\n * injections; then the check it made where it "
           "found %s.\n *\n * Build (reproducers/build.sh does this, "
           "CC=clang or CC=gcc to choose):\n *   cc ",
           in->clause);
    if (line.p)
        comment_text(g->b, line.p);
    sb_free(&line);
    sb_add(g->b,
           "\n * Run: ./%s   exit 1 and \"%s: ...\" on stderr when the finding "
           "recurs,\n *   0 when it does not, 3 when the run ends first for "
           "another reason.\n * Debug: gdb ./%s, then break repro_found (no "
           "time limit under a debugger).\n */\n",
           exe, in->clause, exe);
}
