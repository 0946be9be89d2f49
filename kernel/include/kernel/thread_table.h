/* SPDX-License-Identifier: BSD-2-Clause */
/* Map from thread numbers and ids to TCBs, all O(1) (see thread_table.c). */
#pragma once

#include <kernel/tcb.h>

struct space;

/* The radix tree (thread_table.c): 14 + 9 + 9 bits of a 32-bit number. */
#define TT_LEAF_BITS 9
#define TT_MID_BITS  9
#define TT_TOP_BITS  (TID_NUMBER_BITS - TT_LEAF_BITS - TT_MID_BITS)
#define TT_LEAF_SIZE (1UL << TT_LEAF_BITS)
#define TT_MID_SIZE  (1UL << TT_MID_BITS)
#define TT_TOP_SIZE  (1UL << TT_TOP_BITS)
#define TT_TOP(no)   ((no) >> (TT_LEAF_BITS + TT_MID_BITS))
#define TT_MID(no)   (((no) >> TT_LEAF_BITS) & (TT_MID_SIZE - 1))
#define TT_SLOT(no)  ((no) & (TT_LEAF_SIZE - 1))

typedef struct { tcb_t *slot[TT_LEAF_SIZE]; } tt_leaf_t;
typedef struct { tt_leaf_t *leaf[TT_MID_SIZE]; } tt_mid_t;
_Static_assert(sizeof(tt_leaf_t) == PAGE_SIZE && sizeof(tt_mid_t) == PAGE_SIZE, "table pages");

extern tt_mid_t *thread_table_top[TT_TOP_SIZE];
/* What unused slots hold: a TCB with id 0, which no thread has. */
extern tcb_t thread_table_nobody;

void thread_table_init(void);

/* The TCB under thread number no (< 2^TID_NUMBER_BITS), or
 * &thread_table_nobody: never NULL, so callers may compare its id at once. */
static inline tcb_t *thread_table_raw(word_t no)
{
    return thread_table_top[TT_TOP(no)]->leaf[TT_MID(no)]->slot[TT_SLOT(no)];
}

/* The TCB registered under thread number no, or NULL. */
tcb_t *thread_table_get(word_t no);
/* Register (or with t = NULL remove) a TCB; false when out of memory.
 * Removal returns table pages that became empty to the kernel pool. */
bool thread_table_set(word_t no, tcb_t *t);
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
