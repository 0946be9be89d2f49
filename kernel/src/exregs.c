/* SPDX-License-Identifier: BSD-2-Clause */
/* ExchangeRegisters (X.2 §2.3): read and change a thread's user state.
 *
 * Only active threads of the caller's own space may be named, by global or
 * local id (resolved in O(1), thread_table.c).  Order of effects (Pistachio's):
 * old values are read first, then SP, IP, flags, pager and user handle are
 * set, then IPC phases are cancelled, then halt/resume is applied.  Flags
 * are limited to the arithmetic flags by the arch glue; the d bit needs no
 * handling because the old values are always delivered.
 */
#include <kernel/syscall.h>
#include <kernel/thread.h>
#include <kernel/thread_table.h>
#include <kernel/space.h>
#include <kernel/sched.h>
#include <kernel/ipc.h>
#include <arch/thread.h>

#define EXR_HALT     BIT(0)
#define EXR_RECV     BIT(1)
#define EXR_SEND     BIT(2)
#define EXR_SP       BIT(3)
#define EXR_IP       BIT(4)
#define EXR_FLAGS    BIT(5)
#define EXR_HANDLE   BIT(6)
#define EXR_PAGER    BIT(7)
#define EXR_HALT_OK  BIT(8)

static word_t state_word(const tcb_t *t)
{
    word_t w = t->halted ? EXR_HALT : 0;
    if (t->state == TS_RECV_BLOCKED || (t->starting && !t->start_canceled)) {
        w |= EXR_RECV;
    } else if (t->state == TS_SEND_BLOCKED) {
        w |= EXR_SEND;
    }
    return w;
}

threadid_t sys_exchange_registers(tcb_t *self, threadid_t dest, exregs_t *io)
{
    tcb_t *t = thread_table_resolve(self, dest);
    if (!t || t->space != self->space || !t->utcb) {
        syscall_set_error(self, ERR_INVALID_THREAD);
        *io = (exregs_t){ 0 };
        return NILTHREAD;
    }
    word_t ctl = io->control;
    exregs_t old = {
        .control = state_word(t),
        .sp = frame_sp(tcb_frame(t)),
        .ip = frame_ip(tcb_frame(t)),
        .flags = arch_user_flags(t),
        .user_handle = utcb_tcr(t->utcb, TCR_USER_HANDLE),
        .pager = utcb_tcr(t->utcb, TCR_PAGER),
    };
    if (ctl & EXR_SP) {
        arch_set_user_sp(t, io->sp);
    }
    if (ctl & EXR_IP) {
        arch_set_user_ip(t, io->ip);
    }
    if (ctl & EXR_FLAGS) {
        arch_set_user_flags(t, io->flags);
    }
    if (ctl & EXR_PAGER) {
        utcb_set_tcr(t->utcb, TCR_PAGER, io->pager);
    }
    if (ctl & EXR_HANDLE) {
        utcb_set_tcr(t->utcb, TCR_USER_HANDLE, io->user_handle);
    }
    if (ctl & (EXR_RECV | EXR_SEND)) {
        /* Also ends a start-up wait: the thread then starts at IP/SP. */
        ipc_cancel(t, ctl & EXR_SEND, ctl & EXR_RECV);
    }
    if (ctl & EXR_HALT_OK) {
        if (ctl & EXR_HALT) {
            sched_halt(t);
        } else {
            sched_resume(t);
        }
    }
    *io = old;
    if (ctl & EXR_HALT_OK) {
        /* Halting oneself takes effect now; a resumed thread of higher
         * priority preempts the caller. */
        if (t == self ? (ctl & EXR_HALT) != 0 : !(ctl & EXR_HALT) && t->prio > self->prio) {
            schedule();
        }
    }
    return tid_is_global(dest) ? tcb_local_id(t) : t->id;
}
