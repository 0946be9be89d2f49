/* SPDX-License-Identifier: BSD-2-Clause */
/* TCB fields the entry assembly reads, pinned in kernel/tcb.h. */
#pragma once

#include <mode/layout.h>

#define TCB_SIZE     PAGE_SIZE  /* TCB, kernel stack and user frame */

#define TCB_LOCAL_ID 40     /* word_t local_id */
