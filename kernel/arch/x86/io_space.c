/* SPDX-License-Identifier: BSD-2-Clause */
/* IO fpages: the x86 port space in its own mapping database (docs/io.md).
 *
 * A second instance of the arch-neutral mdb (kernel/lib/mdb*.c) tracks how
 * every port mapping was derived, so map, grant and Unmap of IO fpages get
 * the same recursive semantics as memory.  Port p is mdb address p << 12;
 * the "pages" are one port and 512 ports (the index levels of 4 KiB
 * tables), so an fpage of 2^s ports is made of 2^s or 2^(s-9) nodes.  The
 * mdb's "page-table" operations open and close ports in the space's
 * permission bitmap (io_bitmap.c).  sigma0's port space is idempotent: it
 * holds the roots and, like its memory, has no entries in the database;
 * its own bitmap is filled by its IO faults (io_fault.c).
 *
 * Ports carry a single right, access: the rwx bits of an IO fpage are
 * ignored (libl4 builds IO fpages without rights) and Unmap always revokes.
 */
#include <arch/space.h>
#include <arch/io.h>
#include <kernel/space.h>
#include <kernel/memory_db.h>
#include <kernel/console.h>
#include <kernel/kmem.h>
#include <mode/layout.h>

#define PORT_SHIFT      MDB_VA_SHIFT
#define NODE_PORTS_LOG2 9               /* the larger node: 512 ports */

static mdb_t io_mdb;

static space_t *space_of(mdb_space_t *s)
{
    return container_of(s, space_t, arch.io_mdb);
}

static bool op_prepare(mdb_space_t *s, word_t va, unsigned size_log2)
{
    (void)va;
    (void)size_log2;
    return io_bitmap_alloc(space_of(s));
}

static void op_install(mdb_space_t *s, word_t va, unsigned size_log2, paddr_t pa,
                       unsigned rights)
{
    (void)pa;
    (void)rights;
    io_bitmap_open(space_of(s), va >> PORT_SHIFT, BIT(size_log2 - PORT_SHIFT));
}

static void op_remove(mdb_space_t *s, word_t va, unsigned size_log2)
{
    io_bitmap_close(space_of(s), va >> PORT_SHIFT, BIT(size_log2 - PORT_SHIFT));
}

/* Ports have no rights below "access": nothing to change, nothing to report. */
static void op_protect(mdb_space_t *s, word_t va, unsigned size_log2, unsigned rights)
{
    (void)s;
    (void)va;
    (void)size_log2;
    (void)rights;
}

static unsigned op_status(mdb_space_t *s, word_t va, unsigned size_log2)
{
    (void)s;
    (void)va;
    (void)size_log2;
    return 0;
}

/* Nodes and index tables are charged to the space holding the ports, as in
 * the memory database (docs/kmem.md). */
static bool op_charge(mdb_space_t *s, word_t bytes)
{
    return kmem_charge(&space_of(s)->kmem, bytes);
}

static void op_refund(mdb_space_t *s, word_t bytes)
{
    kmem_refund(&space_of(s)->kmem, bytes);
}

static const mdb_ops_t io_ops = {
    .alloc_page = memory_db_alloc_page,
    .free_page = memory_db_free_page,
    .prepare = op_prepare,
    .install = op_install,
    .remove = op_remove,
    .protect = op_protect,
    .status = op_status,
    .charge = op_charge,
    .refund = op_refund,
};

void io_space_init(void)
{
    const mdb_config_t cfg = {
        .page_sizes = BIT(PORT_SHIFT) | BIT(PORT_SHIFT + NODE_PORTS_LOG2),
        .va_bits = IO_PORT_BITS + PORT_SHIFT,
        .alloc_bits = PAGE_BITS,
    };
    if (!mdb_init(&io_mdb, &io_ops, &cfg)) {
        panic("IO mapping database: cannot initialise");
    }
}

/* The space's part of the IO database, created on first use. */
static bool io_mdb_ready(space_t *s)
{
    if (!s->arch.io_mdb_ready) {
        if (!mdb_space_init(&io_mdb, &s->arch.io_mdb, s->arch.io_sigma0)) {
            return false;
        }
        s->arch.io_mdb_ready = true;
    }
    return true;
}

void arch_space_init(space_t *s)
{
    s->arch = (arch_space_t){ 0 };
}

void arch_space_destroy(space_t *s)
{
    if (s->arch.io_mdb_ready) {
        mdb_space_destroy(&io_mdb, &s->arch.io_mdb);
        s->arch.io_mdb_ready = false;
    }
    io_bitmap_free(s);
}

bool arch_space_make_sigma0(space_t *s)
{
    s->arch.io_sigma0 = true;
    return io_mdb_ready(s);
}

/* Port range of a valid IO fpage: 2^s ports at p, s <= 16, p aligned to
 * 2^s, nothing above bit 31 (types.md §5, X.2 appendix IO-Ports). */
static bool io_fpage_range(fpage_t f, word_t *port, unsigned *log2)
{
    word_t p = f >> 16;
    unsigned s = (f >> 10) & 0x3F;
    if (!arch_fpage_special(f) || s > IO_PORT_BITS || p >= IO_PORTS || (p & MASK(s))) {
        return false;
    }
    *port = p;
    *log2 = s;
    return true;
}

bool arch_map_special(space_t *from, space_t *to, fpage_t f, fpage_t window, bool grant)
{
    word_t port, wport = 0;
    unsigned s, ws = IO_PORT_BITS;
    if (!io_fpage_range(f, &port, &s) || from == to) {
        return true;                /* nothing to transfer */
    }
    /* An IO-fpage window limits the ports; a memory window (any non-nil one)
     * accepts the whole port space.  Ports map idempotently, so only the
     * overlap of fpage and window is transferred; the send base is unused. */
    if (arch_fpage_special(window) && !io_fpage_range(window, &wport, &ws)) {
        return true;
    }
    if (s > ws) {
        if ((wport & ~MASK(s)) != port) {
            return true;
        }
        port = wport;
        s = ws;
    } else if ((port & ~MASK(ws)) != wport) {
        return true;
    }
    if (!from->arch.io_mdb_ready && !from->arch.io_sigma0) {
        return true;                /* the sender has no ports */
    }
    if (!io_mdb_ready(from) || !io_mdb_ready(to)) {
        return false;
    }
    mdb_xfer_t x = {
        .from = &from->arch.io_mdb, .to = &to->arch.io_mdb,
        .from_va = port << PORT_SHIFT, .to_va = port << PORT_SHIFT,
        .size_log2 = s + PORT_SHIFT, .rights = FPAGE_RIGHTS_ALL, .grant = grant,
    };
    return mdb_map(&io_mdb, &x);
}

unsigned arch_unmap_special(space_t *s, fpage_t f, bool flush)
{
    word_t port;
    unsigned log2;
    if (!io_fpage_range(f, &port, &log2) || !s->arch.io_mdb_ready) {
        return 0;
    }
    fpage_t g = fpage_make(port << PORT_SHIFT, log2 + PORT_SHIFT, FPAGE_RIGHTS_ALL);
    return mdb_unmap(&io_mdb, &s->arch.io_mdb, g, flush);
}
