/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel page pool: a LIFO free list threaded through the free pages.
 *
 * Allocation and release are O(1).  Pages are handed out zeroed, so callers
 * can rely on clean page tables and TCBs.
 */
#include <kernel/kmem.h>
#include <kernel/string.h>
#include <mode/layout.h>

struct free_page {
    struct free_page *next;
};

static struct free_page *free_list;
static size_t free_count, total_count;

void kmem_add(paddr_t base, size_t size)
{
    paddr_t p = ALIGN_UP(base, PAGE_SIZE);
    paddr_t end = ALIGN_DOWN(base + size, PAGE_SIZE);
    for (; p < end; p += PAGE_SIZE) {
        struct free_page *fp = phys_to_virt(p);
        fp->next = free_list;
        free_list = fp;
        free_count++;
        total_count++;
    }
}

void *kmem_alloc_page(void)
{
    struct free_page *fp = free_list;
    if (!fp) {
        return NULL;
    }
    free_list = fp->next;
    free_count--;
    memset(fp, 0, PAGE_SIZE);
    return fp;
}

void kmem_free_page(void *page)
{
    struct free_page *fp = page;
    fp->next = free_list;
    free_list = fp;
    free_count++;
}

size_t kmem_free_pages(void)
{
    return free_count;
}

size_t kmem_total_pages(void)
{
    return total_count;
}
