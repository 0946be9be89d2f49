/* SPDX-License-Identifier: BSD-2-Clause */
/* Physical memory classification (see kernel/physmem.h). */
#include <kernel/physmem.h>
#include <kernel/memory.h>
#include <kernel/boot.h>
#include <mode/layout.h>

extern char _kernel_phys_start[], _kernel_phys_end[];

static bool is_ram(paddr_t pa)
{
    for (unsigned i = 0; i < boot_info.nmem; i++) {
        const boot_mem_t *m = &boot_info.mem[i];
        if (m->type == 1 && pa >= m->base && pa < m->base + m->size) {
            return true;
        }
    }
    return false;
}

bool physmem_user_ok(paddr_t pa, bool sigma0)
{
    if (pa >= kernel_pool_base && pa < kernel_pool_end) {
        return false;
    }
    if (pa >= (paddr_t)_kernel_phys_start && pa < (paddr_t)_kernel_phys_end) {
        return false;
    }
    if (physmem_is_kernel_device(pa)) {
        return false;
    }
    return is_ram(pa) || sigma0;
}
