/* SPDX-License-Identifier: BSD-2-Clause */
/* Mapping-database map and grant (X.2 §5.2, spec ipc.md §4.3).
 *
 * The transfer proceeds in pieces, each one naturally aligned page that is
 * a single node on the sender side and at most one node on the receiver
 * side: its size is the largest supported size allowed by the sender's
 * node, the transfer's alignment, the receiver's existing nodes that the
 * piece would only extend, and the may_map policy.  A receiver node larger
 * than the piece is split first.  Per piece, everything that can fail
 * (splits, index tables, page-table levels, the new node) happens before
 * the first visible change, so a failure leaves whole pieces done or not.
 * Node pointers are looked up again after any split that could have
 * replaced them.
 */
#include <kernel/mdb.h>

typedef struct piece {
    mdb_node_t *src;                /* sender's node covering va */
    mdb_node_t *old;                /* receiver's node covering t, if any */
    word_t va, t;                   /* sender and receiver address */
    paddr_t pa;
    unsigned size_log2;
} piece_t;

static paddr_t pa_at(const mdb_node_t *n, word_t va)
{
    return n->pa + (va - mdb_node_va(n));
}

/* A receiver node inside [t, t + 2^size) smaller than the piece that the
 * piece would merely extend (X.2 §5.2: same source mapping, same frame). */
static bool has_smaller_extension(const mdb_t *m, const mdb_xfer_t *x, const piece_t *p)
{
    if (p->size_log2 == m->min_bits) {
        return false;
    }
    word_t last = p->t + MASK(p->size_log2);
    for (mdb_node_t *r = mdb_find(m, x->to, p->t, last); r;
         r = mdb_node_last(r) < last ? mdb_find(m, x->to, mdb_node_last(r) + 1, last) : NULL) {
        if (r->size_log2 < p->size_log2 && r->parent == p->src &&
            r->pa == p->pa + (mdb_node_va(r) - p->t)) {
            return true;
        }
    }
    return false;
}

/* Fix the piece at offset off, whose sender node is src: returns false if a
 * split ran out of memory; size_log2 = 0 means "skip the smallest page
 * here" (policy refused). */
static bool choose_piece(mdb_t *m, const mdb_xfer_t *x, word_t off, mdb_node_t *src, piece_t *p)
{
    unsigned limit = off ? (unsigned)__builtin_ctzl(off) : x->size_log2;
    if (limit > x->size_log2) {
        limit = x->size_log2;
    }
    p->va = x->from_va + off;
    p->t = x->to_va + off;
    for (;; src = NULL) {
        p->src = src ? src : mdb_lookup(m, x->from, p->va);    /* again after a split */
        MDB_ASSERT(p->src);
        unsigned sz = p->src->size_log2 < limit ? p->src->size_log2 : limit;
        p->size_log2 = mdb_size_below(m, sz);
        p->pa = pa_at(p->src, p->va);
        if (m->ops->may_map &&
            !m->ops->may_map(x->from, p->va, x->to, p->t, p->size_log2)) {
            if (p->size_log2 == m->min_bits) {
                p->size_log2 = 0;
                return true;
            }
            limit = p->size_log2 - 1;
            continue;
        }
        p->old = mdb_lookup(m, x->to, p->t);
        if (p->old && p->old->size_log2 > p->size_log2) {
            if (!mdb_split_to(m, x->to, p->t, p->size_log2)) {
                return false;
            }
            continue;
        }
        if (!x->grant && has_smaller_extension(m, x, p)) {
            limit = p->size_log2 - 1;
            continue;
        }
        return true;
    }
}

/* Same mapping again: rights only grow, never above the sender's. */
static void extend(mdb_t *m, mdb_node_t *r, unsigned rights)
{
    if ((r->rights | rights) != r->rights) {
        r->rights |= rights;
        m->ops->protect(r->space, mdb_node_va(r), r->size_log2, r->rights);
    }
}

/* Implicit unmap of the receiver's old mappings in the piece (ipc.md §4.3);
 * old is the node covering t, if any. */
static void clear_target(mdb_t *m, mdb_space_t *to, word_t t, unsigned size_log2,
                         mdb_node_t *old)
{
    if (old && old->size_log2 == size_log2) {
        mdb_remove_subtree(m, old, false);      /* the only one there */
        return;
    }
    word_t cur = t, last = t + MASK(size_log2);
    mdb_node_t *r;
    while (cur <= last && (r = mdb_find(m, to, cur, last))) {
        cur = mdb_node_last(r) + 1;
        mdb_remove_subtree(m, r, false);
    }
}

/* Grant: the sender's node moves to the receiver, keeping its parent and
 * children; reduced rights propagate down. */
static void move_node(mdb_t *m, const mdb_xfer_t *x, const piece_t *p, unsigned rights)
{
    mdb_node_t *n = p->src;
    mdb_harvest(m, n, false);       /* keep the access bits with the node */
    m->ops->remove(x->from, p->va, p->size_log2);
    mdb_idx_remove(m, x->from, n);
    x->from->nodes--;
    if (x->from != x->to) {
        mdb_refund(m, x->from, 1, 0);
    }
    n->space = x->to;
    n->vpn = p->t >> MDB_VA_SHIFT;
    mdb_idx_insert(m, x->to, n);
    x->to->nodes++;
    m->ops->install(x->to, p->t, p->size_log2, p->pa, rights);
    if (rights != n->rights) {
        n->rights = rights;
        mdb_revoke_derived(m, n, n->pa, n->pa + MASK(n->size_log2),
                           FPAGE_RIGHTS_ALL & ~rights, false);
    }
}

static bool map_piece(mdb_t *m, const mdb_xfer_t *x, word_t off, mdb_node_t *src, word_t *step)
{
    piece_t p;
    if (!choose_piece(m, x, off, src, &p)) {
        return false;
    }
    if (p.size_log2 == 0) {
        *step = BIT(m->min_bits);
        return true;
    }
    *step = BIT(p.size_log2);
    unsigned rights = x->rights & p.src->rights;
    if (!rights) {
        return true;
    }
    if (x->grant && p.src->size_log2 > p.size_log2) {
        /* Only nodes larger than the piece split: p.old stays valid. */
        if (!mdb_split_to(m, x->from, p.va, p.size_log2)) {
            return false;
        }
        p.src = mdb_lookup(m, x->from, p.va);
    }
    mdb_node_t *old = p.old;
    if (old && old->size_log2 == p.size_log2) {
        /* Replacing an ancestor would pull the source away under us. */
        if (mdb_is_ancestor_or_self(old, p.src)) {
            return true;
        }
        if (!x->grant && old->parent == p.src && old->pa == p.pa) {
            extend(m, old, rights);
            return true;
        }
    }
    if (!mdb_idx_prepare(m, x->to, p.t, mdb_level_of(m, p.size_log2)) ||
        !m->ops->prepare(x->to, p.t, p.size_log2)) {
        return false;
    }
    /* The receiver pays for the node, new or granted (docs/kmem.md). */
    bool moves = !x->grant || x->from != x->to;
    if (moves && !mdb_charge(m, x->to, 1, 0)) {
        return false;
    }
    mdb_node_t *n = NULL;
    if (!x->grant && !(n = mdb_node_alloc(m))) {
        mdb_refund(m, x->to, 1, 0);
        return false;
    }
    /* Nothing below can fail. */
    clear_target(m, x->to, p.t, p.size_log2, old);
    if (x->grant) {
        move_node(m, x, &p, rights);
        return true;
    }
    mdb_node_init(n, x->to, p.src, p.t, p.size_log2, p.pa, rights);
    mdb_idx_insert(m, x->to, n);
    x->to->nodes++;
    m->ops->install(x->to, p.t, p.size_log2, p.pa, rights);
    return true;
}

bool mdb_map(mdb_t *m, const mdb_xfer_t *req)
{
    mdb_xfer_t x = *req;
    unsigned sz = x.size_log2;
    if (sz < m->min_bits || sz > m->va_bits || (x.from_va >> m->va_bits) ||
        (x.to_va >> m->va_bits) || x.to->sigma0) {
        return true;                /* nothing that can be mapped, or into sigma0 */
    }
    MDB_ASSERT(IS_ALIGNED(x.from_va | x.to_va, BIT(sz)));
    x.grant = x.grant && !x.from->sigma0;   /* sigma0 keeps its idempotent mapping */
    word_t last = MASK(sz), off = 0;
    for (;;) {
        if (x.from->sigma0) {
            unsigned align = off ? (unsigned)__builtin_ctzl(off) : sz;
            if (!mdb_root_cover(m, x.from, x.from_va + off,
                                mdb_size_below(m, align < sz ? align : sz))) {
                return false;
            }
        }
        mdb_node_t *n = mdb_find(m, x.from, x.from_va + off, x.from_va + last);
        if (!n) {
            return true;
        }
        if (mdb_node_va(n) > x.from_va + off) {
            off = mdb_node_va(n) - x.from_va;   /* skip the hole */
        }
        word_t step;
        if (!map_piece(m, &x, off, n, &step)) {
            return false;
        }
        if (step > last - off) {
            return true;
        }
        off += step;
    }
}
