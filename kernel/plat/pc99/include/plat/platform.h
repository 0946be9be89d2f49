/* SPDX-License-Identifier: BSD-2-Clause */
/* What the PC platform offers the generic kernel. */
#pragma once

#include <kernel/types.h>

/* Parse the boot loader's information into boot_info. */
void plat_parse_boot(uint32_t magic, paddr_t info);
void plat_console_init(void);
void plat_putc(char c);
int plat_getc(void);
/* Stop the machine; under QEMU the exit status is (code << 1) | 1. */
NORETURN void plat_poweroff(unsigned code);
/* Mask the legacy 8259 PICs; the kernel uses the local APIC. */
void plat_pic_disable(void);
/* Busy-wait for the given number of microseconds using the PIT. */
void plat_pit_wait_us(unsigned us);
