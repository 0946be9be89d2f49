/* SPDX-License-Identifier: BSD-2-Clause */
/* Start-up steps of the generic kernel, in the order main.c calls them. */
#pragma once

/* Reserve the kernel pool, build the page tables, fill the page allocator. */
void memory_init(void);
