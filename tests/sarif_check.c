/*
 * sarif_check: an independent check of a SARIF 2.1.0 log as vpcert writes
 * it (report.sarif of certify, findings.sarif of fuzz).
 *
 *   sarif_check FILE.sarif [--spec SPEC.md] [--report report.json]
 *
 * Checks: the file is valid UTF-8 JSON; version "2.1.0"; every object the
 * specification requires a property of has it, with its type (sarifLog:
 * version, runs; run: tool; tool: driver; toolComponent: name;
 * reportingDescriptor: id; result: message; message: text; attachment:
 * artifactLocation; invocation: executionSuccessful) and every enumerated
 * value is one of its values (levels, kinds, artifact roles); rule IDs are
 * distinct; every result's ruleId names a rule, and its ruleIndex that
 * rule; every artifactLocation is a URI (absolute, or relative with a
 * uriBaseId that run.originalUriBaseIds defines as an absolute file: URI
 * ending in '/'), agrees with run.artifacts[index] when it has an index,
 * and names a file that exists; every helpUri that is a file: URI names an
 * existing file, and with --spec its fragment is the anchor of a heading
 * of SPEC.md. With --report (certify's report.json): one result per
 * clause graded FAIL or WARN, and no other, at level "error" for FAIL and
 * "warning" for WARN. Exit 0 when all hold; else 1 and one line per
 * problem.
 */
#include "json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int problems;
static const char *spec_text; /* SPEC.md, or NULL */

static void bad(const char *where, const char *why) {
    printf("sarif_check: %s: %s\n", where, why);
    problems++;
}

static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    if (f && fseek(f, 0, SEEK_END) == 0) {
        long n = ftell(f);
        buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
        if (buf && (fseek(f, 0, SEEK_SET) != 0 ||
                    fread(buf, 1, (size_t)n, f) != (size_t)n)) {
            free(buf);
            buf = NULL;
        }
        if (buf) {
            buf[n] = 0;
            *len = (size_t)n;
        }
    }
    if (f)
        fclose(f);
    return buf;
}

/* v has member key of type t (required: a problem when absent). */
static const struct json *member(const struct json *v, const char *key,
                                 enum json_type t, int required,
                                 const char *where) {
    const struct json *m = json_get(v, key);
    char what[160];
    if (!m && required) {
        snprintf(what, sizeof what, "required property \"%s\" missing", key);
        bad(where, what);
    } else if (m && m->type != t) {
        snprintf(what, sizeof what, "\"%s\" has the wrong type", key);
        bad(where, what);
        return NULL;
    }
    return m;
}

static int one_of(const char *s, const char *const set[]) {
    for (size_t i = 0; s && set[i]; i++)
        if (strcmp(s, set[i]) == 0)
            return 1;
    return 0;
}

static void enum_member(const struct json *v, const char *key,
                        const char *const set[], const char *where) {
    const struct json *m = member(v, key, JSON_STRING, 0, where);
    if (m && !one_of(m->string, set)) {
        char what[160];
        snprintf(what, sizeof what, "\"%s\" is not an allowed value", key);
        bad(where, what);
    }
}

static void message(const struct json *v, const char *key, int required,
                    const char *where) {
    const struct json *m = member(v, key, JSON_OBJECT, required, where);
    if (m)
        member(m, "text", JSON_STRING, 1, where);
}

/* %XX decoding of a URI path into out; -1 when malformed. */
static int uri_decode(const char *s, char *out, size_t cap) {
    size_t n = 0;
    for (; *s && *s != '#' && n + 1 < cap; s++) {
        unsigned v;
        if (*s == '%' && sscanf(s + 1, "%2x", &v) == 1 && s[1] && s[2]) {
            out[n++] = (char)v;
            s += 2;
        } else if (*s == '%' || (unsigned char)*s <= ' ' ||
                   strchr("\"<>\\^`{|}", *s)) {
            return -1;
        } else {
            out[n++] = *s;
        }
    }
    out[n] = 0;
    return 0;
}

static int has_scheme(const char *uri) {
    size_t n = strspn(uri, "abcdefghijklmnopqrstuvwxyz0123456789+.-");
    return n > 0 && uri[n] == ':';
}

static void file_exists(const char *path, const char *where) {
    struct stat st;
    char what[1200];
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(what, sizeof what, "no such file: %s", path);
        bad(where, what);
    }
}

/* The heading of SPEC.md whose anchor is frag exists. */
static void spec_anchor(const char *frag, const char *where) {
    for (const char *l = spec_text; l && *l;) {
        const char *eol = strchr(l, '\n'), *line = l;
        l = eol ? eol + 1 : NULL;
        if (line[0] != '#')
            continue;
        char anchor[128];
        size_t n = 0;
        const char *s = line + strspn(line, "#");
        s += strspn(s, " ");
        for (; *s && *s != '\n' && n + 1 < sizeof anchor; s++)
            if ((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
                *s == '-' || *s == '_')
                anchor[n++] = *s;
            else if (*s >= 'A' && *s <= 'Z')
                anchor[n++] = (char)(*s - 'A' + 'a');
            else if (*s == ' ')
                anchor[n++] = '-';
        anchor[n] = 0;
        if (strcmp(anchor, frag) == 0)
            return;
    }
    if (spec_text)
        bad(where, "helpUri's fragment is no heading of SPEC.md");
}

static void help_uri(const char *uri, const char *where) {
    char path[1024];
    if (!has_scheme(uri)) {
        bad(where, "helpUri is not an absolute URI");
        return;
    }
    if (strncmp(uri, "file://", 7) != 0)
        return;
    if (uri_decode(uri + 7, path, sizeof path) != 0)
        bad(where, "helpUri is malformed");
    else
        file_exists(path, where);
    const char *frag = strchr(uri, '#');
    if (frag)
        spec_anchor(frag + 1, where);
}

struct run_ctx {
    const struct json *run;       /* the run */
    const struct json *artifacts; /* run.artifacts, or NULL */
    const struct json *bases;     /* run.originalUriBaseIds, or NULL */
    const struct json *rules;     /* tool.driver.rules, or NULL */
};

/* An artifactLocation: a well-formed URI naming an existing file. */
static void location(const struct run_ctx *x, const struct json *l,
                     const char *where) {
    char path[2048], base_path[1024];
    if (!l || l->type != JSON_OBJECT) {
        bad(where, "artifactLocation is not an object");
        return;
    }
    const struct json *uri = member(l, "uri", JSON_STRING, 1, where);
    const struct json *base = member(l, "uriBaseId", JSON_STRING, 0, where);
    const struct json *index = member(l, "index", JSON_NUMBER, 0, where);
    if (!uri)
        return;
    if (base) {
        const char *b =
            json_str(json_get(json_get(x->bases, base->string), "uri"));
        size_t bn = b ? strlen(b) : 0;
        if (has_scheme(uri->string))
            bad(where, "a uri with a uriBaseId must be relative");
        else if (!b || strncmp(b, "file://", 7) != 0 || b[bn - 1] != '/')
            bad(where, "uriBaseId not defined as an absolute file: URI "
                       "ending in '/'");
        else if (uri_decode(b + 7, base_path, sizeof base_path) != 0 ||
                 uri_decode(uri->string, path, sizeof path) != 0)
            bad(where, "malformed uri");
        else {
            char full[3100];
            snprintf(full, sizeof full, "%s%s", base_path, path);
            file_exists(full, where);
        }
    } else if (strncmp(uri->string, "file://", 7) != 0) {
        bad(where, "uri is neither relative to a base nor a file: URI");
    } else if (uri_decode(uri->string + 7, path, sizeof path) != 0) {
        bad(where, "malformed uri");
    } else {
        file_exists(path, where);
    }
    if (index) {
        size_t i = (size_t)index->number;
        const struct json *a =
            x->artifacts && index->integer && index->number >= 0 &&
                    i < x->artifacts->n
                ? json_get(&x->artifacts->items[i], "location")
                : NULL;
        const char *au = json_str(json_get(a, "uri"));
        const char *ab = json_str(json_get(a, "uriBaseId"));
        if (!au || strcmp(au, uri->string) != 0 ||
            (ab == NULL) != (base == NULL) ||
            (ab && strcmp(ab, base->string) != 0))
            bad(where, "index does not name the artifact with this uri");
    }
}

static void artifact(const struct run_ctx *x, const struct json *a,
                     const char *where) {
    static const char *const roles[] = {"analysisTarget",
                                        "attachment",
                                        "responseFile",
                                        "resultFile",
                                        "standardStream",
                                        "tracedFile",
                                        "unmodified",
                                        "modified",
                                        "added",
                                        "deleted",
                                        "renamed",
                                        "uncontrolled",
                                        "driver",
                                        "extension",
                                        "translation",
                                        "taxonomy",
                                        "policy",
                                        "referencedOnCommandLine",
                                        "memoryContents",
                                        "directory",
                                        "userSpecifiedConfiguration",
                                        "toolSpecifiedConfiguration",
                                        "debugOutputFile",
                                        NULL};
    const struct json *loc = member(a, "location", JSON_OBJECT, 1, where);
    const struct json *r = member(a, "roles", JSON_ARRAY, 0, where);
    const struct json *h = member(a, "hashes", JSON_OBJECT, 0, where);
    if (loc)
        location(x, loc, where);
    for (size_t i = 0; r && i < r->n; i++)
        if (!one_of(json_str(&r->items[i]), roles))
            bad(where, "unknown artifact role");
    const char *sha = json_str(json_get(h, "sha-256"));
    if (h &&
        (!sha || strlen(sha) != 64 || strspn(sha, "0123456789abcdef") != 64))
        bad(where, "hashes.sha-256 is not 64 hex digits");
    message(a, "description", 0, where);
}

static const char *const levels[] = {"none", "note", "warning", "error", NULL};

static void rule(const struct json *r, size_t i, const struct json *rules,
                 const char *where) {
    const struct json *id = member(r, "id", JSON_STRING, 1, where);
    for (size_t j = 0; id && j < i; j++)
        if (json_str(json_get(&rules->items[j], "id")) &&
            !strcmp(json_str(json_get(&rules->items[j], "id")), id->string))
            bad(where, "two rules with one id");
    message(r, "shortDescription", 0, where);
    message(r, "fullDescription", 0, where);
    message(r, "help", 0, where);
    const struct json *uri = member(r, "helpUri", JSON_STRING, 0, where);
    if (uri)
        help_uri(uri->string, where);
    enum_member(json_get(r, "defaultConfiguration"), "level", levels, where);
}

static void result(const struct run_ctx *x, const struct json *r,
                   const char *where) {
    static const char *const kinds[] = {
        "notApplicable", "pass",          "fail", "review",
        "open",          "informational", NULL};
    message(r, "message", 1, where);
    enum_member(r, "level", levels, where);
    enum_member(r, "kind", kinds, where);
    const struct json *id = member(r, "ruleId", JSON_STRING, 0, where);
    const struct json *ix = member(r, "ruleIndex", JSON_NUMBER, 0, where);
    size_t k = x->rules ? x->rules->n : 0;
    for (size_t i = 0; id && i < (x->rules ? x->rules->n : 0); i++)
        if (json_str(json_get(&x->rules->items[i], "id")) &&
            !strcmp(json_str(json_get(&x->rules->items[i], "id")), id->string))
            k = i;
    if (id && (!x->rules || k == x->rules->n))
        bad(where, "ruleId names no rule of the driver");
    if (ix && (!ix->integer || ix->number != (double)k))
        bad(where, "ruleIndex does not name the rule of ruleId");
    const struct json *t = member(r, "analysisTarget", JSON_OBJECT, 0, where);
    if (t)
        location(x, t, where);
    const struct json *ls = member(r, "locations", JSON_ARRAY, 0, where);
    for (size_t i = 0; ls && i < ls->n; i++) {
        const struct json *pl = json_get(&ls->items[i], "physicalLocation");
        if (pl)
            location(x, json_get(pl, "artifactLocation"), where);
    }
    const struct json *at = member(r, "attachments", JSON_ARRAY, 0, where);
    for (size_t i = 0; at && i < at->n; i++) {
        const struct json *al =
            member(&at->items[i], "artifactLocation", JSON_OBJECT, 1, where);
        if (al)
            location(x, al, where);
        message(&at->items[i], "description", 0, where);
    }
}

static void run(const struct json *run, size_t ri) {
    char where[96];
    struct run_ctx x = {run, NULL, NULL, NULL};
    snprintf(where, sizeof where, "runs[%zu]", ri);
    const struct json *tool = member(run, "tool", JSON_OBJECT, 1, where);
    const struct json *drv =
        member(tool, "driver", JSON_OBJECT, tool != NULL, where);
    member(drv, "name", JSON_STRING, drv != NULL, where);
    x.rules = member(drv, "rules", JSON_ARRAY, 0, where);
    x.artifacts = member(run, "artifacts", JSON_ARRAY, 0, where);
    x.bases = member(run, "originalUriBaseIds", JSON_OBJECT, 0, where);
    const struct json *inv = member(run, "invocations", JSON_ARRAY, 0, where);
    const struct json *res = member(run, "results", JSON_ARRAY, 1, where);
    for (size_t i = 0; x.rules && i < x.rules->n; i++) {
        snprintf(where, sizeof where, "runs[%zu].tool.driver.rules[%zu]", ri,
                 i);
        rule(&x.rules->items[i], i, x.rules, where);
    }
    for (size_t i = 0; inv && i < inv->n; i++) {
        snprintf(where, sizeof where, "runs[%zu].invocations[%zu]", ri, i);
        member(&inv->items[i], "executionSuccessful", JSON_BOOL, 1, where);
    }
    for (size_t i = 0; x.artifacts && i < x.artifacts->n; i++) {
        snprintf(where, sizeof where, "runs[%zu].artifacts[%zu]", ri, i);
        artifact(&x, &x.artifacts->items[i], where);
    }
    for (size_t i = 0; res && i < res->n; i++) {
        snprintf(where, sizeof where, "runs[%zu].results[%zu]", ri, i);
        result(&x, &res->items[i], where);
    }
}

/* report.json's FAIL and WARN clauses are exactly the results. */
static void against_report(const struct json *log, const struct json *rep) {
    const struct json *clauses = json_get(rep, "clauses");
    const struct json *runs = json_get(log, "runs");
    const struct json *res =
        runs && runs->n ? json_get(&runs->items[0], "results") : NULL;
    size_t want = 0, got = res ? res->n : 0;
    for (size_t i = 0; clauses && i < clauses->n; i++) {
        const char *id = json_str(json_get(&clauses->items[i], "id"));
        const char *v = json_str(json_get(&clauses->items[i], "verdict"));
        if (!id || !v || (strcmp(v, "FAIL") && strcmp(v, "WARN")))
            continue;
        want++;
        size_t hits = 0;
        for (size_t j = 0; j < got; j++) {
            const char *rid = json_str(json_get(&res->items[j], "ruleId"));
            const char *lv = json_str(json_get(&res->items[j], "level"));
            if (!rid || strcmp(rid, id))
                continue;
            hits++;
            if (!lv || strcmp(lv, strcmp(v, "FAIL") ? "warning" : "error"))
                bad(id, "result level does not match the verdict");
        }
        if (hits != 1)
            bad(id, "not exactly one result for a FAIL/WARN clause");
    }
    if (!clauses)
        bad("report.json", "no clauses");
    if (want != got)
        bad("results", "results that are no FAIL/WARN clause of report.json");
}

static struct json *load(const char *path) {
    size_t len;
    char err[200];
    char *text = slurp(path, &len);
    struct json *v = text ? json_parse(text, len, err, sizeof err) : NULL;
    if (!text)
        printf("sarif_check: %s: cannot read\n", path);
    else if (!v)
        printf("sarif_check: %s: not valid UTF-8 JSON: %s\n", path, err);
    free(text);
    return v;
}

int main(int argc, char **argv) {
    const char *report = NULL;
    size_t spec_len;
    if (argc < 2) {
        fprintf(stderr, "usage: sarif_check FILE [--spec SPEC.md] [--report "
                        "report.json]\n");
        return 2;
    }
    for (int i = 2; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--spec"))
            spec_text = slurp(argv[i + 1], &spec_len);
        else if (!strcmp(argv[i], "--report"))
            report = argv[i + 1];
    }
    struct json *log = load(argv[1]);
    if (!log)
        return 1;
    if (log->type != JSON_OBJECT)
        bad("log", "not an object");
    const struct json *ver = member(log, "version", JSON_STRING, 1, "log");
    if (ver && strcmp(ver->string, "2.1.0"))
        bad("log", "version is not 2.1.0");
    member(log, "$schema", JSON_STRING, 0, "log");
    const struct json *runs = member(log, "runs", JSON_ARRAY, 1, "log");
    for (size_t i = 0; runs && i < runs->n; i++)
        run(&runs->items[i], i);
    if (report) {
        struct json *rep = load(report);
        if (!rep)
            return 1;
        against_report(log, rep);
        json_free(rep);
    }
    json_free(log);
    if (!problems)
        printf("sarif_check: %s: ok\n", argv[1]);
    return problems ? 1 : 0;
}
