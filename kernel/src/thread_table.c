/* SPDX-License-Identifier: BSD-2-Clause */
/* Thread-number table: the O(1) map from thread ids to TCBs.
 *
 * The architecture keeps TCBs in a virtual array indexed by thread number
 * (arch/tcb_area.h), so a number names its TCB's address directly; only
 * registered threads have their slot mapped, and the architecture can tell
 * an empty slot from a full one without faulting the kernel.  The whole
 * 32-bit number space is covered; page tables for the array exist only
 * where threads are, and go back to the pool with the last thread of their
 * range, so deleting threads gives back every page creating them took.
 *
 * Local ids resolve in O(1) too: a local id is the address of MR0 in a UTCB
 * of the caller's space, whose MyGlobalId word names the candidate thread;
 * the candidate is accepted only if the kernel's own records say it owns
 * exactly that UTCB, so a user scribbling on its UTCB can only make its own
 * lookups fail.
 */
#include <kernel/thread_table.h>
#include <kernel/space.h>
#include <mode/layout.h>

tcb_t *thread_table_get(word_t no)
{
    if (no > MASK(TID_NUMBER_BITS)) {
        return NULL;
    }
    tcb_t *t = arch_tcb_slot(no);
    return arch_tcb_present(t) ? t : NULL;
}

tcb_t *thread_table_insert(word_t no, void *page)
{
    if (no > MASK(TID_NUMBER_BITS)) {
        return NULL;
    }
    return arch_tcb_map(no, page);
}

void *thread_table_remove(word_t no)
{
    return arch_tcb_unmap(no);
}

void thread_table_for_each(void (*fn)(tcb_t *t, void *arg), void *arg)
{
    arch_tcb_for_each(fn, arg);
}

tcb_t *thread_table_lookup(threadid_t id)
{
    if (!tid_is_global(id) || id == ANYTHREAD) {
        return NULL;
    }
    tcb_t *t = thread_table_raw(tid_number(id));
    return arch_tcb_has_id(t, id) ? t : NULL;
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
