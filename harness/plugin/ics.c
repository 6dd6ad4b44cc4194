/* ics: parse and print implementation conformance statements. */
#include "ics.h"

#include "clauses.h"
#include "impl.h"
#include "os.h"
#include "program.h"
#include "vpm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ics_default(struct ics *ics) {
    ics->quota_enabled = 1;
    ics->quota_first = 1;
    ics->services = SVC_ALL;
    ics->zero_size = VPM_ZERO_ANY;
    ics->thread_safe = 0;
}

struct ics_ctx {
    const char *file; /* for errors */
    size_t line;      /* 1-based */
    char *err;        /* error buffer */
    size_t errlen;    /* its size */
};

/* The message names the file and the word as they can be shown: no
 * control character or byte that is not UTF-8 reaches a terminal. */
static int ics_fail(struct ics_ctx *c, size_t col, const char *msg,
                    const char *word) {
    char raw[4096 + 1024];
    snprintf(raw, sizeof raw, "%s:%zu:%zu: %s%s%s", c->file, c->line, col, msg,
             word ? " " : "", word ? word : "");
    os_show(raw, c->err, c->errlen); /* cut, if at all, between characters */
    return -1;
}

static int pick(const char *v, const char *a, const char *b, int *out) {
    if (strcmp(v, a) == 0)
        *out = 1;
    else if (strcmp(v, b) == 0)
        *out = 0;
    else
        return -1;
    return 0;
}

static int parse_services(char *v, unsigned *out) {
    static const char *const names[] = {"AllocateBuffer", "ReleaseBuffer",
                                        "AllocatePool", "FreePool"};
    *out = 0;
    for (char *tok = strtok(v, ", \t"); tok; tok = strtok(NULL, ", \t")) {
        unsigned i = 0;
        while (i < 4 && strcmp(tok, names[i]) != 0)
            i++;
        if (i == 4 && strcmp(tok, "all") != 0)
            return -1;
        *out |= i == 4 ? SVC_ALL : 1u << i;
    }
    return *out ? 0 : -1;
}

static int zero_of(const char *v, int *out) {
    *out = strcmp(v, "any") == 0        ? VPM_ZERO_ANY
           : strcmp(v, "allocate") == 0 ? VPM_ZERO_ALLOCATE
           : strcmp(v, "reject") == 0   ? VPM_ZERO_REJECT
                                        : -1;
    return *out < 0 ? -1 : 0;
}

static int ics_key(struct ics_ctx *c, const char *k, char *v, size_t vcol,
                   struct ics *ics) {
    int r = -1;
    if (strcmp(k, "quota") == 0)
        r = pick(v, "per-device", "none", &ics->quota_enabled);
    else if (strcmp(k, "quota-order") == 0)
        r = pick(v, "quota-first", "pool-first", &ics->quota_first);
    else if (strcmp(k, "services") == 0)
        r = parse_services(v, &ics->services);
    else if (strcmp(k, "zero-size") == 0)
        r = zero_of(v, &ics->zero_size);
    else if (strcmp(k, "concurrency") == 0)
        r = pick(v, "thread-safe", "serialized", &ics->thread_safe);
    else
        return ics_fail(c, 1, "unknown key", k);
    if (r != 0)
        return ics_fail(c, vcol, "bad value for", k);
    if (strcmp(k, "services") == 0 &&
        (ics->services & (SVC_ALLOCATE_BUFFER | SVC_RELEASE_BUFFER)) !=
            (SVC_ALLOCATE_BUFFER | SVC_RELEASE_BUFFER))
        return ics_fail(
            c, vcol, "services must include AllocateBuffer and ReleaseBuffer",
            NULL);
    unsigned pool = ics->services & (SVC_ALLOCATE_POOL | SVC_FREE_POOL);
    if (strcmp(k, "services") == 0 && pool &&
        pool != (SVC_ALLOCATE_POOL | SVC_FREE_POOL))
        return ics_fail(c, vcol,
                        "AllocatePool and FreePool come together or not at "
                        "all (SPEC.md, ICS)",
                        NULL);
    return 0;
}

static char *trim(char *s) {
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = 0;
    return s;
}

static int ics_line(struct ics_ctx *c, char *buf, unsigned *seen,
                    struct ics *ics) {
    static const char *const keys[] = {"quota", "quota-order", "services",
                                       "zero-size", "concurrency"};
    char *hash = strchr(buf, '#');
    if (hash)
        *hash = 0;
    char *s = trim(buf);
    if (!*s)
        return 0;
    char *eq = strchr(s, '=');
    if (!eq)
        return ics_fail(c, (size_t)(s - buf) + 1, "expected 'key = value'",
                        NULL);
    *eq = 0;
    char *k = trim(s), *v = trim(eq + 1);
    for (unsigned i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        if (strcmp(k, keys[i]) != 0)
            continue;
        if (*seen & (1u << i))
            return ics_fail(c, (size_t)(k - buf) + 1, "duplicate key", k);
        *seen |= 1u << i;
    }
    return ics_key(c, k, v, (size_t)(v - buf) + 1, ics);
}

int ics_parse(const char *text, size_t len, const char *file, struct ics *ics,
              char *err, size_t errlen) {
    struct ics_ctx c = {file ? file : "<ics>", 0, err, errlen};
    unsigned seen = 0;
    ics_default(ics);
    /* A UTF-8 byte order mark is skipped (as in text programs). */
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        len -= 3;
    }
    for (size_t pos = 0; pos < len;) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
        char buf[512];
        c.line++;
        if (n >= sizeof buf)
            return ics_fail(&c, 1, "line too long", NULL);
        memcpy(buf, text + pos, n);
        buf[n] = 0;
        if (strlen(buf) != n)
            return ics_fail(&c, strlen(buf) + 1, "NUL byte", NULL);
        if (ics_line(&c, buf, &seen, ics) != 0)
            return -1;
        pos += n + (nl ? 1 : 0);
    }
    return 0;
}

int ics_load(const char *path, struct ics *ics, char *err, size_t errlen) {
    ics_default(ics);
    if (!path)
        return 0;
    size_t len;
    uint8_t *text = os_file_read(path, &len, err, errlen);
    if (!text)
        return -1;
    int rc = ics_parse((const char *)text, len, path, ics, err, errlen);
    free(text);
    return rc;
}

size_t ics_write(const struct ics *ics, char *out, size_t cap) {
    static const char *const zero[] = {"any", "allocate", "reject"};
    char svc[96] = "";
    static const char *const names[] = {"AllocateBuffer", "ReleaseBuffer",
                                        "AllocatePool", "FreePool"};
    for (unsigned i = 0; i < 4; i++)
        if (ics->services & (1u << i))
            snprintf(svc + strlen(svc), sizeof svc - strlen(svc), "%s%s",
                     *svc ? ", " : "", names[i]);
    int n = snprintf(out, cap,
                     "quota = %s\nquota-order = %s\nservices = %s\nzero-size = "
                     "%s\nconcurrency = %s\n",
                     ics->quota_enabled ? "per-device" : "none",
                     ics->quota_first ? "quota-first" : "pool-first", svc,
                     zero[ics->zero_size % 3],
                     ics->thread_safe ? "thread-safe" : "serialized");
    return n < 0 ? 0 : (size_t)n;
}

static int has_pool(const struct ics *ics) {
    unsigned pool = SVC_ALLOCATE_POOL | SVC_FREE_POOL;
    return (ics->services & pool) == pool;
}

const char *ics_not_applicable(const struct ics *ics,
                               const struct spec_clause *cl) {
    if (strcmp(cl->area, "HARNESS") == 0)
        return "an obligation of vpcert's kernel stand-in, proved by vpcert's "
               "own "
               "tests";
    if (strcmp(cl->area, "CALLER") == 0)
        return "an obligation of vpcert as the caller";
    if (strcmp(cl->area, "QUOTA") == 0 && !ics->quota_enabled)
        return "the ICS declares quota = none";
    if (strcmp(cl->area, "POOL") == 0 && !has_pool(ics))
        return "the ICS does not declare AllocatePool and FreePool";
    if (strcmp(cl->area, "CONC") == 0 && !ics->thread_safe)
        return "the ICS declares concurrency = serialized";
    return NULL;
}

int ics_vector_applies(const struct ics *ics, const struct program *p,
                       const unsigned char *cites) {
    (void)cites;
    if (!ics->thread_safe && prog_threads(p) > 1)
        return 0;
    for (uint32_t i = 0; i < p->nops; i++)
        if (!has_pool(ics) && (p->ops[i].code == PROG_OP_ALLOC_POOL ||
                               p->ops[i].code == PROG_OP_FREE_POOL))
            return 0;
    return 1;
}

unsigned ics_expected(const struct ics *ics, const struct prog_op *op) {
    const uint8_t *alt = op->expect_alt;
    if (!op->expect)
        return 0;
    if (ics->zero_size == VPM_ZERO_ALLOCATE && alt[PROG_CH_ALLOCATE])
        return 1u << alt[PROG_CH_ALLOCATE];
    if (ics->zero_size == VPM_ZERO_REJECT && alt[PROG_CH_REJECT])
        return 1u << alt[PROG_CH_REJECT];
    if (ics->zero_size == VPM_ZERO_ANY &&
        (alt[PROG_CH_ALLOCATE] || alt[PROG_CH_REJECT]))
        return (1u << op->expect | 1u << alt[PROG_CH_ALLOCATE] |
                1u << alt[PROG_CH_REJECT]) &
               ~(1u << PROG_EX_NONE);
    if (!ics->quota_enabled && alt[PROG_CH_NONE])
        return 1u << alt[PROG_CH_NONE];
    if (ics->quota_enabled && !ics->quota_first && alt[PROG_CH_POOL_FIRST])
        return 1u << alt[PROG_CH_POOL_FIRST];
    return 1u << op->expect;
}

unsigned ics_required(const struct ics *ics) {
    return ics->services |
           (ics->quota_enabled ? SVC_DEVICE_START | SVC_DEVICE_STOP : 0u);
}
