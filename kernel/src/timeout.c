/* SPDX-License-Identifier: BSD-2-Clause */
/* Timeout queue.  IPC timeouts arrive with the IPC issue; until then the
 * tick has nothing to expire. */
#include <kernel/timeout.h>

void timeout_tick(void)
{
}
