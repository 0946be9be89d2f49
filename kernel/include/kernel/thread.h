/* SPDX-License-Identifier: BSD-2-Clause */
/* Thread objects: creation, activation, lookup by id, destruction. */
#pragma once

#include <kernel/tcb.h>

struct space;

/* Thread numbers (X.2 §2.1; see docs/abi.md for Pecan's choice). */
#define THREAD_SYSTEM_BASE  32      /* interrupt threads 0..31 */
#define THREAD_USER_BASE    48      /* sigma0; sigma1 = +1, root task = +2 */
#define THREAD_NUMBER_BITS  TID_NUMBER_BITS

/* The thread with this global id (exact version match), or NULL. */
tcb_t *thread_lookup(threadid_t id);
/* The thread holding this thread number, whatever its version, or NULL. */
tcb_t *thread_by_number(word_t no);
/* Resolve a local or global id as seen from thread self; NULL if invalid. */
tcb_t *thread_resolve(tcb_t *self, threadid_t id);

/* Create an inactive thread in space s; NULL when out of kernel memory. */
tcb_t *thread_create(threadid_t id, struct space *s);
/* Give t a UTCB at location loc and its initial TCRs; false on NoMem. */
bool thread_activate(tcb_t *t, word_t loc, threadid_t pager);
/* Make t ready to enter user mode at ip/sp. */
void thread_start(tcb_t *t, word_t ip, word_t sp);
/* Let an activated t run its start-up wait for a message from its pager. */
void thread_wait_startup(tcb_t *t);
/* Set t up to enter user mode through its frame when it first runs. */
void thread_prepare_user_entry(tcb_t *t);
/* Move t to another space (freeing an emptied one); an active thread's
 * UTCB must already be in place there.  False, nothing changed, if the TCB
 * does not fit to's kernel-memory quota. */
bool thread_move_space(tcb_t *t, struct space *to);
/* Destroy t and, if it was the last thread of its space, the space. */
void thread_destroy(tcb_t *t);
/* Stop t for good after a fault nobody handles. */
void thread_halt_faulted(tcb_t *t);
/* Change a thread's global id (new version). */
void thread_set_id(tcb_t *t, threadid_t id);
