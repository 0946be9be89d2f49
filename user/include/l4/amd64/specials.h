/* SPDX-License-Identifier: BSD-2-Clause */
/* l4/amd64/specials.h — amd64 bit-scan helpers used by the generic headers */
#ifndef L4_AMD64_SPECIALS_H
#define L4_AMD64_SPECIALS_H

#include <l4/amd64/types.h>

#ifndef L4_INLINE
#define L4_INLINE static inline
#endif

/** Index of the most significant set bit of w; w must not be 0. */
L4_INLINE L4_Word_t __L4_Msb(L4_Word_t w)
{
    L4_Word_t bit;
    __asm__("bsrq %1, %0" : "=r"(bit) : "rm"(w) : "cc");
    return bit;
}

/** Index of the least significant set bit of w; w must not be 0. */
L4_INLINE L4_Word_t __L4_Lsb(L4_Word_t w)
{
    L4_Word_t bit;
    __asm__("bsfq %1, %0" : "=r"(bit) : "rm"(w) : "cc");
    return bit;
}

#endif /* L4_AMD64_SPECIALS_H */
