/* SPDX-License-Identifier: BSD-2-Clause */
/* Flexpages (X.2 §2.2): naturally aligned power-of-two regions with rights.
 *
 * Arch-neutral; built on the host for unit tests.  Bits 0..2 rwx, bit 3
 * ignored for memory fpages, bits 4..9 log2 size, bits 10.. base >> 10.
 * Base bits below the size are ignored (the region is aligned down).
 */
#pragma once

#include <kernel/types.h>

typedef word_t fpage_t;

#define FPAGE_NIL          ((fpage_t)0)
#define FPAGE_RIGHT_X      1u
#define FPAGE_RIGHT_W      2u
#define FPAGE_RIGHT_R      4u
#define FPAGE_RIGHTS_ALL   7u

static inline fpage_t fpage_make(word_t base, unsigned size_log2, unsigned rights)
{
    return (base & ~(word_t)0x3FF) | ((word_t)size_log2 << 4) | (rights & 7);
}

static inline unsigned fpage_size_log2(fpage_t f)
{
    return (f >> 4) & 0x3F;
}

static inline unsigned fpage_rights(fpage_t f)
{
    return f & 7;
}

static inline bool fpage_is_nil(fpage_t f)
{
    return (f & ~(word_t)0xF) == 0;
}

/* The special "complete address space" fpage: s = 1, base 0. */
static inline bool fpage_is_complete(fpage_t f)
{
    return (f & ~(word_t)0xF) == 0x10;
}

/* Base address, aligned down to the fpage size (sizes >= WORD_BITS give 0). */
static inline word_t fpage_base(fpage_t f)
{
    unsigned s = fpage_size_log2(f);
    word_t base = f & ~(word_t)0x3FF;
    return s >= WORD_BITS ? 0 : base & ~MASK(s);
}

/* Last byte of the region (inclusive), so a full-width fpage does not overflow. */
static inline word_t fpage_last(fpage_t f)
{
    unsigned s = fpage_size_log2(f);
    return s >= WORD_BITS ? ~(word_t)0 : fpage_base(f) + MASK(s);
}

/* Does [a_base, a_last] contain [b_base, b_last]? */
static inline bool fpage_contains(fpage_t outer, word_t base, word_t last)
{
    return base >= fpage_base(outer) && last <= fpage_last(outer) && base <= last;
}

/* Do two fpages overlap? */
static inline bool fpage_overlaps(fpage_t a, fpage_t b)
{
    return fpage_base(a) <= fpage_last(b) && fpage_base(b) <= fpage_last(a);
}
