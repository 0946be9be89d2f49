/* SPDX-License-Identifier: BSD-2-Clause */
/* l4/amd64/vregs.h — UTCB pointer via %gs:0 and raw TCR/MR/BR word access */
#ifndef L4_AMD64_VREGS_H
#define L4_AMD64_VREGS_H

#include <l4/types.h>

/*
 * Word indices relative to the UTCB pointer p (vregs.md §3).  MRi is at
 * p[i]; BRk is at p[-16 - k] (BRs grow downwards).
 */
#define __L4_TCR_WORD_SIZE_MASK (-1)
#define __L4_TCR_THREAD_WORD0 (-4)
#define __L4_TCR_THREAD_WORD1 (-5)
#define __L4_TCR_VIRTUAL_ACTUAL_SENDER (-6)
#define __L4_TCR_INTENDED_RECEIVER (-7)
#define __L4_TCR_XFER_TIMEOUTS (-8)
#define __L4_TCR_ERROR_CODE (-9)
#define __L4_TCR_FLAGS (-10) /* byte 0: preemption flags, byte 1: cop flags */
#define __L4_TCR_EXCEPTION_HANDLER (-11)
#define __L4_TCR_PAGER (-12)
#define __L4_TCR_USER_DEFINED_HANDLE (-13)
#define __L4_TCR_PROCESSOR_NO (-14)
#define __L4_TCR_MY_GLOBAL_ID (-15)
#define __L4_TCR_BR0 (-16)

#if defined(__L4_TEST_UTCB)
/* Host unit tests substitute a plain memory block for the UTCB. */
L4_INLINE L4_Word_t *__L4_Utcb(void) { return (L4_Word_t *)(__L4_TEST_UTCB); }
#else
/** UTCB pointer of the running thread (= its local id = &MR0), read via %gs:0. */
L4_INLINE L4_Word_t *__L4_Utcb(void) __attribute__((const));
L4_INLINE L4_Word_t *__L4_Utcb(void)
{
    L4_Word_t *p;
    __asm__("movq %%gs:0, %0" : "=r"(p));
    return p;
}
#endif

/** Address of message register MRi of the running thread. */
L4_INLINE L4_Word_t *__L4_MR(int i) { return __L4_Utcb() + i; }

/** Address of buffer register BRi of the running thread. */
L4_INLINE L4_Word_t *__L4_BR(int i) { return __L4_Utcb() + __L4_TCR_BR0 - i; }

/** Reads the UTCB word at index idx (one of the __L4_TCR_* constants). */
L4_INLINE L4_Word_t __L4_TCR_Get(int idx) { return __L4_Utcb()[idx]; }

/** Writes w to the UTCB word at index idx. */
L4_INLINE void __L4_TCR_Set(int idx, L4_Word_t w) { __L4_Utcb()[idx] = w; }

/**
 * Sets bit `bit` of UTCB word idx and returns its old value, in a single
 * instruction so that a kernel update of the same word (e.g. the
 * preemption-pending flag) cannot be lost to a read-modify-write race.
 */
L4_INLINE L4_Bool_t __L4_TCR_BitSet(int idx, L4_Word_t bit)
{
    unsigned char old;
    __asm__ __volatile__("btsq %2, %1\n\tsetc %0"
                         : "=q"(old), "+m"(__L4_Utcb()[idx])
                         : "Jr"(bit)
                         : "cc");
    return old;
}

/** Clears bit `bit` of UTCB word idx atomically; returns its old value. */
L4_INLINE L4_Bool_t __L4_TCR_BitClear(int idx, L4_Word_t bit)
{
    unsigned char old;
    __asm__ __volatile__("btrq %2, %1\n\tsetc %0"
                         : "=q"(old), "+m"(__L4_Utcb()[idx])
                         : "Jr"(bit)
                         : "cc");
    return old;
}

/* Raw-word TCR accessors under the names IDL compilers and old code use. */

/** MyGlobalId TCR as a raw word. */
L4_INLINE L4_Word_t __L4_TCR_MyGlobalId(void) { return __L4_TCR_Get(__L4_TCR_MY_GLOBAL_ID); }

/** MyLocalId: the UTCB pointer itself. */
L4_INLINE L4_Word_t __L4_TCR_MyLocalId(void) { return (L4_Word_t)__L4_Utcb(); }

/** ProcessorNo TCR. */
L4_INLINE L4_Word_t __L4_TCR_ProcessorNo(void) { return __L4_TCR_Get(__L4_TCR_PROCESSOR_NO); }

/** UserDefinedHandle TCR. */
L4_INLINE L4_Word_t __L4_TCR_UserDefinedHandle(void)
{
    return __L4_TCR_Get(__L4_TCR_USER_DEFINED_HANDLE);
}

/** Sets the UserDefinedHandle TCR. */
L4_INLINE void __L4_TCR_Set_UserDefinedHandle(L4_Word_t w)
{
    __L4_TCR_Set(__L4_TCR_USER_DEFINED_HANDLE, w);
}

/** Pager TCR as a raw word. */
L4_INLINE L4_Word_t __L4_TCR_Pager(void) { return __L4_TCR_Get(__L4_TCR_PAGER); }

/** Sets the Pager TCR. */
L4_INLINE void __L4_TCR_Set_Pager(L4_Word_t w) { __L4_TCR_Set(__L4_TCR_PAGER, w); }

/** ExceptionHandler TCR as a raw word. */
L4_INLINE L4_Word_t __L4_TCR_ExceptionHandler(void)
{
    return __L4_TCR_Get(__L4_TCR_EXCEPTION_HANDLER);
}

/** Sets the ExceptionHandler TCR. */
L4_INLINE void __L4_TCR_Set_ExceptionHandler(L4_Word_t w)
{
    __L4_TCR_Set(__L4_TCR_EXCEPTION_HANDLER, w);
}

/** ErrorCode TCR. */
L4_INLINE L4_Word_t __L4_TCR_ErrorCode(void) { return __L4_TCR_Get(__L4_TCR_ERROR_CODE); }

/** XferTimeouts TCR. */
L4_INLINE L4_Word_t __L4_TCR_XferTimeout(void) { return __L4_TCR_Get(__L4_TCR_XFER_TIMEOUTS); }

/** Sets the XferTimeouts TCR. */
L4_INLINE void __L4_TCR_Set_XferTimeout(L4_Word_t w) { __L4_TCR_Set(__L4_TCR_XFER_TIMEOUTS, w); }

/** IntendedReceiver TCR as a raw word. */
L4_INLINE L4_Word_t __L4_TCR_IntendedReceiver(void)
{
    return __L4_TCR_Get(__L4_TCR_INTENDED_RECEIVER);
}

/** ActualSender TCR (same word as VirtualSender) as a raw word. */
L4_INLINE L4_Word_t __L4_TCR_ActualSender(void)
{
    return __L4_TCR_Get(__L4_TCR_VIRTUAL_ACTUAL_SENDER);
}

/** Sets the VirtualSender TCR. */
L4_INLINE void __L4_TCR_Set_VirtualSender(L4_Word_t w)
{
    __L4_TCR_Set(__L4_TCR_VIRTUAL_ACTUAL_SENDER, w);
}

/** Free user word ThreadWord0 (n = 0) or ThreadWord1 (n = 1). */
L4_INLINE L4_Word_t __L4_TCR_ThreadWord(L4_Word_t n)
{
    return __L4_TCR_Get(__L4_TCR_THREAD_WORD0 - (int)n);
}

/** Sets ThreadWord0 (n = 0) or ThreadWord1 (n = 1). */
L4_INLINE void __L4_TCR_Set_ThreadWord(L4_Word_t n, L4_Word_t w)
{
    __L4_TCR_Set(__L4_TCR_THREAD_WORD0 - (int)n, w);
}

#endif /* L4_AMD64_VREGS_H */
