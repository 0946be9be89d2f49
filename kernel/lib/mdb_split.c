/* SPDX-License-Identifier: BSD-2-Clause */
/* Mapping-database splits: one large node becomes pages of the next size.
 *
 * Needed when part of a large mapping is unmapped, remapped or granted.  A
 * split is invisible to user code: the pieces map the same frames with the
 * same rights, and each inherits the large node's access bits.  Children no
 * larger than a piece move under the piece holding their frames; children of
 * the large node's own size cover all of it and are split the same way,
 * piece i under the parent's piece i.  That "same-size part" of the subtree
 * is counted first, every space in it is charged for its new pieces, and
 * all nodes, index tables and page-table levels are reserved before
 * anything changes, so a split either completes or leaves no trace.
 * Cost: O(part size x pieces); only the part is touched.
 */
#include <kernel/mdb.h>

static mdb_node_t *same_size_from(list_node_t *pos, list_node_t *head, unsigned size_log2)
{
    for (; pos != head; pos = pos->next) {
        mdb_node_t *c = container_of(pos, mdb_node_t, siblings);
        if (c->size_log2 == size_log2) {
            return c;
        }
    }
    return NULL;
}

/* Pre-order successor of x within the same-size part below top.  A node of
 * top's size can only hang below nodes of that size, so the part is the
 * connected top of the subtree. */
static mdb_node_t *part_next(mdb_node_t *top, mdb_node_t *x)
{
    unsigned sz = top->size_log2;
    mdb_node_t *c = same_size_from(x->children.next, &x->children, sz);
    while (!c && x != top) {
        c = same_size_from(x->siblings.next, &x->parent->children, sz);
        x = x->parent;
    }
    return c;
}

/* Refund the spaces of the part's nodes before stop (NULL: all of them)
 * for their new pieces and index table. */
static void split_refund(mdb_t *m, mdb_node_t *top, mdb_node_t *stop, word_t pieces)
{
    for (mdb_node_t *x = top; x != stop; x = part_next(top, x)) {
        mdb_refund(m, x->space, pieces - 1, 1);
    }
}

/* Every space of the part pays for its own new pieces and the index table
 * that replaces the large node's slot. */
static bool split_charge(mdb_t *m, mdb_node_t *top, word_t pieces)
{
    for (mdb_node_t *x = top; x; x = part_next(top, x)) {
        if (!mdb_charge(m, x->space, pieces - 1, 1)) {
            split_refund(m, top, x, pieces);
            return false;
        }
    }
    return true;
}

/* Reserve everything the split of top's part into 2^piece_log2 pages needs. */
static bool split_reserve(mdb_t *m, mdb_node_t *top, unsigned piece_log2, mdb_reserve_t *r)
{
    word_t pieces = BIT(top->size_log2 - piece_log2), part = 0;
    for (mdb_node_t *x = top; x; x = part_next(top, x)) {
        part++;
    }
    if (!split_charge(m, top, pieces)) {
        return false;
    }
    if (!mdb_reserve(m, r, part * (pieces - 1), part)) {
        split_refund(m, top, NULL, pieces);
        return false;
    }
    for (mdb_node_t *x = top; x; x = part_next(top, x)) {
        for (word_t i = 0; !mdb_is_root(x) && i < pieces; i++) {
            if (!m->ops->prepare(x->space, mdb_node_va(x) + (i << piece_log2), piece_log2)) {
                mdb_reserve_release(m, r);
                split_refund(m, top, NULL, pieces);
                return false;
            }
        }
    }
    return true;
}

/* The node of space s at va (a piece made earlier in this split). */
static mdb_node_t *piece_at(mdb_t *m, mdb_space_t *s, word_t va)
{
    mdb_node_t *p = mdb_lookup(m, s, va);
    MDB_ASSERT(p && mdb_node_va(p) == va);
    return p;
}

/* Split x, whose parent (unless x is top) was split already.  x's own
 * same-size children are queued on work for later. */
static void split_node(mdb_t *m, mdb_node_t *top, mdb_node_t *x, unsigned piece_log2,
                       mdb_reserve_t *r, list_node_t *work)
{
    mdb_space_t *s = x->space;
    word_t va = mdb_node_va(x), pieces = BIT(x->size_log2 - piece_log2);
    unsigned large = x->size_log2;
    paddr_t pa = x->pa;
    mdb_node_t *parent = x->parent;
    unsigned status = mdb_harvest(m, x, false);

    mdb_idx_expand(m, s, x, mdb_reserve_table(r));
    x->size_log2 = piece_log2;
    mdb_idx_insert(m, s, x);
    if (x != top) {
        mdb_link(parent, x);        /* back from the work list under piece 0 */
    }
    for (word_t i = 1; i < pieces; i++) {
        word_t off = i << piece_log2;
        mdb_node_t *y = mdb_reserve_node(r);
        mdb_node_t *yp = x == top ? parent : piece_at(m, parent->space, mdb_node_va(parent) + off);
        mdb_node_init(y, s, yp, va + off, piece_log2, pa + off, x->rights);
        y->status = status;
        mdb_idx_insert(m, s, y);
        s->nodes++;
    }
    for (word_t i = 0; !mdb_is_root(x) && i < pieces; i++) {
        word_t off = i << piece_log2;
        m->ops->install(s, va + off, piece_log2, pa + off, x->rights);
    }

    list_node_t *pos = x->children.next;
    while (pos != &x->children) {
        mdb_node_t *c = container_of(pos, mdb_node_t, siblings);
        pos = pos->next;
        if (c->size_log2 == large) {
            list_del(&c->siblings);
            list_add_tail(work, &c->siblings);      /* c->parent stays x */
            continue;
        }
        word_t off = ALIGN_DOWN(c->pa - pa, BIT(piece_log2));
        if (off) {
            list_del(&c->siblings);
            mdb_link(piece_at(m, s, va + off), c);
        }
    }
}

static bool split_one(mdb_t *m, mdb_node_t *top)
{
    unsigned piece_log2 = mdb_size_smaller(m, top->size_log2);
    MDB_ASSERT(piece_log2 >= m->min_bits);
    mdb_reserve_t r = { NULL, NULL };
    if (!split_reserve(m, top, piece_log2, &r)) {
        return false;
    }
    list_node_t work;
    list_init(&work);
    mdb_node_t *x = top;
    for (;;) {
        split_node(m, top, x, piece_log2, &r, &work);
        if (list_empty(&work)) {
            break;
        }
        x = container_of(work.next, mdb_node_t, siblings);
        list_del(&x->siblings);
    }
    MDB_ASSERT(r.nodes == NULL && r.tables == NULL);
    return true;
}

bool mdb_split_to(mdb_t *m, mdb_space_t *s, word_t va, unsigned size_log2)
{
    for (;;) {
        mdb_node_t *n = mdb_lookup(m, s, va);
        if (!n || n->size_log2 <= size_log2) {
            return true;
        }
        if (!split_one(m, n)) {
            return false;
        }
    }
}
