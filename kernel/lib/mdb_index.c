/* SPDX-License-Identifier: BSD-2-Clause */
/* Mapping-database index: per-space radix tree from virtual page to node.
 *
 * The mdb keeps its own index instead of asking the arch for a node pointer
 * stored beside each PTE: the page tables stay mdb-free, sigma0's roots (which
 * have no page-table entries) are found the same way, and the host tests need
 * no page tables.  The cost is the same as a shadow table per page table:
 * one pointer per slot, one page per table.
 *
 * Geometry: level 0 slots span the smallest page, every level above adds
 * level_bits (9 with 4 KiB tables of 8-byte slots), so 4 KiB, 2 MiB and
 * 1 GiB pages sit at levels 0, 1 and 2.  A slot is empty, a node (which then
 * covers the whole slot) or a table (tagged with bit 0).  Tables are freed
 * when a node takes over their slot and when the space dies.
 */
#include <kernel/mdb.h>

#define SLOT_TABLE  1UL

static unsigned shift_of(const mdb_t *m, unsigned level)
{
    return m->min_bits + level * m->level_bits;
}

static word_t *slot_at(const mdb_t *m, word_t *table, word_t va, unsigned level)
{
    return &table[(va >> shift_of(m, level)) & MASK(m->level_bits)];
}

static bool is_table(word_t e)
{
    return e & SLOT_TABLE;
}

static word_t *table_of(word_t e)
{
    return (word_t *)(e & ~SLOT_TABLE);
}

/* Free a table of s and every table below it; they must hold no nodes. */
static void free_tables(mdb_t *m, mdb_space_t *s, word_t *t, unsigned level)
{
    for (word_t i = 0; i < BIT(m->level_bits); i++) {
        if (is_table(t[i])) {
            free_tables(m, s, table_of(t[i]), level - 1);
        } else {
            MDB_ASSERT(t[i] == 0);
        }
    }
    mdb_table_free(m, s, t);
}

bool mdb_idx_init(mdb_t *m, mdb_space_t *s)
{
    s->tables = 0;
    s->index = mdb_table_alloc(m, s);
    return s->index != NULL;
}

void mdb_idx_fini(mdb_t *m, mdb_space_t *s)
{
    free_tables(m, s, s->index, m->levels - 1);
    s->index = NULL;
    MDB_ASSERT(s->tables == 0);
}

mdb_node_t *mdb_lookup(const mdb_t *m, const mdb_space_t *s, word_t va)
{
    if (va >> m->va_bits) {
        return NULL;
    }
    word_t *t = s->index, mask = MASK(m->level_bits);
    for (unsigned sh = shift_of(m, m->levels - 1);; sh -= m->level_bits) {
        word_t e = t[(va >> sh) & mask];
        if (!(e & SLOT_TABLE)) {
            return (mdb_node_t *)e;
        }
        MDB_ASSERT(sh > m->min_bits);
        t = table_of(e);
    }
}

/* Walk down, skipping empty slots without restarting from the top: the
 * cost is the depth plus the number of empty slots passed over. */
mdb_node_t *mdb_find(const mdb_t *m, const mdb_space_t *s, word_t va, word_t last)
{
    if (va > last || (va >> m->va_bits)) {
        return NULL;
    }
    if (last >> m->va_bits) {
        last = MASK(m->va_bits);
    }
    word_t *path[MDB_MAX_LEVELS], mask = MASK(m->level_bits);
    unsigned top = m->levels - 1, level = top, sh = shift_of(m, top);
    path[level] = s->index;
    for (;;) {
        word_t e = path[level][(va >> sh) & mask];
        if (e & SLOT_TABLE) {
            level--;
            sh -= m->level_bits;
            path[level] = table_of(e);
            continue;
        }
        if (e) {
            return (mdb_node_t *)e;
        }
        word_t next = (va | MASK(sh)) + 1;
        if (next == 0 || next > last) {
            return NULL;
        }
        va = next;
        /* Crossing into the next table of this level: go up to its parent. */
        while (level < top && ((va >> sh) & mask) == 0) {
            level++;
            sh += m->level_bits;
        }
    }
}

bool mdb_idx_prepare(mdb_t *m, mdb_space_t *s, word_t va, unsigned level)
{
    word_t *t = s->index;
    for (unsigned l = m->levels - 1; l > level; l--) {
        word_t *e = slot_at(m, t, va, l);
        if (!*e) {
            word_t *nt = mdb_table_alloc(m, s);
            if (!nt) {
                return false;
            }
            *e = (word_t)nt | SLOT_TABLE;
        }
        /* A larger node covering va: the caller must split it first. */
        MDB_ASSERT(is_table(*e));
        t = table_of(*e);
    }
    return true;
}

/* The slot of a node of the given size at va; the path must exist. */
static word_t *node_slot(const mdb_t *m, const mdb_space_t *s, word_t va, unsigned size_log2)
{
    unsigned target = mdb_level_of(m, size_log2);
    word_t *t = s->index;
    for (unsigned l = m->levels - 1; l > target; l--) {
        word_t e = *slot_at(m, t, va, l);
        MDB_ASSERT(is_table(e));
        t = table_of(e);
    }
    return slot_at(m, t, va, target);
}

void mdb_idx_insert(mdb_t *m, mdb_space_t *s, mdb_node_t *n)
{
    unsigned level = mdb_level_of(m, n->size_log2);
    word_t *e = node_slot(m, s, mdb_node_va(n), n->size_log2);
    if (is_table(*e)) {
        MDB_ASSERT(level > 0);
        free_tables(m, s, table_of(*e), level - 1);
    } else {
        MDB_ASSERT(*e == 0);
    }
    *e = (word_t)n;
}

void mdb_idx_remove(mdb_t *m, mdb_space_t *s, mdb_node_t *n)
{
    word_t *e = node_slot(m, s, mdb_node_va(n), n->size_log2);
    MDB_ASSERT(*e == (word_t)n);
    *e = 0;
}

void mdb_idx_expand(mdb_t *m, mdb_space_t *s, mdb_node_t *n, word_t *t)
{
    word_t *e = node_slot(m, s, mdb_node_va(n), n->size_log2);
    MDB_ASSERT(*e == (word_t)n && mdb_level_of(m, n->size_log2) > 0);
    *e = (word_t)t | SLOT_TABLE;
    s->tables++;                    /* charged by the caller with the reserve */
}
