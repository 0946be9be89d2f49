/* SPDX-License-Identifier: BSD-2-Clause */
/* Pecan kernel-debugger extensions used by the conformance suite.
 *
 * Same encoding as the L4 debugger operations (int3; cmpb $op, %al), with
 * operation numbers above Pistachio's.  Only privileged spaces get answers.
 */
#pragma once

#include <l4/types.h>

/* Free pages of the kernel pool (kernel objects: TCBs, page tables, UTCB
 * pages), or ~0 when the caller is not privileged.  A leak check compares
 * two readings. */
static inline L4_Word_t pecan_kmem_free_pages(void)
{
    L4_Word_t v = 0;
    __asm__ __volatile__("int3\n\tcmpb $0x21, %%al" : "+a"(v) : : "cc", "memory");
    return v;
}

/* The x86 memory type (IA32_PAT encoding: UC 0, WC 1, WT 4, WP 5, WB 6,
 * UC- 7) of the caller's own mapping of addr, or ~0 if addr is unmapped or
 * the caller is not privileged.  For the MemoryControl tests. */
static inline L4_Word_t pecan_memory_type(L4_Word_t addr)
{
    L4_Word_t v = addr;
    __asm__ __volatile__("int3\n\tcmpb $0x23, %%al" : "+a"(v) : : "cc", "memory");
    return v;
}

/* log2 of the size of the hardware page (12, 21 or 30 on x86-64) through
 * which the caller's own space maps addr: 0 if addr is unmapped, ~0 if the
 * caller is not privileged.  For the page-size tests. */
static inline L4_Word_t pecan_page_size_log2(L4_Word_t addr)
{
    L4_Word_t v = addr;
    __asm__ __volatile__("int3\n\tcmpb $0x24, %%al" : "+a"(v) : : "cc", "memory");
    return v;
}
