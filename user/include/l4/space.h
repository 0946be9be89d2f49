/* SPDX-License-Identifier: BSD-2-Clause */
/* l4/space.h — address spaces: SpaceControl, Unmap/Flush helpers, IO fpages */
#ifndef L4_SPACE_H
#define L4_SPACE_H

#include <l4/types.h>
#include <l4/message.h>
#include <l4/arch.h>
#if defined(__x86_64__)
#include <l4/amd64/syscalls.h>
#endif

/* Unmap control word: k in bits 0..5, flush flag in bit 6. */
#define __L4_UNMAP_FLUSH 0x40UL

/** Revokes f's rights from mappings derived from it; returns f with status bits. */
L4_INLINE L4_Fpage_t L4_UnmapFpage(L4_Fpage_t f)
{
    L4_LoadMR(0, f.raw);
    L4_Unmap(0);
    L4_StoreMR(0, &f.raw);
    return f;
}

/** Unmaps n (1..64) fpages; status bits are written back into fpages[]. */
L4_INLINE void L4_UnmapFpages(L4_Word_t n, L4_Fpage_t *fpages)
{
    if (n == 0)
        return;
    L4_LoadMRs(0, (int)n, &fpages[0].raw);
    L4_Unmap(n - 1);
    L4_StoreMRs(0, (int)n, &fpages[0].raw);
}

/** Like L4_UnmapFpage, but also revokes the caller's own mapping. */
L4_INLINE L4_Fpage_t L4_Flush(L4_Fpage_t f)
{
    L4_LoadMR(0, f.raw);
    L4_Unmap(__L4_UNMAP_FLUSH);
    L4_StoreMR(0, &f.raw);
    return f;
}

/** Flushes n (1..64) fpages, including the caller's own mappings. */
L4_INLINE void L4_FlushFpages(L4_Word_t n, L4_Fpage_t *fpages)
{
    if (n == 0)
        return;
    L4_LoadMRs(0, (int)n, &fpages[0].raw);
    L4_Unmap(__L4_UNMAP_FLUSH + n - 1);
    L4_StoreMRs(0, (int)n, &fpages[0].raw);
}

/** Reads and resets the referenced/written/executed status of f's pages. */
L4_INLINE L4_Fpage_t L4_GetStatus(L4_Fpage_t f)
{
    L4_LoadMR(0, L4_FpageRemoveRights(f, L4_FullyAccessible).raw);
    L4_Unmap(0);
    L4_StoreMR(0, &f.raw);
    return f;
}

#endif /* L4_SPACE_H */
