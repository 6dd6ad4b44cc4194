/*
 * test_rangemap: the treap behind the kernel stand-in's block lookup (used for
 * KP-FREE-1, KP-FREE-2 and BUF-2 decisions) checked against a brute-force
 * array model over a long deterministic random sequence, plus adjacency,
 * clash reporting, walks and a 100000-node tree.
 */
#include <stdint.h>

#include "rangemap.h"
#include "testhelper.h"

#define RM_CLAUSE "KP-FREE-1" /* the lookups these tests prove decide it */

/* Deterministic test generator (xorshift64). */
static uint64_t rm_rng = 0x9E3779B97F4A7C15ull;
static uint64_t rm_rand(void) {
    rm_rng ^= rm_rng << 13;
    rm_rng ^= rm_rng >> 7;
    rm_rng ^= rm_rng << 17;
    return rm_rng;
}

static struct rmap_node rm_node(uintptr_t start, uintptr_t end) {
    struct rmap_node n = {start, end, NULL, NULL, 0};
    return n;
}

/* Height and order/heap invariants of the subtree at t (recursion depth is
 * the tree height, which these tests bound). Returns -1 when broken. */
static int rm_check_tree(const struct rmap_node *t, uintptr_t lo,
                         uintptr_t hi) {
    if (!t)
        return 0;
    if (t->start < lo || t->end > hi || t->start >= t->end)
        return -1;
    if ((t->left && t->left->prio > t->prio) ||
        (t->right && t->right->prio > t->prio))
        return -1;
    int l = rm_check_tree(t->left, lo, t->start);
    int r = rm_check_tree(t->right, t->end, hi);
    if (l < 0 || r < 0)
        return -1;
    return 1 + (l > r ? l : r);
}

static void rangemap_adjacent_ranges_do_not_overlap(void) {
    struct rmap m;
    rmap_init(&m);
    struct rmap_node a = rm_node(100, 200), b = rm_node(200, 300);
    struct rmap_node *clash = &a;
    CHECK(rmap_insert(&m, &a, &clash) == 0 && clash == NULL, RM_CLAUSE);
    CHECK(rmap_insert(&m, &b, &clash) == 0 && clash == NULL, RM_CLAUSE);
    CHECK(rmap_find(&m, 199) == &a, RM_CLAUSE);
    CHECK(rmap_find(&m, 200) == &b, RM_CLAUSE);
    CHECK(rmap_find(&m, 99) == NULL, RM_CLAUSE);
    CHECK(rmap_find(&m, 300) == NULL, RM_CLAUSE);
    CHECK(rmap_overlap(&m, 0, 100) == NULL, RM_CLAUSE);
    CHECK(rmap_overlap(&m, 300, 400) == NULL, RM_CLAUSE);
    CHECK(rmap_overlap(&m, 99, 101) == &a, RM_CLAUSE);
    CHECK(rmap_overlap(&m, 299, 1000) == &b, RM_CLAUSE);
    CHECK(rmap_overlap(&m, 150, 150) == NULL, RM_CLAUSE); /* empty query */
    CHECK(rmap_first(&m) == &a && rmap_next(&m, &a) == &b, RM_CLAUSE);
    CHECK(rmap_next(&m, &b) == NULL, RM_CLAUSE);
    CHECK_EQ_U64(m.count, 2, RM_CLAUSE);
}

static void rangemap_clash_is_reported(void) {
    struct rmap m;
    rmap_init(&m);
    struct rmap_node a = rm_node(100, 200), b = rm_node(150, 160);
    struct rmap_node c = rm_node(50, 101), d = rm_node(199, 250);
    struct rmap_node e = rm_node(10, 10), f = rm_node(0, 1000);
    struct rmap_node *clash = NULL;
    CHECK(rmap_insert(&m, &a, NULL) == 0, RM_CLAUSE);
    CHECK(rmap_insert(&m, &b, &clash) == -1 && clash == &a, RM_CLAUSE);
    clash = NULL;
    CHECK(rmap_insert(&m, &c, &clash) == -1 && clash == &a, RM_CLAUSE);
    clash = NULL;
    CHECK(rmap_insert(&m, &d, &clash) == -1 && clash == &a, RM_CLAUSE);
    clash = NULL;
    CHECK(rmap_insert(&m, &f, &clash) == -1 && clash == &a, RM_CLAUSE);
    clash = &a;
    CHECK(rmap_insert(&m, &e, &clash) == -1 && clash == NULL, RM_CLAUSE);
    CHECK_EQ_U64(m.count, 1, RM_CLAUSE);
    rmap_remove(&m, &a);
    CHECK(rmap_insert(&m, &b, &clash) == 0, RM_CLAUSE);
    CHECK(rmap_find(&m, 120) == NULL && rmap_find(&m, 155) == &b, RM_CLAUSE);
}

static void rangemap_top_of_address_space(void) {
    struct rmap m;
    rmap_init(&m);
    struct rmap_node a = rm_node(UINTPTR_MAX - 10, UINTPTR_MAX);
    struct rmap_node b = rm_node(0, 1);
    CHECK(rmap_insert(&m, &a, NULL) == 0, RM_CLAUSE);
    CHECK(rmap_insert(&m, &b, NULL) == 0, RM_CLAUSE);
    CHECK(rmap_find(&m, UINTPTR_MAX - 1) == &a, RM_CLAUSE);
    CHECK(rmap_find(&m, UINTPTR_MAX) == NULL, RM_CLAUSE);
    CHECK(rmap_find(&m, 0) == &b && rmap_find(&m, 1) == NULL, RM_CLAUSE);
    CHECK(rmap_overlap(&m, 1, UINTPTR_MAX - 10) == NULL, RM_CLAUSE);
    CHECK(rmap_overlap(&m, 1, UINTPTR_MAX) == &a, RM_CLAUSE);
}

#define RM_SLOTS 512    /* model ranges */
#define RM_SPACE 20000u /* address space of the random sequence */
#define RM_STEPS 200000 /* operations in the random sequence */

struct rm_model {
    struct rmap_node node[RM_SLOTS]; /* candidate ranges */
    int in[RM_SLOTS];                /* 1: node[i] is in the map */
};

/* Brute force: slot of the present range overlapping [s,e), or -1. */
static int rm_model_overlap(const struct rm_model *md, uintptr_t s,
                            uintptr_t e) {
    for (int i = 0; i < RM_SLOTS; i++)
        if (md->in[i] && md->node[i].start < e && s < md->node[i].end)
            return i;
    return -1;
}

static void rm_step_insert(struct rmap *m, struct rm_model *md, int i) {
    uintptr_t s = (uintptr_t)(rm_rand() % RM_SPACE);
    uintptr_t len = (uintptr_t)(1 + rm_rand() % 64);
    md->node[i] = rm_node(s, s + len);
    int want = rm_model_overlap(md, s, s + len);
    struct rmap_node *clash = NULL;
    int rc = rmap_insert(m, &md->node[i], &clash);
    CHECK(rc == (want >= 0 ? -1 : 0), RM_CLAUSE);
    if (rc == 0)
        md->in[i] = 1;
    else
        CHECK(clash && clash->start < s + len && s < clash->end, RM_CLAUSE);
}

static void rm_step_query(const struct rmap *m, const struct rm_model *md) {
    uintptr_t a = (uintptr_t)(rm_rand() % (RM_SPACE + 100));
    int want = rm_model_overlap(md, a, a + 1);
    struct rmap_node *got = rmap_find(m, a);
    CHECK(want < 0 ? got == NULL : got == &md->node[want], RM_CLAUSE);
    uintptr_t e = a + 1 + (uintptr_t)(rm_rand() % 100);
    want = rm_model_overlap(md, a, e);
    got = rmap_overlap(m, a, e);
    if (want < 0)
        CHECK(got == NULL, RM_CLAUSE);
    else
        CHECK(got && got->start < e && a < got->end, RM_CLAUSE);
}

/* In-order walk equals the model's present ranges, sorted. */
static void rm_check_walk(const struct rmap *m, const struct rm_model *md) {
    size_t n = 0;
    uintptr_t prev_end = 0;
    int ordered = 1;
    for (struct rmap_node *t = rmap_first(m); t; t = rmap_next(m, t)) {
        ordered &= n == 0 || t->start >= prev_end;
        prev_end = t->end;
        n++;
    }
    size_t want = 0;
    for (int i = 0; i < RM_SLOTS; i++)
        want += (size_t)md->in[i];
    CHECK(ordered, RM_CLAUSE);
    CHECK_EQ_U64(n, want, RM_CLAUSE);
    CHECK_EQ_U64(m->count, want, RM_CLAUSE);
    CHECK(rm_check_tree(m->root, 0, UINTPTR_MAX) >= 0, RM_CLAUSE);
    CHECK(rmap_check(m) == NULL, RM_CLAUSE);
}

static void rangemap_random_sequence_matches_model(void) {
    static struct rm_model md;
    struct rmap m;
    rmap_init(&m);
    int before = th_failures;
    for (int step = 0; step < RM_STEPS && th_failures == before; step++) {
        int i = (int)(rm_rand() % RM_SLOTS);
        if (md.in[i]) {
            rmap_remove(&m, &md.node[i]);
            md.in[i] = 0;
        } else {
            rm_step_insert(&m, &md, i);
        }
        rm_step_query(&m, &md);
        if (step % 5000 == 0)
            rm_check_walk(&m, &md);
    }
    rm_check_walk(&m, &md);
}

#define RM_BIG 100000

static void rangemap_100000_nodes(void) {
    static struct rmap_node nodes[RM_BIG];
    static int order[RM_BIG];
    struct rmap m;
    rmap_init(&m);
    for (int i = 0; i < RM_BIG; i++) {
        nodes[i] = rm_node((uintptr_t)i * 16, (uintptr_t)i * 16 + 1 + i % 15);
        order[i] = i;
    }
    for (int i = RM_BIG - 1; i > 0; i--) { /* shuffle the insert order */
        int j = (int)(rm_rand() % (uint64_t)(i + 1));
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    int ok = 1;
    for (int i = 0; i < RM_BIG; i++)
        ok &= rmap_insert(&m, &nodes[order[i]], NULL) == 0;
    CHECK(ok, RM_CLAUSE);
    CHECK_EQ_U64(m.count, RM_BIG, RM_CLAUSE);
    int h = rm_check_tree(m.root, 0, UINTPTR_MAX);
    CHECK(h > 0 && h < 80, RM_CLAUSE); /* log2(1e5) ~ 17; treaps ~3x */
    for (int i = 0; i < RM_BIG; i++) {
        uintptr_t s = nodes[i].start;
        ok &= rmap_find(&m, nodes[i].end - 1) == &nodes[i];
        ok &= rmap_find(&m, nodes[i].end) == NULL;
        ok &= rmap_overlap(&m, s, s + 16) == &nodes[i];
    }
    CHECK(ok, RM_CLAUSE);
    size_t n = 0;
    for (struct rmap_node *t = rmap_first(&m); t; t = rmap_next(&m, t))
        ok &= t == &nodes[n++];
    CHECK(ok && n == RM_BIG, RM_CLAUSE);
    for (int i = 0; i < RM_BIG; i += 2)
        rmap_remove(&m, &nodes[order[i]]);
    CHECK_EQ_U64(m.count, RM_BIG / 2, RM_CLAUSE);
    CHECK(rm_check_tree(m.root, 0, UINTPTR_MAX) > 0, RM_CLAUSE);
    static char gone[RM_BIG];
    for (int i = 0; i < RM_BIG; i += 2)
        gone[order[i]] = 1;
    for (int i = 0; i < RM_BIG; i++)
        ok &= rmap_find(&m, nodes[i].start) == (gone[i] ? NULL : &nodes[i]);
    CHECK(ok, RM_CLAUSE);
    for (int i = 1; i < RM_BIG; i += 2)
        rmap_remove(&m, &nodes[order[i]]);
    CHECK(m.count == 0 && m.root == NULL, RM_CLAUSE);
}

static void rangemap_deterministic_shape(void) {
    struct rmap a, b;
    struct rmap_node na[64], nb[64];
    rmap_init(&a);
    rmap_init(&b);
    for (int i = 0; i < 64; i++) {
        na[i] = rm_node((uintptr_t)(i * 7 % 64) * 4,
                        (uintptr_t)(i * 7 % 64) * 4 + 2);
        nb[i] = na[i];
        rmap_insert(&a, &na[i], NULL);
        rmap_insert(&b, &nb[i], NULL);
    }
    int same = 1;
    for (int i = 0; i < 64; i++)
        same &= na[i].prio == nb[i].prio;
    CHECK(same, RM_CLAUSE);
    CHECK(a.root - na == b.root - nb, RM_CLAUSE);
}

/* rmap_check (the expensive checks) finds each kind of damage. */
static void rangemap_check_finds_damage(void) {
    static struct rmap_node n[64];
    struct rmap m;
    rmap_init(&m);
    for (int i = 0; i < 64; i++) {
        n[i] = rm_node((uintptr_t)(i + 1) * 32, (uintptr_t)(i + 1) * 32 + 16);
        CHECK(rmap_insert(&m, &n[i], NULL) == 0, RM_CLAUSE);
    }
    CHECK(rmap_check(&m) == NULL, RM_CLAUSE);
    m.count++;
    CHECK(rmap_check(&m) != NULL, RM_CLAUSE);
    m.count--;
    n[10].end = n[11].start + 1; /* overlaps its neighbour */
    CHECK(rmap_check(&m) != NULL, RM_CLAUSE);
    n[10].end = n[10].start; /* empty */
    CHECK(rmap_check(&m) != NULL, RM_CLAUSE);
    n[10].end = n[10].start + 16;
    uint32_t prio = m.root->prio;
    m.root->prio = 0; /* below its children (xorshift never draws 0) */
    CHECK(rmap_check(&m) != NULL, RM_CLAUSE);
    m.root->prio = prio;
    CHECK(rmap_check(&m) == NULL, RM_CLAUSE);
}

TEST_MAIN(TEST(rangemap_adjacent_ranges_do_not_overlap),
          TEST(rangemap_clash_is_reported), TEST(rangemap_top_of_address_space),
          TEST(rangemap_random_sequence_matches_model),
          TEST(rangemap_100000_nodes), TEST(rangemap_deterministic_shape),
          TEST(rangemap_check_finds_damage))
