/* SPDX-License-Identifier: BSD-2-Clause */
/* Architecture-specific KIP contents (see kernel/kip.h). */
#pragma once

#include <kernel/types.h>

/* UtcbAreaInfo: size multiplier, log2 alignment, log2 minimal area size. */
word_t arch_kip_utcb_info(void);
/* PageInfo: distinguished rights and supported page sizes. */
word_t arch_kip_page_info(void);
/* log2 of the processor-descriptor size. */
unsigned arch_kip_procdesc_log2(void);
/* Scheduling precision (the timer tick) in microseconds. */
word_t arch_kip_schedule_precision(void);
/* User address of system-call entry i (enum kip_syscall). */
word_t arch_kip_syscall_entry(unsigned i);
