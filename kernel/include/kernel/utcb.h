/* SPDX-License-Identifier: BSD-2-Clause */
/* The UTCB as the kernel sees it: 128 words around the UTCB pointer p.
 *
 * The block starts at its location L; p = L + 64 words is the thread's local
 * id and the address of MR0.  Message registers grow upward from p, thread
 * control registers and buffer registers downward (BRk at word -(16 + k)).
 * User code may write any word at any time: the kernel reads what it needs
 * when it needs it and never trusts it for its own integrity.
 */
#pragma once

#include <kernel/types.h>

#define UTCB_WORDS       128
#define UTCB_P_WORD      64          /* index of MR0 inside the block */
#define UTCB_SIZE        (UTCB_WORDS * WORD_BYTES)
#define UTCB_P_OFFSET    (UTCB_P_WORD * WORD_BYTES)
#define NUM_MRS          64
#define NUM_BRS          33

/* Word offsets of the thread control registers relative to p. */
enum utcb_tcr {
    TCR_WORD_SIZE_MASK   = -1,
    TCR_THREAD_WORD0     = -4,
    TCR_THREAD_WORD1     = -5,
    TCR_VIRTUAL_SENDER   = -6,      /* also ActualSender after a receive */
    TCR_INTENDED_RECEIVER = -7,
    TCR_XFER_TIMEOUTS    = -8,
    TCR_ERROR_CODE       = -9,
    TCR_FLAGS            = -10,     /* byte 0 preemption, byte 1 coprocessor */
    TCR_EXCEPTION_HANDLER = -11,
    TCR_PAGER            = -12,
    TCR_USER_HANDLE      = -13,
    TCR_PROCESSOR_NO     = -14,
    TCR_MY_GLOBAL_ID     = -15,
    TCR_BR0              = -16,
};

typedef struct {
    word_t w[UTCB_WORDS];
} utcb_t;

_Static_assert(sizeof(utcb_t) == UTCB_SIZE, "utcb size");

static inline word_t *utcb_p(utcb_t *u)
{
    return &u->w[UTCB_P_WORD];
}

static inline word_t utcb_tcr(utcb_t *u, enum utcb_tcr r)
{
    return utcb_p(u)[r];
}

static inline void utcb_set_tcr(utcb_t *u, enum utcb_tcr r, word_t v)
{
    utcb_p(u)[r] = v;
}

static inline word_t utcb_mr(utcb_t *u, unsigned i)
{
    return utcb_p(u)[i];
}

static inline void utcb_set_mr(utcb_t *u, unsigned i, word_t v)
{
    utcb_p(u)[i] = v;
}

static inline word_t utcb_br(utcb_t *u, unsigned k)
{
    return utcb_p(u)[TCR_BR0 - (int)k];
}
