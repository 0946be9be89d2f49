/* SPDX-License-Identifier: BSD-2-Clause */
/* The kernel's mapping database: the mdb library (kernel/lib/mdb*.c) on top
 * of the kernel pool and the arch page tables.
 *
 * Every map and grant item goes through it, so Unmap can revoke what was
 * derived from a mapping, to any depth.  sigma0's space holds the roots
 * (its idempotent mappings of physical memory); its own page table is
 * filled directly by its page faults and is not part of the tree.
 */
#include <kernel/memory_db.h>
#include <kernel/space.h>
#include <kernel/kmem.h>
#include <kernel/physmem.h>
#include <kernel/console.h>
#include <arch/pgtable.h>
#include <mode/layout.h>

mdb_t kernel_mdb;

static space_t *space_of(mdb_space_t *s)
{
    return container_of(s, space_t, mdb);
}

static bool op_prepare(mdb_space_t *s, word_t va, unsigned size_log2)
{
    return pgt_prepare(&space_of(s)->pgt, va, size_log2);
}

static void op_install(mdb_space_t *s, word_t va, unsigned size_log2, paddr_t pa,
                       unsigned rights)
{
    pgt_map(&space_of(s)->pgt, va, pa, size_log2, rights);
}

static void op_remove(mdb_space_t *s, word_t va, unsigned size_log2)
{
    pgt_remove_range(&space_of(s)->pgt, va, size_log2);
}

static void op_protect(mdb_space_t *s, word_t va, unsigned size_log2, unsigned rights)
{
    pgt_protect_range(&space_of(s)->pgt, va, size_log2, rights);
}

static unsigned op_status(mdb_space_t *s, word_t va, unsigned size_log2)
{
    return pgt_status_range(&space_of(s)->pgt, va, size_log2);
}

/* Never into (or out of) a KIP or UTCB area; sigma0 hands out only what
 * user space may have. */
static bool blocked_area(const space_t *s, word_t va, word_t last)
{
    return (space_initialised(s) && fpage_base(s->kip_area) <= last &&
            va <= fpage_last(s->kip_area)) ||
           (!fpage_is_nil(s->utcb_area) && fpage_base(s->utcb_area) <= last &&
            va <= fpage_last(s->utcb_area));
}

static bool op_may_map(mdb_space_t *from, word_t from_va, mdb_space_t *to, word_t to_va,
                       unsigned size_log2)
{
    space_t *f = space_of(from), *t = space_of(to);
    word_t len = MASK(size_log2);
    if (blocked_area(t, to_va, to_va + len) || blocked_area(f, from_va, from_va + len)) {
        return false;
    }
    return !f->sigma0 || physmem_user_ok(from_va, len + 1, true);
}

void *memory_db_alloc_page(void)
{
    return kmem_alloc_page();
}

void memory_db_free_page(void *page)
{
    kmem_free_page(page);
}

/* Nodes and index tables are charged to the space holding them. */
static bool op_charge(mdb_space_t *s, word_t bytes)
{
    return kmem_charge(&space_of(s)->kmem, bytes);
}

static void op_refund(mdb_space_t *s, word_t bytes)
{
    kmem_refund(&space_of(s)->kmem, bytes);
}

static const mdb_ops_t ops = {
    .alloc_page = memory_db_alloc_page,
    .free_page = memory_db_free_page,
    .prepare = op_prepare,
    .install = op_install,
    .remove = op_remove,
    .protect = op_protect,
    .status = op_status,
    .may_map = op_may_map,
    .charge = op_charge,
    .refund = op_refund,
};

void memory_db_init(void)
{
    const mdb_config_t cfg = {
        .page_sizes = pgt_page_sizes(),
        .va_bits = 47,
        .alloc_bits = PAGE_BITS,
    };
    if (!mdb_init(&kernel_mdb, &ops, &cfg)) {
        panic("mapping database: cannot initialise");
    }
}
