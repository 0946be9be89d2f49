/* SPDX-License-Identifier: BSD-2-Clause */
/* Inter-process communication (X.2 §5).  The foundation provides only the
 * thread hooks; message passing arrives with the IPC issue. */
#pragma once

#include <kernel/tcb.h>

/* Initialise the IPC state of a new thread. */
void ipc_thread_init(tcb_t *t);
/* Abort every IPC t takes part in (t is being deleted). */
void ipc_thread_abort(tcb_t *t);
/* ExchangeRegisters: cancel t's send and/or receive phase. */
void ipc_cancel(tcb_t *t, bool send, bool receive);
