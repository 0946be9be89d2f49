/* SPDX-License-Identifier: BSD-2-Clause */
/* Inter-process communication (X.2 §5, spec ipc.md).
 *
 * Messages live in the UTCBs: the arch glue copies register MRs into the
 * UTCB on entry and back on exit, so this code sees only virtual registers.
 */
#pragma once

#include <kernel/tcb.h>

/* IPC error numbers (ErrorCode bits 1..3). */
enum ipc_error {
    IPC_OK = 0, IPC_TIMEOUT = 1, IPC_NO_PARTNER = 2, IPC_CANCELED = 3, IPC_OVERFLOW = 4,
    IPC_XFER_TIMEOUT_OWN = 5, IPC_XFER_TIMEOUT_PARTNER = 6, IPC_ABORTED = 7,
};

/* ipc_error value asking a blocked partner to resolve a transfer fault. */
#define IPC_XFER_REQUEST  (~(word_t)0)
/* Added by ipc_transfer to an error when the copier's partner was deleted
 * while the copy waited (a page fault): the partner's TCB and maybe its
 * UTCB are gone, so the copier must not touch it any more. */
#define IPC_PARTNER_GONE  BIT(WORD_BITS - 1)

#define IPC_PHASE_SEND    0
#define IPC_PHASE_RECEIVE 1
#define IPC_ERRCODE(err, phase, offset) (((word_t)(offset) << 4) | ((err) << 1) | (phase))
#define TAG_E_FLAG  BIT(15)
#define TAG_P_FLAG  BIT(12)
#define TAG_FLAGS   (0xFUL << 12)

/* Initialise the IPC state of a new thread. */
/* Recompute t->ipc_fast_prio after t's priority or send queue changed. */
void ipc_refresh_fast_prio(struct tcb *t);
void ipc_thread_init(tcb_t *t);
/* Release every partner of t (t is being deleted). */
void ipc_thread_abort(tcb_t *t);
/* t's id becomes id (ThreadControl): closed receives on the old id now
 * wait for the new one. */
void ipc_thread_renamed(tcb_t *t, threadid_t id);
/* ExchangeRegisters: cancel t's send and/or receive phase. */
void ipc_cancel(tcb_t *t, bool send, bool receive);

/* The Ipc system call.  MR0.. of self hold the message; returns the result
 * tag (also in MR0) and stores the partner id in *from. */
word_t sys_ipc(tcb_t *self, threadid_t to, threadid_t from_spec, word_t timeouts,
               threadid_t *from);
/* Deliver the message of a kernel-only sender (an interrupt thread) to
 * dest now, or queue src as a sender of dest. */
void ipc_send_from_kernel(tcb_t *src, tcb_t *dest);
/* Finish a user Ipc that blocked: called on a fresh kernel stack when the
 * thread is woken; leaves the result in the UTCB and *from. */
void ipc_resume(tcb_t *self, threadid_t *from);
/* A kernel-generated Call of self to partner with never timeouts (page
 * faults, exceptions); the message is in self's MRs, the reply too. */
word_t ipc_kernel_call(tcb_t *self, threadid_t partner);
/* A kernel-generated receive (thread start-up) from partner. */
word_t ipc_kernel_receive(tcb_t *self, threadid_t partner, threadid_t *from);

/* The sender's ErrorCode for a receiver's transfer error: send phase, and
 * the two transfer-timeout numbers swapped (each names its own side). */
static inline word_t ipc_sender_error(word_t err)
{
    word_t num = (err >> 1) & 7;
    if (num == IPC_XFER_TIMEOUT_OWN || num == IPC_XFER_TIMEOUT_PARTNER) {
        err ^= (IPC_XFER_TIMEOUT_OWN ^ IPC_XFER_TIMEOUT_PARTNER) << 1;
    }
    return err & ~(word_t)1;
}

/* A kernel-generated Call with an absolute deadline for both phases (0 =
 * none): returns 0, IPC_TIMEOUT, or another error number. */
word_t ipc_call_until(tcb_t *self, threadid_t partner, uint64_t deadline);
/* Take the partner of a string transfer out of every queue and timeout. */
void ipc_lock_partner(tcb_t *t);

/* Message transfer from src to dst (ipc_transfer.c); returns 0 or an
 * ErrorCode value for the receive phase (send phase = value & ~1), with
 * IPC_PARTNER_GONE added if the current thread's partner was deleted.
 * propagated: the p flag is delivered (src sent on behalf of another). */
word_t ipc_transfer(tcb_t *src, tcb_t *dst, bool propagated);
