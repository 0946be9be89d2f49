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

/* Kernel-memory accounts (docs/kmem.md).  Every address space has one; it
 * is charged for the pool memory held on the space's behalf (page tables,
 * mapping-database nodes and index tables, TCBs, UTCB pages) and refunded
 * when that memory is freed.  A charge that would exceed the limit fails,
 * and the operation needing it fails with "out of memory". */
typedef struct kmem_account {
    word_t used;                    /* bytes charged */
    word_t limit;                   /* bytes; KMEM_UNLIMITED: only the pool limits */
} kmem_account_t;

#define KMEM_UNLIMITED (~0UL)

/* Charge bytes to a (NULL: nobody); false, nothing charged, if over the limit. */
bool kmem_charge(kmem_account_t *a, word_t bytes);
void kmem_refund(kmem_account_t *a, word_t bytes);
/* A zeroed pool page charged to a, or NULL (over the limit, pool empty). */
void *kmem_alloc_charged(kmem_account_t *a);
void kmem_free_charged(kmem_account_t *a, void *page);
/* The limit new unprivileged spaces get (kernel option kmem_quota=). */
void kmem_set_default_quota(word_t bytes);
word_t kmem_default_quota(void);
