/* SPDX-License-Identifier: BSD-2-Clause */
/* Classification of physical memory for user mappings. */
#pragma once

#include <kernel/types.h>
#include <kernel/threadid.h>

/* May the physical pages [pa, pa + size) be mapped into user space?  Kernel
 * memory never; device memory only for sigma0 (devices = anything that is
 * not RAM). */
bool physmem_user_ok(paddr_t pa, paddr_t size, bool sigma0);
/* Arch/platform: does [pa, pa + size) hold a device page the kernel keeps
 * for itself? */
bool physmem_is_kernel_device(paddr_t pa, paddr_t size);
