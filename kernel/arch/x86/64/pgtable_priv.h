/* SPDX-License-Identifier: BSD-2-Clause */
/* x86-64 page tables: inside view shared by pgtable*.c (entry bits, walks). */
#pragma once

#include <arch/pgtable.h>

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
#define PTE_PAT_LG BIT(12)          /* in a large-page entry */
#define PTE_NX     BIT(63)
#define PTE_ADDR   0x000FFFFFFFFFF000UL
#define PTE_MEMTYPE    (PTE_PWT | PTE_PCD | PTE_PAT)
#define PTE_MEMTYPE_LG (PTE_PWT | PTE_PCD | PTE_PAT_LG)

/* PTE_NX if the CPU has it, else 0. */
extern pte_t pgt_nx;

/* Walk to the entry of va at target level (1 = PT, 2 = PD).  With alloc,
 * missing tables are created and large pages above the target split;
 * without, the walk stops at a large page or a hole (*level_out tells
 * where). */
pte_t *pgt_walk_level(pgtable_t *p, word_t va, unsigned target, bool alloc, unsigned *level_out);
pte_t *pgt_walk(pgtable_t *p, word_t va, unsigned target, bool alloc);
/* Replace the 2 MiB entry *e by a table of 4 KiB entries with the same
 * frames, rights, access bits and memory type; false when out of memory. */
bool pgt_split_large(pgtable_t *p, pte_t *e);
