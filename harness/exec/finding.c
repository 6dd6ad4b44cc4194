/* finding: one writer and one reader of a finding's text block. */
#include "finding.h"

#include "clauses.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEP_OBSERVED "; observed "  /* between expected and observed */
#define SEP_AT " at op "            /* between level and op index */
#define SEP_EXPECTED "): expected " /* after the op name */
#define LEN(lit) (sizeof(lit) - 1)  /* length of a string literal */

void exec_finding_describe(const struct exec_finding *f,
                           const struct program *p,
                           struct exec_finding_text *t) {
    memset(t, 0, sizeof *t);
    t->f = *f;
    snprintf(t->op_name, sizeof t->op_name, "%s",
             f->op < p->nops ? prog_op_name(p->ops[f->op].code) : "end");
    exec_signature(f, t->signature, sizeof t->signature);
}

/* src with control characters as spaces (and, when guard_sep, the
 * separator after the expected text defused), into dst. */
static void clean(char *dst, size_t cap, const char *src, int guard_sep) {
    size_t n = 0;
    for (; *src && n + 1 < cap; src++, n++) {
        int sep =
            guard_sep && strncmp(src, SEP_OBSERVED, LEN(SEP_OBSERVED)) == 0;
        dst[n] = (unsigned char)*src < 0x20 || *src == 0x7f ? ' '
                 : sep                                      ? ','
                                                            : *src;
    }
    dst[n] = 0;
}

size_t exec_finding_format(const struct exec_finding_text *t,
                           const char *indent, char *out, size_t cap) {
    const struct exec_finding *f = &t->f;
    char clause[sizeof f->clause], op[sizeof t->op_name];
    char exp[sizeof f->expected], obs[sizeof f->observed];
    char det[sizeof f->detail], sig[sizeof t->signature];
    clean(clause, sizeof clause, f->clause, 0);
    clean(op, sizeof op, t->op_name, 0);
    clean(exp, sizeof exp, f->expected, 1);
    clean(obs, sizeof obs, f->observed, 0);
    clean(det, sizeof det, f->detail, 0);
    clean(sig, sizeof sig, t->signature, 0);
    int n = snprintf(out, cap,
                     "[%s] %s" SEP_AT "%u (%s" SEP_EXPECTED "%s" SEP_OBSERVED
                     "%s\n%s%s\n%ssignature %s\n",
                     clause, spec_level_name((enum spec_level)f->level),
                     (unsigned)f->op, op, exp, obs, indent, det, indent, sig);
    return n < 0 ? 0 : (size_t)n;
}

/* Copy [from, to) into a field of cap bytes; -1 when it does not fit. */
static int field(char *dst, size_t cap, const char *from, const char *to) {
    if (!to || (size_t)(to - from) >= cap)
        return -1;
    memcpy(dst, from, (size_t)(to - from));
    dst[to - from] = 0;
    return 0;
}

/* The level named by [s, e), or -1. */
static int level_named(const char *s, const char *e) {
    for (int l = SPEC_MUST; l <= SPEC_MAY; l++) {
        const char *name = spec_level_name((enum spec_level)l);
        if ((size_t)(e - s) == strlen(name) && !strncmp(s, name, strlen(name)))
            return l;
    }
    return -1;
}

/* The head line: "[CLAUSE] LEVEL at op N (NAME): expected E; observed O".
 * 0, or -1. */
static int parse_head(const char *s, const char *eol,
                      struct exec_finding_text *t) {
    struct exec_finding *f = &t->f;
    const char *close = memchr(s, ']', (size_t)(eol - s));
    if (*s != '[' || field(f->clause, sizeof f->clause, s + 1, close) ||
        close[1] != ' ')
        return -1;
    const char *lv = close + 2, *at = strstr(lv, SEP_AT);
    if (!at || at > eol || (f->level = level_named(lv, at)) < 0)
        return -1;
    char *num_end;
    const char *num = at + LEN(SEP_AT);
    unsigned long op = strtoul(num, &num_end, 10);
    if (!isdigit((unsigned char)*num) || op > UINT32_MAX ||
        strncmp(num_end, " (", 2))
        return -1;
    f->op = (uint32_t)op;
    const char *name = num_end + 2, *exp = strstr(name, SEP_EXPECTED);
    if (!exp || exp > eol || field(t->op_name, sizeof t->op_name, name, exp))
        return -1;
    exp += LEN(SEP_EXPECTED);
    const char *obs = strstr(exp, SEP_OBSERVED);
    if (!obs || obs > eol || field(f->expected, sizeof f->expected, exp, obs))
        return -1;
    return field(f->observed, sizeof f->observed, obs + LEN(SEP_OBSERVED), eol);
}

/* An indented line "INDENTprefixVALUE" into dst; returns the next line,
 * or NULL. */
static const char *parse_line(const char *s, const char *indent,
                              const char *prefix, char *dst, size_t cap) {
    size_t il = strlen(indent), pl = strlen(prefix);
    const char *eol = strchr(s, '\n');
    if (!eol || strncmp(s, indent, il) || strncmp(s + il, prefix, pl) ||
        field(dst, cap, s + il + pl, eol))
        return NULL;
    return eol + 1;
}

int exec_finding_parse(const char *text, const char *indent,
                       struct exec_finding_text *t, const char **end) {
    memset(t, 0, sizeof *t);
    const char *eol = strchr(text, '\n');
    if (!eol || parse_head(text, eol, t) != 0)
        return -1;
    const char *s =
        parse_line(eol + 1, indent, "", t->f.detail, sizeof t->f.detail);
    s = s ? parse_line(s, indent, "signature ", t->signature,
                       sizeof t->signature)
          : NULL;
    if (!s)
        return -1;
    if (end)
        *end = s;
    return 0;
}
