/* SPDX-License-Identifier: BSD-2-Clause */
/* l4/items.h — typed message items: map, grant and string items */
#ifndef L4_ITEMS_H
#define L4_ITEMS_H

#include <l4/types.h>

/* Item type in bits 1..3 of the first word (types.md §7). */
#define __L4_ITEM_TYPE_MASK 0xEUL
#define __L4_MAP_ITEM 0x8UL
#define __L4_GRANT_ITEM 0xAUL

/** Map item: send-base word and send fpage. */
typedef union {
    L4_Word_t raw[2];
    struct {
        L4_Word_t C : 1;
        L4_Word_t __type : 3;
        L4_Word_t __zeros : 6;
        L4_Word_t snd_base : L4_BITS_PER_WORD - 10;
        L4_Fpage_t snd_fpage;
    } X;
} L4_MapItem_t;

/** Grant item: same layout as a map item with type 101. */
typedef union {
    L4_Word_t raw[2];
    struct {
        L4_Word_t C : 1;
        L4_Word_t __type : 3;
        L4_Word_t __zeros : 6;
        L4_Word_t snd_base : L4_BITS_PER_WORD - 10;
        L4_Fpage_t snd_fpage;
    } X;
} L4_GrantItem_t;

/** Map item for fpage f with send base SndBase (C bit clear). */
L4_INLINE L4_MapItem_t L4_MapItem(L4_Fpage_t f, L4_Word_t SndBase)
{
    L4_MapItem_t m;
    m.raw[0] = (SndBase & ~0x3FFUL) | __L4_MAP_ITEM;
    m.raw[1] = f.raw;
    return m;
}

/** True if m carries the map-item type. */
L4_INLINE L4_Bool_t L4_IsMapItem(L4_MapItem_t m)
{
    return (m.raw[0] & __L4_ITEM_TYPE_MASK) == __L4_MAP_ITEM;
}

/** Send fpage of a map item. */
L4_INLINE L4_Fpage_t L4_MapItemSndFpage(L4_MapItem_t m) { return m.X.snd_fpage; }

/** Send base of a map item (low 10 bits zero). */
L4_INLINE L4_Word_t L4_MapItemSndBase(L4_MapItem_t m) { return m.raw[0] & ~0x3FFUL; }

/** Grant item for fpage f with send base SndBase (C bit clear). */
L4_INLINE L4_GrantItem_t L4_GrantItem(L4_Fpage_t f, L4_Word_t SndBase)
{
    L4_GrantItem_t g;
    g.raw[0] = (SndBase & ~0x3FFUL) | __L4_GRANT_ITEM;
    g.raw[1] = f.raw;
    return g;
}

/** True if g carries the grant-item type. */
L4_INLINE L4_Bool_t L4_IsGrantItem(L4_GrantItem_t g)
{
    return (g.raw[0] & __L4_ITEM_TYPE_MASK) == __L4_GRANT_ITEM;
}

/** Send fpage of a grant item. */
L4_INLINE L4_Fpage_t L4_GrantItemSndFpage(L4_GrantItem_t g) { return g.X.snd_fpage; }

/** Send base of a grant item (low 10 bits zero). */
L4_INLINE L4_Word_t L4_GrantItemSndBase(L4_GrantItem_t g) { return g.raw[0] & ~0x3FFUL; }

/* ------------------------------------------------------------------ */
/* String items                                                         */

/**
 * String item header plus its first substring pointer.  A compound string
 * is a sequence of such items (each with j+1 pointers) chained by c; the C
 * type only holds the simple case, longer items live in larger buffers.
 */
typedef union {
    L4_Word_t raw[2];
    struct {
        L4_Word_t C : 1;
        L4_Word_t __type : 3; /* 0hh: bit 3 = 0, hh = cache hint */
        L4_Word_t j : 5;      /* number of substring pointers - 1 */
        L4_Word_t c : 1;      /* another item of the same string follows */
        L4_Word_t string_length : L4_BITS_PER_WORD - 10;
        union {
            void *string_ptr;
            void *substring_ptr[1];
        } str;
    } X;
} L4_StringItem_t;

/** Cache-allocation hint stored in bits 1..2 of a string item. */
typedef union {
    L4_Word_t raw;
} L4_CacheAllocationHint_t;

#define L4_UseDefaultCacheLineAllocation ((L4_CacheAllocationHint_t){ .raw = 0 })
#define L4_UseDefaultCacheAllocation L4_UseDefaultCacheLineAllocation
#define L4_AllocateNewCacheLines ((L4_CacheAllocationHint_t){ .raw = 2 })
#define L4_DoNotAllocateNewCacheLines ((L4_CacheAllocationHint_t){ .raw = 4 })
#define L4_AllocateOnlyNewL1CacheLines ((L4_CacheAllocationHint_t){ .raw = 6 })

/** Simple string item: one substring of size bytes at address. */
L4_INLINE L4_StringItem_t L4_StringItem(L4_Word_t size, void *address)
{
    L4_StringItem_t s;
    s.raw[0] = size << 10;
    s.X.str.string_ptr = address;
    return s;
}

/** True if the item's type bits mark a string item (bit 3 clear). */
L4_INLINE L4_Bool_t L4_IsStringItem(const L4_StringItem_t *s) { return (s->raw[0] & 0x8) == 0; }

/** The c flag of the (first) item: the string continues in a further item. */
L4_INLINE L4_Bool_t L4_CompoundString(const L4_StringItem_t *s) { return s->X.c != 0; }

/** Next item header after the item starting at w (skips its j+1 pointers). */
L4_INLINE L4_Word_t *__L4_StringItemNext(L4_Word_t *w) { return w + 2 + ((w[0] >> 4) & 0x1F); }

/** Number of words of the whole (possibly compound) string starting at s. */
L4_INLINE L4_Word_t __L4_StringItemWords(const L4_StringItem_t *s)
{
    L4_Word_t *w = (L4_Word_t *)s, *start = w;
    for (;;) {
        L4_Word_t *next = __L4_StringItemNext(w);
        if (!(w[0] & (1UL << 9)))
            return (L4_Word_t)(next - start);
        w = next;
    }
}

/** Total number of substrings of the string, over all chained items. */
L4_INLINE L4_Word_t L4_Substrings(const L4_StringItem_t *s)
{
    L4_Word_t *w = (L4_Word_t *)s, n = 0;
    for (;;) {
        n += ((w[0] >> 4) & 0x1F) + 1;
        if (!(w[0] & (1UL << 9)))
            return n;
        w = __L4_StringItemNext(w);
    }
}

/** Address of substring n (1-based, as in Pistachio) or NULL if absent. */
L4_INLINE void *L4_Substring(const L4_StringItem_t *s, L4_Word_t n)
{
    L4_Word_t *w = (L4_Word_t *)s;
    if (n == 0)
        return (void *)0;
    for (;;) {
        L4_Word_t cnt = ((w[0] >> 4) & 0x1F) + 1;
        if (n <= cnt)
            return (void *)w[n];
        n -= cnt;
        if (!(w[0] & (1UL << 9)))
            return (void *)0;
        w = __L4_StringItemNext(w);
    }
}

/** Last item of the chain starting at s. */
L4_INLINE L4_Word_t *__L4_StringItemLast(L4_StringItem_t *s)
{
    L4_Word_t *w = (L4_Word_t *)s;
    while (w[0] & (1UL << 9))
        w = __L4_StringItemNext(w);
    return w;
}

/** Appends another substring item (its length and pointer) to dest's chain. */
L4_INLINE L4_StringItem_t *L4_AddSubstringTo(L4_StringItem_t *dest,
                                             const L4_StringItem_t *AdditionalSubstring)
{
    L4_Word_t *last = __L4_StringItemLast(dest);
    L4_Word_t *w = __L4_StringItemNext(last);
    last[0] |= 1UL << 9;
    w[0] = AdditionalSubstring->raw[0] & ~0x3FFUL; /* length only: j = 0, c = 0 */
    w[1] = AdditionalSubstring->raw[1];
    return dest;
}

/** Appends one more pointer (same length) to the last item of dest. */
L4_INLINE L4_StringItem_t *L4_AddSubstringAddressTo(L4_StringItem_t *dest,
                                                    void *AdditionalSubstringAddress)
{
    L4_Word_t *last = __L4_StringItemLast(dest);
    L4_Word_t *w = __L4_StringItemNext(last);
    last[0] += 1UL << 4; /* j + 1 */
    w[0] = (L4_Word_t)AdditionalSubstringAddress;
    return dest;
}

/** True if both hints are the same. */
L4_INLINE L4_Bool_t L4_IsCacheAllocationHintEqual(L4_CacheAllocationHint_t l,
                                                  L4_CacheAllocationHint_t r)
{
    return (l.raw & 6) == (r.raw & 6);
}

/** True if the hints differ. */
L4_INLINE L4_Bool_t L4_IsCacheAllocationHintNotEqual(L4_CacheAllocationHint_t l,
                                                     L4_CacheAllocationHint_t r)
{
    return (l.raw & 6) != (r.raw & 6);
}

/** Cache-allocation hint of string item s. */
L4_INLINE L4_CacheAllocationHint_t L4_CacheAllocationHint(L4_StringItem_t s)
{
    L4_CacheAllocationHint_t h;
    h.raw = s.raw[0] & 6;
    return h;
}

/** Same as L4_CacheAllocationHint (spelling used by Pistachio's headers). */
L4_INLINE L4_CacheAllocationHint_t L4_CacheAlloctionHint(L4_StringItem_t s)
{
    return L4_CacheAllocationHint(s);
}

/** Copy of s with its cache hint replaced by h. */
L4_INLINE L4_StringItem_t L4_AddCacheAllocationHint(L4_StringItem_t s,
                                                    L4_CacheAllocationHint_t h)
{
    s.raw[0] = (s.raw[0] & ~6UL) | (h.raw & 6);
    return s;
}

/** Replaces the cache hint of *s in place and returns the new item. */
L4_INLINE L4_StringItem_t L4_AddCacheAllocationHintTo(L4_StringItem_t *s,
                                                      L4_CacheAllocationHint_t h)
{
    s->raw[0] = (s->raw[0] & ~6UL) | (h.raw & 6);
    return *s;
}

#endif /* L4_ITEMS_H */
