/* SPDX-License-Identifier: BSD-2-Clause */
/* Page attribute table: the memory types user mappings can have.
 *
 * A page-table entry selects one of eight IA32_PAT entries with its PAT, PCD
 * and PWT bits (index = PAT << 2 | PCD << 1 | PWT).  Pecan keeps the
 * power-on types in entries 0..3, so entries without the PAT bit mean what
 * they always meant, and uses entries 4 and 5 for write-combining and
 * write-protected (docs/control.md).
 */
#pragma once

#include <kernel/types.h>

enum pat_index {
    PAT_WB = 0,                     /* write-back: every mapping's default */
    PAT_WT = 1,                     /* write-through */
    PAT_UC_MINUS = 2,               /* uncacheable, MTRR write-combining wins */
    PAT_UC = 3,                     /* uncacheable */
    PAT_WC = 4,                     /* write-combining (needs the PAT) */
    PAT_WP = 5,                     /* write-protected (needs the PAT) */
};

/* Program IA32_PAT on this CPU, if it has one. */
void pat_init(void);
/* The index for an X.2 memory attribute value (manual appendix G.5: 0
 * default, 1 uncacheable, 2 write-combining, 5 write-through, 6
 * write-protected, 7 write-back); false if the value is undefined or the
 * CPU cannot provide it. */
bool pat_index_of_attribute(word_t attribute, unsigned *index);
/* The memory-type encoding IA32_PAT holds for an index (UC 0, WC 1, WT 4,
 * WP 5, WB 6, UC- 7). */
unsigned pat_memory_type(unsigned index);
