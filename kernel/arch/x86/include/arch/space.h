/* SPDX-License-Identifier: BSD-2-Clause */
/* The x86 part of an address space: its I/O-port space (docs/io.md).
 *
 * Ports are handed out as IO fpages (X.2 appendix "IO-Ports"): mapped,
 * granted and unmapped like memory, always idempotently (port x at x).
 * Every space with ports has a permission bitmap that the thread switch
 * installs in the TSS; a space without ports has none and costs the switch
 * one compare.  The generic kernel calls the hooks below for fpages it does
 * not know (map/grant items, Unmap) and for space lifetime.
 */
#pragma once

#include <kernel/types.h>
#include <kernel/fpage.h>
#include <kernel/mdb.h>

#define IO_PORTS        65536u
#define IO_PORT_BITS    16
#define IO_MAP_BYTES    (IO_PORTS / 8)
#define IO_MAP_HALF     (IO_MAP_BYTES / 2)      /* one pool page */

struct space;

typedef struct arch_space {
    uint8_t *io_map[2];         /* permission bitmap (1 = no access), NULL: no ports */
    word_t io_extent;           /* bytes [0, io_extent) may grant a port */
    mdb_space_t io_mdb;         /* this space's ports in the IO mapping database */
    bool io_mdb_ready;          /* io_mdb initialised (on first use) */
    bool io_sigma0;             /* idempotent: owns every port */
} arch_space_t;

/* The IO mapping database (arch_init_late). */
void io_space_init(void);

/* Space lifetime. */
void arch_space_init(struct space *s);
void arch_space_destroy(struct space *s);
/* sigma0's space owns every port; false when kernel memory is exhausted. */
bool arch_space_make_sigma0(struct space *s);

/* Is f an arch-specific fpage (an IO fpage: bits 4..9 hold 2)? */
static inline bool arch_fpage_special(fpage_t f)
{
    return ((f >> 4) & 0x3F) == 2;
}

/* Map or grant the IO fpage f from one space to another through the
 * receive window (docs/io.md §3).  Invalid IO fpages transfer nothing.
 * False when kernel memory ran out. */
bool arch_map_special(struct space *from, struct space *to, fpage_t f, fpage_t window,
                      bool grant);
/* Unmap (flush: also from s itself) the IO fpage f; returns the access
 * bits, always 0 for ports. */
unsigned arch_unmap_special(struct space *s, fpage_t f, bool flush);
