/* SPDX-License-Identifier: BSD-2-Clause */
/* Unmap (X.2 §4.2): revoke rights from everything derived from the
 * caller's mappings of the fpages in MR0..MRk, recursively; with the flush
 * bit the caller's own mappings too.  Each MR gets its fpage back with the
 * access bits (referenced, written, executed) gathered since the last
 * query.  Invalid fpages are ignored; the call has no errors. */
#include <kernel/syscall.h>
#include <kernel/space.h>
#include <kernel/memory_db.h>
#include <mode/layout.h>

#define UNMAP_COUNT_MASK 0x3F
#define UNMAP_FLUSH      BIT(6)

void sys_unmap(tcb_t *self, word_t control)
{
    unsigned k = control & UNMAP_COUNT_MASK;
    bool flush = control & UNMAP_FLUSH;
    for (unsigned i = 0; i <= k; i++) {
        fpage_t f = utcb_mr(self->utcb, i);
        unsigned status = 0;
        if (arch_fpage_special(f)) {
            status = arch_unmap_special(self->space, f, flush);
        } else if (!fpage_is_nil(f)) {
            /* Smaller than a page: the page that holds it (X.2). */
            fpage_t g = f;
            if (!fpage_is_complete(f) && fpage_size_log2(f) < PAGE_BITS) {
                g = fpage_make(fpage_base(f) & ~(PAGE_SIZE - 1), PAGE_BITS, fpage_rights(f));
            }
            status = mdb_unmap(&kernel_mdb, &self->space->mdb, g, flush);
        }
        utcb_set_mr(self->utcb, i, (f & ~(word_t)FPAGE_RIGHTS_ALL) | (status & FPAGE_RIGHTS_ALL));
    }
}
