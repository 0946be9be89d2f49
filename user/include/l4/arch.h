/* SPDX-License-Identifier: BSD-2-Clause */
/* l4/arch.h — x86 architecture extras: IO-port flexpages */
#ifndef L4_ARCH_H
#define L4_ARCH_H

#include <l4/types.h>

/*
 * IO fpage (types.md §5, x86 only): bits 4..9 hold the constant 2, bits
 * 10..15 log2 of the number of ports, bits 16..31 the first port.  Only
 * kernels built with IO flexpages understand them.
 */
#define __L4_IO_FPAGE_MARK (2UL << 4)

/** An IO fpage seen field by field (Pistachio's L4_IoFpage_t). */
typedef union {
    L4_Word_t raw;
    struct {
        L4_Word_t rwx : 4;
        L4_Word_t __two : 6;
        L4_Word_t s : 6;
        L4_Word_t p : 16;
        L4_Word_t : 32;
    } X;
} L4_IoFpage_t;

#if defined(__cplusplus)
/** An L4_Fpage_t holding the IO fpage f. */
L4_INLINE L4_Fpage_t L4_Fpage(L4_IoFpage_t f)
{
    L4_Fpage_t out;
    out.raw = f.raw;
    return out;
}
#endif

/** IO fpage for 2^log2size ports starting at port BaseAddress (no rights). */
L4_INLINE L4_Fpage_t L4_IoFpageLog2(L4_Word_t BaseAddress, int log2size)
{
    L4_Fpage_t f;
    f.raw = ((BaseAddress & 0xFFFFUL) << 16) | (((L4_Word_t)log2size & 0x3F) << 10) |
            __L4_IO_FPAGE_MARK;
    return f;
}

/** IO fpage covering FpageSize ports (rounded up to a power of two) from BaseAddress. */
L4_INLINE L4_Fpage_t L4_IoFpage(L4_Word_t BaseAddress, int FpageSize)
{
    L4_Word_t size = (L4_Word_t)FpageSize;
    int log2size = 0;
    if (FpageSize > 1) {
        log2size = (int)__L4_Msb(size);
        if (size & (size - 1))
            log2size++;
    }
    return L4_IoFpageLog2(BaseAddress, log2size);
}

/** True if f is an IO fpage (bits 4..9 equal 2). */
L4_INLINE L4_Bool_t L4_IsIoFpage(L4_Fpage_t f) { return (f.raw & 0x3F0UL) == __L4_IO_FPAGE_MARK; }

/** First port of an IO fpage. */
L4_INLINE L4_Word_t L4_IoFpagePort(L4_Fpage_t f) { return (f.raw >> 16) & 0xFFFFUL; }

/** log2 of the number of ports of an IO fpage. */
L4_INLINE L4_Word_t L4_IoFpageSizeLog2(L4_Fpage_t f) { return (f.raw >> 10) & 0x3FUL; }

/** Number of ports of an IO fpage. */
L4_INLINE L4_Word_t L4_IoFpageSize(L4_Fpage_t f) { return 1UL << L4_IoFpageSizeLog2(f); }

#endif /* L4_ARCH_H */
