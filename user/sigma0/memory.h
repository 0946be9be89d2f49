/* SPDX-License-Identifier: BSD-2-Clause */
/* sigma0's view of physical memory: types from the KIP, owners it assigned. */
#pragma once

#include <l4/types.h>

/* Pools a page can belong to (derived from the KIP memory descriptors). */
typedef enum {
    POOL_NONE,              /* not memory (undefined) or kernel-owned */
    POOL_CONVENTIONAL,      /* RAM: first come, first served */
    POOL_SPECIAL,           /* dedicated, boot loader, arch: explicit request */
    POOL_SHARED,            /* devices anyone may map, repeatedly */
} pool_t;

void memory_init(void *kip, L4_ThreadId_t kernel, L4_ThreadId_t root);
/* The pool of the page at physical address pa. */
pool_t memory_pool(L4_Word_t pa);
/* Give [base, base + size) to owner if every page is available to it
 * (explicit = get-page request, which may also take special memory). */
int memory_claim(L4_Word_t base, L4_Word_t size, L4_ThreadId_t owner, int explicit_request);
/* Find and claim any free conventional block of 2^log2 bytes; 0 if none. */
L4_Word_t memory_claim_any(unsigned log2, L4_ThreadId_t owner);
