/* SPDX-License-Identifier: BSD-2-Clause */
/* sigma0 memory bookkeeping.
 *
 * The pool of a page follows the KIP memory descriptors in order (later
 * descriptors override earlier ones).  Ownership is a sorted array of
 * disjoint regions, merged when neighbours have the same owner, so the
 * usual patterns (a task touching consecutive pages) stay small.  A page
 * belongs to at most one owner; the owner may claim it again.  Requests are
 * checked run by run (stretches of pages with the same pool and owner), not
 * page by page, so a 1 GiB request costs what a 4 KiB one does.
 */
#include "memory.h"
#include <l4/kip.h>
#include <l4/thread.h>

#define MAX_REGIONS 4096
#define PAGE        4096UL

typedef struct {
    L4_Word_t base, end;        /* [base, end) */
    L4_Word_t owner;
} region_t;

static region_t regions[MAX_REGIONS];
static unsigned nregions;
static void *kip;

/* The page at or after a (a page boundary beyond every address < a). */
static L4_Word_t page_up(L4_Word_t a)
{
    return (a + PAGE - 1) & ~(PAGE - 1);
}

static pool_t pool_of_type(L4_Word_t type)
{
    switch (type & 0xF) {
    case L4_ConventionalMemoryType: return POOL_CONVENTIONAL;
    case L4_SharedMemoryType: return POOL_SHARED;
    case L4_ReservedMemoryType:
    case L4_UndefinedMemoryType: return POOL_NONE;
    default: return POOL_SPECIAL;
    }
}

/* The pool of the page at pa (later descriptors override earlier ones), and
 * in *next the first page boundary after pa, at most end, where it may
 * change: the next descriptor edge. */
static pool_t pool_run(L4_Word_t pa, L4_Word_t end, L4_Word_t *next)
{
    pool_t pool = POOL_NONE;
    L4_Word_t stop = end;
    for (L4_Word_t i = 0; i < L4_NumMemoryDescriptors(kip); i++) {
        L4_MemoryDesc_t *m = L4_MemoryDesc(kip, i);
        L4_Word_t lo = L4_MemoryDescLow(m), hi = L4_MemoryDescHigh(m);
        if (L4_IsMemoryDescVirtual(m) || pa > hi) {
            continue;
        }
        if (pa < lo) {
            stop = page_up(lo) < stop ? page_up(lo) : stop;
            continue;
        }
        pool = pool_of_type(L4_MemoryDescType(m));
        if (hi + 1 != 0 && page_up(hi + 1) < stop) {
            stop = page_up(hi + 1);
        }
    }
    *next = stop;
    return pool;
}

pool_t memory_pool(L4_Word_t pa)
{
    L4_Word_t next;
    return pool_run(pa, pa + PAGE, &next);
}

/* Index of the first region ending after pa. */
static unsigned find(L4_Word_t pa)
{
    unsigned lo = 0, hi = nregions;
    while (lo < hi) {
        unsigned mid = (lo + hi) / 2;
        if (regions[mid].end <= pa) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

/* The owner of pa (0: none), and in *next the end of that run (at most
 * end). */
static L4_Word_t owner_run(L4_Word_t pa, L4_Word_t end, L4_Word_t *next)
{
    unsigned i = find(pa);
    L4_Word_t owner = 0, stop = end;
    if (i < nregions && regions[i].base <= pa) {
        owner = regions[i].owner;
        stop = regions[i].end;
    } else if (i < nregions) {
        stop = regions[i].base;
    }
    *next = stop < end ? stop : end;
    return owner;
}

/* The next run in [pa, end) of pages with one pool and one owner. */
static L4_Word_t next_run(L4_Word_t pa, L4_Word_t end, pool_t *pool, L4_Word_t *owner)
{
    L4_Word_t a, b;
    *pool = pool_run(pa, end, &a);
    *owner = owner_run(pa, end, &b);
    return a < b ? a : b;
}

static int insert(L4_Word_t base, L4_Word_t end, L4_Word_t owner)
{
    unsigned i = find(base);
    if (i > 0 && regions[i - 1].end == base && regions[i - 1].owner == owner) {
        regions[i - 1].end = end;
        if (i < nregions && regions[i].base == end && regions[i].owner == owner) {
            regions[i - 1].end = regions[i].end;
            for (unsigned j = i; j + 1 < nregions; j++) {
                regions[j] = regions[j + 1];
            }
            nregions--;
        }
        return 1;
    }
    if (i < nregions && regions[i].base == end && regions[i].owner == owner) {
        regions[i].base = base;
        return 1;
    }
    if (nregions == MAX_REGIONS) {
        return 0;
    }
    for (unsigned j = nregions; j > i; j--) {
        regions[j] = regions[j - 1];
    }
    regions[i] = (region_t){ base, end, owner };
    nregions++;
    return 1;
}

int memory_claim(L4_Word_t base, L4_Word_t size, L4_ThreadId_t owner, int explicit_request)
{
    L4_Word_t end = base + size, next, o;
    pool_t pool;
    if (end < base) {
        return 0;
    }
    for (L4_Word_t pa = base; pa < end; pa = next) {
        next = next_run(pa, end, &pool, &o);
        if (pool == POOL_NONE || (o && o != owner.raw)) {
            return 0;
        }
        if (pool == POOL_SPECIAL && !explicit_request && o != owner.raw) {
            return 0;
        }
        if (pa == base && next == end) {            /* one run: pool and o hold */
            return pool == POOL_SHARED || o || insert(base, end, owner.raw);
        }
    }
    /* Each run adds at most one region: refuse, before recording any,
     * a request the table could not hold in full. */
    unsigned runs = 0;
    for (L4_Word_t pa = base; pa < end; pa = next) {
        next = next_run(pa, end, &pool, &o);
        runs += pool != POOL_SHARED && !o;
    }
    if (nregions + runs > MAX_REGIONS) {
        return 0;
    }
    for (L4_Word_t pa = base; pa < end; pa = next) {
        next = next_run(pa, end, &pool, &o);
        if (pool != POOL_SHARED && !o) {
            insert(pa, next, owner.raw);
        }
    }
    return 1;
}

/* Is all of [base, end) free conventional memory? */
static int all_free(L4_Word_t base, L4_Word_t end)
{
    L4_Word_t next, o;
    pool_t pool;
    for (L4_Word_t pa = base; pa < end; pa = next) {
        next = next_run(pa, end, &pool, &o);
        if (pool != POOL_CONVENTIONAL || o) {
            return 0;
        }
    }
    return 1;
}

L4_Word_t memory_claim_any(unsigned log2, L4_ThreadId_t owner)
{
    L4_Word_t size = 1UL << log2;
    for (L4_Word_t i = 0; i < L4_NumMemoryDescriptors(kip); i++) {
        L4_MemoryDesc_t *m = L4_MemoryDesc(kip, i);
        if (L4_IsMemoryDescVirtual(m) || L4_MemoryDescType(m) != L4_ConventionalMemoryType) {
            continue;
        }
        L4_Word_t lo = (L4_MemoryDescLow(m) + size - 1) & ~(size - 1);
        for (L4_Word_t b = lo ? lo : size; b + size - 1 <= L4_MemoryDescHigh(m); b += size) {
            if (all_free(b, b + size) && memory_claim(b, size, owner, 0)) {
                return b;
            }
        }
    }
    return 0;
}

static void assign(L4_Word_t low, L4_Word_t high, L4_ThreadId_t owner)
{
    if (high) {
        low &= ~(PAGE - 1);
        for (L4_Word_t pa = low; pa < high; pa += PAGE) {
            insert(pa, pa + PAGE, owner.raw);
        }
    }
}

void memory_init(void *k, L4_ThreadId_t kernel, L4_ThreadId_t root)
{
    kip = k;
    L4_Word_t *w = (L4_Word_t *)kip;
    assign(w[6], w[7], kernel);             /* kdebug region */
    assign(w[10], w[11], L4_Myself());      /* sigma0 */
    assign(w[18], w[19], root);             /* root task image */
}
