/* SPDX-License-Identifier: BSD-2-Clause */
/* Thread-number table: the O(1) map from thread numbers to TCBs.
 *
 * A three-level radix tree over the whole thread-number space (14 + 9 + 9
 * bits on 64-bit): a static top level and page-sized lower levels created on
 * demand, so a sparse set of numbers costs memory only where it is used.
 */
#include <kernel/thread_table.h>
#include <kernel/kmem.h>

#define LEAF_BITS   9
#define MID_BITS    9
#define TOP_BITS    (TID_NUMBER_BITS - LEAF_BITS - MID_BITS)
#define LEAF_SIZE   (1UL << LEAF_BITS)

typedef struct { tcb_t *slot[LEAF_SIZE]; } leaf_t;
typedef struct { leaf_t *leaf[1UL << MID_BITS]; } mid_t;

_Static_assert(sizeof(leaf_t) <= 4096 && sizeof(mid_t) <= 4096, "table pages");

static mid_t *top[1UL << TOP_BITS];

static tcb_t **slot_of(word_t no, bool create)
{
    word_t t = no >> (LEAF_BITS + MID_BITS), m = (no >> LEAF_BITS) & MASK(MID_BITS);
    if (t >= (1UL << TOP_BITS)) {
        return NULL;
    }
    if (!top[t]) {
        if (!create || !(top[t] = kmem_alloc_page())) {
            return NULL;
        }
    }
    mid_t *mid = top[t];
    if (!mid->leaf[m]) {
        if (!create || !(mid->leaf[m] = kmem_alloc_page())) {
            return NULL;
        }
    }
    return &mid->leaf[m]->slot[no & MASK(LEAF_BITS)];
}

tcb_t *thread_table_get(word_t no)
{
    tcb_t **s = slot_of(no, false);
    return s ? *s : NULL;
}

bool thread_table_set(word_t no, tcb_t *t)
{
    tcb_t **s = slot_of(no, t != NULL);
    if (!s) {
        return t == NULL;
    }
    *s = t;
    return true;
}
