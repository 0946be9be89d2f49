/* SPDX-License-Identifier: BSD-2-Clause */
/* Mapping-database Unmap (X.2 §4.2, spec syscalls.md §8).
 *
 * For every node of the caller inside the fpage, rights are revoked from
 * all mappings derived from it (and, with flush, from the node itself),
 * and the access bits of every processed mapping are collected and reset.
 * A caller node larger than the fpage is first split so that exactly the
 * fpage is affected.  Unmap has no error path: if that split runs out of
 * memory the whole large node is processed instead, which revokes more than
 * asked but never less (X.2 allows partial unmaps of an fpage to fail).
 * A pure status query (no rights, no flush) never splits; it reads the
 * bits of the whole large entry and keeps them for the rest of it.
 */
#include <kernel/mdb.h>

/* The fpage as an address range below 2^va_bits; false if none of it is. */
static bool fpage_range(const mdb_t *m, fpage_t f, word_t *va, unsigned *size_log2)
{
    if (fpage_is_nil(f)) {
        return false;
    }
    unsigned sz = fpage_is_complete(f) ? m->va_bits : fpage_size_log2(f);
    if (sz < m->min_bits) {
        sz = m->min_bits;           /* rounded up to the smallest page */
    }
    word_t base = fpage_is_complete(f) || sz >= WORD_BITS ? 0 : f & ~MASK(sz) & ~(word_t)0x3FF;
    if (base >> m->va_bits) {
        return false;
    }
    *va = base;
    *size_log2 = sz > m->va_bits ? m->va_bits : sz;
    return true;
}

/* One node of the caller, restricted to its frames in [plo, phi]. */
static unsigned unmap_node(mdb_t *m, mdb_node_t *n, paddr_t plo, paddr_t phi,
                           unsigned rights, bool flush)
{
    bool whole = plo == n->pa && phi == n->pa + MASK(n->size_log2);
    unsigned bits = 0;
    if (flush && mdb_is_root(n)) {
        /* sigma0's own mapping: only a full flush drops it (docs/mdb.md). */
        if (rights == FPAGE_RIGHTS_ALL && whole) {
            return mdb_remove_subtree(m, n, true);
        }
    } else if (flush) {
        unsigned keep = n->rights & ~rights;
        if (keep == 0) {
            return mdb_remove_subtree(m, n, true);
        }
        bits = mdb_harvest(m, n, whole);
        if (keep != n->rights) {
            n->rights = keep;
            m->ops->protect(n->space, mdb_node_va(n), n->size_log2, keep);
        }
    }
    return bits | mdb_revoke_derived(m, n, plo, phi, rights, true);
}

unsigned mdb_unmap(mdb_t *m, mdb_space_t *s, fpage_t f, bool flush)
{
    word_t va;
    unsigned sz;
    if (!fpage_range(m, f, &va, &sz)) {
        return 0;
    }
    unsigned rights = fpage_rights(f), bits = 0;
    bool modify = rights != 0;
    word_t last = va + MASK(sz), cur = va;
    mdb_node_t *n;
    while ((n = mdb_find(m, s, cur, last))) {
        word_t nva = mdb_node_va(n), nlast = mdb_node_last(n);
        bool inside = nva >= va && nlast <= last;
        if (!inside && modify) {
            if (mdb_split_to(m, s, va, mdb_size_below(m, sz))) {
                continue;           /* now the pieces inside are found */
            }
            /* Out of memory, perhaps after splitting some levels: n may be a
             * piece now.  The node holding the fpage is processed whole. */
            n = mdb_find(m, s, cur, last);
            nva = mdb_node_va(n);
            nlast = mdb_node_last(n);
        }
        word_t lo = inside || modify ? nva : va;
        word_t hi = inside || modify ? nlast : last;
        bits |= unmap_node(m, n, n->pa + (lo - nva), n->pa + (hi - nva), rights, flush);
        if (nlast >= last) {
            break;
        }
        cur = nlast + 1;
    }
    return bits;
}
