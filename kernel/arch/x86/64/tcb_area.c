/* SPDX-License-Identifier: BSD-2-Clause */
/* The virtual TCB array (arch/tcb_area.h).
 *
 * The 32 page-directory-pointer tables of the area are static and hooked
 * into the master PML4 at boot, so every address space shares the area.
 * Page directories and page tables below them come from the kernel pool
 * when the first thread of their range is registered and go back when the
 * last one goes (found by scanning: rare).  They are charged to nobody,
 * like the thread table they replace (docs/kmem.md).
 */
#include <arch/tcb_area.h>
#include <arch/cpu.h>
#include <kernel/kmem.h>
#include <kernel/console.h>
#include "pgtable_priv.h"

static pte_t area_pdpt[TCB_AREA_SLOTS][512] ALIGNED(PAGE_SIZE);
const word_t tcb_area_base = TCB_AREA_BASE;

void arch_tcb_area_init(word_t *master_pml4)
{
    for (unsigned i = 0; i < TCB_AREA_SLOTS; i++) {
        master_pml4[TCB_AREA_SLOT0 + i] = virt_to_phys(area_pdpt[i]) | PTE_P | PTE_W;
    }
}

static pte_t *next_table(pte_t e)
{
    return phys_to_virt(e & PTE_ADDR);
}

static bool table_empty(const pte_t *t)
{
    for (unsigned i = 0; i < 512; i++) {
        if (t[i]) {
            return false;
        }
    }
    return true;
}

/* The entry *e points to a table, made now if missing; NULL if no memory. */
static pte_t *table_at(pte_t *e)
{
    if (!*e) {
        void *t = kmem_alloc_page();
        if (!t) {
            return NULL;
        }
        *e = virt_to_phys(t) | PTE_P | PTE_W;
    }
    return next_table(*e);
}

tcb_t *arch_tcb_map(word_t no, void *page)
{
    pte_t *pdpte = &area_pdpt[no >> 27][(no >> 18) & 511];
    bool new_pd = !*pdpte;
    pte_t *pd = table_at(pdpte);
    if (!pd) {
        return NULL;
    }
    pte_t *pt = table_at(&pd[(no >> 9) & 511]);
    if (!pt) {
        if (new_pd) {
            kmem_free_page(pd);
            *pdpte = 0;
        }
        return NULL;
    }
    pt[no & 511] = virt_to_phys(page) | PTE_P | PTE_W | PTE_G | pgt_nx;
    return arch_tcb_slot(no);
}

void *arch_tcb_unmap(word_t no)
{
    pte_t *pdpte = &area_pdpt[no >> 27][(no >> 18) & 511];
    pte_t *pd = next_table(*pdpte), *pde = &pd[(no >> 9) & 511];
    pte_t *pt = next_table(*pde);
    void *page = next_table(pt[no & 511]);
    word_t va = (word_t)arch_tcb_slot(no);
    /* INVLPG also drops the cached directory entries on the way to va,
     * so emptied tables can go at once. */
    pt[no & 511] = 0;
    if (table_empty(pt)) {
        *pde = 0;
        kmem_free_page(pt);
        if (table_empty(pd)) {
            *pdpte = 0;
            kmem_free_page(pd);
        }
    }
    invlpg(va);
    return page;
}

void arch_tcb_for_each(void (*fn)(tcb_t *t, void *arg), void *arg)
{
    for (word_t s = 0; s < TCB_AREA_SLOTS; s++) {
        for (word_t i = 0; i < 512; i++) {
            if (!area_pdpt[s][i]) {
                continue;
            }
            pte_t *pd = next_table(area_pdpt[s][i]);
            for (word_t j = 0; j < 512; j++) {
                if (!pd[j]) {
                    continue;
                }
                pte_t *pt = next_table(pd[j]);
                for (word_t k = 0; k < 512; k++) {
                    if (pt[k]) {
                        fn(arch_tcb_slot(s << 27 | i << 18 | j << 9 | k), arg);
                    }
                }
            }
        }
    }
}
