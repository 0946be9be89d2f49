/* SPDX-License-Identifier: BSD-2-Clause */
/* The generic bootinfo structure handed to the root task (via KIP.BootInfo). */
#pragma once

#include <kernel/types.h>
#include <kernel/elf.h>

#define BOOTINFO_MAGIC     0x14B0021DUL
#define BOOTREC_MODULE     0x0001
#define BOOTREC_SIMPLEEXEC 0x0002

/* Bytes the bootinfo needs for the current boot modules. */
size_t bootinfo_size(void);
/* Write it to dst (size bytes, zeroed first): SimpleExec records for sigma0
 * and the root task, Module records for the other modules. */
void bootinfo_build(void *dst, size_t size, const elf_image_t *s0, const elf_image_t *root);
