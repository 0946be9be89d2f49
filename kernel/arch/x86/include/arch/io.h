/* SPDX-License-Identifier: BSD-2-Clause */
/* I/O-permission bitmaps and their installation in the TSS (docs/io.md §4).
 *
 * The TSS carries one 8 KiB bitmap.  io_active names the space bitmap it
 * currently enforces (NULL: the bitmap is switched off and every port
 * faults at IOPL 0).  The TSS copy is only rewritten when a space with
 * ports follows a different space with ports; switching to or from a space
 * without ports just turns the bitmap off or on.
 *
 * Per CPU once SMP arrives; everything runs under the kernel lock.
 */
#pragma once

#include <kernel/space.h>
#include <arch/gdt.h>

struct tcb;
struct frame;

/* First bitmap page of the space whose ports the TSS enforces, or NULL. */
extern uint8_t *io_active;
/* First bitmap page of the space whose bitmap the TSS holds a copy of. */
extern const uint8_t *io_loaded;

/* Install s's bitmap (or none) in the TSS. */
void io_activate(const space_t *s);

/* Install next's ports if that needs no bitmap copy (the usual case: no
 * space has ports, or only the one whose copy the TSS holds); false if it
 * needs one, which io_activate makes.  One compare for spaces without
 * ports. */
static inline bool io_switch_cheap(const space_t *next)
{
    uint8_t *map = next->arch.io_map[0];
    if (likely(map == io_active)) {
        return true;
    }
    if (map && map != io_loaded) {
        return false;
    }
    tss_iomap_enable(map != NULL);
    io_active = map;
    return true;
}

/* The thread-switch hook. */
static inline void io_switch(const space_t *next)
{
    if (!io_switch_cheap(next)) {
        io_activate(next);
    }
}

/* Allow (open) or deny the ports [port, port + n) in s's bitmap, which
 * must exist for open; the TSS copy follows. */
void io_bitmap_open(space_t *s, word_t port, word_t n);
void io_bitmap_close(space_t *s, word_t port, word_t n);
/* Give s a bitmap denying every port; false when out of memory. */
bool io_bitmap_alloc(space_t *s);
/* Free s's bitmap; the TSS forgets it. */
void io_bitmap_free(space_t *s);
/* Are all ports [port, port + n) allowed in s's bitmap? */
bool io_bitmap_allows(const space_t *s, word_t port, word_t n);

/* #GP from user mode: an in/out/ins/outs without permission becomes an IO
 * page fault (io_fault.c).  False: not a port-permission fault. */
bool io_fault(struct tcb *t, struct frame *f);
