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

/* Redirect a faulting kernel RIP to its fixup; false if it has none. */
bool uaccess_fixup(word_t *rip);
