/* SPDX-License-Identifier: BSD-2-Clause */
/* Boot-time memory set-up: page tables, the kernel pool, RAM bookkeeping.
 *
 * The kernel pool is one contiguous range at the top of the highest RAM
 * region that clears the kernel image and the boot modules.  Its size is the
 * "kmem=" option (with K/M/G suffix) or a quarter of RAM, at least 16 MiB.
 * It is announced in the KIP as reserved, so sigma0 never hands it out.
 * Each unprivileged space may hold at most "kmem_quota=" of it (a size or a
 * percentage of the pool; default a quarter; docs/kmem.md).
 */
#include <kernel/init.h>
#include <kernel/boot.h>
#include <kernel/kmem.h>
#include <kernel/kip.h>
#include <kernel/console.h>
#include <kernel/memory.h>
#include <kernel/string.h>
#include <arch/pgtable.h>
#include <mode/layout.h>

#define MIN_POOL (16UL << 20)
#define DEFAULT_QUOTA_PERCENT 25    /* of the pool, per unprivileged space */

extern char _kernel_phys_start[], _kernel_phys_end[];

paddr_t kernel_pool_base, kernel_pool_end;

paddr_t boot_ram_end(void)
{
    paddr_t end = 0;
    for (unsigned i = 0; i < boot_info.nmem; i++) {
        const boot_mem_t *m = &boot_info.mem[i];
        if (m->type == 1 && m->base + m->size > end) {
            end = m->base + m->size;
        }
    }
    return end;
}

static paddr_t parse_size(const char *s)
{
    paddr_t v = 0;
    for (; *s >= '0' && *s <= '9'; s++) {
        v = v * 10 + (paddr_t)(*s - '0');
    }
    switch (*s) {
    case 'G': case 'g': return v << 30;
    case 'M': case 'm': return v << 20;
    case 'K': case 'k': return v << 10;
    default: return v;
    }
}

/* Ranges the pool must not overlap: low memory, kernel image, modules. */
bool boot_range_busy(paddr_t base, paddr_t end)
{
    if (base < (1UL << 20)) {
        return true;
    }
    if (base < (paddr_t)_kernel_phys_end && end > (paddr_t)_kernel_phys_start) {
        return true;
    }
    for (unsigned i = 0; i < boot_info.nmod; i++) {
        const boot_module_t *m = &boot_info.mod[i];
        if (base < m->end && end > m->start) {
            return true;
        }
    }
    return false;
}

static void choose_pool(paddr_t size)
{
    for (unsigned pass = 0; pass < boot_info.nmem; pass++) {
        /* Highest-addressed RAM region not tried yet. */
        const boot_mem_t *best = NULL;
        for (unsigned i = 0; i < boot_info.nmem; i++) {
            const boot_mem_t *m = &boot_info.mem[i];
            if (m->type == 1 && m->base + m->size <= PHYSMAP_MAX &&
                (!best || m->base > best->base) &&
                (!kernel_pool_end || m->base < kernel_pool_end)) {
                best = m;
            }
        }
        if (!best) {
            break;
        }
        paddr_t top = ALIGN_DOWN(best->base + best->size, SUPERPAGE_SIZE);
        for (paddr_t end = top; end >= best->base + size && end >= size; end -= SUPERPAGE_SIZE) {
            if (!boot_range_busy(end - size, end)) {
                kernel_pool_base = end - size;
                kernel_pool_end = end;
                return;
            }
        }
        kernel_pool_end = best->base;   /* skip this region next pass */
    }
    panic("no room for a %lu MiB kernel pool", (unsigned long)(size >> 20));
}

void memory_init(void)
{
    paddr_t ram_end = boot_ram_end(), ram = 0;
    for (unsigned i = 0; i < boot_info.nmem; i++) {
        if (boot_info.mem[i].type == 1) {
            ram += boot_info.mem[i].size;
        }
    }
    pgt_kernel_init(ram_end);

    char buf[32];
    paddr_t size = ram / 4;
    if (boot_option("kmem", buf, sizeof(buf))) {
        size = parse_size(buf);
    }
    size = ALIGN_UP(size < MIN_POOL ? MIN_POOL : size, SUPERPAGE_SIZE);
    kernel_pool_end = 0;
    choose_pool(size);
    kmem_add(kernel_pool_base, (size_t)size);
    paddr_t quota = size * DEFAULT_QUOTA_PERCENT / 100;
    if (boot_option("kmem_quota", buf, sizeof(buf))) {
        size_t len = strlen(buf);
        quota = len && buf[len - 1] == '%' ? size * parse_size(buf) / 100 : parse_size(buf);
    }
    kmem_set_default_quota((word_t)quota);
    printk("memory: %lu MiB RAM, kernel pool %lu MiB at %lx, %lu KiB per space\n",
           (unsigned long)(ram >> 20), (unsigned long)(size >> 20),
           (unsigned long)kernel_pool_base, (unsigned long)(quota >> 10));
}
