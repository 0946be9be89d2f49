/* SPDX-License-Identifier: BSD-2-Clause */
/* Mapping-database memory: a node slab and index tables on top of pages.
 *
 * The kernel pool hands out whole pages; a node is 64 bytes, so a page holds
 * a small header in its first slot and 63 nodes.  Pages with free slots sit
 * on a list; a page whose last node is freed goes back to the pool, except
 * one spare kept against alloc/free ping-pong at a page boundary.  Index
 * tables are whole pages.  A reserve takes nodes and tables out in advance
 * so that a multi-step change either gets everything or changes nothing.
 */
#include <kernel/mdb.h>

#if defined(__SANITIZE_ADDRESS__)
#define MDB_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MDB_ASAN 1
#endif
#endif

/* Host tests: free slots are poisoned so a stale node pointer is reported. */
#ifdef MDB_ASAN
#include <sanitizer/asan_interface.h>
#define slot_poison(n)   ASAN_POISON_MEMORY_REGION((n), sizeof(mdb_node_t))
#define slot_unpoison(n) ASAN_UNPOISON_MEMORY_REGION((n), sizeof(mdb_node_t))
#define page_unpoison(m, p) ASAN_UNPOISON_MEMORY_REGION((p), BIT((m)->alloc_bits))
#else
#define slot_poison(n)   ((void)(n))
#define slot_unpoison(n) ((void)(n))
#define page_unpoison(m, p) ((void)(m), (void)(p))
#endif

typedef struct slab_page {
    list_node_t link;               /* on slab_partial while a slot is free */
    mdb_node_t *free;               /* free slots, linked through parent */
    word_t used;
} slab_page_t;

_Static_assert(sizeof(slab_page_t) <= sizeof(mdb_node_t), "header fits one slot");

static word_t slots_per_page(const mdb_t *m)
{
    return BIT(m->alloc_bits) / sizeof(mdb_node_t);
}

static slab_page_t *page_of(const mdb_t *m, const mdb_node_t *n)
{
    return (slab_page_t *)((word_t)n & ~MASK(m->alloc_bits));
}

static slab_page_t *slab_grow(mdb_t *m)
{
    slab_page_t *pg = m->slab_spare;
    m->slab_spare = NULL;
    if (!pg) {
        pg = m->ops->alloc_page();
        if (!pg) {
            return NULL;
        }
        m->pages_used++;
    }
    page_unpoison(m, pg);
    mdb_node_t *slot = (mdb_node_t *)pg;
    pg->free = NULL;
    pg->used = 0;
    for (word_t i = slots_per_page(m) - 1; i >= 1; i--) {
        slot[i].parent = pg->free;
        pg->free = &slot[i];
        slot_poison(&slot[i]);
    }
    list_add_head(&m->slab_partial, &pg->link);
    return pg;
}

mdb_node_t *mdb_node_alloc(mdb_t *m)
{
    slab_page_t *pg;
    if (list_empty(&m->slab_partial)) {
        pg = slab_grow(m);
        if (!pg) {
            return NULL;
        }
    } else {
        pg = container_of(m->slab_partial.next, slab_page_t, link);
    }
    mdb_node_t *n = pg->free;
    slot_unpoison(n);
    pg->free = n->parent;
    if (++pg->used == slots_per_page(m) - 1) {
        list_del(&pg->link);        /* full: off the list until a slot frees */
    }
    m->nodes_used++;
    return n;
}

void mdb_node_free(mdb_t *m, mdb_node_t *n)
{
    slab_page_t *pg = page_of(m, n);
    MDB_ASSERT(pg->used > 0 && m->nodes_used > 0);
    if (pg->used == slots_per_page(m) - 1) {
        list_add_head(&m->slab_partial, &pg->link);
    }
    n->parent = pg->free;
    pg->free = n;
    slot_poison(n);
    m->nodes_used--;
    if (--pg->used == 0) {
        list_del(&pg->link);
        if (m->slab_spare) {
            page_unpoison(m, pg);
            m->ops->free_page(pg);
            m->pages_used--;
        } else {
            m->slab_spare = pg;
        }
    }
}

void mdb_slab_trim(mdb_t *m)
{
    if (m->slab_spare) {
        page_unpoison(m, m->slab_spare);
        m->ops->free_page(m->slab_spare);
        m->slab_spare = NULL;
        m->pages_used--;
    }
}

static word_t charge_bytes(const mdb_t *m, word_t nodes, word_t tables)
{
    return nodes * sizeof(mdb_node_t) + (tables << m->alloc_bits);
}

bool mdb_charge(mdb_t *m, mdb_space_t *s, word_t nodes, word_t tables)
{
    return !m->ops->charge || (!nodes && !tables) ||
           m->ops->charge(s, charge_bytes(m, nodes, tables));
}

void mdb_refund(mdb_t *m, mdb_space_t *s, word_t nodes, word_t tables)
{
    if (m->ops->refund && (nodes || tables)) {
        m->ops->refund(s, charge_bytes(m, nodes, tables));
    }
}

/* A zeroed index table: the pool's pages are not assumed to be zeroed. */
word_t *mdb_table_alloc(mdb_t *m, mdb_space_t *s)
{
    if (s && !mdb_charge(m, s, 0, 1)) {
        return NULL;
    }
    word_t *t = m->ops->alloc_page();
    if (!t) {
        if (s) {
            mdb_refund(m, s, 0, 1);
        }
        return NULL;
    }
    m->pages_used++;
    if (s) {
        s->tables++;
    }
    for (word_t i = 0; i < BIT(m->level_bits); i++) {
        t[i] = 0;
    }
    return t;
}

void mdb_table_free(mdb_t *m, mdb_space_t *s, word_t *t)
{
    m->ops->free_page(t);
    m->pages_used--;
    if (s) {
        MDB_ASSERT(s->tables > 0);
        s->tables--;
        mdb_refund(m, s, 0, 1);
    }
}

bool mdb_reserve(mdb_t *m, mdb_reserve_t *r, word_t nodes, word_t tables)
{
    for (word_t i = 0; i < nodes; i++) {
        mdb_node_t *n = mdb_node_alloc(m);
        if (!n) {
            mdb_reserve_release(m, r);
            return false;
        }
        n->parent = r->nodes;
        r->nodes = n;
    }
    for (word_t i = 0; i < tables; i++) {
        word_t *t = mdb_table_alloc(m, NULL);
        if (!t) {
            mdb_reserve_release(m, r);
            return false;
        }
        t[0] = (word_t)r->tables;
        r->tables = t;
    }
    return true;
}

mdb_node_t *mdb_reserve_node(mdb_reserve_t *r)
{
    mdb_node_t *n = r->nodes;
    MDB_ASSERT(n);
    r->nodes = n->parent;
    return n;
}

word_t *mdb_reserve_table(mdb_reserve_t *r)
{
    word_t *t = r->tables;
    MDB_ASSERT(t);
    r->tables = (word_t *)t[0];
    t[0] = 0;
    return t;
}

void mdb_reserve_release(mdb_t *m, mdb_reserve_t *r)
{
    while (r->nodes) {
        mdb_node_free(m, mdb_reserve_node(r));
    }
    while (r->tables) {
        mdb_table_free(m, NULL, mdb_reserve_table(r));
    }
}
