/*
 * rangemap: an address-ordered set of disjoint half-open ranges [start, end)
 * with O(log n) insert, remove, point lookup and overlap query. Intrusive:
 * the caller embeds a struct rmap_node in its own record and owns memory.
 * Used by the kernel stand-in (live pool blocks) and the executor (ranges
 * handed to the caller). Implemented as a treap with deterministic priorities.
 */
#ifndef VPCERT_RANGEMAP_H
#define VPCERT_RANGEMAP_H

#include <stddef.h>
#include <stdint.h>

struct rmap_node {
    uintptr_t start;         /* first address of the range */
    uintptr_t end;           /* one past the last address (> start) */
    struct rmap_node *left;  /* treap child, lower addresses */
    struct rmap_node *right; /* treap child, higher addresses */
    uint32_t prio;           /* treap heap priority */
};

struct rmap {
    struct rmap_node *root; /* treap root, NULL when empty */
    size_t count;           /* nodes in the map */
    uint32_t seed;          /* priority generator state (deterministic) */
};

void rmap_init(struct rmap *m);
/* Insert n (n->start < n->end). Returns 0, or -1 without inserting when
 * [start,end) overlaps a node already present (that node in *clash). */
int rmap_insert(struct rmap *m, struct rmap_node *n, struct rmap_node **clash);
/* Remove n, which must be in the map. */
void rmap_remove(struct rmap *m, struct rmap_node *n);
/* The node whose range contains addr, or NULL. */
struct rmap_node *rmap_find(const struct rmap *m, uintptr_t addr);
/* Some node overlapping [start,end), or NULL. */
struct rmap_node *rmap_overlap(const struct rmap *m, uintptr_t start,
                               uintptr_t end);
/* Smallest node, and in-order successor (for walks; O(log n) each). */
struct rmap_node *rmap_first(const struct rmap *m);
struct rmap_node *rmap_next(const struct rmap *m, const struct rmap_node *n);
/* The map's own invariants (ranges disjoint and in order, heap order of
 * priorities, count), or NULL when they hold. O(n); for the expensive
 * checks (VPCERT_EXPENSIVE_CHECKS) and tests. */
const char *rmap_check(const struct rmap *m);

#endif /* VPCERT_RANGEMAP_H */
