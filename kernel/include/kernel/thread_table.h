/* SPDX-License-Identifier: BSD-2-Clause */
/* Map from thread numbers and ids to TCBs, all O(1) (see thread_table.c). */
#pragma once

#include <kernel/tcb.h>

struct space;

/* The TCB registered under thread number no, or NULL. */
tcb_t *thread_table_get(word_t no);
/* Register (or with t = NULL remove) a TCB; false when out of memory.
 * Removal returns table pages that became empty to the kernel pool. */
bool thread_table_set(word_t no, tcb_t *t);
/* The thread with exactly this global id, or NULL. */
tcb_t *thread_table_lookup(threadid_t id);
/* The active thread of space s whose local id is id, or NULL. */
tcb_t *thread_table_local(struct space *s, threadid_t id);
/* A global or local id as seen by thread self (local ids name threads of
 * self's space), or NULL. */
tcb_t *thread_table_resolve(tcb_t *self, threadid_t id);
