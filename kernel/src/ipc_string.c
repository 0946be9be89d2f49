/* SPDX-License-Identifier: BSD-2-Clause */
/* String items (X.2 §5.3).  Not yet supported: a string item is treated as
 * a message the receiver cannot accept (message overflow). */
#include <kernel/map.h>
#include <kernel/ipc.h>

word_t ipc_transfer_strings(tcb_t *src, tcb_t *dst, unsigned *i, unsigned last,
                            word_t acceptor, word_t *bytes)
{
    (void)src;
    (void)dst;
    (void)i;
    (void)last;
    (void)acceptor;
    return IPC_ERRCODE(IPC_OVERFLOW, IPC_PHASE_RECEIVE, *bytes);
}
