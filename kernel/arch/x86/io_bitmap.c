/* SPDX-License-Identifier: BSD-2-Clause */
/* Per-space I/O-permission bitmaps and the TSS copy (docs/io.md §4).
 *
 * A space with ports owns two pool pages of bitmap (1 = no access; charged
 * to the space) and remembers how far into it an allowed port may lie
 * (io_extent).  The TSS
 * holds a copy of one space's bitmap, io_loaded; every byte of the copy at or
 * above loaded_extent is all ones.  Loading another space therefore copies
 * only the bytes below the larger of the two extents, and switching to a
 * space without ports (or back to io_loaded's) only moves the TSS's I/O-map
 * base.  Changes to io_loaded's bitmap are written through to the copy.
 */
#include <arch/io.h>
#include <arch/gdt.h>
#include <kernel/kmem.h>
#include <kernel/sched.h>
#include <kernel/string.h>
#include <mode/layout.h>

#define PORTS_PER_PAGE (IO_MAP_HALF * 8)

_Static_assert(IO_MAP_HALF == PAGE_SIZE, "one pool page per bitmap half");

uint8_t *io_active;
const uint8_t *io_loaded;           /* first page of the bitmap the TSS copy holds */
static word_t loaded_extent;        /* TSS bytes from here on are all ones */

static word_t max_word(word_t a, word_t b)
{
    return a > b ? a : b;
}

/* Copy bytes [from, to) of s's bitmap into the TSS. */
static void copy_out(const space_t *s, word_t from, word_t to)
{
    for (word_t h = 0; h < 2; h++) {
        word_t base = h * IO_MAP_HALF;
        word_t lo = max_word(from, base), hi = to < base + IO_MAP_HALF ? to : base + IO_MAP_HALF;
        if (lo < hi) {
            memcpy(tss_iomap + lo, s->arch.io_map[h] + (lo - base), hi - lo);
        }
    }
}

void io_activate(const space_t *s)
{
    uint8_t *map = s->arch.io_map[0];
    if (map && map != io_loaded) {
        copy_out(s, 0, max_word(s->arch.io_extent, loaded_extent));
        io_loaded = map;
        loaded_extent = s->arch.io_extent;
    }
    tss_iomap_enable(map != NULL);
    io_active = map;
}

static uint8_t *map_byte(const space_t *s, word_t port)
{
    return &s->arch.io_map[port / PORTS_PER_PAGE][(port % PORTS_PER_PAGE) / 8];
}

static void set_range(space_t *s, word_t port, word_t n, bool deny)
{
    word_t end = port + n;
    for (word_t p = port; p < end;) {
        uint8_t *b = map_byte(s, p);
        if (p % 8 == 0 && end - p >= 8) {
            *b = deny ? 0xFF : 0;
            p += 8;
        } else {
            uint8_t bit = (uint8_t)(1u << (p % 8));
            *b = deny ? (uint8_t)(*b | bit) : (uint8_t)(*b & ~bit);
            p++;
        }
    }
    if (s->arch.io_map[0] == io_loaded) {
        copy_out(s, port / 8, (end + 7) / 8);
        loaded_extent = s->arch.io_extent;
    }
    /* The running thread's own space: make a new bitmap count at once. */
    tcb_t *cur = sched_current();
    if (cur && cur->space == s) {
        io_switch(s);
    }
}

void io_bitmap_open(space_t *s, word_t port, word_t n)
{
    s->arch.io_extent = max_word(s->arch.io_extent, (port + n + 7) / 8);
    set_range(s, port, n, false);
}

void io_bitmap_close(space_t *s, word_t port, word_t n)
{
    if (s->arch.io_map[0]) {
        set_range(s, port, n, true);
    }
}

bool io_bitmap_alloc(space_t *s)
{
    if (s->arch.io_map[0]) {
        return true;
    }
    uint8_t *lo = kmem_alloc_charged(&s->kmem), *hi = lo ? kmem_alloc_charged(&s->kmem) : NULL;
    if (!hi) {
        if (lo) {
            kmem_free_charged(&s->kmem, lo);
        }
        return false;
    }
    memset(lo, 0xFF, IO_MAP_HALF);
    memset(hi, 0xFF, IO_MAP_HALF);
    s->arch.io_map[0] = lo;
    s->arch.io_map[1] = hi;
    s->arch.io_extent = 0;
    return true;
}

void io_bitmap_free(space_t *s)
{
    uint8_t *map = s->arch.io_map[0];
    if (!map) {
        return;
    }
    if (io_active == map) {
        tss_iomap_enable(false);
        io_active = NULL;
    }
    if (io_loaded == map) {
        io_loaded = NULL;           /* the copy stays; loaded_extent still bounds it */
    }
    kmem_free_charged(&s->kmem, s->arch.io_map[0]);
    kmem_free_charged(&s->kmem, s->arch.io_map[1]);
    s->arch.io_map[0] = s->arch.io_map[1] = NULL;
    s->arch.io_extent = 0;
}

bool io_bitmap_allows(const space_t *s, word_t port, word_t n)
{
    if (!s->arch.io_map[0] || port + n > IO_PORTS) {
        return false;
    }
    for (word_t p = port; p < port + n; p++) {
        if (*map_byte(s, p) & (1u << (p % 8))) {
            return false;
        }
    }
    return true;
}
