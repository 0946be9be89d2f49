/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel memory: the page pool every kernel object comes from.
 *
 * The pool is a range of physical RAM reserved for the kernel at boot and
 * announced as reserved in the KIP, so sigma0 never hands it out.  Objects are
 * whole pages (TCBs with their stacks, page tables, UTCB pages); a page is
 * zeroed before it is returned.
 */
#pragma once

#include <kernel/types.h>

/* Add the physical range [base, base + size) to the pool. */
void kmem_add(paddr_t base, size_t size);
/* A zeroed page (kernel virtual address), or NULL when the pool is empty. */
void *kmem_alloc_page(void);
void kmem_free_page(void *page);
/* Pages currently free and in total. */
size_t kmem_free_pages(void);
size_t kmem_total_pages(void);
