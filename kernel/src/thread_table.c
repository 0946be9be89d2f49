/* SPDX-License-Identifier: BSD-2-Clause */
/* Thread-number table: the O(1) map from thread ids to TCBs.
 *
 * A three-level radix tree over the whole thread-number space (14 + 9 + 9
 * bits on 64-bit): a static top level and page-sized lower levels created on
 * demand, so a sparse set of numbers costs memory only where it is used.
 * Lower levels are returned to the pool as soon as they are empty, so
 * deleting threads gives back every page creating them took.  Each entry
 * pointing to a lower level keeps that level's number of used slots in the
 * low bits of the (page-aligned) pointer.
 *
 * Local ids resolve in O(1) too: a local id is the address of MR0 in a UTCB
 * of the caller's space, whose MyGlobalId word names the candidate thread;
 * the candidate is accepted only if the kernel's own records say it owns
 * exactly that UTCB, so a user scribbling on its UTCB can only make its own
 * lookups fail.
 */
#include <kernel/thread_table.h>
#include <kernel/space.h>
#include <kernel/kmem.h>
#include <mode/layout.h>

#define LEAF_BITS   9
#define MID_BITS    9
#define TOP_BITS    (TID_NUMBER_BITS - LEAF_BITS - MID_BITS)
#define LEAF_SIZE   (1UL << LEAF_BITS)
#define MID_SIZE    (1UL << MID_BITS)

/* A page-aligned pointer to a lower level | its count of used entries. */
typedef word_t entry_t;

typedef struct { tcb_t *slot[LEAF_SIZE]; } leaf_t;
typedef struct { entry_t leaf[MID_SIZE]; } mid_t;

_Static_assert(sizeof(leaf_t) == PAGE_SIZE && sizeof(mid_t) == PAGE_SIZE, "table pages");
_Static_assert(LEAF_SIZE < PAGE_SIZE && MID_SIZE < PAGE_SIZE, "counts fit the low bits");

static entry_t top[1UL << TOP_BITS];

static void *entry_ptr(entry_t e)
{
    return (void *)(e & ~(PAGE_SIZE - 1));
}

static word_t entry_count(entry_t e)
{
    return e & (PAGE_SIZE - 1);
}

static void split(word_t no, word_t *t, word_t *m, word_t *l)
{
    *t = no >> (LEAF_BITS + MID_BITS);
    *m = (no >> LEAF_BITS) & MASK(MID_BITS);
    *l = no & MASK(LEAF_BITS);
}

tcb_t *thread_table_get(word_t no)
{
    word_t t, m, l;
    split(no, &t, &m, &l);
    if (t >= ARRAY_SIZE(top) || !top[t]) {
        return NULL;
    }
    mid_t *mid = entry_ptr(top[t]);
    leaf_t *leaf = entry_ptr(mid->leaf[m]);
    return leaf ? leaf->slot[l] : NULL;
}

static bool insert(word_t t, word_t m, word_t l, tcb_t *tcb)
{
    bool new_mid = !top[t];
    if (new_mid) {
        void *page = kmem_alloc_page();
        if (!page) {
            return false;
        }
        top[t] = (entry_t)page;
    }
    mid_t *mid = entry_ptr(top[t]);
    if (!mid->leaf[m]) {
        void *page = kmem_alloc_page();
        if (!page) {
            if (new_mid) {
                kmem_free_page(mid);
                top[t] = 0;
            }
            return false;
        }
        mid->leaf[m] = (entry_t)page;
        top[t]++;
    }
    leaf_t *leaf = entry_ptr(mid->leaf[m]);
    if (!leaf->slot[l]) {
        mid->leaf[m]++;
    }
    leaf->slot[l] = tcb;
    return true;
}

static void remove(word_t t, word_t m, word_t l)
{
    if (!top[t]) {
        return;
    }
    mid_t *mid = entry_ptr(top[t]);
    leaf_t *leaf = entry_ptr(mid->leaf[m]);
    if (!leaf || !leaf->slot[l]) {
        return;
    }
    leaf->slot[l] = NULL;
    if (entry_count(--mid->leaf[m]) != 0) {
        return;
    }
    kmem_free_page(leaf);
    mid->leaf[m] = 0;
    if (entry_count(--top[t]) == 0) {
        kmem_free_page(mid);
        top[t] = 0;
    }
}

bool thread_table_set(word_t no, tcb_t *tcb)
{
    word_t t, m, l;
    split(no, &t, &m, &l);
    if (t >= ARRAY_SIZE(top)) {
        return tcb == NULL;
    }
    if (!tcb) {
        remove(t, m, l);
        return true;
    }
    return insert(t, m, l, tcb);
}

tcb_t *thread_table_lookup(threadid_t id)
{
    if (!tid_is_global(id) || id == ANYTHREAD) {
        return NULL;
    }
    tcb_t *t = thread_table_get(tid_number(id));
    return t && t->id == id ? t : NULL;
}

tcb_t *thread_table_local(space_t *s, threadid_t id)
{
    if (!tid_is_local(id) || id == ANYLOCALTHREAD || id < UTCB_P_OFFSET) {
        return NULL;
    }
    word_t loc = id - UTCB_P_OFFSET;
    paddr_t pa;
    if (!space_utcb_location_ok(s, loc) ||
        !pgt_lookup(&s->pgt, ALIGN_DOWN(loc, PAGE_SIZE), &pa, NULL, NULL)) {
        return NULL;
    }
    utcb_t *u = (utcb_t *)((char *)phys_to_virt(pa) + (loc & (PAGE_SIZE - 1)));
    tcb_t *t = thread_table_lookup(utcb_tcr(u, TCR_MY_GLOBAL_ID));
    return t && t->space == s && t->utcb == u ? t : NULL;
}

tcb_t *thread_table_resolve(tcb_t *self, threadid_t id)
{
    if (tid_is_global(id)) {
        return thread_table_lookup(id);
    }
    return self->space && !tid_is_nil(id) ? thread_table_local(self->space, id) : NULL;
}
