/* SPDX-License-Identifier: BSD-2-Clause */
/* Address spaces: page table, KIP area, UTCB area, member threads. */
#pragma once

#include <kernel/types.h>
#include <kernel/list.h>
#include <kernel/fpage.h>
#include <kernel/mdb.h>
#include <kernel/kmem.h>
#include <arch/pgtable.h>
#include <arch/space.h>

typedef struct space {
    pgtable_t pgt;                  /* arch page table (root) */
    mdb_space_t mdb;                /* this space's part of the mapping database */
    arch_space_t arch;              /* arch resources (x86: I/O ports) */
    fpage_t kip_area;               /* nil until SpaceControl */
    fpage_t utcb_area;
    list_node_t threads;
    unsigned thread_count;
    bool privileged;                /* sigma0, sigma1 or root-task space */
    bool sigma0;                    /* idempotent 1:1 space of sigma0 */
    struct utcb_pages *utcb_pages;  /* pool pages backing the UTCBs */
    word_t redirector;              /* X.2 redirector, anythread = none */
    unsigned active_threads;        /* threads with a UTCB */
    kmem_account_t kmem;            /* kernel memory held for this space */
} space_t;

/* SpaceControl control word, Pecan extension (docs/kmem.md): Q sets the
 * space's kernel-memory quota to the page count in the low half (all ones:
 * unlimited); with Q or R the old control word reports R|Q as given, the
 * quota before the call (low half) and the pages in use (the bits above,
 * up to R). */
#define SPACE_CTRL_QUOTA    BIT(WORD_BITS - 2)
#define SPACE_CTRL_REPORT   BIT(WORD_BITS - 3)
#define SPACE_CTRL_PAGES    MASK(WORD_BITS / 2)

/* A new, uninitialised space whose kernel memory is limited to quota bytes
 * (KMEM_UNLIMITED: only by the pool), or NULL when kernel memory is
 * exhausted or the space itself would not fit its quota. */
space_t *space_create(word_t quota);
void space_destroy(space_t *s);
/* Turn a new space into sigma0's idempotent one (the mapping roots). */
bool space_make_sigma0(space_t *s);
/* Initialised = has a KIP area and a UTCB area (set by SpaceControl). */
static inline bool space_initialised(const space_t *s)
{
    return !fpage_is_nil(s->kip_area);
}
/* Set the KIP and UTCB areas and map the KIP.  Returns 0 or the error code
 * (ERR_KIP_AREA, ERR_UTCB_AREA, ERR_NO_MEM). */
int space_set_areas(space_t *s, fpage_t kip_area, fpage_t utcb_area);
/* Is loc a valid UTCB location (aligned, inside the UTCB area)? */
bool space_utcb_location_ok(const space_t *s, word_t loc);
/* Kernel pointer to the UTCB block at user location loc (allocates its page). */
void *space_utcb_block(space_t *s, word_t loc);
