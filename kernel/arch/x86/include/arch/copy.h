/* SPDX-License-Identifier: BSD-2-Clause */
/* Word copies the IPC paths use for message registers. */
#pragma once

#include <kernel/types.h>

/* Copy n words from src to dst (kernel addresses, not overlapping):
 * REP MOVSQ, one instruction and three registers. */
static inline void arch_copy_words(word_t *dst, const word_t *src, word_t n)
{
    __asm__ volatile("rep movsq" : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
}
