/* SPDX-License-Identifier: BSD-2-Clause */
/* IPC core.  Placeholder hooks until the IPC issue lands. */
#include <kernel/ipc.h>

void ipc_thread_init(tcb_t *t)
{
    (void)t;
}

void ipc_thread_abort(tcb_t *t)
{
    (void)t;
}

void ipc_cancel(tcb_t *t, bool send, bool receive)
{
    (void)t;
    (void)send;
    (void)receive;
}
