/* SPDX-License-Identifier: BSD-2-Clause */
/* Mapping-database roots: sigma0's idempotent mappings of physical memory.
 *
 * sigma0 owns all memory without page tables the mdb knows of, so a root is
 * pure bookkeeping: a node in sigma0's index at va = pa with full rights,
 * no parent and no page-table entry.  Roots are made when sigma0 maps
 * something out, as large as the transfer allows; a later, larger transfer
 * over smaller roots replaces them by one root that adopts their children
 * (rights and frames are unchanged, so nothing visible happens).  Roots go
 * away when sigma0 flushes them (all rights) or its space is destroyed.
 */
#include <kernel/mdb.h>

/* Move every child of old under root; old's frames lie inside root's. */
static void adopt_children(mdb_node_t *root, mdb_node_t *old)
{
    mdb_node_t *c;
    while ((c = mdb_first_child(old))) {
        list_del(&c->siblings);
        mdb_link(root, c);
    }
}

bool mdb_root_cover(mdb_t *m, mdb_space_t *s0, word_t va, unsigned size_log2)
{
    MDB_ASSERT(s0->sigma0 && IS_ALIGNED(va, BIT(size_log2)));
    mdb_node_t *r = mdb_lookup(m, s0, va);
    if (r && r->size_log2 >= size_log2) {
        return true;
    }
    if (!mdb_idx_prepare(m, s0, va, mdb_level_of(m, size_log2))) {
        return false;
    }
    if (!mdb_charge(m, s0, 1, 0)) {
        return false;
    }
    mdb_node_t *n = mdb_node_alloc(m);
    if (!n) {
        mdb_refund(m, s0, 1, 0);
        return false;
    }
    mdb_node_init(n, s0, NULL, va, size_log2, (paddr_t)va, FPAGE_RIGHTS_ALL);
    word_t cur = va, last = va + MASK(size_log2);
    while (cur <= last && (r = mdb_find(m, s0, cur, last))) {
        MDB_ASSERT(r->size_log2 < size_log2);
        cur = mdb_node_last(r) + 1;
        adopt_children(n, r);
        mdb_idx_remove(m, s0, r);
        s0->nodes--;
        mdb_refund(m, s0, 1, 0);
        mdb_node_free(m, r);
    }
    mdb_idx_insert(m, s0, n);
    s0->nodes++;
    return true;
}
