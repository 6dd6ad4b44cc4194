/*
 * test_spec: SPEC.md and the clause table in code (harness/spec/clauses.def)
 * list the same clause IDs with the same levels, in the same order; the
 * spec states its version; and every clause is proved somewhere: cited by
 * a unit test, a conformance vector or a planted mutant.
 *
 * usage: test_spec SPEC.md FILE|DIR...   (the places where proofs live)
 */
#include "clauses.h"
#include "ics.h"
#include "impl.h"
#include "testhelper.h"

#include "os.h"

static char *slurp(const char *path) {
    char err[8];
    size_t n;
    return (char *)os_file_read(path, &n, err, sizeof err);
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
    CHECK(strstr(spec_text, "Spec version: " SPEC_VERSION "\n") != NULL,
          "SPEC");
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
    struct os_list l;
    char err[8];
    if (os_is_dir(path)) {
        os_dir_list(path, &l, err, sizeof err);
        for (size_t i = 0; i < l.n; i++) {
            char sub[1024];
            if (os_path_join(sub, sizeof sub, path, l.v[i].name) == 0)
                gather(sub, all, len);
        }
        os_list_free(&l);
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

/* ---- the applicability table of SPEC.md ---- */

/* The 24 ICS combinations, c = quota + 2 order + 4 services + 8 zero: quota
 * per-device (P) or none (N); quota-first (Q) or pool-first (F); all four
 * services (4) or the buffer two (2); zero-size any (y), allocate (a) or
 * reject (r). */
static void combination(unsigned c, struct ics *ics, char code[5]) {
    ics_default(ics);
    ics->quota_enabled = !(c & 1);
    ics->quota_first = !(c & 2);
    ics->services =
        c & 4 ? (unsigned)(SVC_ALLOCATE_BUFFER | SVC_RELEASE_BUFFER) : SVC_ALL;
    ics->zero_size = (int)(c / 8);
    code[0] = c & 1 ? 'N' : 'P';
    code[1] = c & 2 ? 'F' : 'Q';
    code[2] = c & 4 ? '2' : '4';
    code[3] = "yar"[c / 8];
    code[4] = 0;
}

/* What a program must hold to exercise a clause (its EXERCISED column), in
 * words. */
static void exercised_words(unsigned has, char *out, size_t cap) {
    static const char *const words[] = {
        "AllocateBuffer",      "AllocatePool", "at DISPATCH_LEVEL", "a start",
        "an injected refusal", "two devices",  "two threads"};
    if (!has) {
        snprintf(out, cap, "every program (every call)");
        return;
    }
    out[0] = 0;
    for (unsigned i = 0; i < 7; i++)
        if (has & (1u << i))
            snprintf(out + strlen(out), cap - strlen(out), "%s%s",
                     out[0] ? ", " : "", words[i]);
}

/* Clause cl under combination c, under both values of `concurrency`: "A"
 * applicable under both, "-" under neither, "T" only under thread-safe,
 * "S" only under serialized. */
static const char *applicability(unsigned c, const struct spec_clause *cl) {
    static const char *const cell[4] = {"A", "T", "S", "-"};
    struct ics ics;
    char code[5];
    combination(c, &ics, code);
    ics.thread_safe = 0;
    unsigned serialized = ics_not_applicable(&ics, cl) != NULL;
    ics.thread_safe = 1;
    unsigned thread_safe = ics_not_applicable(&ics, cl) != NULL;
    return cell[serialized | thread_safe << 1];
}

/* The table, as SPEC.md must hold it (Markdown, one row per clause). */
static size_t applicability_table(char *out, size_t cap) {
    size_t n = 0;
    char code[5], words[96];
    struct ics ics;
#define PUT(...)                                                               \
    n += (size_t)snprintf(out + (n < cap ? n : cap), n < cap ? cap - n : 0,    \
                          __VA_ARGS__)
    PUT("| clause | exercised by |");
    for (unsigned c = 0; c < 24; c++) {
        combination(c, &ics, code);
        PUT(" %s |", code);
    }
    PUT("\n|---|---|");
    for (unsigned c = 0; c < 24; c++)
        PUT(":-:|");
    PUT("\n");
    for (size_t k = 0; k < spec_clause_count(); k++) {
        const struct spec_clause *cl = spec_clause_at(k);
        exercised_words(cl->exercised, words, sizeof words);
        PUT("| %s | %s |", cl->id, words);
        for (unsigned c = 0; c < 24; c++)
            PUT(" %s |", applicability(c, cl));
        PUT("\n");
    }
#undef PUT
    return n;
}

/* SPEC.md's applicability table is the one the code makes: the clause
 * table's AREA (through ics_not_applicable) and EXERCISED columns. */
static void spec_applicability_table_matches_the_code(void) {
    static char want[1 << 16];
    size_t n = applicability_table(want, sizeof want);
    CHECK(n < sizeof want, "SPEC");
    const char *at = strstr(spec_text, "\n| clause | exercised by |");
    CHECK(at != NULL, "SPEC");
    int same = at && strncmp(at + 1, want, n) == 0;
    CHECK(same, "SPEC");
    if (!same)
        fprintf(stderr, "  SPEC.md's applicability table differs from the "
                        "code's; `test_spec --print-applicability` prints "
                        "the code's\n");
}

/* CHARGED column: each call is charged to exactly one clause, the ones
 * certify's verdicts on crashes and hangs have always named. */
static void spec_each_call_charged_to_one_clause(void) {
    static const char *const want[SPEC_CALL_COUNT] = {
        [SPEC_CALL_ALLOC_BUFFER] = "AB-RES-1",
        [SPEC_CALL_ALLOC_BUFFER_0] = "ZERO-3",
        [SPEC_CALL_RELEASE_BUFFER] = "RB-1",
        [SPEC_CALL_ALLOC_POOL] = "AP-RES-1",
        [SPEC_CALL_ALLOC_POOL_DISPATCH] = "IRQL-2",
        [SPEC_CALL_FREE_POOL] = "AP-FREE-1",
        [SPEC_CALL_START] = "DEV-1",
        [SPEC_CALL_STOP] = "KP-LEAK-1",
        [SPEC_CALL_END] = "KP-LEAK-2"};
    CHECK(spec_charged(SPEC_CALL_NONE) == NULL, "SPEC");
    CHECK(spec_charged(SPEC_CALL_COUNT) == NULL, "SPEC");
    for (unsigned call = 1; call < SPEC_CALL_COUNT; call++) {
        const struct spec_clause *c = spec_charged((enum spec_call)call);
        CHECK(c != NULL, "SPEC");
        CHECK_STR(c ? c->id : NULL, want[call], "SPEC");
        unsigned n = 0;
        for (size_t k = 0; k < spec_clause_count(); k++)
            n += spec_clause_at(k)->charged == (enum spec_call)call;
        CHECK_EQ_U64(n, 1, "SPEC");
    }
}

/* EXERCISED column: a clause is exercised only by a program holding all
 * it names. Since 1.1 a clause whose check runs on every call or pool
 * request (AB-RES-3 on every AllocateBuffer, IRQL-1 on every request and
 * free) is exercised by every program that makes one. */
static void spec_exercised_by_what_a_program_holds(void) {
    const unsigned all = SPEC_HAS_BUFFER | SPEC_HAS_POOL | SPEC_HAS_DISPATCH |
                         SPEC_HAS_START | SPEC_HAS_INJECT | SPEC_HAS_DEVICES;
    static const struct {
        const char *id; /* clause */
        unsigned needs; /* what it needs, all of it */
    } rows[] = {{"QU-1", SPEC_HAS_BUFFER | SPEC_HAS_DEVICES},
                {"QU-9", SPEC_HAS_BUFFER | SPEC_HAS_START},
                {"QU-7", SPEC_HAS_BUFFER | SPEC_HAS_INJECT},
                {"AB-RES-3", SPEC_HAS_BUFFER},
                {"AB-LEAK-1", SPEC_HAS_BUFFER | SPEC_HAS_INJECT},
                {"IRQL-1", 0},
                {"IRQL-2", SPEC_HAS_DISPATCH},
                {"AP-RES-1", SPEC_HAS_POOL},
                {"AP-LEAK-1", SPEC_HAS_POOL},
                {"ZERO-2", SPEC_HAS_POOL},
                {"DEV-1", 0},
                {"KP-FREE-1", 0},
                {"KP-LEAK-2", 0},
                {"QU-2", SPEC_HAS_BUFFER},
                {"BUF-1", SPEC_HAS_BUFFER},
                {"CO-3", SPEC_HAS_BUFFER}};
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const struct spec_clause *c = spec_clause_find(rows[i].id);
        CHECK(c != NULL, rows[i].id);
        CHECK(c && c->exercised == rows[i].needs, rows[i].id);
        CHECK(spec_exercised_by(c, all), rows[i].id);
        CHECK(spec_exercised_by(c, rows[i].needs), rows[i].id);
        /* missing any one thing it needs: not exercised */
        for (unsigned bit = 1; bit <= SPEC_HAS_DEVICES; bit <<= 1)
            if (rows[i].needs & bit)
                CHECK(!spec_exercised_by(c, all & ~bit), rows[i].id);
    }
    CHECK(!spec_exercised_by(NULL, all), "SPEC");
}

int main(int argc, char **argv) {
    static const struct th_test tests[] = {
        TEST(spec_lists_the_same_clauses),
        TEST(spec_states_its_version),
        TEST(every_clause_is_proved_somewhere),
        TEST(spec_each_call_charged_to_one_clause),
        TEST(spec_exercised_by_what_a_program_holds),
        TEST(spec_applicability_table_matches_the_code)};
    if (argc == 2 && strcmp(argv[1], "--print-applicability") == 0) {
        static char table[1 << 16];
        size_t n = applicability_table(table, sizeof table);
        fwrite(table, 1, n < sizeof table ? n : sizeof table, stdout);
        return 0;
    }
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
