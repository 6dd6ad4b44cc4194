/*
 * rangemap: a treap of disjoint half-open ranges [start, end), ordered by
 * start, max-heap ordered by a priority drawn from an xorshift32 generator
 * seeded in rmap_init (so the tree shape is a function of the operation
 * sequence alone: runs are reproducible).
 *
 * Every operation walks one root-to-leaf path, iteratively (split and merge
 * use pointer-to-pointer cursors): O(height) time, O(1) stack, and the
 * expected height of a treap is O(log n).
 */
#include "rangemap.h"

#define RMAP_SEED 2463534242u /* xorshift32 start state (must be non-zero) */

/* Next priority: Marsaglia's xorshift32 (never 0 from a non-zero state). */
static uint32_t rmap_prio(struct rmap *m) {
    uint32_t x = m->seed;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    m->seed = x;
    return x;
}

void rmap_init(struct rmap *m) {
    m->root = NULL;
    m->count = 0;
    m->seed = RMAP_SEED;
}

/* The node with the greatest start <= key, or NULL. */
static struct rmap_node *rmap_floor(const struct rmap *m, uintptr_t key) {
    struct rmap_node *t = m->root;
    struct rmap_node *best = NULL;
    while (t) {
        if (t->start <= key) {
            best = t;
            t = t->right;
        } else {
            t = t->left;
        }
    }
    return best;
}

/* Split t into nodes with start < key (*l) and start >= key (*r). */
static void rmap_split(struct rmap_node *t, uintptr_t key, struct rmap_node **l,
                       struct rmap_node **r) {
    while (t) {
        if (t->start < key) {
            *l = t;
            l = &t->right;
            t = t->right;
        } else {
            *r = t;
            r = &t->left;
            t = t->left;
        }
    }
    *l = NULL;
    *r = NULL;
}

/* Merge two treaps where every start in a is below every start in b. */
static struct rmap_node *rmap_merge(struct rmap_node *a, struct rmap_node *b) {
    struct rmap_node *root = NULL;
    struct rmap_node **pp = &root;
    while (a && b) {
        if (a->prio > b->prio) {
            *pp = a;
            pp = &a->right;
            a = a->right;
        } else {
            *pp = b;
            pp = &b->left;
            b = b->left;
        }
    }
    *pp = a ? a : b;
    return root;
}

int rmap_insert(struct rmap *m, struct rmap_node *n, struct rmap_node **clash) {
    struct rmap_node *c = NULL;
    if (n->start >= n->end) { /* empty or inverted: refuse, nothing clashes */
        if (clash)
            *clash = NULL;
        return -1;
    }
    c = rmap_overlap(m, n->start, n->end);
    if (clash)
        *clash = c;
    if (c)
        return -1;
    n->prio = rmap_prio(m);
    struct rmap_node **pp = &m->root;
    while (*pp && (*pp)->prio >= n->prio)
        pp = n->start < (*pp)->start ? &(*pp)->left : &(*pp)->right;
    rmap_split(*pp, n->start, &n->left, &n->right);
    *pp = n;
    m->count++;
    return 0;
}

void rmap_remove(struct rmap *m, struct rmap_node *n) {
    struct rmap_node **pp = &m->root;
    while (*pp && *pp != n)
        pp = n->start < (*pp)->start ? &(*pp)->left : &(*pp)->right;
    if (!*pp) /* not in the map: a caller bug, but never crash on it */
        return;
    *pp = rmap_merge(n->left, n->right);
    n->left = NULL;
    n->right = NULL;
    m->count--;
}

struct rmap_node *rmap_find(const struct rmap *m, uintptr_t addr) {
    struct rmap_node *n = rmap_floor(m, addr);
    return n && addr < n->end ? n : NULL;
}

/* Ranges are disjoint, so the only candidate is the node with the greatest
 * start < end: any node further left ends at or before that one starts. */
struct rmap_node *rmap_overlap(const struct rmap *m, uintptr_t start,
                               uintptr_t end) {
    if (start >= end)
        return NULL;
    struct rmap_node *n = rmap_floor(m, end - 1);
    return n && n->end > start ? n : NULL;
}

struct rmap_node *rmap_first(const struct rmap *m) {
    struct rmap_node *t = m->root;
    while (t && t->left)
        t = t->left;
    return t;
}

struct rmap_node *rmap_next(const struct rmap *m, const struct rmap_node *n) {
    struct rmap_node *t = m->root;
    struct rmap_node *best = NULL;
    while (t) {
        if (t->start > n->start) {
            best = t;
            t = t->left;
        } else {
            t = t->right;
        }
    }
    return best;
}

/* Check the subtree t (priorities at most prio): in order, disjoint, heap
 * ordered, ranges after *last_end when *any is set. Adds its
 * nodes to *n and sets *last_end to the end of its last range. Recursive:
 * depth is the tree's height, O(log n) expected. */
static const char *rmap_check_tree(const struct rmap_node *t, uint32_t prio,
                                   uintptr_t *last_end, int *any, size_t *n) {
    const char *why;
    if (!t)
        return NULL;
    if (t->prio > prio)
        return "a node's priority is above its parent's";
    if ((why = rmap_check_tree(t->left, t->prio, last_end, any, n)) != NULL)
        return why;
    if (t->start >= t->end)
        return "a range is empty or inverted";
    if (*any && t->start < *last_end)
        return "ranges overlap or are out of order";
    *last_end = t->end;
    *any = 1;
    (*n)++;
    return rmap_check_tree(t->right, t->prio, last_end, any, n);
}

const char *rmap_check(const struct rmap *m) {
    uintptr_t last_end = 0;
    int any = 0;
    size_t n = 0;
    const char *why = rmap_check_tree(m->root, UINT32_MAX, &last_end, &any, &n);
    if (!why && n != m->count)
        why = "the node count differs from the nodes in the tree";
    return why;
}
