/* SPDX-License-Identifier: BSD-2-Clause */
/* l4/misc.h — MemoryControl page attributes and ProcessorControl */
#ifndef L4_MISC_H
#define L4_MISC_H

#include <l4/types.h>
#include <l4/message.h>
#if defined(__x86_64__)
#include <l4/amd64/syscalls.h>
#endif

/*
 * Memory attribute values for MemoryControl on amd64, as defined by the
 * X.2 manual's AMD64 appendix (G.5).  0 always means "default".
 */
#define L4_DefaultMemory 0UL
#define L4_UncacheableMemory 1UL
#define L4_WriteCombiningMemory 2UL
#define L4_WriteThroughMemory 5UL
#define L4_WriteProtectedMemory 6UL
#define L4_WriteBackMemory 7UL

/** Applies memory attribute `attribute` to fpage f; 1 = success. */
L4_INLINE L4_Word_t L4_Set_PageAttribute(L4_Fpage_t f, L4_Word_t attribute)
{
    L4_Word_t attributes[4] = { attribute, 0, 0, 0 };
    L4_Set_Rights(&f, 0); /* rights bits select attribute0 */
    L4_LoadMR(0, f.raw);
    return L4_MemoryControl(0, attributes);
}

/** Applies attributes[a] to n fpages, a = low two bits of each fpage. */
L4_INLINE L4_Word_t L4_Set_PagesAttributes(L4_Word_t n, L4_Fpage_t *fpages,
                                           const L4_Word_t *attributes)
{
    if (n == 0)
        return 1;
    L4_LoadMRs(0, (int)n, &fpages[0].raw);
    return L4_MemoryControl(n - 1, attributes);
}

/** Alternative spelling of L4_Set_PagesAttributes. */
L4_INLINE L4_Word_t L4_Set_PageAttributes(L4_Word_t n, L4_Fpage_t *fpages,
                                          const L4_Word_t *attributes)
{
    return L4_Set_PagesAttributes(n, fpages, attributes);
}

#endif /* L4_MISC_H */
