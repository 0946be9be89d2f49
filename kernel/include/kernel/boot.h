/* SPDX-License-Identifier: BSD-2-Clause */
/* What the boot loader told the kernel: memory map, modules, command line.
 *
 * The platform fills this from its boot protocol (Multiboot on PCs); the
 * generic loader then places sigma0 and the root task and builds the KIP.
 */
#pragma once

#include <kernel/types.h>

#define BOOT_MAX_MEM      64
#define BOOT_MAX_MODULES  16
#define BOOT_CMDLINE_MAX  256

typedef struct {
    paddr_t base, size;
    unsigned type;              /* BIOS e820 type: 1 = usable RAM */
} boot_mem_t;

typedef struct {
    paddr_t start, end;         /* [start, end) as loaded by the boot loader */
    char cmdline[BOOT_CMDLINE_MAX];
} boot_module_t;

typedef struct {
    boot_mem_t mem[BOOT_MAX_MEM];
    unsigned nmem;
    boot_module_t mod[BOOT_MAX_MODULES];
    unsigned nmod;
    char cmdline[BOOT_CMDLINE_MAX];
    paddr_t loader_info;        /* physical address of the loader's own record */
} boot_info_t;

extern boot_info_t boot_info;

/* Highest physical address of usable RAM (exclusive). */
paddr_t boot_ram_end(void);
/* Value of "key=value" on the kernel command line, or NULL. */
const char *boot_option(const char *key, char *buf, size_t size);
/* Load sigma0, sigma1 and the root task from the modules and fill the KIP. */
void boot_load_servers(void);
