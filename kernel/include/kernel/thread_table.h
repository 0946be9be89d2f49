/* SPDX-License-Identifier: BSD-2-Clause */
/* Map from thread numbers and ids to TCBs, all O(1) (see thread_table.c). */
#pragma once

#include <kernel/tcb.h>
#include <arch/tcb_area.h>

struct space;

/* The TCB slot of thread number no (< 2^TID_NUMBER_BITS).  It may be
 * empty: touch it only after thread_table_has_id() said yes. */
static inline tcb_t *thread_table_raw(word_t no)
{
    return arch_tcb_slot(no);
}

/* Does slot t hold the thread with exactly this (nonzero) id? */
static inline bool thread_table_has_id(const tcb_t *t, threadid_t id)
{
    return arch_tcb_has_id(t, id);
}

/* Does slot t hold a thread whose local id is lid (any space)? */
static inline bool thread_table_has_local_id(const tcb_t *t, word_t lid)
{
    return arch_tcb_has_local_id(t, lid);
}

/* The TCB registered under thread number no, or NULL. */
tcb_t *thread_table_get(word_t no);
/* Register the zeroed pool page `page` as the TCB of thread number no;
 * from now on the TCB is used through the returned pointer only.  NULL
 * when out of memory. */
tcb_t *thread_table_insert(word_t no, void *page);
/* Unregister thread number no: its TCB pointer is invalid from now on;
 * returns the pool page to free. */
void *thread_table_remove(word_t no);
/* Call fn for every registered TCB (interrupt threads included); fn may
 * change thread states but not the table. */
void thread_table_for_each(void (*fn)(tcb_t *t, void *arg), void *arg);
/* The thread with exactly this global id, or NULL. */
tcb_t *thread_table_lookup(threadid_t id);
/* The active thread of space s whose local id is id, or NULL. */
tcb_t *thread_table_local(struct space *s, threadid_t id);
/* A global or local id as seen by thread self (local ids name threads of
 * self's space), or NULL. */
tcb_t *thread_table_resolve(tcb_t *self, threadid_t id);
