/* SPDX-License-Identifier: BSD-2-Clause */
/* The architecture's exception message (X.2 exception protocol). */
#pragma once

#include <kernel/types.h>

struct tcb;

/* Untyped words of the exception message on x86-64 (MR1..MR20). */
#define ARCH_EXC_MRS 20

/* Write the message words (from MR1) for an exception; returns u. */
unsigned arch_exception_message(struct tcb *t, word_t vector, word_t error, word_t *mr);
/* Apply the handler's reply (MR1..) to the thread's user registers. */
void arch_exception_reply(struct tcb *t, const word_t *mr);
