/*
 * test_spec: SPEC.md and the clause table in code (harness/spec/clauses.def)
 * list the same clause IDs with the same levels, in the same order; the
 * spec states its version; and every clause is proved somewhere: cited by
 * a unit test, a conformance vector or a planted mutant.
 *
 * usage: test_spec SPEC.md FILE|DIR...   (the places where proofs live)
 */
#include "clauses.h"
#include "testhelper.h"

#include <dirent.h>
#include <sys/stat.h>

static char *slurp(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
        free(s);
        s = NULL;
    }
    if (s)
        s[n] = 0;
    fclose(f);
    return s;
}

static const char *spec_path;
static char *spec_text;
static int nproof;
static char **proof_paths;

static void spec_lists_the_same_clauses(void) {
    size_t k = 0;
    for (const char *p = spec_text; (p = strstr(p, "\n### ")); p++) {
        char id[32], level[16];
        if (sscanf(p + 5, "%31s (%15[A-Z])", id, level) != 2)
            continue;
        const struct spec_clause *c = spec_clause_at(k);
        CHECK(c != NULL, "SPEC");
        if (!c)
            break;
        CHECK_STR(id, c->id, "SPEC");
        CHECK_STR(level, spec_level_name(c->level), "SPEC");
        k++;
    }
    CHECK_EQ_U64(k, spec_clause_count(), "SPEC");
}

static void spec_states_its_version(void) {
    CHECK(strstr(spec_text, "Spec version: ") != NULL, "SPEC");
}

/* Does `text` cite `id` as a whole word (not QU-1 inside QU-10)? */
static int cites(const char *text, const char *id) {
    size_t n = strlen(id);
    for (const char *p = text; (p = strstr(p, id)); p += n) {
        char before = p == text ? ' ' : p[-1];
        char after = p[n];
        int word = (after < '0' || after > '9') && after != '-' &&
                   (after < 'A' || after > 'Z');
        int start = before != '-' && (before < 'A' || before > 'Z');
        if (word && start)
            return 1;
    }
    return 0;
}

static void gather(const char *path, char **all, size_t *len) {
    struct stat st;
    if (stat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        for (struct dirent *e; d && (e = readdir(d));) {
            if (e->d_name[0] == '.')
                continue;
            char sub[1024];
            snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
            gather(sub, all, len);
        }
        if (d)
            closedir(d);
        return;
    }
    char *s = slurp(path);
    if (!s)
        return;
    size_t n = strlen(s);
    char *grown = realloc(*all, *len + n + 2);
    if (grown) {
        *all = grown;
        memcpy(*all + *len, s, n);
        (*all)[*len + n] = '\n';
        *len += n + 1;
        (*all)[*len] = 0;
    }
    free(s);
}

static void every_clause_is_proved_somewhere(void) {
    char *all = NULL;
    size_t len = 0;
    for (int i = 0; i < nproof; i++)
        gather(proof_paths[i], &all, &len);
    CHECK(all != NULL, "SPEC");
    for (size_t k = 0; all && k < spec_clause_count(); k++) {
        const char *id = spec_clause_at(k)->id;
        int ok = cites(all, id);
        CHECK(ok, id);
        if (!ok)
            fprintf(stderr, "  no test, vector or mutant cites %s\n", id);
    }
    free(all);
}

int main(int argc, char **argv) {
    static const struct th_test tests[] = {
        TEST(spec_lists_the_same_clauses), TEST(spec_states_its_version),
        TEST(every_clause_is_proved_somewhere)};
    if (argc < 3) {
        fprintf(stderr, "usage: test_spec SPEC.md FILE|DIR...\n");
        return 2;
    }
    spec_path = argv[1];
    spec_text = slurp(spec_path);
    if (!spec_text) {
        fprintf(stderr, "cannot read %s\n", spec_path);
        return 1;
    }
    nproof = argc - 2;
    proof_paths = argv + 2;
    int rc = th_run(tests, sizeof tests / sizeof tests[0], 1, argv);
    free(spec_text);
    return rc;
}
