/* SPDX-License-Identifier: BSD-2-Clause */
/* l4/fpage.h — flexpages: naturally aligned 2^s regions with rwx rights */
#ifndef L4_FPAGE_H
#define L4_FPAGE_H

#include <l4/types.h>

/** Flexpage descriptor (types.md §5). */
typedef union {
    L4_Word_t raw;
    struct {
        L4_Word_t rwx : 3;
        L4_Word_t extended : 1; /* reserved bit; sigma0 "high address" flag */
        L4_Word_t s : 6;
        L4_Word_t b : L4_BITS_PER_WORD - 10;
    } X;
} L4_Fpage_t;

/* Access rights. */
#define L4_Readable 0x04UL
#define L4_Writable 0x02UL
#define L4_eXecutable 0x01UL
#define L4_FullyAccessible 0x07UL
#define L4_ReadWriteOnly 0x06UL
#define L4_ReadeXecOnly 0x05UL
#define L4_NoAccess 0x00UL

#define L4_Nilpage ((L4_Fpage_t){ .raw = 0UL })
#define L4_CompleteAddressSpace ((L4_Fpage_t){ .raw = 1UL << 4 })

/** True for the nil fpage. */
L4_INLINE L4_Bool_t L4_IsNilFpage(L4_Fpage_t f) { return f.raw == 0; }

/**
 * Fpage of 2^log2size bytes at base.  Like Pistachio, base is kept as given
 * (including bit 3); only the size and rights fields are overwritten.
 */
L4_INLINE L4_Fpage_t L4_FpageLog2(L4_Word_t base, int log2size)
{
    L4_Fpage_t f;
    f.raw = base;
    f.X.s = (L4_Word_t)log2size;
    f.X.rwx = L4_NoAccess;
    return f;
}

/** Fpage at base covering size bytes, rounded up to a power of two. */
L4_INLINE L4_Fpage_t L4_Fpage(L4_Word_t base, L4_Word_t size)
{
    int log2size = 0;
    if (size > 1) {
        log2size = (int)__L4_Msb(size);
        if (size & (size - 1))
            log2size++;
    }
    return L4_FpageLog2(base, log2size);
}

/** log2 of the fpage size (the s field). */
L4_INLINE L4_Word_t L4_SizeLog2(L4_Fpage_t f) { return f.X.s; }

/** Size of the fpage in bytes; 0 for s = 0 (nil fpage). */
L4_INLINE L4_Word_t L4_Size(L4_Fpage_t f) { return f.X.s == 0 ? 0 : 1UL << f.X.s; }

/** Base address: base bits below the size and the low 10 bits are masked off. */
L4_INLINE L4_Word_t L4_Address(L4_Fpage_t f)
{
    return f.raw & ~0x3FFUL & ~((1UL << f.X.s) - 1);
}

/** Access-rights bits of the fpage. */
L4_INLINE L4_Word_t L4_Rights(L4_Fpage_t f) { return f.X.rwx; }

/** Replaces the access rights of *f. */
L4_INLINE void L4_Set_Rights(L4_Fpage_t *f, L4_Word_t rights) { f->X.rwx = rights; }

/** Copy of f with the given rights added. */
L4_INLINE L4_Fpage_t L4_FpageAddRights(L4_Fpage_t f, L4_Word_t rights)
{
    f.X.rwx |= rights;
    return f;
}

/** Adds rights to *f in place and returns the new value. */
L4_INLINE L4_Fpage_t L4_FpageAddRightsTo(L4_Fpage_t *f, L4_Word_t rights)
{
    f->X.rwx |= rights;
    return *f;
}

/** Copy of f with the given rights removed. */
L4_INLINE L4_Fpage_t L4_FpageRemoveRights(L4_Fpage_t f, L4_Word_t rights)
{
    f.X.rwx &= ~rights;
    return f;
}

/** Removes rights from *f in place and returns the new value. */
L4_INLINE L4_Fpage_t L4_FpageRemoveRightsFrom(L4_Fpage_t *f, L4_Word_t rights)
{
    f->X.rwx &= ~rights;
    return *f;
}

/** Unmap status: page was referenced (r bit of an Unmap/Flush/GetStatus result). */
L4_INLINE L4_Bool_t L4_WasReferenced(L4_Fpage_t f) { return (f.raw & L4_Readable) != 0; }

/** Unmap status: page was written (w bit). */
L4_INLINE L4_Bool_t L4_WasWritten(L4_Fpage_t f) { return (f.raw & L4_Writable) != 0; }

/** Unmap status: page was executed (x bit). */
L4_INLINE L4_Bool_t L4_WaseXecuted(L4_Fpage_t f) { return (f.raw & L4_eXecutable) != 0; }

#endif /* L4_FPAGE_H */
