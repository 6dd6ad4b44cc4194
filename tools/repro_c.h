/*
 * repro_c: a standalone C reproducer from a recorded run (the executor's
 * trace, exec.h): every call into the implementation in the recorded
 * order with the recorded sizes, devices, IRQLs and injections, the
 * contents vpcert wrote, and at the point where vpcert found the clause,
 * the check it made there, written in C over the reproducer runtime
 * (harness/repro/repro.h). Pure: text in, text out.
 */
#ifndef VPCERT_REPRO_C_H
#define VPCERT_REPRO_C_H

#include "exec.h"
#include "sbuf.h"
#include "where.h"

#define REPRO_C_MAX_CALLS 20000u /* calls a C reproducer makes at most */

struct repro_c_input {
    const char *clause;         /* the clause reproduced */
    const struct program *p;    /* the program the run ran */
    const struct exec_trace *t; /* what the run did, in order */
    size_t n;                   /* records */
    int crashed;           /* the run ended in its last call (crash, hang, exit,
                              memory) charged to the clause */
    const char *c_name;    /* the file's name, e.g. "QU-2.c" */
    const char *lib;       /* the library under test, absolute */
    const char *sha256;    /* of the library */
    const char *case_name; /* the case the program was minimized from */
    const char *vpt;       /* the text reproducer's name, "QU-2.vpt" */
    const char *expected;  /* the finding: what was expected */
    const char *observed;  /* and what was seen */
    double seconds;        /* per-call time limit */
    uint64_t rss_limit;    /* resident memory limit */
    uint64_t write_limit;  /* the executor's write limit */
    const struct where_repro *w; /* what it is built with */
    const char *sanitize;        /* -fsanitize= flags the library needs
                                    ("" for none) */
};

/* s in single quotes, one word for sh ('\'' for a quote in it). */
void repro_c_sh_quote(struct sbuf *b, const char *s);
/* The compiler's arguments that build source src into executable exe
 * against lib, whose directory is libdir, as a reproducer's opening comment
 * and reproducers/build.sh give them. sanitize: the -fsanitize= flags the
 * library needs, "" for none; lib, libdir, src and exe: words for sh,
 * quoted as needed. */
void repro_c_build_line(const struct where_repro *w, const char *sanitize,
                        const char *lib, const char *libdir, const char *src,
                        const char *exe, struct sbuf *out);
/* The C program. 0; -1 with the reason in why when the run cannot be
 * written as one (a clause checked where no C check is written, a
 * record missing, too many calls). */
int repro_c_write(const struct repro_c_input *in, struct sbuf *out, char *why,
                  size_t cap);

#endif /* VPCERT_REPRO_C_H */
