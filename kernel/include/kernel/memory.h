/* SPDX-License-Identifier: BSD-2-Clause */
/* Physical memory facts established at boot. */
#pragma once

#include <kernel/types.h>

/* The kernel pool [kernel_pool_base, kernel_pool_end). */
extern paddr_t kernel_pool_base, kernel_pool_end;

/* Does [base, end) overlap low memory, the kernel image or a boot module? */
bool boot_range_busy(paddr_t base, paddr_t end);
