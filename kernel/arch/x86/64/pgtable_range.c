/* SPDX-License-Identifier: BSD-2-Clause */
/* x86-64 page tables: the range operations of the mapping database
 * (docs/mdb.md §2) on naturally aligned ranges that may be covered by
 * several smaller entries.
 */
#include <arch/pgtable.h>
#include <arch/cpu.h>
#include <kernel/fpage.h>
#include <mode/layout.h>
#include "pgtable_priv.h"

typedef unsigned (*leaf_fn_t)(pte_t *e, word_t va, unsigned arg);

/* fn on every present leaf at or below the present entry e (at level),
 * which maps from va and lies wholly inside the range. */
static unsigned all_leaves(pte_t *e, unsigned level, word_t va, leaf_fn_t fn, unsigned arg)
{
    if (level == 1 || (*e & PTE_PS)) {
        return fn(e, va, arg);
    }
    pte_t *t = phys_to_virt(*e & PTE_ADDR);
    unsigned acc = 0, shift = pgt_level_shift(level - 1);
    for (unsigned i = 0; i < 512; i++) {
        if (t[i] & PTE_P) {
            acc |= all_leaves(&t[i], level - 1, va + ((word_t)i << shift), fn, arg);
        }
    }
    return acc;
}

/* Apply fn to every present leaf entry in [va, va + 2^size_log2).  A larger
 * page holding the range is split down to the range's size first (the
 * mapping database prepares that, so it does not run out of memory here). */
static unsigned for_range(pgtable_t *p, word_t va, unsigned size_log2, leaf_fn_t fn, unsigned arg)
{
    pte_t *table = phys_to_virt(p->root);
    unsigned level = 4;
    for (; pgt_level_shift(level) > size_log2; level--) {
        pte_t *e = &table[(va >> pgt_level_shift(level)) & 511];
        if (!(*e & PTE_P)) {
            return 0;
        }
        if ((*e & PTE_PS) && !pgt_split_large(p, e, level, va)) {
            return 0;
        }
        table = phys_to_virt(*e & PTE_ADDR);
    }
    unsigned shift = pgt_level_shift(level), first = (va >> shift) & 511, acc = 0;
    word_t n = BIT(size_log2 - shift);
    for (word_t i = 0; i < n && first + i < 512; i++) {
        pte_t *e = &table[first + i];
        if (*e & PTE_P) {
            acc |= all_leaves(e, level, va + (i << shift), fn, arg);
        }
    }
    return acc;
}

static unsigned do_remove(pte_t *e, word_t va, unsigned arg)
{
    (void)arg;
    *e = 0;
    invlpg(va);
    return 0;
}

static unsigned do_protect(pte_t *e, word_t va, unsigned rights)
{
    pte_t v = *e & ~(PTE_W | pgt_nx);
    v |= (rights & FPAGE_RIGHT_W) ? PTE_W : 0;
    v |= (rights & FPAGE_RIGHT_X) ? 0 : pgt_nx;
    *e = v;
    invlpg(va);
    return 0;
}

/* x86 reports "accessed" as referenced and executed, "dirty" as written. */
static unsigned do_status(pte_t *e, word_t va, unsigned arg)
{
    (void)arg;
    unsigned bits = 0;
    if (*e & PTE_A) {
        bits |= FPAGE_RIGHT_R | FPAGE_RIGHT_X;
    }
    if (*e & PTE_D) {
        bits |= FPAGE_RIGHT_R | FPAGE_RIGHT_W;
    }
    if (*e & (PTE_A | PTE_D)) {
        *e &= ~(PTE_A | PTE_D);
        invlpg(va);
    }
    return bits;
}

bool pgt_prepare(pgtable_t *p, word_t va, unsigned size_log2)
{
    return pgt_walk(p, va, pgt_level_of(size_log2), true) != NULL;
}

void pgt_remove_range(pgtable_t *p, word_t va, unsigned size_log2)
{
    for_range(p, va, size_log2, do_remove, 0);
}

void pgt_protect_range(pgtable_t *p, word_t va, unsigned size_log2, unsigned rights)
{
    for_range(p, va, size_log2, do_protect, rights);
}

unsigned pgt_status_range(pgtable_t *p, word_t va, unsigned size_log2)
{
    return for_range(p, va, size_log2, do_status, 0);
}
