/* SPDX-License-Identifier: BSD-2-Clause */
/* Architecture start-up hooks called by the generic kernel. */
#pragma once

#define PECAN_ARCH "x86-64"

/* Descriptor tables, SYSCALL MSRs, FPU/SSE enable, per-CPU data. */
void arch_init_cpu(void);
/* After the kernel pool exists: timers, user window, frequencies. */
void arch_init_late(void);
