/* SPDX-License-Identifier: BSD-2-Clause */
/* Small task-building helpers for Pecan's own root tasks: threads in the
 * caller's space, and threads in new spaces paged by a pager thread that
 * maps them the caller's own pages 1:1 (so they run the caller's code). */
#pragma once

#include <l4/types.h>

/* A free thread id after the caller's, with its UTCB location in the
 * caller's UTCB area (slot numbering shared by all helpers here). */
L4_ThreadId_t task_new_tid(L4_Word_t *utcb_location);
/* Create and start fn in the caller's space on the given stack top. */
L4_ThreadId_t task_start_local(void (*fn)(void), void *stack_top, L4_Word_t prio);
/* Create a new space with one thread running fn on stack_top, paged by
 * pager (a thread of the caller's space running task_pager_loop). */
L4_ThreadId_t task_start_space(void (*fn)(void), void *stack_top, L4_ThreadId_t pager,
                               L4_Word_t prio);
/* Body of a pager thread: serves page faults by mapping the faulting page
 * of the pager's own space at the same address; never returns. */
void task_pager_loop(void);
/* Delete a thread (and its space with its last thread). */
void task_delete(L4_ThreadId_t t);
