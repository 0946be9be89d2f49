/* SPDX-License-Identifier: BSD-2-Clause */
/* Physical memory classification (see kernel/physmem.h). */
#include <kernel/physmem.h>
#include <kernel/memory.h>
#include <kernel/boot.h>
#include <mode/layout.h>

extern char _kernel_phys_start[], _kernel_phys_end[];

/* Is all of [pa, end) RAM (possibly in several adjacent regions)? */
static bool is_ram(paddr_t pa, paddr_t end)
{
    while (pa < end) {
        unsigned i = 0;
        for (; i < boot_info.nmem; i++) {
            const boot_mem_t *m = &boot_info.mem[i];
            if (m->type == 1 && pa >= m->base && pa < m->base + m->size) {
                pa = m->base + m->size;
                break;
            }
        }
        if (i == boot_info.nmem) {
            return false;
        }
    }
    return true;
}

static bool overlaps(paddr_t pa, paddr_t end, paddr_t base, paddr_t limit)
{
    return pa < limit && base < end;
}

bool physmem_user_ok(paddr_t pa, paddr_t size, bool sigma0)
{
    paddr_t end = pa + size;
    if (end < pa || overlaps(pa, end, kernel_pool_base, kernel_pool_end) ||
        overlaps(pa, end, (paddr_t)_kernel_phys_start, (paddr_t)_kernel_phys_end) ||
        physmem_is_kernel_device(pa, size)) {
        return false;
    }
    return sigma0 || is_ram(pa, end);
}
