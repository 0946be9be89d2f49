/* SPDX-License-Identifier: BSD-2-Clause */
/* Shared by the hostile.* cases (ipc_hostile.c, hostile_cpu.c,
 * hostile_fast.c): hostile and unlucky programs against the kernel. */
#pragma once

#include "suite.h"
#include "thread_helpers.h"
#include "io_helpers.h"
#include <l4/ipc.h>
#include <l4/message.h>
#include <l4/thread.h>
#include <l4/schedule.h>
#include <l4/space.h>
#include <kernel/string.h>
#include <pecan/kdb.h>

#define SECOND L4_TimePeriod(1000000)
#define STR(len, subs, compound, more) \
    (((L4_Word_t)(len) << 10) | ((L4_Word_t)(compound) << 9) | \
     ((L4_Word_t)((subs) - 1) << 4) | (more))
/* Pages of the root task's address range nobody maps: a copy touching
 * them page-faults, and the pagers below never map them. */
#define UNMAPPED(n) ((char *)(0x3C00000UL + (n) * 0x10000UL))

extern char src[256];                   /* bytes to send */
extern L4_ThreadId_t root, victim;      /* the root thread; whom killer deletes */

/* A pager that takes every fault and never answers. */
void mute_pager(void);
/* Deletes `victim` once it has had 20 ms to get stuck. */
void killer(void);
/* Sleep in 1 ms steps until *flag is set, for at most a second. */
int wait_for(volatile int *flag);
