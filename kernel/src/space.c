/* SPDX-License-Identifier: BSD-2-Clause */
/* Address spaces (see kernel/space.h).
 *
 * A space owns its page table and the pages backing its UTCBs.  UTCB pages
 * come from the kernel pool and are remembered in a chain of record pages so
 * they can be returned when the space dies; the KIP page is shared.  All of
 * it, the space object itself included, is charged to the space's
 * kernel-memory account (docs/kmem.md).
 */
#include <kernel/space.h>
#include <kernel/kmem.h>
#include <kernel/kip.h>
#include <kernel/utcb.h>
#include <kernel/console.h>
#include <kernel/syscall.h>
#include <kernel/memory_db.h>
#include <arch/cpu.h>
#include <mode/layout.h>

#define KIP_AREA_MIN_LOG2   PAGE_BITS
#define UTCB_AREA_MIN_LOG2  PAGE_BITS

typedef struct utcb_pages {
    struct utcb_pages *next;
    word_t count;
    void *page[(PAGE_SIZE / sizeof(void *)) - 2];
} utcb_pages_t;

_Static_assert(sizeof(utcb_pages_t) == PAGE_SIZE, "record page");

/* The space object pays for its own page first: its account lives in it. */
space_t *space_create(word_t quota)
{
    space_t *s = kmem_alloc_page();
    if (!s) {
        return NULL;
    }
    s->kmem.limit = quota;
    if (!kmem_charge(&s->kmem, PAGE_SIZE)) {
        kmem_free_page(s);
        return NULL;
    }
    if (!pgt_init(&s->pgt, &s->kmem)) {
        kmem_free_page(s);
        return NULL;
    }
    if (!mdb_space_init(&kernel_mdb, &s->mdb, false)) {
        pgt_destroy(&s->pgt);
        kmem_free_page(s);
        return NULL;
    }
    arch_space_init(s);
    list_init(&s->threads);
    s->redirector = ~0UL;
    return s;
}

void space_destroy(space_t *s)
{
    if (read_cr3() == s->pgt.root) {
        pgt_activate(pgt_kernel());
    }
    mdb_space_destroy(&kernel_mdb, &s->mdb);
    arch_space_destroy(s);
    utcb_pages_t *r = s->utcb_pages;
    while (r) {
        utcb_pages_t *next = r->next;
        for (word_t i = 0; i < r->count; i++) {
            kmem_free_charged(&s->kmem, r->page[i]);
        }
        kmem_free_charged(&s->kmem, r);
        r = next;
    }
    pgt_destroy(&s->pgt);
    /* Everything else was refunded: a difference is an accounting bug. */
    assert(s->kmem.used == PAGE_SIZE);
    kmem_free_page(s);
}

bool space_make_sigma0(space_t *s)
{
    mdb_space_destroy(&kernel_mdb, &s->mdb);
    s->sigma0 = true;
    return mdb_space_init(&kernel_mdb, &s->mdb, true) && arch_space_make_sigma0(s);
}

static bool area_ok(fpage_t f, unsigned min_log2)
{
    unsigned s = fpage_size_log2(f);
    return !fpage_is_nil(f) && s >= min_log2 && s < WORD_BITS &&
           fpage_last(f) < USER_AREA_END;
}

int space_set_areas(space_t *s, fpage_t kip_area, fpage_t utcb_area)
{
    if (!area_ok(utcb_area, UTCB_AREA_MIN_LOG2)) {
        return ERR_UTCB_AREA;
    }
    if (!area_ok(kip_area, KIP_AREA_MIN_LOG2) || fpage_overlaps(kip_area, utcb_area)) {
        return ERR_KIP_AREA;
    }
    /* The new KIP mapping first: out of memory leaves the old areas. */
    if (!pgt_map(&s->pgt, fpage_base(kip_area), virt_to_phys(&kip), PAGE_BITS,
                 FPAGE_RIGHT_R)) {
        return ERR_NO_MEM;
    }
    if (space_initialised(s) && fpage_base(s->kip_area) != fpage_base(kip_area)) {
        pgt_unmap(&s->pgt, fpage_base(s->kip_area));
    }
    s->kip_area = kip_area;
    s->utcb_area = utcb_area;
    return 0;
}

static bool remember_utcb_page(space_t *s, void *page)
{
    utcb_pages_t *r = s->utcb_pages;
    if (!r || r->count == ARRAY_SIZE(r->page)) {
        utcb_pages_t *n = kmem_alloc_charged(&s->kmem);
        if (!n) {
            return false;
        }
        n->next = r;
        s->utcb_pages = r = n;
    }
    r->page[r->count++] = page;
    return true;
}

bool space_utcb_location_ok(const space_t *s, word_t loc)
{
    return space_initialised(s) && IS_ALIGNED(loc, UTCB_SIZE) &&
           fpage_contains(s->utcb_area, loc, loc + UTCB_SIZE - 1);
}

void *space_utcb_block(space_t *s, word_t loc)
{
    if (!space_utcb_location_ok(s, loc)) {
        return NULL;
    }
    word_t va = ALIGN_DOWN(loc, PAGE_SIZE);
    paddr_t pa;
    if (!pgt_lookup(&s->pgt, va, &pa, NULL, NULL)) {
        void *page = kmem_alloc_charged(&s->kmem);
        if (!page) {
            return NULL;
        }
        if (!remember_utcb_page(s, page)) {
            kmem_free_charged(&s->kmem, page);
            return NULL;
        }
        if (!pgt_map(&s->pgt, va, virt_to_phys(page), PAGE_BITS,
                     FPAGE_RIGHT_R | FPAGE_RIGHT_W)) {
            s->utcb_pages->count--;     /* forget it again: it was the last one */
            kmem_free_charged(&s->kmem, page);
            return NULL;
        }
        pa = virt_to_phys(page);
    }
    return (char *)phys_to_virt(ALIGN_DOWN(pa, PAGE_SIZE)) + (loc - va);
}
