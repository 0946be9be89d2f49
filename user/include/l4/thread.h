/* SPDX-License-Identifier: BSD-2-Clause */
/* l4/thread.h — thread ids, TCRs, ExchangeRegisters and ThreadControl helpers */
#ifndef L4_THREAD_H
#define L4_THREAD_H

#include <l4/types.h>
#include <l4/tcr.h>
#if defined(__x86_64__)
#include <l4/amd64/syscalls.h>
#endif

/** Thread state word returned by the stop functions (types.md §9). */
typedef union {
    L4_Word_t raw;
} L4_ThreadState_t;

/** True if the thread was halted before the call. */
L4_INLINE L4_Bool_t L4_ThreadWasHalted(L4_ThreadState_t s) { return (s.raw & 1) != 0; }

/** True if the thread was in a receive phase (incl. waiting for a reply). */
L4_INLINE L4_Bool_t L4_ThreadWasReceiving(L4_ThreadState_t s) { return (s.raw & 2) != 0; }

/** True if the thread was in a send phase. */
L4_INLINE L4_Bool_t L4_ThreadWasSending(L4_ThreadState_t s) { return (s.raw & 4) != 0; }

/** True if the thread was sending or receiving. */
L4_INLINE L4_Bool_t L4_ThreadWasIpcing(L4_ThreadState_t s) { return (s.raw & 6) != 0; }

/* ExchangeRegisters control bits (syscalls.md §2). */
#define L4_ExReg_Halt 0x001UL      /* h: halt (with H) */
#define L4_ExReg_AbortRecv 0x002UL /* r: cancel a receive phase */
#define L4_ExReg_AbortSend 0x004UL /* s: cancel a send phase */
#define L4_ExReg_AbortIPC 0x006UL
#define L4_ExReg_sp 0x008UL       /* S: set stack pointer */
#define L4_ExReg_ip 0x010UL       /* i: set instruction pointer */
#define L4_ExReg_flags 0x020UL    /* f: set flags */
#define L4_ExReg_user 0x040UL     /* u: set UserDefinedHandle */
#define L4_ExReg_pager 0x080UL    /* p: set Pager */
#define L4_ExReg_haltflag 0x100UL /* H: h is valid */
#define L4_ExReg_Deliver 0x200UL  /* d: deliver old values */

/** ExchangeRegisters with control only; returns the old control word. */
L4_INLINE L4_Word_t __L4_ExRegControl(L4_ThreadId_t t, L4_Word_t control, L4_Word_t sp,
                                      L4_Word_t ip, L4_Word_t flags, L4_Word_t *old_sp,
                                      L4_Word_t *old_ip, L4_Word_t *old_flags)
{
    L4_Word_t ctl, dummy;
    L4_ThreadId_t dummy_id;
    (void)L4_ExchangeRegisters(t, control, sp, ip, flags, 0, L4_nilthread, &ctl, old_sp,
                               old_ip, old_flags, &dummy, &dummy_id);
    return ctl;
}

/** Global id of local thread t (t itself if already global; nil stays nil). */
L4_INLINE L4_ThreadId_t L4_GlobalIdOf(L4_ThreadId_t t)
{
    L4_Word_t d;
    L4_ThreadId_t p;
    if (L4_IsNilThread(t) || L4_IsGlobalId(t))
        return t;
    return L4_ExchangeRegisters(t, 0, 0, 0, 0, 0, L4_nilthread, &d, &d, &d, &d, &d, &p);
}

/** Local id of thread t of the own space (t itself if already local). */
L4_INLINE L4_ThreadId_t L4_LocalIdOf(L4_ThreadId_t t)
{
    L4_Word_t d;
    L4_ThreadId_t p;
    if (L4_IsLocalId(t))
        return t;
    return L4_ExchangeRegisters(t, 0, 0, 0, 0, 0, L4_nilthread, &d, &d, &d, &d, &d, &p);
}

/** True if l and r (local or global) name the same thread. */
L4_INLINE L4_Bool_t L4_SameThreads(L4_ThreadId_t l, L4_ThreadId_t r)
{
    return L4_GlobalIdOf(l).raw == L4_GlobalIdOf(r).raw;
}

/** UserDefinedHandle of thread t of the own space. */
L4_INLINE L4_Word_t L4_UserDefinedHandleOf(L4_ThreadId_t t)
{
    L4_Word_t d, handle;
    L4_ThreadId_t p;
    (void)L4_ExchangeRegisters(t, L4_ExReg_Deliver, 0, 0, 0, 0, L4_nilthread, &d, &d, &d, &d,
                               &handle, &p);
    return handle;
}

/** Sets the UserDefinedHandle of thread t of the own space. */
L4_INLINE void L4_Set_UserDefinedHandleOf(L4_ThreadId_t t, L4_Word_t handle)
{
    L4_Word_t d;
    L4_ThreadId_t p;
    (void)L4_ExchangeRegisters(t, L4_ExReg_user, 0, 0, 0, handle, L4_nilthread, &d, &d, &d, &d,
                               &d, &p);
}

/** Pager of thread t of the own space. */
L4_INLINE L4_ThreadId_t L4_PagerOf(L4_ThreadId_t t)
{
    L4_Word_t d;
    L4_ThreadId_t pager;
    (void)L4_ExchangeRegisters(t, L4_ExReg_Deliver, 0, 0, 0, 0, L4_nilthread, &d, &d, &d, &d,
                               &d, &pager);
    return pager;
}

/** Sets the pager of thread t of the own space. */
L4_INLINE void L4_Set_PagerOf(L4_ThreadId_t t, L4_ThreadId_t pager)
{
    L4_Word_t d;
    L4_ThreadId_t p;
    (void)L4_ExchangeRegisters(t, L4_ExReg_pager, 0, 0, 0, 0, pager, &d, &d, &d, &d, &d, &p);
}

/** Resumes t and aborts its IPC (control 0x106); also starts a fresh thread. */
L4_INLINE void L4_Start(L4_ThreadId_t t)
{
    L4_Word_t d;
    (void)__L4_ExRegControl(t, 0x106, 0, 0, 0, &d, &d, &d);
}

/** As L4_Start, but also sets SP and IP (control 0x11E). */
L4_INLINE void L4_Start_SpIp(L4_ThreadId_t t, L4_Word_t sp, L4_Word_t ip)
{
    L4_Word_t d;
    (void)__L4_ExRegControl(t, 0x11E, sp, ip, 0, &d, &d, &d);
}

/** As L4_Start, but also sets SP, IP and flags (control 0x13E). */
L4_INLINE void L4_Start_SpIpFlags(L4_ThreadId_t t, L4_Word_t sp, L4_Word_t ip,
                                  L4_Word_t flags)
{
    L4_Word_t d;
    (void)__L4_ExRegControl(t, 0x13E, sp, ip, flags, &d, &d, &d);
}

/** Halts t without touching its IPC (control 0x301); returns its old state. */
L4_INLINE L4_ThreadState_t L4_Stop(L4_ThreadId_t t)
{
    L4_ThreadState_t s;
    L4_Word_t d;
    s.raw = __L4_ExRegControl(t, 0x301, 0, 0, 0, &d, &d, &d);
    return s;
}

/** As L4_Stop, also returning SP, IP and flags. */
L4_INLINE L4_ThreadState_t L4_Stop_SpIpFlags(L4_ThreadId_t t, L4_Word_t *sp, L4_Word_t *ip,
                                             L4_Word_t *flags)
{
    L4_ThreadState_t s;
    s.raw = __L4_ExRegControl(t, 0x301, 0, 0, 0, sp, ip, flags);
    return s;
}

/** Halts t and aborts a receive phase (control 0x303). */
L4_INLINE L4_ThreadState_t L4_AbortReceive_and_stop(L4_ThreadId_t t)
{
    L4_ThreadState_t s;
    L4_Word_t d;
    s.raw = __L4_ExRegControl(t, 0x303, 0, 0, 0, &d, &d, &d);
    return s;
}

/** As L4_AbortReceive_and_stop, also returning SP, IP and flags. */
L4_INLINE L4_ThreadState_t L4_AbortReceive_and_stop_SpIpFlags(L4_ThreadId_t t, L4_Word_t *sp,
                                                              L4_Word_t *ip, L4_Word_t *flags)
{
    L4_ThreadState_t s;
    s.raw = __L4_ExRegControl(t, 0x303, 0, 0, 0, sp, ip, flags);
    return s;
}

/** Halts t and aborts a send phase (control 0x305). */
L4_INLINE L4_ThreadState_t L4_AbortSend_and_stop(L4_ThreadId_t t)
{
    L4_ThreadState_t s;
    L4_Word_t d;
    s.raw = __L4_ExRegControl(t, 0x305, 0, 0, 0, &d, &d, &d);
    return s;
}

/** As L4_AbortSend_and_stop, also returning SP, IP and flags. */
L4_INLINE L4_ThreadState_t L4_AbortSend_and_stop_SpIpFlags(L4_ThreadId_t t, L4_Word_t *sp,
                                                           L4_Word_t *ip, L4_Word_t *flags)
{
    L4_ThreadState_t s;
    s.raw = __L4_ExRegControl(t, 0x305, 0, 0, 0, sp, ip, flags);
    return s;
}

/** Halts t and aborts any IPC (control 0x307). */
L4_INLINE L4_ThreadState_t L4_AbortIpc_and_stop(L4_ThreadId_t t)
{
    L4_ThreadState_t s;
    L4_Word_t d;
    s.raw = __L4_ExRegControl(t, 0x307, 0, 0, 0, &d, &d, &d);
    return s;
}

/** As L4_AbortIpc_and_stop, also returning SP, IP and flags. */
L4_INLINE L4_ThreadState_t L4_AbortIpc_and_stop_SpIpFlags(L4_ThreadId_t t, L4_Word_t *sp,
                                                          L4_Word_t *ip, L4_Word_t *flags)
{
    L4_ThreadState_t s;
    s.raw = __L4_ExRegControl(t, 0x307, 0, 0, 0, sp, ip, flags);
    return s;
}

/** Associates interrupt thread irq with handler (ThreadControl; 1 = success). */
L4_INLINE L4_Word_t L4_AssociateInterrupt(L4_ThreadId_t InterruptThread,
                                          L4_ThreadId_t InterruptHandler)
{
    return L4_ThreadControl(InterruptThread, InterruptThread, L4_nilthread, InterruptHandler,
                            (void *)-1);
}

/** Removes the handler of interrupt thread irq (pager := irq itself). */
L4_INLINE L4_Word_t L4_DeassociateInterrupt(L4_ThreadId_t InterruptThread)
{
    return L4_ThreadControl(InterruptThread, InterruptThread, L4_nilthread, InterruptThread,
                            (void *)-1);
}

#include <l4/schedule.h> /* L4_Yield and friends, as Pistachio programs expect */

#endif /* L4_THREAD_H */
