/* certify_cases: the cases of a certification, family by family: the
 * conformance vectors that apply under the ICS and the regression corpus
 * (built into vpcert, or from --corpus DIR), then the generated families
 * of harness/cases (scale, sizes, quotas, exhaustive, random, and under
 * a thread-safe ICS concurrent). Each case is kept in binary form. */
#include "certify.h"

#include "clauses.h"
#include "cli.h"
#include "corpus.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cert_add_case(struct cert_run *c, enum cases_family f, const char *name,
                  const struct program *p, unsigned char *cites) {
    size_t n = prog_encode(p, NULL, 0);
    uint8_t *bin = malloc(n);
    if (c->ncases == CERT_MAX_CASES || !bin) {
        fprintf(stderr, "vpcert certify: %s\n",
                bin ? "more cases than one run holds" : "out of memory");
        free(bin);
        free(cites);
        return -1;
    }
    prog_encode(p, bin, n);
    struct cert_case *cs = &c->cases[c->ncases++];
    snprintf(cs->name, sizeof cs->name, "%s", name);
    cs->family = (uint8_t)f;
    cs->bin = bin;
    cs->len = (uint32_t)n;
    cs->holds = prog_holds(p);
    cs->cites = cites;
    /* a base program of the concurrent family: its number in the family */
    cs->conc = f == CASES_CONCURRENT ? (int)c->family[f].planned : -1;
    cs->schedule = 0;
    cs->points = NULL;
    c->family[f].planned++;
    return (int)c->ncases - 1;
}

int cert_case_program(const struct cert_case *cs, struct program *p) {
    return prog_decode(cs->bin, cs->len, p) == PROG_DECODE_OK ? 0 : -1;
}

/* The files of corpus/SUB as cases of family f (vectors: those that apply
 * under the ICS). A binary program's expect bits are a fuzzer's bytes and
 * mean nothing: they are cleared. */
static int load_files(struct cert_run *c, const char *sub, enum cases_family f,
                      struct program *p) {
    struct corpus_items items;
    int rc = corpus_items_of(c->cfg.corpus, sub, &items);
    if (rc == 0 && items.n == 0 && f == CASES_CONFORMANCE) {
        fprintf(stderr, "vpcert certify: no conformance vectors in %s%s\n",
                c->cfg.corpus ? c->cfg.corpus : "this vpcert",
                c->cfg.corpus ? "/conformance" : " (built without corpus/)");
        rc = -1;
    }
    for (size_t i = 0; rc == 0 && i < items.n; i++) {
        unsigned char *cites = calloc(spec_clause_count(), 1);
        if (!cites || corpus_item_program(&items.v[i], p, cites) != 0) {
            free(cites);
            rc = -1;
            break;
        }
        if (!cli_is_text_program(items.v[i].name))
            for (uint32_t k = 0; k < p->nops; k++)
                p->ops[k].expect = 0;
        if (f == CASES_CONFORMANCE &&
            !ics_vector_applies(&c->cfg.ics, p, cites)) {
            free(cites);
            continue;
        }
        rc = cert_add_case(c, f, items.v[i].name, p, cites) < 0 ? -1 : 0;
    }
    corpus_items_free(&items);
    return rc;
}

static int add_generated(void *ctx, enum cases_family f, const char *name,
                         const struct program *p) {
    return cert_add_case(ctx, f, name, p, NULL) < 0 ? -1 : 0;
}

int cert_cases_load(struct cert_run *c) {
    struct program *p = malloc(sizeof *p);
    const unsigned pool = SVC_ALLOCATE_POOL | SVC_FREE_POOL;
    struct cases_options o = {
        (c->cfg.ics.services & pool) == pool, c->cfg.seed, c->cfg.random_cases,
        c->cfg.ics.thread_safe ? c->cfg.conc_programs : 0};
    int rc = p ? 0 : -1;
    if (rc == 0)
        rc = load_files(c, "conformance", CASES_CONFORMANCE, p);
    if (rc == 0)
        rc = load_files(c, "regressions", CASES_REGRESSIONS, p);
    free(p);
    for (unsigned f = CASES_SCALE; rc == 0 && f < CASES_FAMILY_COUNT; f++)
        rc = cases_generate((enum cases_family)f, &o, add_generated, c);
    if (rc != 0)
        fprintf(stderr, "vpcert certify: the cases could not be made\n");
    return rc;
}
