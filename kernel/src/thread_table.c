/* SPDX-License-Identifier: BSD-2-Clause */
/* Thread-number table: the O(1) map from thread ids to TCBs.
 *
 * A three-level radix tree over the whole thread-number space (14 + 9 + 9
 * bits on 64-bit): a static top level and page-sized lower levels created on
 * demand, so a sparse set of numbers costs memory only where it is used.
 * Nothing in it is ever NULL: an unused top entry points to a shared empty
 * middle level, an unused middle entry to a shared empty leaf, and an unused
 * slot to a TCB whose id no thread has.  A lookup is then three loads and
 * one comparison of ids, without a branch (thread_table_raw, inline, for the
 * IPC fast path).  Lower levels are returned to the pool as soon as they are
 * empty (found by scanning them on removal), so deleting threads gives back
 * every page creating them took.
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

tcb_t thread_table_nobody;
static tt_leaf_t empty_leaf;
static tt_mid_t empty_mid;
tt_mid_t *thread_table_top[TT_TOP_SIZE];

void thread_table_init(void)
{
    for (word_t i = 0; i < TT_LEAF_SIZE; i++) {
        empty_leaf.slot[i] = &thread_table_nobody;
    }
    for (word_t i = 0; i < TT_MID_SIZE; i++) {
        empty_mid.leaf[i] = &empty_leaf;
    }
    for (word_t i = 0; i < TT_TOP_SIZE; i++) {
        thread_table_top[i] = &empty_mid;
    }
}

tcb_t *thread_table_get(word_t no)
{
    tcb_t *t = thread_table_raw(no & MASK(TID_NUMBER_BITS));
    return t == &thread_table_nobody ? NULL : t;
}

static bool insert(word_t no, tcb_t *tcb)
{
    tt_mid_t **top = &thread_table_top[TT_TOP(no)];
    bool new_mid = *top == &empty_mid;
    if (new_mid) {
        tt_mid_t *mid = kmem_alloc_page();
        if (!mid) {
            return false;
        }
        for (word_t i = 0; i < TT_MID_SIZE; i++) {
            mid->leaf[i] = &empty_leaf;
        }
        *top = mid;
    }
    tt_leaf_t **leaf = &(*top)->leaf[TT_MID(no)];
    if (*leaf == &empty_leaf) {
        tt_leaf_t *l = kmem_alloc_page();
        if (!l) {
            if (new_mid) {
                kmem_free_page(*top);
                *top = &empty_mid;
            }
            return false;
        }
        for (word_t i = 0; i < TT_LEAF_SIZE; i++) {
            l->slot[i] = &thread_table_nobody;
        }
        *leaf = l;
    }
    (*leaf)->slot[TT_SLOT(no)] = tcb;
    return true;
}

static bool leaf_empty(const tt_leaf_t *l)
{
    for (word_t i = 0; i < TT_LEAF_SIZE; i++) {
        if (l->slot[i] != &thread_table_nobody) {
            return false;
        }
    }
    return true;
}

static bool mid_empty(const tt_mid_t *m)
{
    for (word_t i = 0; i < TT_MID_SIZE; i++) {
        if (m->leaf[i] != &empty_leaf) {
            return false;
        }
    }
    return true;
}

static void remove(word_t no)
{
    tt_mid_t **top = &thread_table_top[TT_TOP(no)];
    tt_leaf_t **leaf = &(*top)->leaf[TT_MID(no)];
    if (*leaf == &empty_leaf) {
        return;
    }
    (*leaf)->slot[TT_SLOT(no)] = &thread_table_nobody;
    if (!leaf_empty(*leaf)) {
        return;
    }
    kmem_free_page(*leaf);
    *leaf = &empty_leaf;
    if (mid_empty(*top)) {
        kmem_free_page(*top);
        *top = &empty_mid;
    }
}

bool thread_table_set(word_t no, tcb_t *tcb)
{
    if (no > MASK(TID_NUMBER_BITS)) {
        return tcb == NULL;
    }
    if (!tcb) {
        remove(no);
        return true;
    }
    return insert(no, tcb);
}

void thread_table_for_each(void (*fn)(tcb_t *t, void *arg), void *arg)
{
    for (word_t i = 0; i < TT_TOP_SIZE; i++) {
        tt_mid_t *mid = thread_table_top[i];
        for (word_t m = 0; mid != &empty_mid && m < TT_MID_SIZE; m++) {
            tt_leaf_t *leaf = mid->leaf[m];
            for (word_t l = 0; leaf != &empty_leaf && l < TT_LEAF_SIZE; l++) {
                if (leaf->slot[l] != &thread_table_nobody) {
                    fn(leaf->slot[l], arg);
                }
            }
        }
    }
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
