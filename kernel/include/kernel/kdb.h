/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel debugger interface for user programs (print, read, enter). */
#pragma once

#include <kernel/tcb.h>

/* Debugger operations (the byte after "int3; cmpb $op, %al" on x86). */
enum kdb_op {
    KDB_OP_PRINT_CHAR = 0x00,
    KDB_OP_PRINT_STRING = 0x01,
    KDB_OP_CLEAR_PAGE = 0x02,
    KDB_OP_TOGGLE_BREAKIN = 0x03,
    KDB_OP_READ_CHAR = 0x08,
    KDB_OP_READ_CHAR_BLOCKED = 0x0D,
    KDB_OP_POWER_OFF = 0x20,            /* Pecan extension */
    KDB_OP_KMEM_FREE = 0x21,            /* Pecan extension: free kernel-pool pages */
    KDB_OP_BOOT_TSC = 0x22,             /* Pecan extension: TSC at kernel entry */
    KDB_OP_MEMORY_TYPE = 0x23,          /* Pecan extension: memory type of own mapping */
    KDB_OP_PAGE_SIZE = 0x24,            /* Pecan extension: page size of own mapping */
};

/* Perform op for t with argument arg; returns true if *result is valid. */
bool kdb_operation(tcb_t *t, unsigned op, word_t arg, word_t *result);
/* KDB_Enter: print the user string at msg (0 = none) and enter the debugger. */
void kdb_enter(tcb_t *t, word_t msg, word_t ip);
/* Apply the "kdb=" kernel option (go | stop | exit). */
void kdb_init(void);
