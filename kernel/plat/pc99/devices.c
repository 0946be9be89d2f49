/* SPDX-License-Identifier: BSD-2-Clause */
/* Device memory the kernel keeps for itself on PCs: local APIC, IO-APIC. */
#include <kernel/physmem.h>

#define LAPIC_PHYS  0xFEE00000UL
#define IOAPIC_PHYS 0xFEC00000UL

static bool holds(paddr_t pa, paddr_t size, paddr_t page)
{
    return pa < page + 0x1000 && page < pa + size;
}

bool physmem_is_kernel_device(paddr_t pa, paddr_t size)
{
    return holds(pa, size, LAPIC_PHYS) || holds(pa, size, IOAPIC_PHYS);
}
