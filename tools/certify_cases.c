/* certify_cases: the cases of a certification, in order: the conformance
 * vectors that apply under the ICS, the regression corpus, then seeded
 * random programs from the differential generator. */
#include "certify.h"

#include "clauses.h"
#include "cli.h"
#include "corpus.h"
#include "os.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int add_case(struct cert_run *c, const char *name, struct program *p,
                    unsigned char *cites) {
    if (c->ncases == CERT_MAX_CASES) {
        free(p);
        free(cites);
        return 0;
    }
    struct cert_case *cs = &c->cases[c->ncases++];
    snprintf(cs->name, sizeof cs->name, "%.199s", name);
    cs->p = p;
    cs->cites = cites;
    return 0;
}

/* Load one file of corpus/SUB as a case (vectors: when it applies). */
static void load_case(struct cert_run *c, const char *sub, const char *path,
                      int vectors) {
    struct program *p = malloc(sizeof *p);
    unsigned char *cites = calloc(spec_clause_count(), 1);
    int ok = p && cites && cli_load_program(path, p) == 0;
    if (ok)
        corpus_cites(path, p, cites);
    if (ok && !cli_is_text_program(path))      /* a fuzzer's bytes: */
        for (uint32_t k = 0; k < p->nops; k++) /* expect bits mean nothing */
            p->ops[k].expect = 0;
    if (ok && (!vectors || ics_vector_applies(&c->cfg.ics, p, cites))) {
        char name[256];
        snprintf(name, sizeof name, "%s/%s", sub, strrchr(path, '/') + 1);
        add_case(c, name, p, cites);
    } else {
        free(p);
        free(cites);
    }
}

static void load_dir(struct cert_run *c, const char *sub, int vectors) {
    char dir[1024];
    struct corpus files = {0};
    snprintf(dir, sizeof dir, "%s/%s", c->cfg.corpus, sub);
    if (os_is_dir(dir))
        corpus_add(&files, dir);
    for (size_t i = 0; i < files.n; i++)
        load_case(c, sub, files.v[i], vectors);
    corpus_free(&files);
}

static uint64_t next_rand(uint64_t *s) {
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* Random programs: random bytes through the total decoder, so they are
 * exactly what the differential fuzzer explores, reproducible from seed. */
static void add_random(struct cert_run *c) {
    uint64_t s = c->cfg.seed * 0x9E3779B97F4A7C15ull + 1;
    uint8_t bytes[600];
    for (unsigned i = 0; i < c->cfg.random_cases; i++) {
        size_t len = 24 + next_rand(&s) % (sizeof bytes - 24);
        for (size_t j = 0; j < len; j++)
            bytes[j] = (uint8_t)next_rand(&s);
        bytes[0] = 1;
        struct program *p = malloc(sizeof *p);
        if (!p)
            return;
        prog_decode(bytes, len, p);
        for (uint32_t k = 0; k < p->nops; k++)
            p->ops[k].expect = 0; /* random expectations mean nothing */
        if (!(c->cfg.ics.services & SVC_ALLOCATE_POOL) ||
            !(c->cfg.ics.services & SVC_FREE_POOL))
            for (uint32_t k = 0; k < p->nops; k++)
                if (p->ops[k].code == PROG_OP_ALLOC_POOL ||
                    p->ops[k].code == PROG_OP_FREE_POOL)
                    p->ops[k].code = PROG_OP_TOUCH;
        char name[64];
        snprintf(name, sizeof name, "random/seed-%llu-%u",
                 (unsigned long long)c->cfg.seed, i);
        add_case(c, name, p, NULL);
    }
}

void cert_cases_load(struct cert_run *c) {
    load_dir(c, "conformance", 1);
    load_dir(c, "regressions", 0);
    add_random(c);
}
