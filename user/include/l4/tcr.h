/* SPDX-License-Identifier: BSD-2-Clause */
/* l4/tcr.h — thread control registers of the running thread (vregs.md §4) */
#ifndef L4_TCR_H
#define L4_TCR_H

#include <l4/types.h>
#if defined(__x86_64__)
#include <l4/amd64/vregs.h>
#endif

/** Global id of the running thread. */
L4_INLINE L4_ThreadId_t L4_MyGlobalId(void)
{
    L4_ThreadId_t t;
    t.raw = __L4_TCR_MyGlobalId();
    return t;
}

/** Local id of the running thread (its UTCB pointer). */
L4_INLINE L4_ThreadId_t L4_MyLocalId(void)
{
    L4_ThreadId_t t;
    t.raw = __L4_TCR_MyLocalId();
    return t;
}

/** Same as L4_MyGlobalId(). */
L4_INLINE L4_ThreadId_t L4_Myself(void) { return L4_MyGlobalId(); }

/** Number of the processor the thread currently runs on. */
L4_INLINE L4_Word_t L4_ProcessorNo(void) { return __L4_TCR_ProcessorNo(); }

/** UserDefinedHandle TCR of the running thread. */
L4_INLINE L4_Word_t L4_UserDefinedHandle(void) { return __L4_TCR_UserDefinedHandle(); }

/** Sets the UserDefinedHandle TCR of the running thread. */
L4_INLINE void L4_Set_UserDefinedHandle(L4_Word_t NewValue)
{
    __L4_TCR_Set_UserDefinedHandle(NewValue);
}

/** Pager of the running thread. */
L4_INLINE L4_ThreadId_t L4_Pager(void)
{
    L4_ThreadId_t t;
    t.raw = __L4_TCR_Pager();
    return t;
}

/** Sets the pager of the running thread (plain UTCB write). */
L4_INLINE void L4_Set_Pager(L4_ThreadId_t NewPager) { __L4_TCR_Set_Pager(NewPager.raw); }

/** Exception handler of the running thread. */
L4_INLINE L4_ThreadId_t L4_ExceptionHandler(void)
{
    L4_ThreadId_t t;
    t.raw = __L4_TCR_ExceptionHandler();
    return t;
}

/** Sets the exception handler of the running thread. */
L4_INLINE void L4_Set_ExceptionHandler(L4_ThreadId_t NewHandler)
{
    __L4_TCR_Set_ExceptionHandler(NewHandler.raw);
}

/** ErrorCode TCR: result of the last failed system call or IPC. */
L4_INLINE L4_Word_t L4_ErrorCode(void) { return __L4_TCR_ErrorCode(); }

/** XferTimeouts TCR (send side bits 16..31, receive side bits 0..15). */
L4_INLINE L4_Word_t L4_XferTimeouts(void) { return __L4_TCR_XferTimeout(); }

/** Sets the XferTimeouts TCR. */
L4_INLINE void L4_Set_XferTimeouts(L4_Word_t NewValue) { __L4_TCR_Set_XferTimeout(NewValue); }

/** Intended receiver of the last redirected IPC. */
L4_INLINE L4_ThreadId_t L4_IntendedReceiver(void)
{
    L4_ThreadId_t t;
    t.raw = __L4_TCR_IntendedReceiver();
    return t;
}

/** Actual sender of the last propagated IPC. */
L4_INLINE L4_ThreadId_t L4_ActualSender(void)
{
    L4_ThreadId_t t;
    t.raw = __L4_TCR_ActualSender();
    return t;
}

/** Sets the virtual sender for the next propagated send. */
L4_INLINE void L4_Set_VirtualSender(L4_ThreadId_t t) { __L4_TCR_Set_VirtualSender(t.raw); }

/** Sets coprocessor flag n (bit 8+n of the flags word). */
L4_INLINE void L4_Set_CopFlag(L4_Word_t n)
{
    (void)__L4_TCR_BitSet(__L4_TCR_FLAGS, 8 + n);
}

/** Clears coprocessor flag n (bit 8+n of the flags word). */
L4_INLINE void L4_Clr_CopFlag(L4_Word_t n)
{
    (void)__L4_TCR_BitClear(__L4_TCR_FLAGS, 8 + n);
}

/* Preemption flags: byte 0 of the flags word (vregs.md §4). */
#define __L4_PREEMPT_S 5 /* bit number: signal preemptions as faults */
#define __L4_PREEMPT_D 6 /* bit number: delay preemptions */
#define __L4_PREEMPT_I 7 /* bit number: a delayed preemption is pending */

/** Sets (on != 0) or clears a preemption-flag bit; returns its old state. */
L4_INLINE L4_Bool_t __L4_PreemptFlag(L4_Word_t bit, int on)
{
    return on ? __L4_TCR_BitSet(__L4_TCR_FLAGS, bit) : __L4_TCR_BitClear(__L4_TCR_FLAGS, bit);
}

/*
 * amd64 polarity quirk (vregs.md §4), kept for source and behaviour
 * compatibility with Pistachio's amd64 libl4: EnablePreemption *sets* the
 * d bit (which really asks the kernel to delay preemption) and
 * DisablePreemption clears it — inverted relative to ia32.  The
 * preemption-fault pair is right on amd64 (Enable sets s).  Each helper
 * returns the previous state of the bit it changes.
 */

/** amd64 quirk: sets the d bit; returns its old value. */
L4_INLINE L4_Bool_t L4_EnablePreemption(void) { return __L4_PreemptFlag(__L4_PREEMPT_D, 1); }

/** amd64 quirk: clears the d bit; returns its old value. */
L4_INLINE L4_Bool_t L4_DisablePreemption(void) { return __L4_PreemptFlag(__L4_PREEMPT_D, 0); }

/** Sets the s bit (preemption-fault messages); returns its old value. */
L4_INLINE L4_Bool_t L4_EnablePreemptionFaultException(void)
{
    return __L4_PreemptFlag(__L4_PREEMPT_S, 1);
}

/** Clears the s bit; returns its old value. */
L4_INLINE L4_Bool_t L4_DisablePreemptionFaultException(void)
{
    return __L4_PreemptFlag(__L4_PREEMPT_S, 0);
}

/** Reads and clears the I bit (delayed preemption pending). */
L4_INLINE L4_Bool_t L4_PreemptionPending(void) { return __L4_PreemptFlag(__L4_PREEMPT_I, 0); }

/** WordSizeMask (Pistachio extension, UTCB word -1). */
L4_INLINE L4_Word_t L4_WordSizeMask(void) { return __L4_TCR_Get(__L4_TCR_WORD_SIZE_MASK); }

/** Resets WordSizeMask to all ones. */
L4_INLINE void L4_Reset_WordSizeMask(void) { __L4_TCR_Set(__L4_TCR_WORD_SIZE_MASK, ~0UL); }

#endif /* L4_TCR_H */
