/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel timeouts: wake blocked threads when their deadline passes. */
#pragma once

#include <kernel/types.h>

/* Called from the timer tick: expire due timeouts. */
void timeout_tick(void);
