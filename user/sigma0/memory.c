/* SPDX-License-Identifier: BSD-2-Clause */
/* sigma0 memory bookkeeping.
 *
 * The pool of a page follows the KIP memory descriptors in order (later
 * descriptors override earlier ones).  Ownership is a sorted array of
 * disjoint regions, merged when neighbours have the same owner, so the
 * usual patterns (a task touching consecutive pages) stay small.  A page
 * belongs to at most one owner; the owner may claim it again.
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

pool_t memory_pool(L4_Word_t pa)
{
    pool_t pool = POOL_NONE;
    for (L4_Word_t i = 0; i < L4_NumMemoryDescriptors(kip); i++) {
        L4_MemoryDesc_t *m = L4_MemoryDesc(kip, i);
        if (L4_IsMemoryDescVirtual(m) || pa < L4_MemoryDescLow(m) || pa > L4_MemoryDescHigh(m)) {
            continue;
        }
        switch (L4_MemoryDescType(m) & 0xF) {
        case L4_ConventionalMemoryType: pool = POOL_CONVENTIONAL; break;
        case L4_SharedMemoryType: pool = POOL_SHARED; break;
        case L4_ReservedMemoryType:
        case L4_UndefinedMemoryType: pool = POOL_NONE; break;
        default: pool = POOL_SPECIAL; break;
        }
    }
    return pool;
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

static L4_Word_t owner_of(L4_Word_t pa)
{
    unsigned i = find(pa);
    return i < nregions && regions[i].base <= pa ? regions[i].owner : 0;
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
    for (L4_Word_t pa = base; pa - base < size; pa += PAGE) {
        pool_t pool = memory_pool(pa);
        L4_Word_t o = owner_of(pa);
        if (pool == POOL_NONE || (o && o != owner.raw)) {
            return 0;
        }
        if (pool == POOL_SPECIAL && !explicit_request && o != owner.raw) {
            return 0;
        }
    }
    for (L4_Word_t pa = base; pa - base < size; pa += PAGE) {
        if (memory_pool(pa) != POOL_SHARED && !owner_of(pa) && !insert(pa, pa + PAGE, owner.raw)) {
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
            int free = 1;
            for (L4_Word_t pa = b; pa < b + size && free; pa += PAGE) {
                free = memory_pool(pa) == POOL_CONVENTIONAL && !owner_of(pa);
            }
            if (free && memory_claim(b, size, owner, 0)) {
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
