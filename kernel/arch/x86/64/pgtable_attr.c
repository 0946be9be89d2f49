/* SPDX-License-Identifier: BSD-2-Clause */
/* x86-64 page tables: memory attributes of user mappings (MemoryControl).
 *
 * An attribute code is a PAT index (arch/pat.h), stored in an entry's PWT,
 * PCD and PAT bits; the PAT bit is bit 7 in a 4 KiB entry and bit 12 in a
 * 2 MiB or 1 GiB one.  Entries keep their code across protect, access-bit
 * reads, splits and a remap of the same frame (pgtable.c).  A range is walked from
 * the root, skipping absent tables, so the complete address space costs
 * what is mapped in it.
 */
#include <arch/pgtable.h>
#include <arch/pat.h>
#include <arch/cpu.h>
#include <mode/layout.h>
#include "pgtable_priv.h"

static pte_t code_bits(unsigned code, bool large)
{
    return ((code & 1) ? PTE_PWT : 0) | ((code & 2) ? PTE_PCD : 0) |
           ((code & 4) ? (large ? PTE_PAT_LG : PTE_PAT) : 0);
}

static unsigned code_of(pte_t e, bool large)
{
    return ((e & PTE_PWT) ? 1 : 0) | ((e & PTE_PCD) ? 2 : 0) |
           ((e & (large ? PTE_PAT_LG : PTE_PAT)) ? 4 : 0);
}

bool pgt_attribute_code(word_t attribute, unsigned *code)
{
    return pat_index_of_attribute(attribute, code);
}

bool pgt_split_at(pgtable_t *p, word_t addr)
{
    while (addr < USER_AREA_END) {
        unsigned level = 1;
        pte_t *e = pgt_walk_level(p, addr, 1, false, &level);
        if (!e || level == 1 || IS_ALIGNED(addr, BIT(pgt_level_shift(level)))) {
            return true;
        }
        if (!pgt_split_large(p, e, level, addr)) {
            return false;
        }
    }
    return true;
}

/* Set the code in table (at level, mapping from base) over [start, end);
 * returns whether an entry changed. */
static bool set_in(pte_t *table, unsigned level, word_t base, word_t start, word_t end,
                   unsigned code)
{
    unsigned shift = PAGE_BITS + 9 * (level - 1);
    word_t lo = start > base ? start : base;
    word_t first = (lo - base) >> shift, last = (end - 1 - base) >> shift;
    bool changed = false;
    for (word_t i = first; i <= last && i < 512; i++) {
        pte_t *e = &table[i];
        word_t va = base + (i << shift);
        if (!(*e & PTE_P)) {
            continue;
        }
        if (level > 1 && !(*e & PTE_PS)) {
            changed |= set_in(phys_to_virt(*e & PTE_ADDR), level - 1, va, start, end, code);
            continue;
        }
        bool large = level > 1;
        pte_t v = (*e & ~(large ? PTE_MEMTYPE_LG : PTE_MEMTYPE)) | code_bits(code, large);
        if (v != *e) {
            *e = v;
            invlpg(va);
            changed = true;
        }
    }
    return changed;
}

void pgt_set_attribute(pgtable_t *p, word_t start, word_t end, unsigned code)
{
    if (end > USER_AREA_END) {
        end = USER_AREA_END;
    }
    if (start < end && set_in(phys_to_virt(p->root), 4, 0, start, end, code)) {
        /* Lines cached under the old type must not outlive it. */
        wbinvd();
    }
}

word_t pgt_memory_type_at(pgtable_t *p, word_t va)
{
    unsigned level = 1;
    pte_t *e = va < USER_AREA_END ? pgt_walk_level(p, va, 1, false, &level) : NULL;
    if (!e || !(*e & PTE_P)) {
        return ~0UL;
    }
    return pat_memory_type(code_of(*e, level > 1));
}
