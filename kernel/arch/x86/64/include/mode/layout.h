/* SPDX-License-Identifier: BSD-2-Clause */
/* x86-64 virtual memory layout of Pecan.
 *
 *   0x0000_0000_0000_0000 .. 0x0000_7FFF_FFFF_FFFF  user area (per space)
 *   0xFFFF_8000_0000_0000 ..                        physmap: all RAM 1:1 + offset
 *   0xFFFF_FF00_0000_0000                           user window: syscall stubs,
 *                                                   per-CPU UTCB-pointer words
 *   0xFFFF_FFFF_8000_0000 ..                        kernel image (-2 GiB)
 *
 * Every kernel-half PML4 slot is created at boot and shared by all spaces, so
 * a new space only copies the upper half of the master PML4.
 */
#pragma once

#ifdef __ASSEMBLER__
#define _UL(x) x
#else
#define _UL(x) x##UL
#endif

#define KERNEL_BASE       _UL(0xFFFFFFFF80000000)
#define KERNEL_LOAD_PHYS  _UL(0x00100000)
#define PHYSMAP_BASE      _UL(0xFFFF800000000000)
#define USER_WINDOW_BASE  _UL(0xFFFFFF0000000000)
#define USER_STUBS_VA     (USER_WINDOW_BASE)
#define USER_UTCBPTR_VA   (USER_WINDOW_BASE + 0x1000)
#define USER_AREA_END     _UL(0x0000800000000000)

/* Physmap covers physical memory up to this size (2 MiB pages). */
#define PHYSMAP_MAX       (_UL(64) << 30)
#define STUB_SLOT_SIZE    32        /* bytes per system-call stub */
#define STUB_SYSCALL_LEN  2         /* each stub starts with SYSCALL ... */
#define STUB_MEMCTL_PREFIX 6        /* ... except MemoryControl's (stubs.S) */

#define PAGE_BITS         12
#define PAGE_SIZE         (_UL(1) << PAGE_BITS)
#define SUPERPAGE_BITS    21
#define SUPERPAGE_SIZE    (_UL(1) << SUPERPAGE_BITS)
#define GIGAPAGE_BITS     30        /* only if the CPU has them (pgt_page_sizes) */
#define GIGAPAGE_SIZE     (_UL(1) << GIGAPAGE_BITS)

#define KSTACK_SIZE       _UL(4096)

#ifndef __ASSEMBLER__
#include <kernel/types.h>

static inline void *phys_to_virt(paddr_t pa)
{
    return (void *)(uintptr_t)(pa + PHYSMAP_BASE);
}

static inline paddr_t virt_to_phys(const void *va)
{
    word_t v = (word_t)va;
    return v >= KERNEL_BASE ? v - KERNEL_BASE : v - PHYSMAP_BASE;
}

static inline bool user_range_ok(word_t addr, word_t len)
{
    return addr < USER_AREA_END && len <= USER_AREA_END - addr;
}
#endif
