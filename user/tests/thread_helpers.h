/* SPDX-License-Identifier: BSD-2-Clause */
/* Helpers of the thread, space and scheduling tests (helpers.c). */
#pragma once

#include <l4/types.h>

/* Free pages of the kernel pool (Pecan debugger extension). */
L4_Word_t test_kmem_free(void);
/* Has the kernel pool got back to `before` free pages?  The mapping
 * database keeps one empty slab page as a spare, which may or may not
 * exist before and after a case depending on what ran earlier. */
int test_kmem_back_to(L4_Word_t before);

/* Start fn in a thread of a new, unprivileged space: its KIP and UTCB areas
 * are at the root task's addresses, and a pager thread of ours maps it our
 * pages 1:1, so fn runs our code and can report through our globals.  The
 * thread halts itself when fn returns.  *pager receives the pager thread;
 * test_end_new_space() deletes both (and with them the space). */
L4_ThreadId_t test_start_in_new_space(void (*fn)(void), L4_ThreadId_t *pager);
void test_end_new_space(L4_ThreadId_t t, L4_ThreadId_t pager);
/* Has thread t (of our space) halted itself? */
int test_is_halted(L4_ThreadId_t t);
/* Run fn to its end in a new unprivileged space (test_start_in_new_space),
 * then delete it; 0 if it could not start or did not finish. */
int test_run_unprivileged(void (*fn)(void));
