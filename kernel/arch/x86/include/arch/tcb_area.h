/* SPDX-License-Identifier: BSD-2-Clause */
/* The virtual TCB array of x86-64 (64/tcb_area.c).
 *
 * The TCB of thread number n lives at TCB_AREA_BASE + n * 4 KiB, for the
 * whole 32-bit number space (16 TiB, PML4 slots 384..415, shared by every
 * address space).  Finding a thread's TCB is therefore arithmetic; only
 * the pages of registered threads are mapped, and touching another slot
 * faults.  The fault never surfaces: the one access that may hit an empty
 * slot, the comparison of its id, has a fixup that reports "no such
 * thread".  Not-present entries are not cached by the TLB, so registering
 * a thread needs no TLB flush on any CPU.
 */
#pragma once

#include <kernel/types.h>
#include <kernel/tcb.h>
#include <mode/layout.h>

#define TCB_AREA_BASE   _UL(0xFFFFC00000000000)
#define TCB_AREA_SLOT0  384         /* first PML4 slot */
#define TCB_AREA_SLOTS  32          /* 2^32 TCBs of 4 KiB */

_Static_assert(TCB_SIZE == PAGE_SIZE, "one page per TCB slot");
_Static_assert(((TCB_AREA_BASE >> 39) & 511) == TCB_AREA_SLOT0, "TCB area slot");

/* TCB_AREA_BASE in memory: adding it from there is one instruction, a
 * 64-bit constant needs two. */
extern const word_t tcb_area_base;

/* The slot of thread number no (< 2^32); it may be empty.  The sum is
 * opaque to the optimiser, which would otherwise rebuild every field
 * address from the base instead of keeping the slot in a register. */
static inline tcb_t *arch_tcb_slot(word_t no)
{
    word_t t = no << PAGE_BITS;
    __asm__("add %1, %0" : "+r"(t) : "m"(tcb_area_base) : "cc");
    return (tcb_t *)t;
}

/* The accesses to a slot that may be empty.  The load has an exception-
 * table entry, so a fault on it (no page there) resumes at the "no" label
 * instead of stopping the kernel. */

/* Does word *w of a TCB slot equal v?  False if the slot is empty. */
static inline ALWAYS_INLINE bool tcb_word_is(const word_t *w, word_t v)
{
    __asm__ goto("1: cmpq %0, %1\n\t"
                 "jne %l[no]\n\t"
                 ".pushsection .extable, \"a\"\n\t"
                 ".align 8\n\t"
                 ".quad 1b, %l[no]\n\t"
                 ".popsection"
                 :
                 : "r"(v), "m"(*w)
                 : "cc"
                 : no);
    return true;
no:
    return false;
}

/* Read word *w of a TCB slot into *v; false if the slot is empty. */
static inline ALWAYS_INLINE bool tcb_word_read(const word_t *w, word_t *v)
{
    word_t val;
    __asm__ goto("1: movq %1, %0\n\t"
                 ".pushsection .extable, \"a\"\n\t"
                 ".align 8\n\t"
                 ".quad 1b, %l[no]\n\t"
                 ".popsection"
                 : "=r"(val)
                 : "m"(*w)
                 :
                 : no);
    *v = val;
    return true;
no:
    return false;
}

/* Does slot t hold the thread with exactly this id (never id 0)? */
static inline bool arch_tcb_has_id(const tcb_t *t, threadid_t id)
{
    return tcb_word_is(&t->id, id) && id != 0;
}

/* Does slot t hold a thread whose local id is lid? */
static inline bool arch_tcb_has_local_id(const tcb_t *t, word_t lid)
{
    return tcb_word_is(&t->local_id, lid);
}

/* Does slot t hold a thread at all? */
static inline bool arch_tcb_present(const tcb_t *t)
{
    word_t id;
    return tcb_word_read(&t->id, &id) && id != 0;
}

/* Map the (zeroed) pool page `page` as the TCB of thread number no; the
 * TCB is used through the returned pointer only.  NULL when out of
 * memory for the page tables. */
tcb_t *arch_tcb_map(word_t no, void *page);
/* Empty the slot of thread number no; returns its pool page. */
void *arch_tcb_unmap(word_t no);
/* Call fn for every registered TCB. */
void arch_tcb_for_each(void (*fn)(tcb_t *t, void *arg), void *arg);
/* Boot: hook the area's PML4 slots into the master table. */
void arch_tcb_area_init(word_t *master_pml4);
