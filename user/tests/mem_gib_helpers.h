/* SPDX-License-Identifier: BSD-2-Clause */
/* Helpers of the 1 GiB page cases (mem_gib*.c): the root task's GiB from
 * sigma0 at GIB_VA, nodes holding it, the alias (a second mapping of it in
 * the root task's own space at ALIAS_VA, whose hardware page size the
 * kdebug extension 0x24 reads), and the pool check at the end of a case.
 */
#pragma once

#include <l4/types.h>

#define GIB       (1UL << 30)
#define GIB_VA    0x0000008000000000UL  /* 512 GiB: the GiB here, and in every node */
#define ALIAS_VA  (GIB_VA + GIB)        /* a second mapping in our own space */
#define GIB_NODES 3

typedef struct {
    L4_ThreadId_t alias, n[GIB_NODES];  /* alias: a node in our space */
    unsigned nodes;
    int started;                        /* gib_end has something to undo */
    L4_Word_t pool;                     /* free pool pages at the start */
    L4_Word_t charged[GIB_NODES + 1];   /* pages charged to our space, the nodes' */
} gib_case_t;

/* Where sigma0's GiB is (valid after gib_get), and the largest page size
 * (log2: 30, or 21 on a CPU without 1 GiB pages). */
extern L4_Word_t gib_phys, gib_largest;

/* The whole GiB at GIB_VA with all rights. */
L4_Fpage_t gib_whole(void);
/* The word at GIB_VA + off. */
volatile L4_Word_t *gib_at(L4_Word_t off);
/* Our GiB at GIB_VA as one fresh mapping from sigma0 (a mapping split by an
 * earlier case is flushed first); 0 if skipped (no free GiB) or failed. */
int gib_get(void);
/* Our GiB, the test pager, the alias node and `nodes` nodes in spaces of
 * their own; every node holds the whole GiB.  The pool is read after the
 * nodes' page tables for the GiB exist.  0 on failure or skip; call
 * gib_end in any case. */
int gib_start(gib_case_t *c, unsigned nodes);
/* Undo: everything derived goes, our mapping becomes one GiB again, every
 * node gets the whole GiB once more and loses it; then every space must be
 * charged what it was at the start, and the pool be back.  Deletes the
 * nodes and stops the pager. */
void gib_end(gib_case_t *c);
/* gib_start with `nodes` nodes, body if that worked, gib_end. */
void gib_run(unsigned nodes, void (*body)(gib_case_t *c));
/* Node reads our word at off: the same value without a fault, or (present
 * = 0) it faults and gets the test pager's scratch page.  Fails the case
 * and returns 0 otherwise. */
int gib_node_reads(L4_ThreadId_t node, L4_Word_t off, int present);
/* The alias's hardware page at off is 2^log2 bytes (0: unmapped). */
int gib_alias_size(L4_Word_t off, L4_Word_t log2);
