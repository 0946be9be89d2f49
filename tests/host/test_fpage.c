/* SPDX-License-Identifier: BSD-2-Clause */
/* Host tests for the flexpage helpers in kernel/include/kernel/fpage.h.
 *
 * Layout (spec types.md §5): bits 0..2 rwx, bit 3 ignored, bits 4..9 log2
 * size, bits 10.. base >> 10; base bits below the size are ignored.  Sizes
 * run up to 2^63, so every region of a 64-bit space is covered and
 * fpage_last must not overflow at the top of the address space.
 */
#define CHECK_SUITE "fpage"
#include "check.h"

#include <kernel/fpage.h>

#define TOP (~(word_t)0)

TEST(make_encodes_fields)
{
    fpage_t f = fpage_make(0x12345000, 12, FPAGE_RIGHT_R | FPAGE_RIGHT_W);
    CHECK_EQ(f, 0x12345000 | (12 << 4) | 6);
    CHECK_EQ(fpage_size_log2(f), 12);
    CHECK_EQ(fpage_rights(f), 6);
    CHECK_EQ(fpage_base(f), 0x12345000);
    CHECK_EQ(fpage_last(f), 0x12345FFF);
    /* rights beyond rwx do not leak into the other fields */
    CHECK_EQ(fpage_make(0x4000, 14, 0xFF), 0x4000 | (14 << 4) | 7);
    CHECK_EQ(fpage_rights(fpage_make(0, 12, FPAGE_RIGHTS_ALL)), 7);
}

TEST(make_drops_low_base_bits)
{
    /* bits 0..9 of the base overlap rights and size: fpage_make drops them */
    fpage_t f = fpage_make(0x12345FFF, 12, 0);
    CHECK_EQ(f, 0x12345C00 | (12 << 4));
}

TEST(base_is_masked_to_size)
{
    /* an unaligned base (libl4 copies it verbatim) is aligned down */
    CHECK_EQ(fpage_base(fpage_make(0x12345678000UL, 12, 7)), 0x12345678000UL);
    CHECK_EQ(fpage_base(fpage_make(0x12345678000UL, 16, 7)), 0x12345670000UL);
    CHECK_EQ(fpage_base(fpage_make(0x12345678000UL, 22, 7)), 0x12345400000UL);
    CHECK_EQ(fpage_base(fpage_make(0x12345678000UL, 32, 7)), 0x12300000000UL);
    CHECK_EQ(fpage_last(fpage_make(0x12345678000UL, 22, 7)), 0x123457FFFFFUL);
    CHECK_EQ(fpage_base(fpage_make(TOP, 12, 0)), 0xFFFFFFFFFFFFF000UL);
    CHECK_EQ(fpage_base(fpage_make(TOP, 63, 0)), 0x8000000000000000UL);
}

TEST(bit3_is_ignored)
{
    /* L4_FpageLog2(~0UL, s) leaves bit 3 set: it must not change anything */
    fpage_t f = fpage_make(0x200000, 21, 5) | 8;
    CHECK_EQ(fpage_size_log2(f), 21);
    CHECK_EQ(fpage_rights(f), 5);
    CHECK_EQ(fpage_base(f), 0x200000);
    CHECK(!fpage_is_nil(f));
    CHECK(!fpage_is_complete(f));
    CHECK(fpage_is_nil(8));
    CHECK(fpage_is_complete(0x10 | 8));
}

TEST(every_size)
{
    for (unsigned s = 10; s < 64; s++) {
        word_t size = (word_t)1 << s;
        fpage_t lo = fpage_make(0, s, 7);
        fpage_t hi = fpage_make(TOP, s, 7);
        if (!CHECK_EQ(fpage_size_log2(lo), s) || !CHECK_EQ(fpage_last(lo), size - 1) ||
            !CHECK_EQ(fpage_base(hi), TOP - (size - 1)) || !CHECK_EQ(fpage_last(hi), TOP) ||
            !CHECK_EQ(fpage_last(hi) - fpage_base(hi), size - 1)) {
            return;
        }
    }
}

TEST(largest_pages_do_not_overflow)
{
    fpage_t low_half = fpage_make(0, 63, 7);
    fpage_t high_half = fpage_make(0x8000000000000000UL, 63, 7);
    CHECK_EQ(fpage_base(low_half), 0);
    CHECK_EQ(fpage_last(low_half), 0x7FFFFFFFFFFFFFFFUL);
    CHECK_EQ(fpage_base(high_half), 0x8000000000000000UL);
    CHECK_EQ(fpage_last(high_half), TOP);
    CHECK(!fpage_overlaps(low_half, high_half));
    CHECK(fpage_contains(high_half, 0x8000000000000000UL, TOP));
    CHECK(fpage_contains(high_half, TOP, TOP));
    CHECK(!fpage_contains(high_half, 0x7FFFFFFFFFFFF000UL, 0x8000000000000FFFUL));
    CHECK(fpage_contains(low_half, 0, 0x7FFFFFFFFFFFFFFFUL));
    CHECK(!fpage_contains(low_half, 0, TOP));
}

TEST(nil_fpage)
{
    CHECK(fpage_is_nil(FPAGE_NIL));
    CHECK_EQ(FPAGE_NIL, 0);
    /* rights bits do not make a nil fpage non-nil */
    CHECK(fpage_is_nil(7));
    CHECK(!fpage_is_complete(FPAGE_NIL));
    CHECK(!fpage_is_nil(fpage_make(0, 12, 0)));
    CHECK(!fpage_is_nil(fpage_make(0x1000, 0, 0)));
    CHECK_EQ(fpage_size_log2(FPAGE_NIL), 0);
}

TEST(complete_address_space)
{
    /* L4_CompleteAddressSpace: s = 1, base 0, any rights */
    CHECK(fpage_is_complete(0x10));
    CHECK(fpage_is_complete(0x17));
    CHECK(fpage_is_complete(fpage_make(0, 1, 7)));
    CHECK(!fpage_is_nil(0x10));
    /* a 2-byte page elsewhere, or another size at base 0, is not it */
    CHECK(!fpage_is_complete(fpage_make(0x400, 1, 7)));
    CHECK(!fpage_is_complete(fpage_make(0, 2, 7)));
    CHECK(!fpage_is_complete(fpage_make(0, 63, 7)));
    CHECK(!fpage_is_complete(fpage_make(0, 0, 7)));
}

TEST(contains)
{
    fpage_t f = fpage_make(0x400000, 22, 7); /* [4 MiB, 8 MiB) */
    CHECK(fpage_contains(f, 0x400000, 0x7FFFFF));
    CHECK(fpage_contains(f, 0x400000, 0x400000));
    CHECK(fpage_contains(f, 0x7FF000, 0x7FFFFF));
    CHECK(fpage_contains(f, 0x500000, 0x5FFFFF));
    CHECK(!fpage_contains(f, 0x3FFFFF, 0x400FFF));
    CHECK(!fpage_contains(f, 0x7FF000, 0x800000));
    CHECK(!fpage_contains(f, 0x800000, 0x800FFF));
    CHECK(!fpage_contains(f, 0, 0x3FFFFF));
    /* an inverted range is never contained */
    CHECK(!fpage_contains(f, 0x600000, 0x500000));
}

TEST(overlaps)
{
    fpage_t a = fpage_make(0x400000, 22, 7);   /* [4 MiB, 8 MiB) */
    fpage_t inner = fpage_make(0x401000, 12, 7);
    fpage_t left = fpage_make(0x3FF000, 12, 7);
    fpage_t right = fpage_make(0x800000, 12, 7);
    fpage_t last = fpage_make(0x7FF000, 12, 7);
    fpage_t huge = fpage_make(0, 40, 7);
    CHECK(fpage_overlaps(a, a));
    CHECK(fpage_overlaps(a, inner));
    CHECK(fpage_overlaps(inner, a));
    CHECK(fpage_overlaps(a, last));
    CHECK(!fpage_overlaps(a, left));
    CHECK(!fpage_overlaps(left, a));
    CHECK(!fpage_overlaps(a, right));
    CHECK(!fpage_overlaps(right, a));
    CHECK(fpage_overlaps(huge, a));
    CHECK(fpage_overlaps(a, huge));
    CHECK(!fpage_overlaps(fpage_make(TOP, 12, 7), fpage_make(0, 12, 7)));
    CHECK(fpage_overlaps(fpage_make(TOP, 12, 7), fpage_make(TOP, 63, 7)));
    /* the KIP area and UTCB area of a root task are disjoint */
    CHECK(!fpage_overlaps(fpage_make(0xBFF00000, 12, 0), fpage_make(0xBF000000, 18, 0)));
}
