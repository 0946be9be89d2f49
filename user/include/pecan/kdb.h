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
