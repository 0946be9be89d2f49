/* SPDX-License-Identifier: BSD-2-Clause */
/* Safe access to user memory from the kernel. */
#pragma once

#include <kernel/types.h>
#include <mode/layout.h>

int uaccess_copy(void *dst, const void *src, size_t n);

/* Copy n bytes from user address uaddr in the current space; 0 or -1. */
static inline int copy_from_user(void *dst, word_t uaddr, size_t n)
{
    if (!user_range_ok(uaddr, n)) {
        return -1;
    }
    return uaccess_copy(dst, (const void *)uaddr, n);
}

/* Copy n bytes to user address uaddr in the current space; 0 or -1. */
static inline int copy_to_user(word_t uaddr, const void *src, size_t n)
{
    if (!user_range_ok(uaddr, n)) {
        return -1;
    }
    return uaccess_copy((void *)uaddr, src, n);
}

/* Read one word at user address uaddr (word aligned) in the current space,
 * inline: a fault on the load resumes at the fixup, which reports it. */
static inline bool read_user_word(word_t uaddr, word_t *v)
{
    if (uaddr >= USER_AREA_END || (uaddr & (sizeof(word_t) - 1))) {
        return false;
    }
    word_t val;
    int failed = 0;
    __asm__ volatile("1: mov (%2), %0\n"
                     "2:\n"
                     ".pushsection .text.unlikely, \"ax\"\n"
                     "3: movl $1, %1\n"
                     "   jmp 2b\n"
                     ".popsection\n"
                     ".pushsection .extable, \"a\"\n"
                     ".align 8\n"
                     ".quad 1b, 3b\n"
                     ".popsection"
                     : "=r"(val), "+r"(failed)
                     : "r"(uaddr)
                     : "memory");
    *v = val;
    return !failed;
}

/* Redirect a faulting kernel RIP to its fixup; false if it has none. */
bool uaccess_fixup(word_t *rip);
