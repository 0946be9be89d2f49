/* SPDX-License-Identifier: BSD-2-Clause */
/* Map and grant items (X.2 §5.2; spec ipc.md §4.3).
 *
 * The send fpage and the receive window are matched by size: the smaller
 * of the two is placed inside the larger one at the position the send base
 * selects.  Every page mapped in the sender within the transferred range is
 * entered in the receiver with the item's rights intersected with the
 * sender's own; sigma0's send fpages name physical memory directly.  Pages
 * of the KIP and UTCB areas are never transferred, on either side.
 */
#include <kernel/map.h>
#include <kernel/space.h>
#include <kernel/physmem.h>
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

/* Does [va, va + len) touch the KIP or UTCB area of s? */
static bool overlaps_reserved(const space_t *s, word_t va, word_t len)
{
    fpage_t range = fpage_make(va, (unsigned)__builtin_ctzl(len), 0);
    return (space_initialised(s) && fpage_overlaps(s->kip_area, range)) ||
           (!fpage_is_nil(s->utcb_area) && fpage_overlaps(s->utcb_area, range));
}

static bool in_reserved_area(const space_t *s, word_t va)
{
    return overlaps_reserved(s, ALIGN_DOWN(va, PAGE_SIZE), PAGE_SIZE);
}

/* X.2 §5.2: mapping cannot revoke rights; mapping the page the receiver
 * already has there only extends them (bitwise or). */
static unsigned extended_rights(space_t *s, word_t va, paddr_t pa, unsigned size,
                                unsigned rights)
{
    paddr_t old;
    unsigned old_size, old_rights, hole;
    if (pgt_probe(&s->pgt, va, &old, &old_size, &old_rights, &hole) && old == pa &&
        old_size == size) {
        rights |= old_rights;
    }
    return rights;
}

/* sigma0's space maps physical memory 1:1, so it "has" a 2 MiB page
 * wherever every frame of an aligned 2 MiB block may be handed out. */
static bool sigma0_large_page(word_t pa)
{
    if (!IS_ALIGNED(pa, SUPERPAGE_SIZE)) {
        return false;
    }
    for (word_t off = 0; off < SUPERPAGE_SIZE; off += PAGE_SIZE) {
        if (!physmem_user_ok(pa + off, true)) {
            return false;
        }
    }
    return true;
}

/* Source page at va: physical address, size and rights; false if none.
 * *skip receives how far the caller may advance when nothing is mapped. */
static bool source_page(tcb_t *src, word_t va, paddr_t *pa, unsigned *size_log2,
                        unsigned *rights, word_t *skip)
{
    space_t *s = src->space;
    *skip = PAGE_SIZE;
    if (in_reserved_area(s, va)) {
        return false;
    }
    if (s->sigma0) {
        *pa = va;
        *size_log2 = sigma0_large_page(va) ? SUPERPAGE_BITS : PAGE_BITS;
        *rights = FPAGE_RIGHTS_ALL;
        return physmem_user_ok(va, true);
    }
    unsigned hole;
    if (!pgt_probe(&s->pgt, va, pa, size_log2, rights, &hole)) {
        *skip = BIT(hole) - (va & MASK(hole));
        return false;
    }
    return true;
}

void map_item(tcb_t *src, tcb_t *dst, word_t snd_base, fpage_t f, fpage_t window, bool grant)
{
    if (fpage_is_nil(f)) {
        return;                 /* legal no-op (sigma0's refusal) */
    }
    word_t fbase, wbase, from, to;
    unsigned s, r, size;
    fpage_range(f, &fbase, &s);
    fpage_range(window, &wbase, &r);
    if (s < PAGE_BITS || r < PAGE_BITS) {
        return;
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
    unsigned rights = fpage_rights(f);
    word_t len = BIT(size);
    for (word_t off = 0; off < len;) {
        word_t sva = from + off, dva = to + off, skip;
        paddr_t pa;
        unsigned psize, prights;
        if (sva >= USER_AREA_END || dva >= USER_AREA_END) {
            break;
        }
        if (!source_page(src, sva, &pa, &psize, &prights, &skip)) {
            off += skip;
            continue;
        }
        /* Use the sender's large page whole when both sides allow it. */
        unsigned msize = PAGE_BITS;
        if (psize > PAGE_BITS && IS_ALIGNED(sva | dva, BIT(psize)) && len - off >= BIT(psize) &&
            !overlaps_reserved(dst->space, dva, BIT(psize))) {
            msize = psize;
        }
        unsigned mrights = rights & prights;
        if (mrights && !in_reserved_area(dst->space, dva)) {
            mrights = extended_rights(dst->space, dva, pa, msize, mrights);
            pgt_map(&dst->space->pgt, dva, pa, msize, mrights);
            if (grant && !src->space->sigma0 && (src->space != dst->space || sva != dva)) {
                if (psize > msize) {
                    /* Split the sender's large page so only this part goes. */
                    pgt_map(&src->space->pgt, sva, pa, msize, prights);
                }
                pgt_unmap(&src->space->pgt, sva);
            }
        }
        off += BIT(msize);
    }
}
