/* SPDX-License-Identifier: BSD-2-Clause */
/* l4/ipc.h — Ipc/Lipc and their convenience forms, IPC error decoding */
#ifndef L4_IPC_H
#define L4_IPC_H

#include <l4/types.h>
#include <l4/message.h>
#include <l4/tcr.h>
#include <l4/schedule.h>
#if defined(__x86_64__)
#include <l4/amd64/syscalls.h>
#endif

/**
 * Ipc: optional send phase to `to`, then optional receive phase from
 * FromSpecifier.  *from is written only if FromSpecifier is not nil.
 */
L4_INLINE L4_MsgTag_t L4_Ipc(L4_ThreadId_t to, L4_ThreadId_t FromSpecifier,
                             L4_Word_t Timeouts, L4_ThreadId_t *from)
{
    L4_MsgTag_t tag;
    tag.raw = __L4_Ipc_Raw(to.raw, FromSpecifier.raw, Timeouts, from ? &from->raw : 0);
    return tag;
}

/** Lipc: like Ipc, intended for partners in the own space named by local id. */
L4_INLINE L4_MsgTag_t L4_Lipc(L4_ThreadId_t to, L4_ThreadId_t FromSpecifier,
                              L4_Word_t Timeouts, L4_ThreadId_t *from)
{
    L4_MsgTag_t tag;
    tag.raw = __L4_Lipc_Raw(to.raw, FromSpecifier.raw, Timeouts, from ? &from->raw : 0);
    return tag;
}

/* ------------------------------------------------------------------ */
/* Result tag and ErrorCode decoding (ipc.md §9)                        */

/** True if the IPC succeeded (e flag clear). */
L4_INLINE L4_Bool_t L4_IpcSucceeded(L4_MsgTag_t t) { return (t.X.flags & 8) == 0; }

/** True if the IPC failed (e flag set); details in L4_ErrorCode(). */
L4_INLINE L4_Bool_t L4_IpcFailed(L4_MsgTag_t t) { return (t.X.flags & 8) != 0; }

/** True if the received message was propagated (p flag). */
L4_INLINE L4_Bool_t L4_IpcPropagated(L4_MsgTag_t t) { return (t.X.flags & 1) != 0; }

/** True if the received message was redirected (r flag). */
L4_INLINE L4_Bool_t L4_IpcRedirected(L4_MsgTag_t t) { return (t.X.flags & 2) != 0; }

/** True if the message crossed processors (x flag). */
L4_INLINE L4_Bool_t L4_IpcXcpu(L4_MsgTag_t t) { return (t.X.flags & 4) != 0; }

/* IPC error numbers: bits 1..3 of ErrorCode after a failed IPC. */
#define L4_ErrTimeout 1
#define L4_ErrNonExist 2
#define L4_ErrCanceled 3
#define L4_ErrMsgOverflow 4
#define L4_ErrXferTimeoutInvoker 5
#define L4_ErrXferTimeoutPartner 6
#define L4_ErrAborted 7

/* Phase (bit 0 of ErrorCode), as returned by L4_IpcError. */
#define L4_ErrSendPhase 0
#define L4_ErrRecvPhase 1

/** Splits an IPC ErrorCode: stores the error number, returns the phase. */
L4_INLINE L4_Word_t L4_IpcError(L4_Word_t err, L4_Word_t *err_code)
{
    if (err_code)
        *err_code = (err >> 1) & 7;
    return err & 1;
}

/** Bytes transferred before the error (meaningful for errors 4..7). */
L4_INLINE L4_Word_t L4_IpcErrorOffset(L4_Word_t err) { return err >> 4; }

/* ------------------------------------------------------------------ */
/* Convenience forms (ipc.md §10)                                       */

/** Call with send and receive timeouts: send to `to`, then wait for its reply. */
L4_INLINE L4_MsgTag_t L4_Call_Timeouts(L4_ThreadId_t to, L4_Time_t SndTimeout,
                                       L4_Time_t RcvTimeout)
{
    L4_ThreadId_t dummy;
    return L4_Ipc(to, to, L4_Timeouts(SndTimeout, RcvTimeout), &dummy);
}

/** Call with infinite timeouts. */
L4_INLINE L4_MsgTag_t L4_Call(L4_ThreadId_t to)
{
    return L4_Call_Timeouts(to, L4_Never, L4_Never);
}

/** Send only, with a send timeout. */
L4_INLINE L4_MsgTag_t L4_Send_Timeout(L4_ThreadId_t to, L4_Time_t SndTimeout)
{
    return L4_Ipc(to, L4_nilthread, L4_Timeouts(SndTimeout, L4_Never), (L4_ThreadId_t *)0);
}

/** Send only, waiting as long as needed. */
L4_INLINE L4_MsgTag_t L4_Send(L4_ThreadId_t to) { return L4_Send_Timeout(to, L4_Never); }

/** Send only if `to` is already waiting (ZeroTime send timeout). */
L4_INLINE L4_MsgTag_t L4_Reply(L4_ThreadId_t to) { return L4_Send_Timeout(to, L4_ZeroTime); }

/** Receive from `from` only (closed or wildcard), with a receive timeout. */
L4_INLINE L4_MsgTag_t L4_Receive_Timeout(L4_ThreadId_t from, L4_Time_t RcvTimeout)
{
    L4_ThreadId_t dummy;
    return L4_Ipc(L4_nilthread, from, L4_Timeouts(L4_Never, RcvTimeout), &dummy);
}

/** Receive from `from`, waiting forever. */
L4_INLINE L4_MsgTag_t L4_Receive(L4_ThreadId_t from)
{
    return L4_Receive_Timeout(from, L4_Never);
}

/** Open receive with a timeout; the sender is stored in *from. */
L4_INLINE L4_MsgTag_t L4_Wait_Timeout(L4_Time_t RcvTimeout, L4_ThreadId_t *from)
{
    return L4_Ipc(L4_nilthread, L4_anythread, L4_Timeouts(L4_Never, RcvTimeout), from);
}

/** Open receive, waiting forever; the sender is stored in *from. */
L4_INLINE L4_MsgTag_t L4_Wait(L4_ThreadId_t *from) { return L4_Wait_Timeout(L4_Never, from); }

/** Reply to `to` (ZeroTime send), then open receive with a timeout. */
L4_INLINE L4_MsgTag_t L4_ReplyWait_Timeout(L4_ThreadId_t to, L4_Time_t RcvTimeout,
                                           L4_ThreadId_t *from)
{
    return L4_Ipc(to, L4_anythread, L4_Timeouts(L4_ZeroTime, RcvTimeout), from);
}

/** Reply to `to`, then open receive waiting forever. */
L4_INLINE L4_MsgTag_t L4_ReplyWait(L4_ThreadId_t to, L4_ThreadId_t *from)
{
    return L4_ReplyWait_Timeout(to, L4_Never, from);
}

/** Blocks for time t by receiving from oneself; MR0 := the returned tag. */
L4_INLINE void L4_Sleep(L4_Time_t t)
{
    L4_Set_MsgTag(L4_Receive_Timeout(L4_MyGlobalId(), t));
}

/** Lipc call: send to local thread `to` and wait for its reply. */
L4_INLINE L4_MsgTag_t L4_Lcall(L4_ThreadId_t to)
{
    L4_ThreadId_t dummy;
    return L4_Lipc(to, to, L4_Timeouts(L4_Never, L4_Never), &dummy);
}

/** Lipc reply to `to`, then receive from any thread of the own space. */
L4_INLINE L4_MsgTag_t L4_LreplyWait(L4_ThreadId_t to, L4_ThreadId_t *from)
{
    return L4_Lipc(to, L4_anylocalthread, L4_Timeouts(L4_ZeroTime, L4_Never), from);
}

/** Alternative spelling of L4_LreplyWait. */
L4_INLINE L4_MsgTag_t L4_Lreply_Wait(L4_ThreadId_t to, L4_ThreadId_t *from)
{
    return L4_LreplyWait(to, from);
}

#endif /* L4_IPC_H */
