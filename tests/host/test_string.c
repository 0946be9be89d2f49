/* SPDX-License-Identifier: BSD-2-Clause */
/* Host tests for kernel/lib/string.c (freestanding mem* and str* functions).
 *
 * The kernel defines these under their standard names.  The host build
 * compiles kernel/lib and this file with a generated header that renames
 * every such clash (memcpy -> k_memcpy, ...), so the calls below reach the
 * kernel's code and libc (with AddressSanitizer's interceptors) is untouched.
 */
#define CHECK_SUITE "string"
#include "check.h"

#include <kernel/string.h>
#include <stdlib.h>

#ifndef memcpy
#error "the kernel string functions must be renamed on the host (see mk/test.mk)"
#endif

static unsigned char *heap_bytes(size_t n, unsigned char fill)
{
    unsigned char *p = malloc(n ? n : 1);
    if (!p) {
        abort();
    }
    for (size_t i = 0; i < n; i++) {
        p[i] = fill;
    }
    return p;
}

TEST(memcpy_copies_and_returns_dst)
{
    unsigned char src[37], *dst = heap_bytes(37, 0xAA);
    for (unsigned i = 0; i < sizeof(src); i++) {
        src[i] = (unsigned char)(i * 7 + 1);
    }
    CHECK(memcpy(dst, src, sizeof(src)) == dst);
    unsigned bad = 0;
    for (unsigned i = 0; i < sizeof(src); i++) {
        bad += dst[i] != src[i];
    }
    CHECK_EQ(bad, 0);
    free(dst);
}

TEST(memcpy_zero_length)
{
    unsigned char a[4] = { 1, 2, 3, 4 }, b[4] = { 9, 9, 9, 9 };
    CHECK(memcpy(b, a, 0) == b);
    CHECK_EQ(b[0], 9);
    CHECK_EQ(b[3], 9);
}

TEST(memcpy_partial)
{
    unsigned char *dst = heap_bytes(8, 0);
    memcpy(dst + 2, "abcd", 3);
    CHECK_EQ(dst[1], 0);
    CHECK_EQ(dst[2], 'a');
    CHECK_EQ(dst[4], 'c');
    CHECK_EQ(dst[5], 0);
    free(dst);
}

TEST(memmove_overlap_forward)
{
    char buf[] = "0123456789";
    CHECK(memmove(buf + 2, buf, 6) == buf + 2);
    CHECK_STR(buf, "0101234589");
}

TEST(memmove_overlap_backward)
{
    char buf[] = "0123456789";
    CHECK(memmove(buf, buf + 3, 7) == buf);
    CHECK_STR(buf, "3456789789");
}

TEST(memmove_same_and_disjoint)
{
    char buf[] = "abcdef";
    memmove(buf, buf, 6);
    CHECK_STR(buf, "abcdef");
    char dst[7] = "xxxxxx";
    memmove(dst, buf, 0);
    CHECK_STR(dst, "xxxxxx");
    memmove(dst, buf, 7);
    CHECK_STR(dst, "abcdef");
}

TEST(memset_fills_bytes)
{
    unsigned char *p = heap_bytes(19, 0);
    CHECK(memset(p + 1, 0x5A, 17) == p + 1);
    CHECK_EQ(p[0], 0);
    CHECK_EQ(p[1], 0x5A);
    CHECK_EQ(p[17], 0x5A);
    CHECK_EQ(p[18], 0);
    /* only the low byte of c counts */
    memset(p, 0x141, 19);
    CHECK_EQ(p[0], 0x41);
    CHECK_EQ(p[18], 0x41);
    memset(p, -1, 2);
    CHECK_EQ(p[1], 0xFF);
    memset(p, 0, 0);
    CHECK_EQ(p[0], 0xFF);
    free(p);
}

TEST(memcmp_order)
{
    CHECK(memcmp("abc", "abc", 3) == 0);
    CHECK(memcmp("abc", "abd", 3) < 0);
    CHECK(memcmp("abd", "abc", 3) > 0);
    CHECK(memcmp("abc", "xyz", 0) == 0);
    /* only the first n bytes are compared, NULs included */
    CHECK(memcmp("ab\0x", "ab\0y", 3) == 0);
    CHECK(memcmp("ab\0x", "ab\0y", 4) < 0);
    /* bytes compare as unsigned char */
    CHECK(memcmp("\x80", "\x7f", 1) > 0);
    CHECK(memcmp("\x01", "\xff", 1) < 0);
}

TEST(strlen_and_strnlen)
{
    CHECK_EQ(strlen(""), 0);
    CHECK_EQ(strlen("a"), 1);
    CHECK_EQ(strlen("hello world"), 11);
    CHECK_EQ(strlen("ab\0cd"), 2);
    CHECK_EQ(strnlen("hello", 10), 5);
    CHECK_EQ(strnlen("hello", 5), 5);
    CHECK_EQ(strnlen("hello", 3), 3);
    CHECK_EQ(strnlen("hello", 0), 0);
    CHECK_EQ(strnlen("", 4), 0);
    /* strnlen must not read past max: an unterminated heap block */
    unsigned char *p = heap_bytes(4, 'x');
    CHECK_EQ(strnlen((const char *)p, 4), 4);
    free(p);
}

TEST(strcmp_order)
{
    CHECK(strcmp("", "") == 0);
    CHECK(strcmp("abc", "abc") == 0);
    CHECK(strcmp("abc", "abd") < 0);
    CHECK(strcmp("abd", "abc") > 0);
    CHECK(strcmp("ab", "abc") < 0);
    CHECK(strcmp("abc", "ab") > 0);
    CHECK(strcmp("", "a") < 0);
    CHECK(strcmp("\xe9", "e") > 0);   /* unsigned char order */
    CHECK(strcmp("a", "\x80") < 0);
}

TEST(strncmp_order)
{
    CHECK(strncmp("abcdef", "abcxyz", 3) == 0);
    CHECK(strncmp("abcdef", "abcxyz", 4) < 0);
    CHECK(strncmp("abc", "abd", 0) == 0);
    CHECK(strncmp("ab", "abc", 5) < 0);
    CHECK(strncmp("abc", "ab", 5) > 0);
    /* stops at the terminator even when n is larger */
    CHECK(strncmp("ab\0x", "ab\0y", 4) == 0);
    CHECK(strncmp("\xff", "\x01", 1) > 0);
    /* reads no further than n bytes of an unterminated block */
    unsigned char *p = heap_bytes(3, 'k');
    CHECK(strncmp((const char *)p, "kkkz", 3) == 0);
    free(p);
}

TEST(strchr_finds_first)
{
    const char *s = "kdb=exit iopl=3";
    CHECK(strchr(s, '=') == s + 3);
    CHECK(strchr(s, 'k') == s);
    CHECK(strchr(s, '3') == s + 14);
    CHECK(strchr(s, '#') == NULL);
    CHECK(strchr("", 'a') == NULL);
}

TEST(strchr_terminator_and_high_bytes)
{
    const char *s = "abc";
    CHECK(strchr(s, '\0') == s + 3);
    const char *t = "x\xe9y";
    CHECK(strchr(t, 0xE9) == t + 1);
    CHECK(strchr(t, (char)0xE9) == t + 1);
    /* c is converted to char: 0x100 + 'y' finds 'y' */
    CHECK(strchr(t, 0x100 + 'y') == t + 2);
}
