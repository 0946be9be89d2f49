/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel-memory accounts: per-space limits on the pool (docs/kmem.md).
 *
 * An account is a byte counter with a limit.  Whole pages are charged as
 * PAGE_SIZE, mapping-database nodes by their size, so a space pays for what
 * it holds and not for slab pages shared with others.  The pool itself still
 * runs out first if the limits together exceed it: a charge that fits does
 * not promise a page, and callers handle both failures alike.
 */
#include <kernel/kmem.h>
#include <kernel/console.h>
#include <mode/layout.h>

static word_t default_quota = KMEM_UNLIMITED;

bool kmem_charge(kmem_account_t *a, word_t bytes)
{
    if (!a) {
        return true;
    }
    if (a->limit != KMEM_UNLIMITED && (bytes > a->limit || a->used > a->limit - bytes)) {
        return false;
    }
    a->used += bytes;
    return true;
}

void kmem_refund(kmem_account_t *a, word_t bytes)
{
    if (a) {
        assert(a->used >= bytes);
        a->used -= bytes;
    }
}

void *kmem_alloc_charged(kmem_account_t *a)
{
    if (!kmem_charge(a, PAGE_SIZE)) {
        return NULL;
    }
    void *page = kmem_alloc_page();
    if (!page) {
        kmem_refund(a, PAGE_SIZE);
    }
    return page;
}

void kmem_free_charged(kmem_account_t *a, void *page)
{
    kmem_free_page(page);
    kmem_refund(a, PAGE_SIZE);
}

void kmem_set_default_quota(word_t bytes)
{
    default_quota = bytes;
}

word_t kmem_default_quota(void)
{
    return default_quota;
}
