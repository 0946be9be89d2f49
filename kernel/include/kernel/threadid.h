/* SPDX-License-Identifier: BSD-2-Clause */
/* Thread identifiers (X.2 §2.1): global ids (number + version) and local ids.
 *
 * A word whose low 6 bits are zero is a local id (on x86: the address of the
 * thread's MR0); otherwise it is a global id.  On 64-bit the thread number
 * takes the upper 32 bits and the version the lower 32; on 32-bit 18 and 14.
 */
#pragma once

#include <kernel/types.h>

typedef word_t threadid_t;

#define TID_VERSION_BITS ((WORD_BITS == 64) ? 32 : 14)
#define TID_NUMBER_BITS  (WORD_BITS - TID_VERSION_BITS)

#define NILTHREAD        ((threadid_t)0)
#define ANYTHREAD        (~(threadid_t)0)
#define ANYLOCALTHREAD   (~(threadid_t)0x3F)

static inline threadid_t tid_global(word_t no, word_t version)
{
    return (no << TID_VERSION_BITS) | (version & MASK(TID_VERSION_BITS));
}

static inline word_t tid_number(threadid_t t)
{
    return t >> TID_VERSION_BITS;
}

static inline word_t tid_version(threadid_t t)
{
    return t & MASK(TID_VERSION_BITS);
}

static inline bool tid_is_nil(threadid_t t)
{
    return t == NILTHREAD;
}

static inline bool tid_is_local(threadid_t t)
{
    return (t & 0x3F) == 0 && t != NILTHREAD;
}

static inline bool tid_is_global(threadid_t t)
{
    return (t & 0x3F) != 0;
}
