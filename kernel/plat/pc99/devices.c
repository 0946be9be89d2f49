/* SPDX-License-Identifier: BSD-2-Clause */
/* Device memory the kernel keeps for itself on PCs: local APIC, IO-APIC. */
#include <kernel/physmem.h>

#define LAPIC_PHYS  0xFEE00000UL
#define IOAPIC_PHYS 0xFEC00000UL

bool physmem_is_kernel_device(paddr_t pa)
{
    return (pa >= LAPIC_PHYS && pa < LAPIC_PHYS + 0x1000) ||
           (pa >= IOAPIC_PHYS && pa < IOAPIC_PHYS + 0x1000);
}
