/* SPDX-License-Identifier: BSD-2-Clause */
/* System calls: arch glue decodes registers, these implement the semantics. */
#pragma once

#include <kernel/tcb.h>

/* Error codes of the ErrorCode TCR (X.2 §3). */
enum syscall_error {
    ERR_OK = 0, ERR_NO_PRIVILEGE = 1, ERR_INVALID_THREAD = 2, ERR_INVALID_SPACE = 3,
    ERR_INVALID_SCHEDULER = 4, ERR_INVALID_PARAM = 5, ERR_UTCB_AREA = 6,
    ERR_KIP_AREA = 7, ERR_NO_MEM = 8,
};

/* Store an error code in the caller's ErrorCode TCR. */
static inline void syscall_set_error(tcb_t *t, enum syscall_error e)
{
    if (t->utcb) {
        utcb_set_tcr(t->utcb, TCR_ERROR_CODE, e);
    }
}

/* Is t in a privileged address space (sigma0, sigma1, root task)? */
bool thread_is_privileged(const tcb_t *t);

/* KernelInterface: emulated on "lock; nop" (arch glue). */
void syscall_kernel_interface(tcb_t *t, frame_t *f);

/* System clock in microseconds since boot. */
uint64_t sys_system_clock(void);
/* ThreadSwitch (X.2 §3.4). */
void sys_thread_switch(tcb_t *self, threadid_t dest);
