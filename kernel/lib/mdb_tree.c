/* SPDX-License-Identifier: BSD-2-Clause */
/* Mapping-database tree: linking, access bits, removal and revocation.
 *
 * Children hang off their parent in an intrusive list, and every node knows
 * its parent, so all walks here are iterative (no recursion on the kernel
 * stack) and visit each node of the affected subtree a constant number of
 * times.  A child's frames lie inside its parent's, so a walk restricted to
 * a frame range can prune whole subtrees at their top.
 */
#include <kernel/mdb.h>

void mdb_node_init(mdb_node_t *n, mdb_space_t *s, mdb_node_t *parent, word_t va,
                   unsigned size_log2, paddr_t pa, unsigned rights)
{
    list_init(&n->siblings);
    list_init(&n->children);
    n->parent = NULL;
    n->space = s;
    n->size_log2 = size_log2 & 0x3F;
    n->rights = rights & FPAGE_RIGHTS_ALL;
    n->status = 0;
    n->vpn = va >> MDB_VA_SHIFT;
    n->pa = pa;
    if (parent) {
        mdb_link(parent, n);
    }
}

void mdb_link(mdb_node_t *parent, mdb_node_t *child)
{
    child->parent = parent;
    list_add_tail(&parent->children, &child->siblings);
}

bool mdb_is_ancestor_or_self(const mdb_node_t *a, const mdb_node_t *n)
{
    for (; n; n = n->parent) {
        if (n == a) {
            return true;
        }
    }
    return false;
}

unsigned mdb_harvest(mdb_t *m, mdb_node_t *n, bool whole)
{
    unsigned bits = n->status;
    if (!mdb_is_root(n)) {
        bits |= m->ops->status(n->space, mdb_node_va(n), n->size_log2) & FPAGE_RIGHTS_ALL;
    }
    n->status = whole ? 0 : bits;
    return bits;
}

/* Take one node out of everything: page table, index, parent, memory. */
static void drop(mdb_t *m, mdb_node_t *n)
{
    MDB_ASSERT(list_empty(&n->children));
    if (!mdb_is_root(n)) {
        m->ops->remove(n->space, mdb_node_va(n), n->size_log2);
        list_del(&n->siblings);
    }
    mdb_idx_remove(m, n->space, n);
    n->space->nodes--;
    mdb_refund(m, n->space, 1, 0);
    mdb_node_free(m, n);
}

/* Post-order: descend to a leaf, drop it, continue from its parent. */
unsigned mdb_remove_subtree(mdb_t *m, mdb_node_t *top, bool collect)
{
    unsigned bits = 0;
    mdb_node_t *n = top;
    for (;;) {
        mdb_node_t *c;
        while ((c = mdb_first_child(n))) {
            n = c;
        }
        mdb_node_t *up = n->parent;
        bool last = n == top;
        if (collect) {
            bits |= mdb_harvest(m, n, true);
        }
        drop(m, n);
        if (last) {
            return bits;
        }
        n = up;
    }
}

static bool overlaps(const mdb_node_t *n, paddr_t lo, paddr_t hi)
{
    return n->pa <= hi && lo <= n->pa + MASK(n->size_log2);
}

/* First node on the sibling list from pos on whose frames overlap [lo, hi]. */
static mdb_node_t *overlapping_from(list_node_t *pos, list_node_t *head, paddr_t lo, paddr_t hi)
{
    for (; pos != head; pos = pos->next) {
        mdb_node_t *c = container_of(pos, mdb_node_t, siblings);
        if (overlaps(c, lo, hi)) {
            return c;
        }
    }
    return NULL;
}

/* Pre-order successor of n below top, skipping subtrees outside [lo, hi];
 * with descend false, n's own subtree is skipped too. */
static mdb_node_t *next_in(mdb_node_t *top, mdb_node_t *n, bool descend, paddr_t lo, paddr_t hi)
{
    if (descend) {
        mdb_node_t *c = overlapping_from(n->children.next, &n->children, lo, hi);
        if (c) {
            return c;
        }
    }
    while (n != top) {
        mdb_node_t *p = n->parent;
        mdb_node_t *c = overlapping_from(n->siblings.next, &p->children, lo, hi);
        if (c) {
            return c;
        }
        n = p;
    }
    return NULL;
}

/* Syscalls.md §8: the revoked rights go from every derived mapping; one
 * left with no rights is removed with everything below it (whose rights are
 * a subset).  Rights of the remaining nodes shrink by the same mask, so
 * "child rights within parent rights" holds throughout. */
unsigned mdb_revoke_derived(mdb_t *m, mdb_node_t *top, paddr_t plo, paddr_t phi,
                            unsigned rights, bool collect)
{
    unsigned bits = 0;
    mdb_node_t *n = next_in(top, top, true, plo, phi);
    while (n) {
        unsigned keep = n->rights & ~rights;
        if (keep == 0) {
            mdb_node_t *next = next_in(top, n, false, plo, phi);
            bits |= mdb_remove_subtree(m, n, collect);
            n = next;
            continue;
        }
        if (collect) {
            bool whole = n->pa >= plo && n->pa + MASK(n->size_log2) <= phi;
            bits |= mdb_harvest(m, n, whole);
        }
        if (keep != n->rights) {
            n->rights = keep;
            m->ops->protect(n->space, mdb_node_va(n), n->size_log2, keep);
        }
        n = next_in(top, n, true, plo, phi);
    }
    return bits;
}
