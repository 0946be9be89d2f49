/* SPDX-License-Identifier: BSD-2-Clause */
/* Helpers of the memory tests (mem_helpers.c): "nodes", servers in address
 * spaces of their own that receive, map on, grant, unmap and touch pages at
 * the root thread's request, so that chains of spaces can be built.
 *
 * A node runs our code, paged by the test pager (suite.h): its accesses to
 * pages it does not have are recorded in test_pager_log and answered with
 * the scratch page if one is set.  Each request is a Call from the root
 * thread; a helper returns 0 if the Call failed (and fails the case).
 */
#pragma once

#include <l4/types.h>

#define MEM_SCRATCH_MARK 0x5C5C5C5C00000000UL   /* first word of the scratch page */

/* Start the test pager with a zeroed scratch page (rights rw) whose first
 * word is MEM_SCRATCH_MARK; 0 on failure. */
int mem_pager_start(void);
/* The scratch page (valid after mem_pager_start). */
L4_Word_t *mem_scratch(void);

/* A node in a new space (nilthread on failure); delete with test_kill_thread. */
L4_ThreadId_t mem_node_start(void);
/* Another node in the space of thread `space`. */
L4_ThreadId_t mem_node_start_in(L4_ThreadId_t space);
/* Set the node's receive window for map and grant items. */
int mem_window(L4_ThreadId_t node, L4_Fpage_t window);
/* The node reads / writes the word at addr in its space. */
int mem_read(L4_ThreadId_t node, L4_Word_t addr, L4_Word_t *value);
int mem_write(L4_ThreadId_t node, L4_Word_t addr, L4_Word_t value);
/* The node maps (or grants) its fpage f with send base `base` to node `to`,
 * which takes it with its current window. */
int mem_map_to(L4_ThreadId_t node, L4_ThreadId_t to, L4_Fpage_t f, L4_Word_t base, int grant);
/* The node calls Unmap on f (flush: with the flush bit); *result gets the
 * fpage word Unmap returned (access bits in the rights field). */
int mem_unmap(L4_ThreadId_t node, L4_Fpage_t f, int flush, L4_Word_t *result);
/* The same, then the node reads the word at addr (before anything else runs
 * in its space) into *value. */
int mem_unmap_read(L4_ThreadId_t node, L4_Fpage_t f, int flush, L4_Word_t addr,
                   L4_Word_t *value);
/* We (the root thread) map or grant our fpage f to the node. */
int mem_send(L4_ThreadId_t node, L4_Fpage_t f, L4_Word_t base, int grant);
/* Receive timeout of the Calls above (default one second). */
void mem_set_timeout(L4_Time_t t);

/* f with rights r. */
L4_Fpage_t mem_rights(L4_Fpage_t f, L4_Word_t r);
