/* SPDX-License-Identifier: BSD-2-Clause */
/* Mapping database: set-up and address-space lifetime.
 *
 * The configuration fixes the index geometry: its levels are the smallest
 * page size plus multiples of the bits one table page resolves, and every
 * hardware page size must fall on a level so that a node is exactly one
 * slot.  x86-64: 4 KiB, 2 MiB, 1 GiB at levels 0..2 of four.
 */
#include <kernel/mdb.h>

static unsigned log2_of(word_t v)
{
    return (unsigned)(WORD_BITS - 1 - __builtin_clzl(v));
}

bool mdb_init(mdb_t *m, const mdb_ops_t *ops, const mdb_config_t *cfg)
{
    if (!cfg->page_sizes || cfg->va_bits >= WORD_BITS || cfg->alloc_bits >= WORD_BITS ||
        BIT(cfg->alloc_bits) < 2 * sizeof(mdb_node_t)) {
        return false;
    }
    m->ops = ops;
    m->page_sizes = cfg->page_sizes;
    m->min_bits = (unsigned)__builtin_ctzl(cfg->page_sizes);
    m->va_bits = cfg->va_bits;
    m->alloc_bits = cfg->alloc_bits;
    m->level_bits = cfg->alloc_bits - log2_of(sizeof(word_t));
    if (m->min_bits < MDB_VA_SHIFT || m->min_bits > m->va_bits) {
        return false;
    }
    m->levels = (m->va_bits - m->min_bits + m->level_bits - 1) / m->level_bits;
    if (m->levels == 0) {
        m->levels = 1;
    }
    if (m->levels > MDB_MAX_LEVELS || log2_of(cfg->page_sizes) > m->va_bits ||
        mdb_level_of(m, log2_of(cfg->page_sizes)) >= m->levels) {
        return false;
    }
    for (unsigned sz = m->min_bits; sz < WORD_BITS; sz++) {
        if ((cfg->page_sizes & BIT(sz)) && (sz - m->min_bits) % m->level_bits != 0) {
            return false;           /* a page size between index levels */
        }
    }
    list_init(&m->slab_partial);
    m->slab_spare = NULL;
    m->nodes_used = 0;
    m->pages_used = 0;
    return ops->alloc_page && ops->free_page && ops->prepare && ops->install &&
           ops->remove && ops->protect && ops->status;
}

void mdb_fini(mdb_t *m)
{
    MDB_ASSERT(m->nodes_used == 0);
    mdb_slab_trim(m);
}

bool mdb_space_init(mdb_t *m, mdb_space_t *s, bool sigma0)
{
    s->sigma0 = sigma0;
    s->nodes = 0;
    return mdb_idx_init(m, s);
}

/* Like a full flush of the whole space: whatever was derived from its
 * mappings goes too (X.2 space deletion). */
void mdb_space_destroy(mdb_t *m, mdb_space_t *s)
{
    word_t cur = 0, last = MASK(m->va_bits);
    mdb_node_t *n;
    while ((n = mdb_find(m, s, cur, last))) {
        word_t nlast = mdb_node_last(n);
        mdb_remove_subtree(m, n, false);
        if (nlast >= last) {
            break;
        }
        cur = nlast + 1;
    }
    MDB_ASSERT(s->nodes == 0);
    mdb_idx_fini(m, s);
}
