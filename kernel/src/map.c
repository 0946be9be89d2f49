/* SPDX-License-Identifier: BSD-2-Clause */
/* Map and grant items (X.2 §5.2; spec ipc.md §4.3).
 *
 * The send fpage and the receive window are matched by size: the smaller
 * of the two is placed inside the larger one at the position the send base
 * selects.  The mapping database (memory_db.c) then enters every page the
 * sender has in that range, with the item's rights intersected with the
 * sender's own, as a child of the sender's mapping (grant: in its place);
 * sigma0's send fpages name physical memory.  KIP and UTCB areas are never
 * transferred, on either side.  Arch-specific fpages (x86 IO fpages) go
 * to the arch.
 */
#include <kernel/map.h>
#include <kernel/space.h>
#include <kernel/memory_db.h>
#include <mode/layout.h>

#define USER_BITS 47    /* the complete address space: [0, 2^47) */

static void fpage_range(fpage_t f, word_t *base, unsigned *log2)
{
    if (fpage_is_complete(f)) {
        *base = 0;
        *log2 = USER_BITS;
    } else {
        *base = fpage_base(f);
        *log2 = fpage_size_log2(f);
    }
}

bool map_item(tcb_t *src, tcb_t *dst, word_t snd_base, fpage_t f, fpage_t window, bool grant)
{
    if (fpage_is_nil(f)) {
        return true;            /* legal no-op (sigma0's refusal) */
    }
    if (arch_fpage_special(f)) {
        return arch_map_special(src->space, dst->space, f, window, grant);
    }
    word_t fbase, wbase, from, to;
    unsigned s, r, size;
    fpage_range(f, &fbase, &s);
    fpage_range(window, &wbase, &r);
    if (s < PAGE_BITS || r < PAGE_BITS) {
        return true;
    }
    if (s <= r) {
        size = s;
        from = fbase;
        to = wbase + ALIGN_DOWN(snd_base & MASK(r), BIT(s));
    } else {
        size = r;
        from = fbase + ALIGN_DOWN(snd_base & MASK(s), BIT(r));
        to = wbase;
    }
    mdb_xfer_t x = {
        .from = &src->space->mdb, .to = &dst->space->mdb,
        .from_va = from, .to_va = to, .size_log2 = size,
        .rights = fpage_rights(f), .grant = grant,
    };
    if (from >= USER_AREA_END || to >= USER_AREA_END) {
        return true;
    }
    return mdb_map(&kernel_mdb, &x);
}
