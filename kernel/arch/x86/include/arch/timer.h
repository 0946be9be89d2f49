/* SPDX-License-Identifier: BSD-2-Clause */
/* The CPU's clock and periodic timer as the generic kernel sees them. */
#pragma once

#include <kernel/types.h>

/* Timer tick period in microseconds. */
#define TIMER_TICK_US 1000

/* Measured core frequency in kHz. */
uint64_t cpu_khz(void);
/* Microseconds since boot. */
uint64_t clock_us(void);
/* Time stamp counter value at the first kernel instruction. */
uint64_t arch_boot_timestamp(void);
