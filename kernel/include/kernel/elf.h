/* SPDX-License-Identifier: BSD-2-Clause */
/* ELF program loading for the initial servers (32- and 64-bit files). */
#pragma once

#include <kernel/types.h>

typedef struct {
    paddr_t low, high;          /* loaded span [low, high) */
    word_t entry;
    unsigned elf_class;         /* 1 = 32-bit, 2 = 64-bit */
    /* First executable and first writable segment, for bootinfo records. */
    paddr_t text_p; word_t text_v, text_size;
    paddr_t data_p; word_t data_v, data_size, bss_size;
} elf_image_t;

/* Check the ELF file at [file, file + size) and describe its segments
 * without loading; returns an error message or NULL. */
const char *elf_inspect(const void *file, size_t size, elf_image_t *img);
/* Copy every PT_LOAD segment to its physical address and zero its BSS. */
void elf_load(const void *file, const elf_image_t *img);
