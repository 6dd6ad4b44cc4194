/*
 * test_vectors: the conformance vectors follow the ICS. Under each of the
 * 24 ICS combinations (quota x quota-order x services x zero-size), every
 * vector that applies is run on the build of impls/ics_matrix.c that
 * conforms to that combination: it must give no finding at all, and every
 * `expect` line must be met with the outcome it states for that ICS. So
 * no expect line contradicts the model under any valid ICS, and a
 * conforming implementation of any ICS meets every vector.
 *
 * usage: test_vectors MATRIX_DIR FILE|DIR...   (vectors: *.vpt)
 */
#include "exec.h"
#include "testhelper.h"
#include "vpm.h"

#include <dirent.h>
#include <sys/stat.h>

#define MAX_VECTORS 128

static struct program *progs[MAX_VECTORS];
static char paths[MAX_VECTORS][512];
static unsigned nvec;
static const char *matrix_dir;

static void load_one(const char *path) {
    size_t n = strlen(path), len;
    if (n < 4 || strcmp(path + n - 4, ".vpt") != 0 || nvec == MAX_VECTORS)
        return;
    char *text = th_read_file(path, &len);
    char err[300];
    struct program *p = malloc(sizeof *p);
    int ok =
        text && p && prog_text_parse(text, len, path, p, err, sizeof err) == 0;
    CHECK(ok, "FORMAT");
    if (ok) {
        snprintf(paths[nvec], sizeof paths[0], "%s", path);
        progs[nvec++] = p;
    } else {
        fprintf(stderr, "  cannot load %s\n", path);
        free(p);
    }
    free(text);
}

static void load(const char *path) {
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
        load_one(path);
        return;
    }
    DIR *d = opendir(path);
    for (struct dirent *e; d && (e = readdir(d));) {
        char sub[512];
        if (e->d_name[0] == '.')
            continue;
        snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
        load_one(sub);
    }
    if (d)
        closedir(d);
}

/* The combination number c (0..23) as an ICS, and the matrix build that
 * conforms to it (zero-size any: the allocating build; quota none: the
 * quota-first build, the order meaning nothing without a quota). */
static void combination(unsigned c, struct ics *ics, char *so, size_t cap) {
    static const char *const zero[] = {"allocate", "allocate", "reject"};
    ics_default(ics);
    ics->quota_enabled = !(c & 1);
    ics->quota_first = !(c & 2);
    ics->services =
        c & 4 ? (unsigned)(SVC_ALLOCATE_BUFFER | SVC_RELEASE_BUFFER) : SVC_ALL;
    ics->zero_size = (int)(c / 8); /* enum vpm_zero_size: any, allocate,
                                      reject */
    snprintf(so, cap, "%s/matrix_%s_%s_%s_%s.so", matrix_dir,
             ics->quota_enabled ? "quota" : "noquota",
             ics->quota_enabled && !ics->quota_first ? "pfirst" : "qfirst",
             c & 4 ? "buffers" : "all", zero[ics->zero_size]);
}

static void report(unsigned c, const char *path, const struct exec_result *r) {
    char ics_text[256];
    struct ics ics;
    char so[600];
    combination(c, &ics, so, sizeof so);
    ics_write(&ics, ics_text, sizeof ics_text);
    for (char *nl; (nl = strchr(ics_text, '\n'));)
        *nl = ';';
    fprintf(stderr, "  %s under [%s]:\n", path, ics_text);
    for (uint32_t i = 0; i < r->nfindings; i++)
        fprintf(stderr, "    finding [%s] op %u: %s; %s\n", r->f[i].clause,
                r->f[i].op, r->f[i].observed, r->f[i].detail);
    if (r->expect_unmet)
        fprintf(stderr,
                "    %u expect line(s) unmet; first at op %u: stated mask "
                "%#x, observed %s%s\n",
                r->expect_unmet, r->first_unmet.op, r->first_unmet.expected,
                prog_expect_name(r->first_unmet.observed),
                r->first_unmet.pool_refused ? " (a pool request was refused)"
                                            : "");
}

static void vectors_follow_every_ics(void) {
    unsigned runs = 0, met = 0;
    for (unsigned c = 0; c < 24; c++) {
        struct ics ics;
        struct impl impl;
        char so[600], err[512];
        combination(c, &ics, so, sizeof so);
        int loaded = impl_load(&impl, so, err, sizeof err) == 0;
        CHECK(loaded, "ICS-1");
        if (!loaded) {
            fprintf(stderr, "  %s\n", err);
            continue;
        }
        struct exec_options o;
        exec_options_default(&o);
        o.ics = ics;
        for (unsigned v = 0; v < nvec; v++) {
            struct exec_result r;
            if (!ics_vector_applies(&ics, progs[v], NULL))
                continue;
            int rc = exec_run(progs[v], &impl, &o, &r);
            runs++;
            met += r.expect_met;
            int ok = rc == 0 && r.nfindings == 0 && r.expect_unmet == 0;
            CHECK(ok, "ICS-1");
            if (!ok)
                report(c, paths[v], &r);
        }
        impl_unload(&impl);
    }
    printf("%u vector runs over 24 ICS combinations, %u expect lines met\n",
           runs, met);
    CHECK(runs > 24 && met > runs, "ICS-1");
}

int main(int argc, char **argv) {
    static const struct th_test tests[] = {TEST(vectors_follow_every_ics)};
    if (argc < 3) {
        fprintf(stderr, "usage: test_vectors MATRIX_DIR FILE|DIR...\n");
        return 2;
    }
    matrix_dir = argv[1];
    for (int i = 2; i < argc; i++)
        load(argv[i]);
    if (nvec == 0) {
        fprintf(stderr, "no vectors found\n");
        return 1;
    }
    int rc = th_run(tests, 1, 1, argv);
    for (unsigned v = 0; v < nvec; v++)
        free(progs[v]);
    return rc;
}
