/* SPDX-License-Identifier: BSD-2-Clause */
/* Local APIC: periodic timer and end-of-interrupt. */
#pragma once

#include <kernel/types.h>
#include <arch/timer.h>

void apic_init(void);
void apic_eoi(void);
