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

/* The entry mapping va at the level of a page of 2^size_log2 bytes (a
 * larger page above it is split first); NULL if nothing is mapped there. */
static pte_t *range_entry(pgtable_t *p, word_t va, unsigned size_log2)
{
    unsigned level = size_log2 >= SUPERPAGE_BITS ? 2 : 1;
    unsigned reached = 4;
    pte_t *e = pgt_walk_level(p, va, level, false, &reached);
    if (e && (*e & PTE_P) && reached > level && level == 1) {
        /* A large page covers a small range: split it, then look again. */
        if (!pgt_split_large(p, e)) {
            return NULL;
        }
        e = pgt_walk(p, va, 1, false);
    }
    return e && (*e & PTE_P) ? e : NULL;
}

/* Apply fn to every present leaf entry in [va, va + 2^size_log2). */
static unsigned for_range(pgtable_t *p, word_t va, unsigned size_log2,
                          unsigned (*fn)(pte_t *e, word_t va, unsigned arg), unsigned arg)
{
    unsigned acc = 0;
    if (size_log2 >= SUPERPAGE_BITS) {
        for (word_t off = 0; off < BIT(size_log2); off += SUPERPAGE_SIZE) {
            pte_t *e = pgt_walk(p, va + off, 2, false);
            if (!e || !(*e & PTE_P)) {
                continue;
            }
            if (*e & PTE_PS) {
                acc |= fn(e, va + off, arg);
            } else {
                pte_t *pt = phys_to_virt(*e & PTE_ADDR);
                for (unsigned i = 0; i < 512; i++) {
                    if (pt[i] & PTE_P) {
                        acc |= fn(&pt[i], va + off + ((word_t)i << PAGE_BITS), arg);
                    }
                }
            }
        }
        return acc;
    }
    pte_t *e = range_entry(p, va, size_log2);
    return e ? fn(e, va, arg) : 0;
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
    return pgt_walk(p, va, size_log2 >= SUPERPAGE_BITS ? 2 : 1, true) != NULL;
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
