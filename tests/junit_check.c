/*
 * junit_check: an independent check of certify's junit.xml.
 *
 *   junit_check junit.xml [--report report.json]
 *
 * Checks: the file is well-formed XML 1.0 in UTF-8 (elements nest and
 * close, attributes are quoted and distinct, every '&' starts a known
 * entity or a character reference to a character XML allows, no control
 * characters); the root is <testsuites>; it and each <testsuite> carry
 * tests, failures, errors, skipped (integers) and time (a decimal), and
 * each count is what the elements say: tests the <testcase> children,
 * failures those holding a <failure>, errors an <error>, skipped a
 * <skipped>, the root the sums over its suites; each <testcase> has a
 * name, a classname and a time, holds at most one of failure, error and
 * skipped, and the testcases' times add up to at most their suite's
 * (rounding allowed). With --report (the same run's report.json): one
 * testcase per clause, named "ID (LEVEL)", a <failure> of type FAIL or
 * WARN exactly for FAIL and WARN, <error> for INCONCLUSIVE, <skipped> for
 * NOT-APPLICABLE, nothing for PASS. Exit 0 when all hold; else 1 and one
 * line per problem.
 */
#include "json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int problems;

static void bad(const char *where, const char *why) {
    printf("junit_check: %s: %s\n", where, why);
    problems++;
}

struct xml {
    char *name;        /* element name */
    size_t nattr;      /* attributes */
    char **attr;       /* names */
    char **value;      /* values, references resolved */
    size_t n;          /* child elements */
    struct xml **kids; /* them */
};

struct xreader {
    const char *s; /* text */
    size_t len;    /* length */
    size_t at;     /* next byte */
    int failed;    /* a syntax error was reported */
};

static int xfail(struct xreader *r, const char *why) {
    if (!r->failed)
        printf("junit_check: offset %zu: not well-formed XML: %s\n", r->at,
               why);
    r->failed = 1;
    problems++;
    return -1;
}

/* The code point of the UTF-8 character at r->at (its length in *n), or
 * -1 when it is not well-formed UTF-8 or not an XML 1.0 Char. */
static long xchar(const struct xreader *r, size_t *n) {
    const unsigned char *p = (const unsigned char *)r->s + r->at;
    size_t left = r->len - r->at, k = p[0] < 0x80   ? 1
                                      : p[0] < 0xC2 ? 0
                                      : p[0] < 0xE0 ? 2
                                      : p[0] < 0xF0 ? 3
                                      : p[0] < 0xF5 ? 4
                                                    : 0;
    long cp = k == 1 ? p[0] : k ? p[0] & (0x7F >> k) : -1;
    if (!k || left < k)
        return -1;
    for (size_t i = 1; i < k; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return -1;
        cp = cp << 6 | (p[i] & 0x3F);
    }
    static const long min[5] = {0, 0, 0x80, 0x800, 0x10000};
    *n = k;
    if (cp < min[k] || cp > 0x10FFFF)
        return -1;
    int ok = cp == 0x9 || cp == 0xA || cp == 0xD ||
             (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) ||
             cp >= 0x10000;
    return ok ? cp : -1;
}

static int is_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
           c == ':';
}

static char *xname(struct xreader *r) {
    size_t start = r->at;
    while (r->at < r->len && is_name_char(r->s[r->at]))
        r->at++;
    if (r->at == start) {
        xfail(r, "expected a name");
        return NULL;
    }
    char *n = malloc(r->at - start + 1);
    memcpy(n, r->s + start, r->at - start);
    n[r->at - start] = 0;
    return n;
}

/* A reference after '&' into out (*n bytes so far). */
static int reference(struct xreader *r, char *out, size_t *n) {
    static const char *const names[] = {"lt;", "gt;", "amp;", "quot;", "apos;"};
    static const char chars[] = "<>&\"'";
    for (int i = 0; i < 5; i++)
        if (!strncmp(r->s + r->at, names[i], strlen(names[i]))) {
            r->at += strlen(names[i]);
            out[(*n)++] = chars[i];
            return 0;
        }
    long cp = -1;
    char *end = NULL;
    if (r->s[r->at] == '#')
        cp = r->s[r->at + 1] == 'x' ? strtol(r->s + r->at + 2, &end, 16)
                                    : strtol(r->s + r->at + 1, &end, 10);
    int ok =
        end && *end == ';' && end > r->s + r->at + 1 &&
        (cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
         (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF));
    if (!ok)
        return xfail(r, "bad reference");
    r->at = (size_t)(end - r->s) + 1;
    out[(*n)++] = cp < 0x80 ? (char)cp : '?'; /* only the count matters */
    return 0;
}

/* Characters up to stop (not included); '<' never allowed when attr. */
static int chars(struct xreader *r, char stop, int attr, char **out) {
    char *buf = malloc(r->len - r->at + 1);
    size_t n = 0, k;
    while (r->at < r->len && r->s[r->at] != stop) {
        if (r->s[r->at] == '<' && attr) {
            free(buf);
            return xfail(r, "'<' in an attribute value");
        }
        if (r->s[r->at] == '&') {
            r->at++;
            if (reference(r, buf, &n) != 0) {
                free(buf);
                return -1;
            }
            continue;
        }
        if (xchar(r, &k) < 0) {
            free(buf);
            return xfail(r, "not UTF-8 or not an XML character");
        }
        memcpy(buf + n, r->s + r->at, k);
        n += k;
        r->at += k;
    }
    buf[n] = 0;
    *out = buf;
    return 0;
}

static void blanks(struct xreader *r) {
    while (r->at < r->len && strchr(" \t\r\n", r->s[r->at]) && r->s[r->at])
        r->at++;
}

static void xml_free(struct xml *e) {
    for (size_t i = 0; e && i < e->nattr; i++) {
        free(e->attr[i]);
        free(e->value[i]);
    }
    for (size_t i = 0; e && i < e->n; i++)
        xml_free(e->kids[i]);
    if (e) {
        free(e->attr);
        free(e->value);
        free(e->kids);
        free(e->name);
    }
    free(e);
}

static int attributes(struct xreader *r, struct xml *e) {
    for (;;) {
        blanks(r);
        if (r->at >= r->len || r->s[r->at] == '>' || r->s[r->at] == '/')
            return 0;
        char *name = xname(r), *val = NULL;
        if (!name)
            return -1;
        blanks(r);
        char q = r->at + 1 < r->len && r->s[r->at] == '=' ? r->s[r->at + 1] : 0;
        r->at += 2;
        if ((q != '"' && q != '\'') || chars(r, q, 1, &val) != 0 ||
            r->at >= r->len) {
            free(name);
            return xfail(r, "bad attribute");
        }
        r->at++;
        for (size_t i = 0; i < e->nattr; i++)
            if (!strcmp(e->attr[i], name))
                xfail(r, "attribute given twice");
        e->attr = realloc(e->attr, (e->nattr + 1) * sizeof *e->attr);
        e->value = realloc(e->value, (e->nattr + 1) * sizeof *e->value);
        e->attr[e->nattr] = name;
        e->value[e->nattr++] = val;
    }
}

/* Skip a comment or processing instruction at r->at; 1 if there was one. */
static int skip_misc(struct xreader *r) {
    const char *end = NULL;
    if (!strncmp(r->s + r->at, "<!--", 4))
        end = strstr(r->s + r->at + 4, "-->");
    else if (!strncmp(r->s + r->at, "<?", 2))
        end = strstr(r->s + r->at + 2, "?>");
    else
        return 0;
    if (!end)
        return xfail(r, "unterminated comment"), 0;
    r->at = (size_t)(end - r->s) + (end[0] == '-' ? 3 : 2);
    return 1;
}

static struct xml *element(struct xreader *r, int depth) {
    struct xml *e = calloc(1, sizeof *e);
    r->at++; /* '<' */
    if (depth > 32 || !(e->name = xname(r)) || attributes(r, e) != 0) {
        xml_free(e);
        return NULL;
    }
    if (r->s[r->at] == '/') {
        if (r->at + 1 >= r->len || r->s[r->at + 1] != '>')
            return xfail(r, "bad empty element"), xml_free(e), NULL;
        r->at += 2;
        return e;
    }
    r->at++; /* '>' */
    for (;;) {
        char *text;
        if (chars(r, '<', 0, &text) != 0 || r->at >= r->len) {
            xfail(r, "element not closed");
            xml_free(e);
            return NULL;
        }
        free(text);
        if (skip_misc(r))
            continue;
        if (!strncmp(r->s + r->at, "</", 2)) {
            r->at += 2;
            size_t n = strlen(e->name);
            if (strncmp(r->s + r->at, e->name, n) || r->s[r->at + n] != '>') {
                xfail(r, "end tag does not match");
                xml_free(e);
                return NULL;
            }
            r->at += n + 1;
            return e;
        }
        struct xml *k = element(r, depth + 1);
        if (!k) {
            xml_free(e);
            return NULL;
        }
        e->kids = realloc(e->kids, (e->n + 1) * sizeof *e->kids);
        e->kids[e->n++] = k;
    }
}

static struct xml *document(const char *text, size_t len) {
    struct xreader r = {text, len, 0, 0};
    struct xml *root = NULL;
    if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
        r.at = 3;
    for (;;) {
        blanks(&r);
        if (r.at >= len || r.failed)
            break;
        if (skip_misc(&r))
            continue;
        if (r.s[r.at] != '<' || root) {
            xfail(&r, root ? "content after the root" : "no root element");
            break;
        }
        if (!(root = element(&r, 0)))
            break;
    }
    if (r.failed || !root) {
        if (!r.failed)
            xfail(&r, "no root element");
        xml_free(root);
        return NULL;
    }
    return root;
}

static const char *attr(const struct xml *e, const char *name) {
    for (size_t i = 0; i < e->nattr; i++)
        if (!strcmp(e->attr[i], name))
            return e->value[i];
    return NULL;
}

/* Attribute name as a count (a non-negative integer), -1 when not. */
static long count_attr(const struct xml *e, const char *name) {
    const char *v = attr(e, name);
    char *end;
    long n = v && *v >= '0' && *v <= '9' ? strtol(v, &end, 10) : -1;
    if (n < 0 || *end) {
        bad(e->name, name);
        return -1;
    }
    return n;
}

static double time_attr(const struct xml *e, const char *where) {
    const char *v = attr(e, "time");
    char *end;
    double t = v && *v >= '0' && *v <= '9' ? strtod(v, &end) : -1;
    if (t < 0 || *end) {
        bad(where, "no time, or a time that is not a non-negative decimal");
        return 0;
    }
    return t;
}

static const struct xml *child(const struct xml *e, const char *name) {
    for (size_t i = 0; i < e->n; i++)
        if (!strcmp(e->kids[i]->name, name))
            return e->kids[i];
    return NULL;
}

enum { C_TESTS, C_FAILURES, C_ERRORS, C_SKIPPED, C_N };
static const char *const count_names[C_N] = {"tests", "failures", "errors",
                                             "skipped"};

static void counts_match(const struct xml *e, const long got[C_N]) {
    for (int i = 0; i < C_N; i++)
        if (count_attr(e, count_names[i]) != got[i]) {
            char why[96];
            snprintf(why, sizeof why, "%s=\"%s\" but the elements give %ld",
                     count_names[i],
                     attr(e, count_names[i]) ? attr(e, count_names[i]) : "",
                     got[i]);
            bad(e->name, why);
        }
}

static void testcase(const struct xml *tc, long got[C_N], double *sum) {
    const char *name = attr(tc, "name");
    int held = 0;
    if (!name || !attr(tc, "classname"))
        bad("testcase", "no name or classname");
    *sum += time_attr(tc, name ? name : "testcase");
    got[C_TESTS]++;
    for (size_t i = 0; i < tc->n; i++) {
        const char *k = tc->kids[i]->name;
        int which = !strcmp(k, "failure")   ? C_FAILURES
                    : !strcmp(k, "error")   ? C_ERRORS
                    : !strcmp(k, "skipped") ? C_SKIPPED
                                            : -1;
        if (which >= 0) {
            got[which]++;
            held++;
        } else if (strcmp(k, "system-out") && strcmp(k, "system-err"))
            bad(name ? name : "testcase", "unknown child element");
    }
    if (held > 1)
        bad(name ? name : "testcase", "more than one of failure/error/skipped");
}

static void suite(const struct xml *s, long total[C_N]) {
    long got[C_N] = {0, 0, 0, 0};
    double sum = 0, t = time_attr(s, "testsuite");
    size_t cases = 0;
    if (!attr(s, "name"))
        bad("testsuite", "no name");
    for (size_t i = 0; i < s->n; i++) {
        const char *k = s->kids[i]->name;
        if (!strcmp(k, "testcase")) {
            testcase(s->kids[i], got, &sum);
            cases++;
        } else if (strcmp(k, "properties") && strcmp(k, "system-out") &&
                   strcmp(k, "system-err")) {
            bad("testsuite", "unknown child element");
        }
    }
    counts_match(s, got);
    if (sum > t + 0.0005 * (double)cases + 1e-9)
        bad("testsuite", "its testcases' times add up to more than its time");
    for (int i = 0; i < C_N; i++)
        total[i] += got[i];
}

/* The testcases against report.json's clauses. */
static void against_report(const struct xml *root, const struct json *rep) {
    const struct json *clauses = json_get(rep, "clauses");
    size_t ncases = 0;
    for (size_t i = 0; i < root->n; i++)
        for (size_t j = 0; j < root->kids[i]->n; j++)
            ncases += !strcmp(root->kids[i]->kids[j]->name, "testcase");
    if (!clauses || clauses->n != ncases)
        bad("report.json", "not one testcase per clause");
    for (size_t c = 0; clauses && c < clauses->n; c++) {
        const struct json *cl = &clauses->items[c];
        const char *id = json_str(json_get(cl, "id"));
        const char *lv = json_str(json_get(cl, "level"));
        const char *v = json_str(json_get(cl, "verdict"));
        char name[64];
        const struct xml *tc = NULL;
        snprintf(name, sizeof name, "%s (%s)", id ? id : "?", lv ? lv : "?");
        for (size_t i = 0; !tc && i < root->n; i++)
            for (size_t j = 0; !tc && j < root->kids[i]->n; j++)
                if (attr(root->kids[i]->kids[j], "name") &&
                    !strcmp(attr(root->kids[i]->kids[j], "name"), name))
                    tc = root->kids[i]->kids[j];
        if (!tc || !v) {
            bad(name, "no testcase for the clause");
            continue;
        }
        const struct xml *f = child(tc, "failure");
        int want_f = !strcmp(v, "FAIL") || !strcmp(v, "WARN");
        if (want_f != (f != NULL) ||
            (f && (!attr(f, "type") || strcmp(attr(f, "type"), v))) ||
            !strcmp(v, "INCONCLUSIVE") != (child(tc, "error") != NULL) ||
            !strcmp(v, "NOT-APPLICABLE") != (child(tc, "skipped") != NULL))
            bad(name, "its element does not match its verdict");
    }
}

static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    char *buf = malloc(64u << 20);
    *len = f && buf ? fread(buf, 1, (64u << 20) - 1, f) : 0;
    if (f)
        fclose(f);
    if (!f || !buf) {
        free(buf);
        return NULL;
    }
    buf[*len] = 0;
    return buf;
}

int main(int argc, char **argv) {
    size_t len;
    if (argc < 2) {
        fprintf(stderr,
                "usage: junit_check junit.xml [--report report.json]\n");
        return 2;
    }
    char *text = slurp(argv[1], &len);
    if (!text) {
        printf("junit_check: %s: cannot read\n", argv[1]);
        return 1;
    }
    if (strlen(text) != len)
        bad(argv[1], "a NUL byte");
    struct xml *root = document(text, len);
    if (root && strcmp(root->name, "testsuites"))
        bad(root->name, "the root is not <testsuites>");
    long total[C_N] = {0, 0, 0, 0};
    for (size_t i = 0; root && i < root->n; i++) {
        if (strcmp(root->kids[i]->name, "testsuite"))
            bad("testsuites", "a child that is not <testsuite>");
        else
            suite(root->kids[i], total);
    }
    if (root) {
        counts_match(root, total);
        time_attr(root, "testsuites");
    }
    if (root && argc == 4 && !strcmp(argv[2], "--report")) {
        size_t rl;
        char err[200], *rt = slurp(argv[3], &rl);
        struct json *rep = rt ? json_parse(rt, rl, err, sizeof err) : NULL;
        if (!rep)
            bad(argv[3], "cannot read it as JSON");
        else
            against_report(root, rep);
        json_free(rep);
        free(rt);
    }
    xml_free(root);
    free(text);
    if (!problems)
        printf("junit_check: %s: ok\n", argv[1]);
    return problems ? 1 : 0;
}
