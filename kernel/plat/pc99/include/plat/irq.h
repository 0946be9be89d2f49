/* SPDX-License-Identifier: BSD-2-Clause */
/* Device interrupt lines of the PC platform (IO-APIC pins). */
#pragma once

#include <kernel/types.h>

/* Number of interrupt lines the platform has (IO-APIC redirection entries). */
unsigned plat_irq_lines(void);
/* May user threads own this line? (Not the cascade or absent pins.) */
bool plat_irq_available(unsigned line);
void plat_irq_mask(unsigned line);
void plat_irq_unmask(unsigned line);
void plat_irq_init(void);
