/* SPDX-License-Identifier: BSD-2-Clause */
/* x86-64 page tables: inside view shared by pgtable*.c (entry bits, walks). */
#pragma once

#include <arch/pgtable.h>
#include <mode/layout.h>

typedef uint64_t pte_t;

#define PTE_P      BIT(0)
#define PTE_W      BIT(1)
#define PTE_U      BIT(2)
#define PTE_PWT    BIT(3)
#define PTE_PCD    BIT(4)
#define PTE_A      BIT(5)
#define PTE_D      BIT(6)
#define PTE_PS     BIT(7)           /* in a PD/PDPT entry: a large page */
#define PTE_PAT    BIT(7)           /* in a 4 KiB entry */
#define PTE_G      BIT(8)
#define PTE_PAT_LG BIT(12)          /* in a large-page entry (2 MiB or 1 GiB) */
#define PTE_NX     BIT(63)
#define PTE_ADDR   0x000FFFFFFFFFF000UL
#define PTE_MEMTYPE    (PTE_PWT | PTE_PCD | PTE_PAT)
#define PTE_MEMTYPE_LG (PTE_PWT | PTE_PCD | PTE_PAT_LG)

/* PTE_NX if the CPU has it, else 0. */
extern pte_t pgt_nx;
/* The CPU maps 1 GiB pages with PDPT entries (CPUID Page1GB). */
extern bool pgt_gib;

/* Levels: 1 = PT (4 KiB entries), 2 = PD (2 MiB), 3 = PDPT (1 GiB), 4 = PML4.
 * log2 of the bytes one entry of a level maps: */
static inline unsigned pgt_level_shift(unsigned level)
{
    return PAGE_BITS + 9 * (level - 1);
}

/* The level whose entries map the largest pages not above 2^size_log2
 * (size_log2 >= PAGE_BITS; at most the PDPT). */
static inline unsigned pgt_level_of(unsigned size_log2)
{
    unsigned level = (size_log2 - PAGE_BITS) / 9 + 1;
    return level > 3 ? 3 : level;
}

/* Walk to the entry of va at target level (1 = PT, 2 = PD, 3 = PDPT).  With
 * alloc, missing tables are created and large pages above the target split;
 * without, the walk stops at a large page or a hole (*level_out tells
 * where). */
pte_t *pgt_walk_level(pgtable_t *p, word_t va, unsigned target, bool alloc, unsigned *level_out);
pte_t *pgt_walk(pgtable_t *p, word_t va, unsigned target, bool alloc);
/* Replace the large entry *e at level (2 or 3), mapping va, by a table of
 * 512 entries of the next smaller size with the same frames, rights,
 * access bits and memory type; false when out of memory. */
bool pgt_split_large(pgtable_t *p, pte_t *e, unsigned level, word_t va);
