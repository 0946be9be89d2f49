/* SPDX-License-Identifier: BSD-2-Clause */
/* Map from thread numbers to TCBs (see thread_table.c). */
#pragma once

#include <kernel/tcb.h>

/* The TCB registered under thread number no, or NULL. */
tcb_t *thread_table_get(word_t no);
/* Register (or with t = NULL remove) a TCB; false when out of memory. */
bool thread_table_set(word_t no, tcb_t *t);
