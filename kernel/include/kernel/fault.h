/* SPDX-License-Identifier: BSD-2-Clause */
/* User faults: page faults and CPU exceptions raised by user threads. */
#pragma once

#include <kernel/tcb.h>

/* Page fault of t at addr (instruction ip) with X.2 access bits rwx. */
void fault_page(tcb_t *t, word_t addr, word_t ip, unsigned access);
/* CPU exception (arch vector number and error code) raised by t. */
void fault_exception(tcb_t *t, word_t vector, word_t error);
