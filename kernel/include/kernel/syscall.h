/* SPDX-License-Identifier: BSD-2-Clause */
/* System calls: arch glue decodes registers, these implement the semantics. */
#pragma once

#include <kernel/tcb.h>
#include <kernel/fpage.h>

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

/* ThreadControl (X.2 §3.3); returns the result word. */
word_t sys_thread_control(tcb_t *self, threadid_t dest, threadid_t space_spec,
                          threadid_t scheduler, threadid_t pager, word_t utcb);
/* SpaceControl (X.2 §3.5); returns the result word, *old_control. */
word_t sys_space_control(tcb_t *self, threadid_t space_spec, word_t control, fpage_t kip_area,
                         fpage_t utcb_area, threadid_t redirector, word_t *old_control);

/* ExchangeRegisters (X.2 §3.2) arguments and results. */
typedef struct {
    word_t control, sp, ip, flags, user_handle;
    threadid_t pager;
} exregs_t;
/* Returns the result id (nilthread on error); io holds inputs, then old values. */
threadid_t sys_exchange_registers(tcb_t *self, threadid_t dest, exregs_t *io);

/* Schedule (X.2 §3.7); returns the result word, *old_time. */
word_t sys_schedule(tcb_t *self, threadid_t dest, word_t time, word_t cpu, word_t prio,
                    word_t preempt, word_t *old_time);

/* MemoryControl (X.2 §6.4): fpages in MR0..MRk of self's UTCB; returns the
 * result word. */
word_t sys_memory_control(tcb_t *self, word_t control, const word_t attributes[4]);
/* ProcessorControl (X.2 §6.3); returns the result word. */
word_t sys_processor_control(tcb_t *self, word_t cpu, word_t internal_khz, word_t external_khz,
                             word_t voltage_mv);

/* Unmap (X.2 §4.2): the fpages are in MR0..MRk of self's UTCB. */
void sys_unmap(tcb_t *self, word_t control);
