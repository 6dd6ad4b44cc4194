/* sarif: the shared parts of vpcert's SARIF 2.1.0 logs (sarif.h). */
#include "sarif.h"

#include "where.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

const char *sarif_level(enum spec_level level) {
    return level == SPEC_MUST     ? "error"
           : level == SPEC_SHOULD ? "warning"
                                  : "note";
}

void sarif_clause_anchor(const struct spec_clause *c, char *out, size_t cap) {
    char heading[64];
    size_t n = 0;
    snprintf(heading, sizeof heading, "%s (%s)", c->id,
             spec_level_name(c->level));
    for (const char *s = heading; *s && n + 1 < cap; s++) {
        if (isalnum((unsigned char)*s) || *s == '-' || *s == '_')
            out[n++] = (char)tolower((unsigned char)*s);
        else if (*s == ' ')
            out[n++] = '-';
    }
    out[n] = 0;
}

/* One rule per clause: its title, level and area, and where SPEC.md states
 * it (helpUri when vpcert knows where its SPEC.md is). */
static void clause_rule(struct sbuf *b, const struct spec_clause *c,
                        const char *spec) {
    char anchor[64];
    const char *level = spec_level_name(c->level);
    sarif_clause_anchor(c, anchor, sizeof anchor);
    sb_add(b, "{\"id\": \"%s\", \"name\": \"%s\", ", c->id, c->id);
    sb_add(b, "\"shortDescription\": {\"text\": \"");
    sb_json(b, c->title);
    sb_add(b, "\"}, \"fullDescription\": {\"text\": \"%s (%s): ", c->id, level);
    sb_json(b, c->title);
    sb_add(b,
           "\"},\n          \"help\": {\"text\": \"SPEC.md, section %s "
           "(%s): ",
           c->id, level);
    sb_json(b, c->title);
    sb_add(b, "\", \"markdown\": \"[SPEC.md, %s (%s)](SPEC.md#%s): ", c->id,
           level, anchor);
    sb_json(b, c->title);
    sb_add(b, "\"}, ");
    if (spec[0]) {
        sb_add(b, "\"helpUri\": \"");
        sb_file_uri(b, spec, 0);
        sb_add(b, "#%s\", ", anchor);
    }
    sb_add(b, "\"defaultConfiguration\": {\"level\": \"%s\"},\n          ",
           sarif_level(c->level));
    sb_add(b,
           "\"properties\": {\"level\": \"%s\", \"area\": \"%s\", \"tags\": "
           "[\"%s\", \"%s\"]}}",
           level, c->area, level, c->area);
}

static void extra_rule(struct sbuf *b, const struct sarif_rule *r) {
    sb_add(b, "{\"id\": \"%s\", \"name\": \"%s\", ", r->id, r->id);
    sb_json_str(b, "shortDescription\": {\"text", r->title, 0);
    sb_add(b, "}, \"help\": {\"text\": \"");
    sb_json(b, r->help);
    sb_add(b, "\"}, \"defaultConfiguration\": {\"level\": \"%s\"}}", r->level);
}

void sarif_begin(struct sbuf *b, const char *const ids[], size_t n,
                 const struct sarif_rule *extra, size_t nextra,
                 const char *base_dir) {
    char spec[PATH_MAX];
    if (where_data("SPEC.md", spec) != 0)
        spec[0] = 0;
    sb_add(b,
           "{\n  \"$schema\": \"%s\",\n  \"version\": \"%s\",\n  \"runs\": "
           "[{\n    \"tool\": {\"driver\": {\"name\": \"vpcert\", "
           "\"version\": \"%s\", \"semanticVersion\": \"%s\",\n",
           SARIF_SCHEMA, SARIF_VERSION, VPCERT_VERSION, VPCERT_VERSION);
    sb_add(b, "      \"rules\": [");
    for (size_t i = 0; i < n + nextra; i++) {
        sb_add(b, "%s\n        ", i ? "," : "");
        if (i < n)
            clause_rule(b, spec_clause_find(ids[i]), spec);
        else
            extra_rule(b, &extra[i - n]);
    }
    sb_add(b, "]}},\n    \"originalUriBaseIds\": {\"%s\": {\"uri\": \"",
           SARIF_BASE);
    sb_file_uri(b, base_dir, 1);
    sb_add(b, "\"}},\n");
}

void sarif_end(struct sbuf *b) {
    sb_add(b, "  }]\n}\n");
}

void sarif_location(struct sbuf *b, const char *rel, const char *abs,
                    int index) {
    sb_add(b, "{\"uri\": \"");
    if (rel) {
        sb_rel_uri(b, rel);
        sb_add(b, "\", \"uriBaseId\": \"%s\"", SARIF_BASE);
    } else {
        sb_file_uri(b, abs, 0);
        sb_add(b, "\"");
    }
    if (index >= 0)
        sb_add(b, ", \"index\": %d", index);
    sb_add(b, "}");
}

int sarif_result_files(struct sbuf *b, char (*rel)[300],
                       const char *const what[], int n, int first) {
    int present = 0, last = -1;
    for (int j = 0; j < n; j++)
        if (rel[j][0]) {
            present++;
            last = j;
        }
    if (!present)
        return 0;
    sb_add(b, ",\n       \"locations\": [{\"physicalLocation\": "
              "{\"artifactLocation\": ");
    sarif_location(b, rel[last], NULL, first + present - 1);
    sb_add(b, "}}],\n       \"attachments\": [");
    for (int j = 0, at = first; j < n; j++) {
        if (!rel[j][0])
            continue;
        sb_add(b,
               "%s{\"description\": {\"text\": \"%s\"}, "
               "\"artifactLocation\": ",
               at > first ? ", " : "", what[j]);
        sarif_location(b, rel[j], NULL, at++);
        sb_add(b, "}");
    }
    sb_add(b, "]");
    return present;
}

void sarif_expected(struct sbuf *b, const char *expected,
                    const char *observed) {
    sb_add(b, "expected ");
    sb_json(b, expected);
    sb_add(b, "; observed ");
    sb_json(b, observed);
}
