/* SPDX-License-Identifier: BSD-2-Clause */
/* x86 page tables as the generic kernel uses them.
 *
 * Generic code maps and unmaps naturally aligned pages of the sizes the KIP
 * announces (4 KiB, 2 MiB, and 1 GiB if the CPU has them) with X.2 rights;
 * the arch decides the bits.
 */
#pragma once

#include <kernel/types.h>

struct kmem_account;

typedef struct {
    paddr_t root;               /* physical address of the PML4 */
    struct kmem_account *acct;  /* pays for the table pages (NULL: nobody) */
} pgtable_t;

/* Build the kernel's master page table and switch to it. */
void pgt_kernel_init(paddr_t phys_end);
/* Make the 2 MiB physmap page holding pa uncached (device registers). */
void pgt_kernel_uncached(paddr_t pa);
/* Map the syscall-stub page and the UTCB-pointer page into the user window. */
void pgt_user_window_init(paddr_t stubs, paddr_t utcbptr);

/* The hardware page sizes for user mappings: bit k set = pages of 2^k
 * bytes (valid after pgt_kernel_init; the KIP's page-size mask). */
word_t pgt_page_sizes(void);

/* A new user page table sharing the kernel half, its pages charged to acct;
 * false when out of memory (or over acct's limit). */
bool pgt_init(pgtable_t *p, struct kmem_account *acct);
/* Free every page-table page of the user half and the root. */
void pgt_destroy(pgtable_t *p);
/* Map one page of 2^size_log2 bytes; false when a table can't be allocated. */
bool pgt_map(pgtable_t *p, word_t va, paddr_t pa, unsigned size_log2, unsigned rights);
/* Remove the mapping covering va, if any (flushes the TLB entry). */
void pgt_unmap(pgtable_t *p, word_t va);
/* Translate va; false if unmapped.  Reports the page size and rights. */
bool pgt_lookup(pgtable_t *p, word_t va, paddr_t *pa, unsigned *size_log2, unsigned *rights);
/* Like pgt_lookup; when unmapped, *hole_log2 is the log2 size of the
 * unmapped naturally aligned region around va (to skip it quickly). */
bool pgt_probe(pgtable_t *p, word_t va, paddr_t *pa, unsigned *size_log2, unsigned *rights,
               unsigned *hole_log2);
/* Mapping-database operations on naturally aligned ranges (page sizes as
 * in the KIP; larger ranges cover every page inside). */
bool pgt_prepare(pgtable_t *p, word_t va, unsigned size_log2);
void pgt_remove_range(pgtable_t *p, word_t va, unsigned size_log2);
void pgt_protect_range(pgtable_t *p, word_t va, unsigned size_log2, unsigned rights);
/* Read and clear access bits: r referenced, w written, x executed. */
unsigned pgt_status_range(pgtable_t *p, word_t va, unsigned size_log2);
/* Memory attributes (MemoryControl, docs/control.md).  The arch's code for
 * an X.2 attribute value; false if the value is invalid or unsupported. */
bool pgt_attribute_code(word_t attribute, unsigned *code);
/* Split the large page holding addr unless addr is its first byte, so that a
 * range starting or ending at addr covers whole entries; false when out of
 * memory (a split changes nothing visible). */
bool pgt_split_at(pgtable_t *p, word_t addr);
/* Give every present entry in [start, end) (page-aligned, user area) the
 * attribute code, flushing TLB entries and caches as needed. */
void pgt_set_attribute(pgtable_t *p, word_t start, word_t end, unsigned code);
/* For the kernel debugger: the memory type (IA32_PAT encoding) of the
 * mapping of va, ~0 if there is none. */
word_t pgt_memory_type_at(pgtable_t *p, word_t va);
/* Make p the current address space of this CPU. */
void pgt_activate(const pgtable_t *p);
/* The kernel-only page table (used by idle threads). */
const pgtable_t *pgt_kernel(void);
